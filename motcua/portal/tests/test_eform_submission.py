"""Online filing through the tờ khai: steps, errors beside their fields, the review page, one submission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.tests import samples
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, Draft
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.eforms.tests.birth import ANSWERS, publish_birth_form
from motcua.portal.tests.sending import send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    publish_birth_form()
    with clock.frozen(TUESDAY_9AM):
        yield


@pytest.fixture
def citizen(client: Client) -> Client:
    client.force_login(user("0912345678"))
    return client


def first_page(citizen: Client) -> Draft:
    citizen.get("/nop-ho-so/1.001193/")
    draft = Draft.objects.get()
    birth_paper = Component.objects.get(case__version__procedure__code="1.001193", code="GT2")
    scan = SimpleUploadedFile("chung-sinh.pdf", samples.pdf("GIAY CHUNG SINH"))
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{birth_paper.pk}/", {"tep": scan})
    response = citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/tiep/", {"receiving_unit": "28261.TTPVHCC", "commune": "28261"}
    )
    assert response.url == f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/"
    return draft


def test_the_form_shows_each_error_beside_its_field_and_keeps_what_was_typed(citizen: Client) -> None:
    draft = first_page(citizen)
    typed = ANSWERS | {"tre.ngay_sinh": "31/02/2026", "nguoi_yeu_cau.so_dinh_danh": "0820900012345"}
    page = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/", typed).content.decode()
    assert "<title>Lỗi: " in page
    assert 'href="#tk-tre-ngay_sinh"' in page  # the summary links to the field
    assert "theo dạng ngày/tháng/năm, ví dụ 05/03/2026" in page
    assert "bạn đã nhập 13 chữ số (thừa)" in page
    assert 'value="31/02/2026"' in page  # nothing typed is lost
    assert Draft.objects.get().answers["tre.ho_ten"] == "Nguyễn Minh An"


def test_the_form_opens_with_what_the_applicant_step_says_and_keeps_what_was_changed(citizen: Client) -> None:
    draft = first_page(citizen)
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"address": "Số 12 đường Ấp Bắc"})
    fields = Draft.objects.get().fields
    page = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/").content.decode()
    for path, value in (("ho_ten", fields["name"]), ("so_dinh_danh", fields["citizen_id"])):
        assert f'value="{value}"' in page, path
    assert 'value="Số 12 đường Ấp Bắc"' in page and 'value="28261" selected' in page
    # Emptied on purpose: the answer is kept as typed, not filled in again.
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/", {"nguoi_yeu_cau.ho_ten": ""})
    again = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/").content.decode()
    assert f'value="{fields["name"]}"' not in again and Draft.objects.get().answers["nguoi_yeu_cau.ho_ten"] == ""


def test_a_hidden_section_is_shown_when_its_condition_holds(citizen: Client) -> None:
    draft = first_page(citizen)
    page = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/").content.decode()
    assert '<fieldset id="phan-cha" hidden>' in page
    redrawn = citizen.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/", {"cha_khai.co_cha": "co"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert '<fieldset id="phan-cha">' in redrawn and "<html" not in redrawn


def test_review_then_submit_files_the_form_as_the_paper_it_replaces(citizen: Client) -> None:
    draft = first_page(citizen)
    assert citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/", ANSWERS).url.endswith("/nhan-ket-qua/")
    nowhere = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/nhan-ket-qua/", {"return_method": "fax"})
    assert "Thủ tục này chỉ trả kết quả theo các hình thức" in nowhere.content.decode()
    chosen = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/nhan-ket-qua/", {"return_method": "online"})
    assert chosen.url.endswith("/kiem-tra/")
    review = citizen.get(chosen.url).content.decode()
    for shown in ("Nguyễn Minh An", "01/03/2026", "Nam", "Kinh", "Số 5 Lê Lợi, Phường Mỹ Tho", "Thay đổi"):
        assert shown in review
    stale = citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/nop/", {"stamp": "2020-01-01T00:00:00+00:00"})
    assert "hãy kiểm tra lần nữa" in stale.content.decode() and not Dossier.objects.exists()
    done = send(citizen, draft.pk, follow=True)
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.form is not None
    assert dossier.form_data["tre.ho_ten"] == "Nguyễn Minh An" and dossier.return_method == "online"
    handed = {c.component.code: c.is_digitised for c in dossier.components.select_related("component")}
    assert handed == {"GT1": True, "GT2": True}  # the e-form stands for the tờ khai
    assert "Mới đăng ký" in done.content.decode()


def test_submitting_with_a_broken_form_goes_back_to_the_review(citizen: Client) -> None:
    draft = first_page(citizen)
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/to-khai/", ANSWERS | {"tre.ho_ten": ""})
    page = send(citizen, draft.pk).content.decode()
    assert "Tờ khai còn thông tin cần sửa" in page and not Dossier.objects.exists()
