"""API tokens: kept as a digest, they expire and end on sign-out and password change; no admin page shows them."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from motcua.api.models import TokenBinding
from motcua.api.tokens import purge_expired_tokens
from motcua.conftest import browser_for
from motcua.core import clock
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.tests.factories import TUESDAY_9AM
from motcua.organizations.models import User

pytestmark = pytest.mark.django_db
# The integration account: an administrator without a second factor on the API (units are its to change).
USERNAME = "quantri"


def obtain(api: APIClient, username: str = USERNAME, password: str = DEMO_PASSWORD) -> str:
    response = api.post("/api/v1/auth/token", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def units_with(token: str) -> tuple[int, str]:
    """Ask for something every token may read; return the status and the problem code (empty when answered)."""
    response = APIClient().get("/api/v1/units/82.SYT", HTTP_AUTHORIZATION=f"Token {token}")
    return response.status_code, response.json().get("code", "") if response.status_code >= 400 else ""


def test_the_answer_gives_the_expiry_and_only_a_digest_is_stored(api: APIClient) -> None:
    with clock.frozen(TUESDAY_9AM):
        response = api.post("/api/v1/auth/token", {"username": USERNAME, "password": DEMO_PASSWORD}, format="json")
    token = response.json()["token"]
    assert response.json()["expiry"] == (TUESDAY_9AM + timedelta(hours=12)).isoformat()
    stored = AuthToken.objects.get(user__username=USERNAME)
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    rows = [*AuthToken.objects.values().get().values(), *TokenBinding.objects.values().get().values()]
    assert all(token not in str(value) for value in rows)


def test_a_token_ends_after_its_lifetime(api: APIClient) -> None:
    with clock.frozen(TUESDAY_9AM):
        token = obtain(api)
    with clock.frozen(TUESDAY_9AM + timedelta(hours=11, minutes=59)):
        assert units_with(token) == (200, "")
    with clock.frozen(TUESDAY_9AM + timedelta(hours=12)):
        assert units_with(token) == (401, "token_expired")
    assert not AuthToken.objects.exists()  # an expired token is deleted when it is shown


@override_settings(MOTCUA_TOKEN_HOURS=1)
def test_the_lifetime_is_a_setting(api: APIClient) -> None:
    with clock.frozen(TUESDAY_9AM):
        token = obtain(api)
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=61)):
        assert units_with(token) == (401, "token_expired")


def test_a_password_change_revokes_every_token_obtained_before(api: APIClient) -> None:
    first, second = obtain(api), obtain(api)
    account = User.objects.get(username=USERNAME)
    account.set_password("Mat-khau-moi-2026!")
    account.save()
    assert units_with(first) == (401, "token_revoked")
    assert units_with(second) == (401, "token_revoked")
    assert not AuthToken.objects.exists()
    assert units_with(obtain(api, password="Mat-khau-moi-2026!")) == (200, "")


def test_logout_revokes_the_token_it_carries_and_only_that_one(api: APIClient) -> None:
    kept, revoked = obtain(api), obtain(api)
    response = APIClient().post("/api/v1/auth/logout", HTTP_AUTHORIZATION=f"Token {revoked}")
    assert response.status_code == 204
    assert units_with(revoked) == (401, "authentication_failed")
    assert units_with(kept) == (200, "")
    assert AuthToken.objects.count() == 1


def test_logout_without_a_token_is_refused(api: APIClient) -> None:
    response = api.post("/api/v1/auth/logout")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("header", ["Token tökén", "Token " + "a" * 200, "Token \t", "Token a b"])
def test_a_malformed_token_is_refused_without_a_server_error(header: str) -> None:
    response = APIClient().get("/api/v1/units/82.SYT", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_no_admin_page_lists_or_issues_tokens() -> None:
    assert not [model for model in admin.site._registry if "token" in model._meta.model_name.lower()]
    administrator = browser_for("quantri")
    for path in ("/quan-tri/authtoken/tokenproxy/", "/quan-tri/knox/authtoken/", "/quan-tri/api/tokenbinding/"):
        assert administrator.get(path).status_code == 404, path


def test_the_purge_deletes_expired_tokens_only(api: APIClient) -> None:
    with clock.frozen(TUESDAY_9AM):
        expired = obtain(api)
    with clock.frozen(TUESDAY_9AM + timedelta(hours=6)):
        live = obtain(api)
    with clock.frozen(TUESDAY_9AM + timedelta(hours=13)):
        assert purge_expired_tokens() == 1
        assert units_with(live) == (200, "")
        assert units_with(expired) == (401, "authentication_failed")
