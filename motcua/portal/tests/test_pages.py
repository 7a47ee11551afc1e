import re

import pytest
from django.test import Client

from motcua.demo.seed import DEMO_PASSWORD
from motcua.notifications.models import OutgoingMessage
from motcua.organizations.models import User, UserKind

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_and_accessible(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Cổng dịch vụ công" in html and "Tỉnh Đồng Tháp" in html
    assert 'href="#noi-dung"' in html and 'id="noi-dung"' in html
    assert "/static/motcua/vendor/htmx-2.0.11.min.js" in html


def test_english_is_available(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Public service portal" in html
    assert "Log in" in html


def test_health_check(client: Client) -> None:
    assert client.get("/healthz").content == b"ok"


REGISTRATION = {
    "full_name": "Trần Thị Mai",
    "citizen_id": "087195004321",
    "phone": "0901234567",
    "email": "",
    "password": "mat-khau-rat-dai-2026",
    "password_again": "mat-khau-rat-dai-2026",
}


def test_a_citizen_registers_and_lands_on_their_account(client: Client) -> None:
    client.post("/dang-ky/", REGISTRATION)
    sms = OutgoingMessage.objects.get(recipient="0901234567", reference="registration-code")
    code = re.search(r"[0-9]{6}", sms.body).group(0)  # type: ignore[union-attr]
    response = client.post("/dang-ky/xac-nhan/", {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == "/ca-nhan/"
    user = User.objects.get(citizen_id="087195004321")
    assert (user.kind, user.username, user.phone) == (UserKind.CITIZEN, "0901234567", "0901234567")
    assert "Trần Thị Mai" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"citizen_id": "87195004321"}, "Số định danh cá nhân có 12 chữ số; số đã nhập có 11 chữ số."),
        ({"citizen_id": "003195004321"}, "không phải mã tỉnh"),
        ({"phone": "12345"}, "10 chữ số"),
        ({"phone": "", "email": ""}, "Cần ít nhất số điện thoại hoặc thư điện tử"),
        ({"password_again": "khac"}, "Hai mật khẩu không khớp"),
        ({"password": "12345678", "password_again": "12345678"}, "Mật khẩu này quá phổ biến"),
    ],
)
def test_bad_registrations_explain_why_and_keep_what_was_typed(
    client: Client, change: dict[str, str], message: str
) -> None:
    before = User.objects.count()
    response = client.post("/dang-ky/", {**REGISTRATION, **change})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Trần Thị Mai"' in html
    assert User.objects.count() == before


def test_citizen_and_officer_are_sent_to_their_homes_after_login(client: Client) -> None:
    response = client.post("/dang-nhap/", {"username": "congdan@example.vn", "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/ca-nhan/"
    client.post("/dang-xuat/")
    response = client.post("/dang-nhap/", {"username": "stp.motcua", "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/can-bo/"


def test_wrong_password_gets_a_vietnamese_error(client: Client) -> None:
    response = client.post("/dang-nhap/", {"username": "stp.motcua", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_calendar_page_explains_off_days_with_their_basis(client: Client) -> None:
    html = client.get("/lich-lam-viec/", {"nam": 2026}).content.decode()
    assert "Lịch làm việc năm 2026" in html
    assert "10/01/2026" in html and "Ngày làm bù" in html and "12729/VPCP-KGVX" in html
    assert "07:00–11:30, 13:30–17:00" in html
    assert "Năm 1990 chưa có trong bảng lịch" in client.get("/lich-lam-viec/", {"nam": 1990}).content.decode()
    assert client.get("/lich-lam-viec/", {"nam": "abc"}).status_code == 200
