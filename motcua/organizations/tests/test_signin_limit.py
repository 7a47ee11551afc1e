"""The brute-force limit: wrong passwords lock the account and the address for a while, on the page and the API."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient

from motcua.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOCKED = "Đăng nhập sai quá nhiều lần"


def _fail_on_page(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        client.post("/dang-nhap/", {"username": username, "password": "sai-mat-khau"}, REMOTE_ADDR=address)


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client: Client) -> None:
    _fail_on_page(client, "congdan@example.vn", 30)
    response = client.post(
        "/dang-nhap/", {"username": "congdan@example.vn", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session


def test_the_limit_counts_per_account_whatever_name_or_address_is_used(client: Client) -> None:
    for number, login in enumerate(
        ["0912345678", "0912 345 678", "congdan@example.vn", "CONGDAN@example.vn", "0912345678"]
    ):
        _fail_on_page(client, login, 1, address=f"10.0.1.{number}")
    response = client.post(
        "/dang-nhap/", {"username": "0912345678", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.2.1"
    )
    assert response.status_code == 429


def test_the_limit_counts_per_address_across_accounts(client: Client) -> None:
    for name in ["a1", "a2", "a3", "a4", "a5"]:
        _fail_on_page(client, name, 1)
    response = client.post(
        "/dang-nhap/", {"username": "stp.motcua", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    other = client.post("/dang-nhap/", {"username": "stp.motcua", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_four_wrong_passwords_still_let_the_right_one_in(client: Client) -> None:
    _fail_on_page(client, "stp.motcua", 4)
    response = client.post(
        "/dang-nhap/", {"username": "stp.motcua", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(client: Client) -> None:
    _fail_on_page(client, "stp.motcua", 5)
    # The attempts live in the database, shared by every server: move them 16 minutes back.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    response = client.post(
        "/dang-nhap/", {"username": "stp.motcua", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_failures_are_logged_with_account_address_and_time(client: Client) -> None:
    _fail_on_page(client, "0912 345 678", 2, address="203.0.113.7")
    rows = list(AccessFailureLog.objects.values_list("username", "ip_address", "attempt_time"))
    assert [(username, address) for username, address, _ in rows] == [("0912345678", "203.0.113.7")] * 2
    assert all(at is not None for *_, at in rows)


def test_the_limit_is_configurable(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 2
    _fail_on_page(client, "stp.motcua", 2)
    response = client.post(
        "/dang-nhap/", {"username": "stp.motcua", "password": DEMO_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429


def test_the_api_locks_out_with_a_problem(api: APIClient) -> None:
    for _ in range(30):
        api.post(
            "/api/v1/auth/token", {"username": "quantri", "password": "sai"}, format="json", REMOTE_ADDR="10.9.0.1"
        )
    response = api.post(
        "/api/v1/auth/token", {"username": "quantri", "password": DEMO_PASSWORD}, format="json", REMOTE_ADDR="10.9.0.1"
    )
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"]) == (429, "locked_out")
    assert LOCKED in body["detail"]
    assert "token" not in body


def test_page_and_api_count_together(client: Client, api: APIClient) -> None:
    _fail_on_page(client, "quantri", 3)
    for _ in range(2):
        api.post(
            "/api/v1/auth/token", {"username": "quantri", "password": "sai"}, format="json", REMOTE_ADDR="10.0.0.9"
        )
    response = api.post(
        "/api/v1/auth/token", {"username": "quantri", "password": DEMO_PASSWORD}, format="json", REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429


def test_the_admin_login_page_sends_to_the_portal_sign_in(client: Client) -> None:
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=/quan-tri/")
