"""Officials sign in with a TOTP code after the password; citizens may turn it on; API tokens need the code too."""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from motcua.core import clock
from motcua.demo.seed import DEMO_PASSWORD, DEMO_TOTP_KEY
from motcua.organizations.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_STAFF_OTP_REQUIRED = True


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    """Return the code an authenticator app holding `key_hex` shows now (or that many 30-second steps later)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _password(client: Client, username: str, next_url: str = "") -> str:
    response = client.post(f"/dang-nhap/{next_url}", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def test_an_official_is_asked_for_the_code_and_is_not_signed_in_before(client: Client) -> None:
    assert _password(client, "stp.motcua", "?next=/can-bo/tiep-nhan/") == "/dang-nhap/ma-xac-thuc/"
    assert "_auth_user_id" not in client.session
    assert client.get("/can-bo/")["Location"].startswith("/dang-nhap/")
    page = client.get("/dang-nhap/ma-xac-thuc/").content.decode()
    assert "Nhập mã xác thực" in page
    response = client.post("/dang-nhap/ma-xac-thuc/", {"code": code_for(DEMO_TOTP_KEY)})
    assert response["Location"] == "/can-bo/tiep-nhan/"
    assert client.get("/can-bo/").status_code == 200


def test_a_code_works_once(client: Client) -> None:
    code = code_for(DEMO_TOTP_KEY)
    _password(client, "stp.motcua")
    client.post("/dang-nhap/ma-xac-thuc/", {"code": code})
    other = Client()
    _password(other, "stp.motcua")
    response = other.post("/dang-nhap/ma-xac-thuc/", {"code": code})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert "_auth_user_id" not in other.session


def test_wrong_codes_count_toward_the_lockout(client: Client) -> None:
    _password(client, "stp.motcua")
    for _ in range(4):
        response = client.post("/dang-nhap/ma-xac-thuc/", {"code": "000000"}, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200
        TOTPDevice.objects.update(throttling_failure_count=0)  # django-otp's own slowdown is tested by django-otp
    response = client.post("/dang-nhap/ma-xac-thuc/", {"code": "000000"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    # The half-done sign-in is dropped, and the right password alone is refused for the cool-off.
    assert client.get("/dang-nhap/ma-xac-thuc/")["Location"] == "/dang-nhap/"
    locked = client.post("/dang-nhap/", {"username": "stp.motcua", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429


def test_the_code_step_expires(client: Client) -> None:
    _password(client, "stp.motcua")
    with clock.frozen(clock.now() + timedelta(minutes=6)):
        response = client.post("/dang-nhap/ma-xac-thuc/", {"code": code_for(DEMO_TOTP_KEY)})
    assert response["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in client.session


def test_an_official_without_a_device_sets_one_up_with_a_qr_code(client: Client) -> None:
    TOTPDevice.objects.filter(user__username="mytho.motcua").delete()
    assert _password(client, "mytho.motcua") == "/dang-nhap/cai-dat-xac-thuc/"
    page = client.get("/dang-nhap/cai-dat-xac-thuc/").content.decode()
    assert "<svg" in page
    key = re.search(r'data-testid="otp-key">([A-Z2-7 ]+)<', page).group(1)  # type: ignore[union-attr]
    assert client.get("/dang-nhap/cai-dat-xac-thuc/").content.decode().count(key) == 1  # same key on reload
    device = TOTPDevice.objects.get(user__username="mytho.motcua")
    assert not device.confirmed
    wrong = client.post("/dang-nhap/cai-dat-xac-thuc/", {"code": "123456"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0)
    response = client.post("/dang-nhap/cai-dat-xac-thuc/", {"code": code_for(device.key)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/can-bo/").status_code == 200


def test_a_staff_session_without_the_second_factor_is_closed(client: Client) -> None:
    client.force_login(User.objects.get(username="quantri"))  # e.g. through the admin's own password form
    response = client.get("/can-bo/")
    assert response["Location"].startswith("/dang-nhap/?next=/can-bo/")
    assert "_auth_user_id" not in client.session
    client.force_login(User.objects.get(username="quantri"))
    assert client.get("/quan-tri/")["Location"].startswith("/dang-nhap/")


def test_without_the_setting_officials_use_the_password_alone(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_STAFF_OTP_REQUIRED = False
    assert _password(client, "stp.motcua") == "/sau-dang-nhap/"
    assert client.get("/can-bo/").status_code == 200


def test_the_api_gives_officials_a_token_only_with_a_valid_code(api: APIClient) -> None:
    credentials = {"username": "quantri", "password": DEMO_PASSWORD}
    missing = api.post("/api/v1/auth/token", credentials, format="json")
    assert missing.status_code == 400
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["code"] == "invalid_otp"
    wrong = api.post("/api/v1/auth/token", {**credentials, "otp": "000000"}, format="json")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_otp")
    TOTPDevice.objects.update(throttling_failure_count=0)
    right = api.post("/api/v1/auth/token", {**credentials, "otp": code_for(DEMO_TOTP_KEY)}, format="json")
    assert right.status_code == 200
    assert right.json()["token"]


def test_the_api_tells_an_official_without_a_device_to_set_one_up(api: APIClient) -> None:
    TOTPDevice.objects.filter(user__username="quantri").delete()
    response = api.post("/api/v1/auth/token", {"username": "quantri", "password": DEMO_PASSWORD}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "second_factor_setup_required")


def test_a_citizen_signs_in_with_the_password_until_they_turn_the_code_on(client: Client, api: APIClient) -> None:
    assert _password(client, "0912345678") == "/sau-dang-nhap/"
    assert "Xác thực hai bước khi đăng nhập" in client.get("/ca-nhan/").content.decode()
    page = client.get("/ca-nhan/xac-thuc-hai-buoc/").content.decode()
    assert "Xác thực hai bước đang tắt" in page and "<svg" in page
    device = TOTPDevice.objects.get(user__phone="0912345678")
    assert client.post("/ca-nhan/xac-thuc-hai-buoc/", {"code": code_for(device.key)})["Location"] == "/ca-nhan/"
    client.post("/dang-xuat/")

    assert _password(client, "0912345678") == "/dang-nhap/ma-xac-thuc/"
    credentials = {"username": "0912345678", "password": DEMO_PASSWORD}
    assert api.post("/api/v1/auth/token", credentials, format="json").json()["code"] == "invalid_otp"
    TOTPDevice.objects.update(throttling_failure_count=0)
    # The code that turned it on cannot be used again: the next one, which the device also accepts, signs in.
    assert client.post("/dang-nhap/ma-xac-thuc/", {"code": code_for(device.key, 1)})["Location"] == "/sau-dang-nhap/"


def test_a_citizen_turns_the_code_off_with_a_current_code(client: Client) -> None:
    citizen = User.objects.get(phone="0912345678")
    device = TOTPDevice.objects.create(user=citizen, name="motcua", confirmed=True)
    client.force_login(citizen)
    assert "Xác thực hai bước đang bật" in client.get("/ca-nhan/xac-thuc-hai-buoc/").content.decode()
    assert client.post("/ca-nhan/xac-thuc-hai-buoc/", {"code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=citizen).exists()
    TOTPDevice.objects.update(throttling_failure_count=0)
    client.post("/ca-nhan/xac-thuc-hai-buoc/", {"code": code_for(device.key)})
    assert not TOTPDevice.objects.filter(user=citizen).exists()


def test_the_admin_removes_an_authenticator_but_never_sees_its_key(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_STAFF_OTP_REQUIRED = False  # this test is about the admin page, not the sign-in
    client.force_login(User.objects.get(username="quantri"))
    device = TOTPDevice.objects.get(user__username="stp.motcua")
    listing = client.get("/quan-tri/otp_totp/totpdevice/").content.decode()
    assert str(device.user) in listing
    pages = [listing] + [
        client.get(f"/quan-tri/otp_totp/totpdevice/{device.pk}/{view}/", follow=True).content.decode()
        for view in ("change", "config", "qrcode")  # django-otp's own admin shows the key and its QR code there
    ]
    for html in pages:
        assert DEMO_TOTP_KEY not in html and "GEZDGNBV" not in html and "otpauth" not in html
    client.post(f"/quan-tri/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
