"""Signing in with VNeID against the simulator over real HTTP: new accounts, linking by the ID, refusals.

Each refusal is checked for what it leaves behind: nobody signed in, no account made or linked, no code sent.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from mozilla_django_oidc.utils import generate_code_challenge

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.tests import samples
from motcua.dossiers.models import Dossier, Draft
from motcua.dossiers.national import sync_record
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.integrations.simulators.vneid import CODE_SECONDS, VneidSimulator
from motcua.integrations.tests.vneid_support import (
    CALLBACK,
    begin,
    pick,
    point_settings_at,
    sent_code,
    sign_in,
    vneid,
)
from motcua.integrations.vneid import BACKEND
from motcua.notifications.models import OutgoingMessage
from motcua.organizations.models import User, UserKind
from motcua.organizations.onetime_codes import MAX_FAILED_TRIES
from motcua.portal.tests.sending import send

pytestmark = pytest.mark.django_db
__all__ = ["vneid"]  # the fixture, used by name

NEW_ID = "082195007890"  # Lê Thị Hoa in the simulator: no account yet
DEMO_ID = "082090001234"  # Nguyễn Văn Dân, the demo citizen with a password account (0912345678)


def signed_in(browser: Client) -> User | None:
    user_id = browser.session.get(SESSION_KEY)
    return User.objects.filter(pk=user_id).first() if user_id else None


def refused(response, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert response.status_code == status, page
    assert f"Mã lỗi: {code}" in page and "Chưa đăng nhập được bằng VNeID" in page


def test_the_request_carries_state_nonce_and_an_s256_challenge_of_a_verifier_kept_in_the_session(
    client: Client, vneid: VneidSimulator
) -> None:
    asked = {k: v[0] for k, v in parse_qs(urlsplit(begin(client)).query).items()}
    assert asked["code_challenge_method"] == "S256" and asked["redirect_uri"] == CALLBACK
    assert asked["scope"] == "openid profile" and asked["client_id"] == "motcua-test"
    kept = client.session["oidc_states"][asked["state"]]
    assert kept["nonce"] == asked["nonce"] and len(asked["state"]) >= 32
    assert generate_code_challenge(kept["code_verifier"], "S256") == asked["code_challenge"]


def test_a_new_id_makes_a_verified_citizen_account_without_a_password(client: Client, vneid: VneidSimulator) -> None:
    before = User.objects.count()
    response = sign_in(client, NEW_ID)
    assert response.status_code == 302 and response["Location"] == "/sau-dang-nhap/"
    account = User.objects.get(citizen_id=NEW_ID)
    assert User.objects.count() == before + 1 and signed_in(client) == account
    assert (account.kind, account.full_name, account.phone, account.email) == (
        UserKind.CITIZEN, "Lê Thị Hoa", "0903555777", "lethihoa@example.vn",
    )  # fmt: skip
    assert account.vneid_verified_at is not None and account.vneid_subject and not account.has_usable_password()
    assert client.session["_auth_user_backend"] == BACKEND
    assert client.get("/ca-nhan/").status_code == 200
    # Signing in again opens the same account.
    client.logout()
    assert sign_in(client, NEW_ID).status_code == 302 and signed_in(client) == account
    assert User.objects.count() == before + 1


def test_an_existing_account_is_linked_only_once_its_holder_enters_the_code(
    client: Client, vneid: VneidSimulator
) -> None:
    holder = user("0912345678")
    response = sign_in(client, DEMO_ID, "?next=/nop-ho-so/1.001193/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/vneid/lien-ket/"
    page = client.get("/dang-nhap/vneid/lien-ket/").content.decode()
    assert "••••678" in page and "0912345678" not in page
    assert signed_in(client) is None and User.objects.get(pk=holder.pk).vneid_verified_at is None
    code = sent_code("0912345678")
    wrong = client.post("/dang-nhap/vneid/lien-ket/", {"code": "000000" if code != "000000" else "111111"})
    assert "Mã xác nhận không đúng hoặc đã hết hạn." in wrong.content.decode()
    assert signed_in(client) is None and User.objects.get(pk=holder.pk).vneid_verified_at is None
    right = client.post("/dang-nhap/vneid/lien-ket/", {"code": code})
    assert right.status_code == 302 and right["Location"] == "/nop-ho-so/1.001193/"
    holder.refresh_from_db()
    assert signed_in(client) == holder and holder.vneid_verified_at is not None
    assert client.session["_auth_user_backend"] == BACKEND
    # From now on VNeID opens it at once, without another code.
    client.logout()
    sent = OutgoingMessage.objects.count()
    assert sign_in(client, DEMO_ID)["Location"] == "/sau-dang-nhap/" and signed_in(client) == holder
    assert OutgoingMessage.objects.count() == sent


def test_the_link_code_expires_and_locks_after_wrong_tries(client: Client, vneid: VneidSimulator) -> None:
    holder = user("0912345678")
    with clock.frozen(TUESDAY_9AM):  # the tries are counted in windows of the same clock
        sign_in(client, DEMO_ID)
        code = sent_code("0912345678")
        wrong = "999999" if code != "999999" else "888888"
        with clock.frozen(TUESDAY_9AM + timedelta(minutes=11)):
            late = client.post("/dang-nhap/vneid/lien-ket/", {"code": code})
        assert "đã hết hạn" in late.content.decode() and signed_in(client) is None
        for _ in range(MAX_FAILED_TRIES - 1):
            client.post("/dang-nhap/vneid/lien-ket/", {"code": wrong})
        locked = client.post("/dang-nhap/vneid/lien-ket/", {"code": code})
    refused(locked, 400, "code_locked")
    assert signed_in(client) is None and User.objects.get(pk=holder.pk).vneid_verified_at is None
    assert client.get("/dang-nhap/vneid/lien-ket/")["Location"] == "/dang-nhap/"  # the ticket is gone


def test_officials_never_sign_in_through_vneid(client: Client, vneid: VneidSimulator) -> None:
    official = user("mytho.motcua")
    official.citizen_id = "001088012345"  # Phạm Quốc Bảo in the simulator
    official.save(update_fields=["citizen_id"])
    sent = OutgoingMessage.objects.count()
    refused(sign_in(client, "001088012345"), 403, "not_permitted")
    official.refresh_from_db()
    assert signed_in(client) is None and official.vneid_verified_at is None
    assert OutgoingMessage.objects.count() == sent


def test_a_session_ends_when_its_account_is_no_longer_a_linked_active_citizen(
    client: Client, vneid: VneidSimulator
) -> None:
    sign_in(client, NEW_ID)
    assert client.get("/ca-nhan/").status_code == 200
    User.objects.filter(citizen_id=NEW_ID).update(kind=UserKind.STAFF)
    assert client.get("/ca-nhan/")["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("tampered", "vneid_token_invalid"),
        ("wrong_nonce", "vneid_token_invalid"),
        ("wrong_audience", "vneid_token_invalid"),
        ("wrong_issuer", "vneid_token_invalid"),
        ("expired", "vneid_token_invalid"),
        ("unknown_key", "vneid_token_invalid"),
        ("alg_none", "vneid_token_invalid"),
        ("hs256", "vneid_token_invalid"),
        ("other_subject", "vneid_token_invalid"),
        ("no_citizen_id", "vneid_claims_invalid"),
    ],
)
def test_a_bad_id_token_or_claims_sign_nobody_in(client: Client, vneid: VneidSimulator, fault: str, code: str) -> None:
    before = User.objects.count()
    vneid.misbehave(fault)
    refused(sign_in(client, NEW_ID), 400, code)
    assert signed_in(client) is None and User.objects.count() == before


def test_an_expired_or_replayed_callback_is_refused(client: Client, vneid: VneidSimulator) -> None:
    callback = pick(begin(client), NEW_ID)
    vneid.now.at += CODE_SECONDS + 1  # type: ignore[attr-defined]
    refused(client.get(callback), 400, "vneid_code_invalid")
    refused(client.get(callback), 400, "vneid_state_invalid")  # the state was spent by the first try
    assert signed_in(client) is None and not User.objects.filter(citizen_id=NEW_ID).exists()


def test_a_callback_brought_to_another_browser_is_refused_before_the_code_is_used(vneid: VneidSimulator) -> None:
    callback = pick(begin(Client()), NEW_ID)
    other = Client()
    refused(other.get(callback), 400, "vneid_state_invalid")
    assert signed_in(other) is None
    assert not any(grant.used for grant in vneid.handed.codes.values())


def test_declining_on_vneid_is_said_plainly(client: Client, vneid: VneidSimulator) -> None:
    callback = pick(begin(client), NEW_ID, deny="1")
    assert "error=access_denied" in callback
    refused(client.get(callback), 400, "vneid_cancelled")
    assert client.get("/dang-nhap/vneid/ve/")["Location"] == "/dang-nhap/"  # nothing under way


@pytest.mark.parametrize(("mode", "status", "code"), [
    ("down", 503, "vneid_unavailable"),
    ("error", 503, "vneid_unavailable"),
    ("throttle", 503, "vneid_unavailable"),
    ("reject", 400, "vneid_code_invalid"),
])  # fmt: skip
def test_a_provider_that_fails_at_the_token_step_gets_a_page_not_a_server_error(
    client: Client, vneid: VneidSimulator, mode: str, status: int, code: str
) -> None:
    callback = pick(begin(client), NEW_ID)
    vneid.control(mode, seconds=60)
    refused(client.get(callback), status, code)
    assert signed_in(client) is None and not User.objects.filter(citizen_id=NEW_ID).exists()


def test_a_provider_that_hangs_is_given_up_after_the_timeout(client: Client, vneid: VneidSimulator, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OIDC_TIMEOUT = 0.5
    callback = pick(begin(client), NEW_ID)
    vneid.control("timeout", seconds=60, delay=3)
    refused(client.get(callback), 503, "vneid_unavailable")


def test_claim_names_come_from_configuration(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    renamed = {"citizen_id": "so_dinh_danh", "full_name": "ho_va_ten", "phone": "so_dien_thoai", "email": "thu"}
    simulator = VneidSimulator(
        client_id="motcua-test", client_secret="bi-mat-thu-nghiem", redirect_uris=[CALLBACK], claims=renamed
    )
    base = simulator.start()
    try:
        point_settings_at(settings, base)  # the relying party still reads the default names
        refused(sign_in(client, NEW_ID), 400, "vneid_claims_invalid")
        point_settings_at(settings, base, renamed)
        assert sign_in(client, NEW_ID).status_code == 302
        assert signed_in(client) == User.objects.get(citizen_id=NEW_ID, full_name="Lê Thị Hoa")
    finally:
        simulator.stop()


def test_an_unsafe_next_address_is_not_followed(client: Client, vneid: VneidSimulator) -> None:
    response = sign_in(client, NEW_ID, "?next=https://ke-gian.example/")
    assert response["Location"] == "/sau-dang-nhap/"


def test_the_sign_in_page_offers_vneid_unless_it_is_turned_off(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/dang-nhap/vneid/"' in client.get("/dang-nhap/").content.decode()
    settings.MOTCUA_VNEID_ENABLED = False
    assert "/dang-nhap/vneid/" not in client.get("/dang-nhap/").content.decode()
    assert client.get("/dang-nhap/vneid/").status_code == 404


def _file_online(browser: Client) -> Dossier:
    browser.get("/nop-ho-so/1.001193/")
    draft = Draft.objects.get()
    browser.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"receiving_unit": "28261.TTPVHCC", "commune": "28261"})
    for component in Component.objects.filter(case__version__procedure__code="1.001193").order_by("position"):
        url = f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{component.pk}/"
        browser.post(url, {"tep": SimpleUploadedFile("a.pdf", samples.pdf())})
    send(browser, draft.pk)
    assert not Draft.objects.exists()  # submitted
    return Dossier.objects.latest("pk")


def test_a_dossier_filed_in_a_vneid_session_is_marked_for_dvcqg_and_one_filed_after_a_password_is_not(
    client: Client, vneid: VneidSimulator
) -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        sign_in(client, DEMO_ID)
        client.post("/dang-nhap/vneid/lien-ket/", {"code": sent_code("0912345678")})
        filed = _file_online(client)
    assert filed.is_vneid_verified and sync_record(filed)["TaiKhoanDuocXacThucVoiVNeID"] is True
    # The same account, now linked, in a session opened by its password: that filing is not through VNeID.
    by_password = Client()
    by_password.force_login(user("0912345678"), backend="motcua.organizations.auth.PhoneEmailOrUsernameBackend")
    with clock.frozen(TUESDAY_9AM):
        again = _file_online(by_password)
    assert again.pk != filed.pk and user("0912345678").vneid_verified_at is not None
    assert not again.is_vneid_verified and sync_record(again)["TaiKhoanDuocXacThucVoiVNeID"] is False
