"""Every message a refused password can bring, on registration and on both ways of resetting, is in Vietnamese."""

import re

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from motcua.organizations import recovery
from motcua.organizations.models import PasswordResetCode, User
from motcua.organizations.services import register_citizen

pytestmark = pytest.mark.django_db
# Digits far from the numeric passwords below, so that each is refused for one reason only.
REGISTRATION = {
    "full_name": "Trần Thị Mai",
    "citizen_id": "096099000000",
    "phone": "0977777777",
    "email": "mai.tran@example.vn",
}
# Each refused password with exactly what the citizen is told, first field then second.
REFUSED = [
    ("Ab1!", "Ab1!", ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]),
    ("12345678", "12345678", ["Mật khẩu này quá phổ biến, dễ bị đoán.", "Mật khẩu không được chỉ gồm chữ số."]),
    ("73920581647", "73920581647", ["Mật khẩu không được chỉ gồm chữ số."]),
    ("mat-khau-rat-dai-2026", "mat-khau-khac-2026", ["Hai mật khẩu không khớp."]),
    ("", "", ["Nhập mật khẩu.", "Nhập lại mật khẩu."]),
]
# Refused for resembling what the account holds; the registration form knows it before the account exists.
SIMILAR = [
    ("Trần Thị Mai", "Mật khẩu quá giống họ và tên của bạn."),
    ("0977777777x", "Mật khẩu quá giống số điện thoại của bạn."),
    ("mai.tran@example", "Mật khẩu quá giống địa chỉ thư điện tử của bạn."),
    ("096099000000ab", "Mật khẩu quá giống số định danh cá nhân của bạn."),
]


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


@pytest.fixture
def mai() -> User:
    """The citizen of REGISTRATION, registered, for the reset pages."""
    fields = {k: v for k, v in REGISTRATION.items()}
    return register_citizen(**fields, password="mat-khau-cu-rat-dai-2025")


def errors_in(html: str) -> list[str]:
    """Return the messages of the page's error summary."""
    found = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', found.group(0)) if found else []


def is_vietnamese(message: str) -> bool:
    # Every Vietnamese sentence here carries at least one letter outside ASCII; an English one carries none.
    return not message.isascii()


@pytest.mark.parametrize(("password", "again", "expected"), REFUSED)
def test_registration_tells_why_a_password_is_refused_in_vietnamese(
    client: Client, password: str, again: str, expected: list[str]
) -> None:
    html = client.post("/dang-ky/", {**REGISTRATION, "password": password, "password_again": again}).content
    assert errors_in(html.decode()) == expected


@pytest.mark.parametrize(("password", "expected"), SIMILAR)
def test_registration_refuses_passwords_like_the_citizens_own_details(
    client: Client, password: str, expected: str
) -> None:
    html = client.post("/dang-ky/", {**REGISTRATION, "password": password, "password_again": password}).content
    assert errors_in(html.decode()) == [expected]


def _reset_link_page(client: Client, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(f"/quen-mat-khau/dat-lai/{uid}/{default_token_generator.make_token(user)}/", follow=True)
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(("password", "again", "expected"), REFUSED)
def test_the_email_reset_tells_why_in_vietnamese(
    client: Client, mai: User, password: str, again: str, expected: list[str]
) -> None:
    url = _reset_link_page(client, mai)
    html = client.post(url, {"new_password1": password, "new_password2": again}).content.decode()
    assert errors_in(html) == expected


@pytest.mark.parametrize(("password", "expected"), SIMILAR)
def test_the_email_reset_refuses_passwords_like_the_citizens_own_details(
    client: Client, mai: User, password: str, expected: str
) -> None:
    url = _reset_link_page(client, mai)
    html = client.post(url, {"new_password1": password, "new_password2": password}).content.decode()
    assert errors_in(html) == [expected]


@pytest.mark.parametrize(("password", "again", "expected"), REFUSED)
def test_the_sms_reset_tells_why_in_vietnamese(
    client: Client, mai: User, password: str, again: str, expected: list[str]
) -> None:
    client.post("/quen-mat-khau/tin-nhan/", {"phone": mai.phone})
    html = client.post(
        "/quen-mat-khau/tin-nhan/nhap-ma/", {"code": "123456", "new_password1": password, "new_password2": again}
    ).content.decode()
    assert errors_in(html) == expected


@pytest.mark.parametrize(("password", "expected"), SIMILAR)
def test_the_sms_reset_refuses_passwords_like_the_citizens_own_details_without_spending_a_try(
    client: Client, mai: User, password: str, expected: str
) -> None:
    client.post("/quen-mat-khau/tin-nhan/", {"phone": mai.phone})
    entry = PasswordResetCode.objects.get()
    entry.code_hash = recovery._digest(entry.user, "654321")  # a code the test knows
    entry.save()
    page = "/quen-mat-khau/tin-nhan/nhap-ma/"
    html = client.post(page, {"code": "654321", "new_password1": password, "new_password2": password}).content
    assert errors_in(html.decode()) == [expected]
    assert PasswordResetCode.objects.get().failed_tries == 0


def test_no_password_rule_or_auth_form_message_is_left_in_english() -> None:
    """Check Django's own strings, in case a validator or form is used outside the pages above."""
    user = User(full_name="Trần Thị Mai", phone="0901234567", email="mai@example.vn", citizen_id="087195004321")
    with translation.override("vi"):
        messages = list(password_validation.password_validators_help_texts())
        for password in ("Ab1!", "12345678", "password", "0901234567x", "Trần Thị Mai"):
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                messages += error.messages
        messages += [str(m) for m in SetPasswordForm.error_messages.values()]
        messages += [str(m) for m in AuthenticationForm.error_messages.values()]
        for name in ("new_password1", "new_password2"):
            field = SetPasswordForm.base_fields[name]
            messages += [str(field.label), str(field.help_text)]
    english = [message for message in messages if not is_vietnamese(message)]
    assert english == [] and len(messages) > 10
