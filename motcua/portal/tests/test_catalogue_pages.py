import pytest
from django.test import Client

from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, RECORDS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    import_catalogue([BIRTH, RECORDS])


def test_catalogue_search_and_filters(client: Client) -> None:
    html = client.get("/thu-tuc/", {"q": "dang ki khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in html and "lý lịch tư pháp" not in html
    html = client.get("/thu-tuc/", {"cap": "1"}).content.decode()
    assert "Cấp Phiếu lý lịch tư pháp" in html and 'href="/thu-tuc/1.001193/"' not in html
    partial = client.get("/thu-tuc/", {"q": "ly lich"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Cấp Phiếu lý lịch tư pháp" in partial


def test_procedure_page_shows_papers_times_fees_and_the_complete_list_statement(client: Client) -> None:
    html = client.get("/thu-tuc/2.001417/").content.decode()
    assert "Trường hợp: Ủy quyền cho người khác nộp" in html and "Văn bản ủy quyền" in html
    assert "Đây là danh sách đầy đủ giấy tờ" in html and "Điều 18 khoản 6" in html
    assert "10 Ngày làm việc" in html or "10 ngày làm việc" in html
    assert "200.000 đ" in html and "100.000 đ" in html
    assert "Luật Lý lịch tư pháp số 28/2009/QH12" in html
    assert "/phan-anh/giay-to-ngoai-danh-muc/?thu-tuc=2.001417" in html


def test_unknown_procedure_is_404(client: Client) -> None:
    assert client.get("/thu-tuc/0.000000/").status_code == 404


def test_the_report_link_of_a_procedure_asks_for_the_dossier_first(client: Client) -> None:
    html = client.get("/phan-anh/giay-to-ngoai-danh-muc/", {"thu-tuc": "1.001193"}).content.decode()
    assert "Đăng ký khai sinh" in html and 'name="ma"' in html and "Gửi phản ánh" not in html
