"""Fixtures shared by every app's tests: the demo province loaded once, and one client per role."""

import os
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from motcua.api.tokens import issue_token
from motcua.catalogue.selectors import terms_of
from motcua.core import clock
from motcua.demo.seed import seed
from motcua.organizations.models import User
from motcua.signing.dossier_results import forget_register_answers

# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the real units, calendar and demo accounts once; tests run in rolled-back transactions on top of them.

    The demo catalogue is left out so that catalogue tests start from a known, empty catalogue.
    """
    with django_db_blocker.unblock():
        seed(catalogue=False)


@pytest.fixture(autouse=True)
def _no_kept_catalogue_terms() -> None:
    """A rolled-back test frees its row numbers on SQLite, so the terms one test kept must not reach the next."""
    terms_of.cache_clear()
    forget_register_answers()


@pytest.fixture(autouse=True)
def _wall_clock_after_each_test() -> Iterator[None]:
    """A clock pinned in several threads at once may be left pinned (`clock.reset`): no test inherits it."""
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test() -> Iterator[None]:
    """A request in English leaves English active in the thread ; the next test starts in Vietnamese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


TEST_TOKEN_LIFETIME = timedelta(days=100 * 366)


def client_for(username: str | None) -> APIClient:
    client = APIClient()
    if username is not None:
        user = User.objects.get(username=username)
        # A token for the whole test, however far the test moves the clock; expiry has its own tests.
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user, lifetime=TEST_TOKEN_LIFETIME)[1]}")
    return client


def browser_for(username: str | None) -> Client:
    """A browser signed in as this person (a session, as the pages use), or anonymous for None."""
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


# The role matrix: who is asking. Usernames come from the demo seed.
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",
    "officer_other_unit": "mytho.motcua",
    "officer_of_unit": "stp.motcua",
    "leader": "stp.lanhdao",
    "admin": "quantri",
}


@pytest.fixture(params=list(ROLES))
def role_client(request: pytest.FixtureRequest, db: None) -> tuple[str, APIClient]:
    return request.param, client_for(ROLES[request.param])


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Drive Debian's Chromium; Playwright's own browser downloads cannot work offline."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }
