"""Registration tells nobody which ID number, phone or e-mail has an account; an account opens only with the code."""

import re

import pytest
from django.test import Client

from motcua.notifications.models import OutgoingMessage
from motcua.organizations.models import User

pytestmark = pytest.mark.django_db

NEW = {
    "full_name": "Trần Thị Mai",
    "citizen_id": "087195004321",
    "phone": "0901234567",
    "email": "",
    "password": "mat-khau-rat-dai-2026",
    "password_again": "mat-khau-rat-dai-2026",
}
# The demo citizen holds 082090001234, 0912345678 and congdan@example.vn: each registration beside one that is new.
HELD_AND_NEW = [
    ({"citizen_id": "082090001234"}, {}),
    ({"citizen_id": "082 090 001 234"}, {}),
    ({"phone": "0912345678"}, {"phone": "0912345670"}),
    ({"phone": "", "email": "CongDan@example.vn"}, {"phone": "", "email": "ai.do@example.vn"}),
]


def _code_sent_to(recipient: str) -> str:
    message = OutgoingMessage.objects.get(recipient=recipient, reference="registration-code")
    return re.search(r"\b([0-9]{6})\b", message.body).group(1)  # type: ignore[union-attr]


def _answer_shape(form: dict[str, str]) -> tuple[int, str, str]:
    """Return what a visitor sees after registering: status, where they are sent and the page there.

    The page is read without its CSRF token and with the phone or e-mail the visitor typed written as "…".
    """
    client = Client()
    response = client.post("/dang-ky/", form)
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r"[A-Za-z0-9]{64}", "", page)
    return response.status_code, response["Location"], page.replace(form["phone"] or form["email"].lower(), "…")


def test_a_new_registration_opens_the_account_only_with_the_code(client: Client) -> None:
    response = client.post("/dang-ky/", NEW)
    assert response["Location"] == "/dang-ky/xac-nhan/"
    assert not User.objects.filter(citizen_id="087195004321").exists()
    assert "_auth_user_id" not in client.session
    page = client.get("/dang-ky/xac-nhan/").content.decode()
    assert "Chúng tôi đã gửi mã xác nhận gồm 6 chữ số tới 0901234567" in page

    code = _code_sent_to("0901234567")
    wrong = "000000" if code != "000000" else "111111"
    assert "Mã xác nhận không đúng" in client.post("/dang-ky/xac-nhan/", {"code": wrong}).content.decode()
    assert not User.objects.filter(citizen_id="087195004321").exists()

    response = client.post("/dang-ky/xac-nhan/", {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == "/ca-nhan/"
    user = User.objects.get(citizen_id="087195004321")
    assert (user.username, user.phone, user.is_active) == ("0901234567", "0901234567", True)
    assert user.check_password("mat-khau-rat-dai-2026")


def test_without_a_phone_the_code_goes_by_e_mail(client: Client) -> None:
    client.post("/dang-ky/", {**NEW, "phone": "", "email": "Mai.Tran@example.vn"})
    code = _code_sent_to("mai.tran@example.vn")
    client.post("/dang-ky/xac-nhan/", {"code": code})
    assert User.objects.get(citizen_id="087195004321").username == "mai.tran@example.vn"


@pytest.mark.parametrize(("held", "new"), HELD_AND_NEW)
def test_identifiers_already_held_get_the_same_answer_and_the_holder_is_told(held: dict, new: dict) -> None:
    before = User.objects.count()
    assert _answer_shape({**NEW, **held}) == _answer_shape({**NEW, **new})
    notices = OutgoingMessage.objects.filter(reference__startswith="registration-attempt:")
    assert [(m.recipient, m.channel) for m in notices] == [("0912345678", "sms")]
    assert "Bạn đã có tài khoản" in notices.get().body
    assert User.objects.count() == before  # the new one waits for its code


def test_no_code_opens_an_account_from_identifiers_already_held(client: Client) -> None:
    before = User.objects.count()
    client.post("/dang-ky/", {**NEW, "citizen_id": "082090001234"})
    assert not OutgoingMessage.objects.filter(reference="registration-code").exists()
    for code in ("000000", "123456", "999999"):
        response = client.post("/dang-ky/xac-nhan/", {"code": code})
        assert "Mã xác nhận không đúng" in response.content.decode()
    assert User.objects.count() == before


def test_the_code_page_is_locked_after_five_wrong_codes(client: Client) -> None:
    client.post("/dang-ky/", NEW)
    code = _code_sent_to("0901234567")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/dang-ky/xac-nhan/", {"code": wrong})
    html = client.post("/dang-ky/xac-nhan/", {"code": code}).content.decode()
    assert "Đã nhập sai mã quá nhiều lần" in html
    assert not User.objects.filter(citizen_id="087195004321").exists()


def test_registrations_are_limited_per_client(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_REGISTRATIONS_PER_HOUR = 3
    for number in range(3):
        response = client.post("/dang-ky/", {**NEW, "phone": f"090123450{number}"}, REMOTE_ADDR="10.1.1.1")
        assert response.status_code == 302
    refused = client.post("/dang-ky/", {**NEW, "phone": "0901234509"}, REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429
    assert "Có quá nhiều lượt đăng ký từ máy của bạn" in refused.content.decode()
    assert not OutgoingMessage.objects.filter(recipient="0901234509").exists()
    other = client.post("/dang-ky/", {**NEW, "phone": "0901234509"}, REMOTE_ADDR="10.1.1.2")
    assert other.status_code == 302


def test_codes_to_one_number_are_limited_whether_or_not_it_is_held(client: Client) -> None:
    for phone in ("0901234567", "0912345678"):
        for number in range(3):
            response = client.post("/dang-ky/", {**NEW, "phone": phone}, REMOTE_ADDR=f"10.2.{number}.1")
            assert response.status_code == 302
        refused = client.post("/dang-ky/", {**NEW, "phone": phone}, REMOTE_ADDR="10.2.9.1").content.decode()
        assert "lần trong một giờ" in refused


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Mat-khau-cua-toi-087195004321", "Mật khẩu không được chứa số định danh cá nhân của bạn."),
        ("087-195-004-321-la-so-cua-toi", "Mật khẩu không được chứa số định danh cá nhân của bạn."),
        ("Mat-khau-cua-toi-la-0901234567", "Mật khẩu không được chứa số điện thoại của bạn."),
        ("so-toi-+84901234567-nho-nhe", "Mật khẩu không được chứa số điện thoại của bạn."),
    ],
)
def test_a_password_holding_the_id_number_or_phone_is_refused(client: Client, password: str, message: str) -> None:
    response = client.post("/dang-ky/", {**NEW, "password": password, "password_again": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OutgoingMessage.objects.exists()


def test_concurrent_wrong_codes_share_the_five_tries(client: Client) -> None:
    """Requests sent together each read the ticket before any of them writes it back: each saw no wrong try yet.

    Replayed here by putting the session back as it was before every wrong code; the tries are counted in the shared
    store, so the sixth code is refused even when it is right.
    """
    client.post("/dang-ky/", NEW)
    code = _code_sent_to("0901234567")
    wrong = "000000" if code != "000000" else "111111"
    as_sent = dict(client.session)
    for _ in range(5):
        session = client.session
        session.update(as_sent)
        session.save()
        assert "Mã xác nhận không đúng" in client.post("/dang-ky/xac-nhan/", {"code": wrong}).content.decode()
    session = client.session
    session.update(as_sent)
    session.save()
    assert "Đã nhập sai mã quá nhiều lần" in client.post("/dang-ky/xac-nhan/", {"code": code}).content.decode()
    assert not User.objects.filter(citizen_id="087195004321").exists()
