"""Citizens recover their password by an e-mailed link or an SMS code; neither tells who has an account."""

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from motcua.core import clock
from motcua.demo.seed import DEMO_PASSWORD
from motcua.notifications.models import OutgoingMessage
from motcua.notifications.sms import LogOnlySms
from motcua.organizations.models import PasswordResetCode, User

pytestmark = pytest.mark.django_db
Capture = Callable[..., AbstractContextManager[Any]]
NEW = "Song-Tien-mua-lu-2026"
ENTER = "/quen-mat-khau/tin-nhan/nhap-ma/"
WRONG = "Mã xác nhận không đúng hoặc đã hết hạn. Mỗi mã chỉ được nhập sai 5 lần."
LOCKED = "Đã nhập sai mã 5 lần nên mã này không còn dùng được. Hãy yêu cầu mã mới."


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    LogOnlySms.clear()
    with clock.frozen(clock.now()):  # rate-limit windows are whole minutes and hours: no test may straddle two
        yield
    LogOnlySms.clear()


def officer_with(phone: str = "0909000111", email: str = "stp@example.vn") -> User:
    User.objects.filter(username="stp.motcua").update(phone=phone, email=email)
    return User.objects.get(username="stp.motcua")


# By e-mail


def test_reset_by_email_end_to_end(client: Client, django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/quen-mat-khau/", {"email": "CongDan@Example.vn"}, follow=True)
    assert response.redirect_chain[-1][0] == "/quen-mat-khau/da-gui/"
    assert "Hãy kiểm tra thư điện tử" in response.content.decode()
    [sent] = mail.outbox
    assert sent.to == ["congdan@example.vn"] and sent.subject == "Đặt lại mật khẩu tài khoản Cổng dịch vụ công"
    assert "Xin chào Nguyễn Văn Dân," in sent.body and "Liên kết chỉ dùng được một lần, trong 60 phút." in sent.body
    assert OutgoingMessage.objects.get().reference.startswith("password-reset:")  # kept on record in the outbox
    found = re.search(r"http://127\.0\.0\.1:8000(/quen-mat-khau/dat-lai/\S+/)", sent.body)
    assert found is not None, sent.body
    form = client.get(found.group(1), follow=True)
    assert "<h1>Đặt mật khẩu mới</h1>" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == "/quen-mat-khau/xong/" and "Đã đặt mật khẩu mới" in done.content.decode()
    assert authenticate(None, username="0912345678", password=NEW) is not None
    assert authenticate(None, username="0912345678", password=DEMO_PASSWORD) is None
    again = client.get(found.group(1), follow=True).content.decode()
    assert "Liên kết không còn dùng được" in again  # a link works once


def test_the_link_is_built_on_the_public_address_not_the_host_header(
    client: Client, django_capture_on_commit_callbacks: Capture, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.dongthap.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/quen-mat-khau/", {"email": "congdan@example.vn"}, HTTP_HOST="ke-gian.example")
    [sent] = mail.outbox
    assert "https://dichvucong.dongthap.gov.vn/quen-mat-khau/dat-lai/" in sent.body and "ke-gian" not in sent.body


@pytest.mark.parametrize("email", ["khong-ai@example.vn", "stp@example.vn"])
def test_unknown_addresses_and_officials_get_the_same_page_and_no_mail(
    client: Client, django_capture_on_commit_callbacks: Capture, email: str
) -> None:
    officer_with()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/quen-mat-khau/", {"email": email}, follow=True)
    assert response.redirect_chain[-1][0] == "/quen-mat-khau/da-gui/"
    assert mail.outbox == [] and not OutgoingMessage.objects.exists()


def test_an_officials_reset_link_is_refused(client: Client) -> None:
    officer = officer_with()
    uid = urlsafe_base64_encode(force_bytes(officer.pk))
    url = f"/quen-mat-khau/dat-lai/{uid}/{default_token_generator.make_token(officer)}/"
    html = client.get(url, follow=True).content.decode()
    assert "Liên kết không còn dùng được" in html and "new_password1" not in html


def test_an_address_gets_a_few_links_an_hour_and_the_page_does_not_change(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pages = [client.post("/quen-mat-khau/", {"email": "congdan@example.vn"}) for _ in range(5)]
    assert [page["Location"] for page in pages] == ["/quen-mat-khau/da-gui/"] * 5
    assert len(mail.outbox) == 3


# By SMS


def _request_code(client: Client, capture: Capture, phone: str = "0912345678") -> str:
    """Ask for a code; return the code the citizen's phone received, or "" when none was sent."""
    before = len(LogOnlySms.outbox)
    with capture(execute=True):
        response = client.post("/quen-mat-khau/tin-nhan/", {"phone": phone})
    assert response.status_code == 302 and response["Location"] == ENTER
    sent = LogOnlySms.outbox[before:]
    if not sent:
        return ""
    found = re.search(r"\b(\d{6})\b", sent[-1].body)
    assert found is not None
    return found.group(1)


def _enter(client: Client, code: str, password: str = NEW) -> Any:
    return client.post(ENTER, {"code": code, "new_password1": password, "new_password2": password}, follow=True)


def test_reset_by_sms_code_end_to_end(client: Client, django_capture_on_commit_callbacks: Capture) -> None:
    code = _request_code(client, django_capture_on_commit_callbacks, "0912 345 678")
    [sms] = LogOnlySms.outbox
    assert sms.phone == "0912345678" and sms.body == (
        f"Mã đặt lại mật khẩu Cổng dịch vụ công: {code}. Mã dùng được 10 phút. Không đưa mã này cho bất kỳ ai."
    )
    stored = PasswordResetCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # an HMAC, never the code
    assert (stored.expires_at - stored.created_at) == timedelta(minutes=10)
    page = client.get(ENTER).content.decode()
    assert "Nếu số 0912345678 đã đăng ký tài khoản công dân" in page
    done = _enter(client, code)
    assert done.redirect_chain[-1][0] == "/dang-nhap/"
    assert "Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới." in done.content.decode()
    assert authenticate(None, username="0912345678", password=NEW) is not None
    assert not PasswordResetCode.objects.exists()  # used once
    assert client.get(ENTER)["Location"] == "/quen-mat-khau/tin-nhan/"


def test_the_code_page_looks_the_same_for_an_unknown_phone(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    def page_for(phone: str) -> str:
        browser = Client()
        assert (_request_code(browser, django_capture_on_commit_callbacks, phone) == "") == (phone != "0912345678")
        html = browser.get(ENTER).content.decode().replace(phone, "SỐ")
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)

    assert page_for("0912345678") == page_for("0987000111")
    assert len(LogOnlySms.outbox) == 1 and PasswordResetCode.objects.count() == 1
    unknown = Client()
    _request_code(unknown, django_capture_on_commit_callbacks, "0987000111")
    answers = [re.findall(r'id="id_code_error">.*?</span>\s*([^<]+)', _enter(unknown, "123456").content.decode())]
    answers += [re.findall(r'id="id_code_error">.*?</span>\s*([^<]+)', _enter(unknown, "123456").content.decode())]
    assert answers == [[WRONG], [WRONG]]


def test_five_wrong_codes_lock_the_code(client: Client, django_capture_on_commit_callbacks: Capture) -> None:
    code = _request_code(client, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        assert WRONG in _enter(client, wrong).content.decode()
    assert LOCKED in _enter(client, wrong).content.decode()
    assert LOCKED in _enter(client, code).content.decode()  # the right code no longer works either
    assert PasswordResetCode.objects.get().failed_tries == 5
    assert authenticate(None, username="0912345678", password=DEMO_PASSWORD) is not None


def test_an_unknown_phone_is_locked_after_five_tries_too(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _request_code(client, django_capture_on_commit_callbacks, "0987000111")
    answers = [_enter(client, "123456").content.decode() for _ in range(5)]
    assert [WRONG in a for a in answers] == [True] * 4 + [False] and LOCKED in answers[-1]


def test_an_expired_code_is_refused(client: Client, django_capture_on_commit_callbacks: Capture) -> None:
    code = _request_code(client, django_capture_on_commit_callbacks)
    with clock.frozen(clock.now() + timedelta(minutes=10, seconds=1)):
        assert WRONG in _enter(client, code).content.decode()
    assert authenticate(None, username="0912345678", password=DEMO_PASSWORD) is not None


def test_a_new_code_replaces_the_previous_one(client: Client, django_capture_on_commit_callbacks: Capture) -> None:
    first = _request_code(client, django_capture_on_commit_callbacks)
    second = _request_code(client, django_capture_on_commit_callbacks)
    assert PasswordResetCode.objects.count() == 1
    if first != second:  # one chance in a million that they are the same
        assert WRONG in _enter(client, first).content.decode()
    assert _enter(client, second).redirect_chain[-1][0] == "/dang-nhap/"


def test_an_official_gets_no_code_and_the_same_answer(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    officer_with(phone="0909000111")
    assert _request_code(client, django_capture_on_commit_callbacks, "0909000111") == ""
    assert LogOnlySms.outbox == [] and not PasswordResetCode.objects.exists()
    assert WRONG in _enter(client, "123456").content.decode()
    assert authenticate(None, username="stp.motcua", password=DEMO_PASSWORD) is not None


@pytest.mark.parametrize("phone", ["0912345678", "0987000111"])
def test_a_phone_gets_three_codes_an_hour_whether_or_not_it_has_an_account(
    client: Client, django_capture_on_commit_callbacks: Capture, phone: str
) -> None:
    for _ in range(3):
        _request_code(client, django_capture_on_commit_callbacks, phone)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post("/quen-mat-khau/tin-nhan/", {"phone": phone})
    assert refused.status_code == 200
    assert "Số điện thoại này đã được yêu cầu mã 3 lần trong một giờ; hãy thử lại sau." in refused.content.decode()
    assert len(LogOnlySms.outbox) == (3 if phone == "0912345678" else 0)


def test_an_address_is_slowed_down_across_phones(client: Client) -> None:
    statuses = [client.post("/quen-mat-khau/tin-nhan/", {"phone": f"09870001{n:02d}"}).status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    html = client.post("/quen-mat-khau/tin-nhan/", {"phone": "0987000199"}).content.decode()
    assert "Có quá nhiều yêu cầu từ máy của bạn. Hãy đợi một phút rồi thử lại." in html


def test_sign_in_page_links_to_both_ways(client: Client) -> None:
    html = client.get("/dang-nhap/").content.decode()
    assert 'href="/quen-mat-khau/tin-nhan/"' in html and 'href="/quen-mat-khau/"' in html
