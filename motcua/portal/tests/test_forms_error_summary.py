"""Citizen forms follow the GOV.UK error pattern: a summary on top linking to each field, each message beside it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.tests import samples
from motcua.dossiers.models import Dossier, Draft
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.portal.tests.sending import send

pytestmark = pytest.mark.django_db
REGISTRATION = {
    "full_name": "Trần Thị Mai",
    "citizen_id": "087195004321",
    "phone": "0901234567",
    "email": "",
    "password": "mat-khau-rat-dai-2026",
    "password_again": "mat-khau-rat-dai-2026",
}
THIRTEEN_DIGITS = "Số định danh cá nhân có 12 chữ số; số đã nhập có 13 chữ số."
BAD_PHONE = "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0, ví dụ 0912345678."
WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý mật khẩu phân biệt chữ hoa, chữ thường."


def summary(html: str) -> list[tuple[str, str]]:
    """Return the error summary's (target id, message) links, in order."""
    found = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    assert found is not None, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', found.group(0))


def beside(html: str, field_id: str) -> str:
    """Return the message shown beside a field, without its visually hidden "Lỗi:" prefix."""
    found = re.search(rf'<p class="error-message" id="{field_id}_error">(.*?)</p>', html, re.S)
    assert found is not None, f"no message beside {field_id}"
    return re.sub(r'<span class="visually-hidden">[^<]*</span>\s*', "", found.group(1)).strip()


def input_tag(html: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|select)[^>]*id="{field_id}"[^>]*>', html)
    assert found is not None, f"no input {field_id}"
    return found.group(0)


def test_registration_errors_are_summarised_and_shown_once_beside_their_fields(client: Client) -> None:
    html = client.post("/dang-ky/", {**REGISTRATION, "citizen_id": "0871950043210", "phone": "12345"}).content.decode()
    assert '<h2 class="error-summary-title">Có lỗi cần sửa</h2>' in html
    assert summary(html) == [("id_citizen_id", THIRTEEN_DIGITS), ("id_phone", BAD_PHONE)]
    assert beside(html, "id_citizen_id") == THIRTEEN_DIGITS and beside(html, "id_phone") == BAD_PHONE
    assert html.count(THIRTEEN_DIGITS) == 2 and html.count(BAD_PHONE) == 2  # the summary's link and beside the field
    citizen_id = input_tag(html, "id_citizen_id")
    assert 'aria-invalid="true"' in citizen_id
    assert 'aria-describedby="id_citizen_id_helptext id_citizen_id_error"' in citizen_id
    assert 'id="id_citizen_id_helptext"' in html
    assert "aria-invalid" not in input_tag(html, "id_full_name")
    assert "<title>Lỗi: Đăng ký tài khoản — Cổng dịch vụ công tỉnh Đồng Tháp</title>" in html


def test_a_password_mismatch_is_shown_once_beside_the_second_password(client: Client) -> None:
    html = client.post("/dang-ky/", {**REGISTRATION, "password_again": "khac-han-2026"}).content.decode()
    assert summary(html) == [("id_password_again", "Hai mật khẩu không khớp.")]
    assert beside(html, "id_password_again") == "Hai mật khẩu không khớp."
    assert html.count("Hai mật khẩu không khớp.") == 2


def test_needing_a_phone_or_email_is_said_beside_the_phone(client: Client) -> None:
    html = client.post("/dang-ky/", {**REGISTRATION, "phone": "", "email": ""}).content.decode()
    message = "Cần ít nhất số điện thoại hoặc thư điện tử để đăng nhập."
    assert summary(html) == [("id_phone", message)] and beside(html, "id_phone") == message


def test_empty_required_fields_say_what_to_enter(client: Client) -> None:
    html = client.post("/dang-ky/", {}).content.decode()
    assert summary(html) == [
        ("id_full_name", "Nhập họ và tên."),
        ("id_citizen_id", "Nhập số định danh cá nhân."),
        ("id_phone", "Cần ít nhất số điện thoại hoặc thư điện tử để đăng nhập."),
        ("id_password", "Nhập mật khẩu."),
        ("id_password_again", "Nhập lại mật khẩu."),
    ]


def test_a_wrong_sign_in_is_said_once_in_the_summary_which_takes_the_focus(client: Client) -> None:
    html = client.post("/dang-nhap/", {"username": "stp.motcua", "password": "sai"}).content.decode()
    assert summary(html) == [("id_username", WRONG_LOGIN)]
    assert html.count(WRONG_LOGIN) == 1
    assert re.search(r'<div class="error-summary" tabindex="-1" autofocus data-error-summary>', html)
    assert "autofocus" not in input_tag(html, "id_username")  # the summary has the focus, not the first field
    assert "autofocus" in input_tag(client.get("/dang-nhap/").content.decode(), "id_username")


def test_empty_sign_in_says_what_to_enter(client: Client) -> None:
    html = client.post("/dang-nhap/", {"username": "", "password": ""}).content.decode()
    assert summary(html) == [
        ("id_username", "Nhập tên đăng nhập, số điện thoại hoặc thư điện tử."),
        ("id_password", "Nhập mật khẩu."),
    ]


def test_pages_without_errors_have_no_summary(client: Client) -> None:
    for url in ("/dang-ky/", "/dang-nhap/", "/quen-mat-khau/", "/quen-mat-khau/tin-nhan/"):
        html = client.get(url).content.decode()
        assert "error-summary" not in html.split("</head>")[1] and "<title>Lỗi" not in html, url


@pytest.fixture
def drafting(client: Client) -> Client:
    load_catalogue()
    client.force_login(user("0912345678"))
    return client


def _draft_with_papers(client: Client, **typed: str) -> Draft:
    client.get("/nop-ho-so/1.001193/")
    draft = Draft.objects.get()
    client.post(
        f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"receiving_unit": "28261.TTPVHCC", "commune": "28261", **typed}
    )
    for component in Component.objects.filter(case__version__procedure__code="1.001193"):
        url = f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{component.pk}/"
        client.post(url, {"tep": SimpleUploadedFile("a.pdf", samples.pdf())})
    return draft


def test_online_submission_errors_are_summarised_and_shown_beside_their_fields(drafting: Client) -> None:
    with clock.frozen(TUESDAY_9AM):
        draft = _draft_with_papers(drafting, citizen_id="0820900012345", phone="0912")
        html = send(drafting, draft.pk).content.decode()
    links = summary(html)
    assert ("citizen_id", THIRTEEN_DIGITS) in links and ("phone", BAD_PHONE) in links
    assert beside(html, "citizen_id") == THIRTEEN_DIGITS and beside(html, "phone") == BAD_PHONE
    tag = input_tag(html, "citizen_id")
    assert 'aria-invalid="true" aria-describedby="citizen_id_error"' in tag and 'value="0820900012345"' in tag
    assert 'maxlength="20"' in tag
    assert html.count(THIRTEEN_DIGITS) == 2 and "<title>Lỗi: Nộp hồ sơ trực tuyến" in html
    assert not Dossier.objects.exists()


def test_a_missing_receiving_unit_is_linked_to_its_list(drafting: Client) -> None:
    with clock.frozen(TUESDAY_9AM):
        drafting.get("/nop-ho-so/1.001193/")
        draft = Draft.objects.get()
        html = send(drafting, draft.pk).content.decode()
    assert summary(html) == [("receiving_unit", "Hãy chọn trường hợp và nơi nộp hồ sơ.")]
    assert 'aria-invalid="true"' in input_tag(html, "receiving_unit")
