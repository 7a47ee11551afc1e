"""The national portal's account hands dossiers over and does nothing else: every other API write refuses it.

The world and the requests are the access matrix's (motcua/core/tests/test_access_matrix.py): the same objects, the
same bodies, the same watch over the domain tables.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from rest_framework.test import APIClient

from motcua.api.tokens import issue_token
from motcua.conftest import TEST_TOKEN_LIFETIME
from motcua.core import clock
from motcua.core.tests.access_matrix import MATRIX, Access
from motcua.core.tests.test_access_matrix import ASKED_AT, ROUTES, World, ask, build_world, snapshot
from motcua.organizations.models import User

pytestmark = pytest.mark.django_db
# Its own operation, and signing in and out (the token endpoint takes no token; logout gives the token up).
OWN = {"api:national-dossiers", "api:token", "api:logout"}
WRITES = [
    (key, method)
    for key, entry in MATRIX.items()
    if key.startswith("api:") and key not in OWN and key in ROUTES
    for method, access in entry.items()
    # The payment platform's callback takes no account at all: its signature is what it is judged by.
    if method != "GET" and access is not Access.PLATFORM
]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize(("key", "method"), WRITES, ids=[f"{k} {m}" for k, m in WRITES])
def test_the_channel_account_may_write_nothing_else(world: World, key: str, method: str) -> None:
    channel = APIClient()
    token = issue_token(User.objects.get(username="dvcqg"), lifetime=TEST_TOKEN_LIFETIME)[1]
    channel.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    cache.clear()
    with clock.frozen(ASKED_AT):
        before = snapshot(world)
        response = ask(channel, ROUTES[key], method, "national_channel", world)
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied"), response.content
        assert snapshot(world) == before


def test_every_api_write_is_asked() -> None:
    assert {"api:dossiers", "api:dossier-action", "api:procedures-import", "api:unit-list"} <= {k for k, _ in WRITES}


def test_the_channel_account_gives_its_token_up() -> None:
    channel = APIClient()
    channel.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(User.objects.get(username='dvcqg'))[1]}")
    assert channel.post("/api/v1/auth/logout").status_code == 204
    assert channel.post("/api/v1/auth/logout").status_code == 401


def test_the_channel_account_has_no_back_office_pages() -> None:
    from motcua.conftest import browser_for

    browser = browser_for("dvcqg")
    assert browser.get("/can-bo/").status_code == 403
    assert browser.get("/can-bo/tiep-nhan/").status_code == 403
