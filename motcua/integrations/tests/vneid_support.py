"""The VNeID simulator started for a test on a free port, with this installation's settings pointed at it."""

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client

from motcua.integrations.simulators.vneid import VneidSimulator
from motcua.notifications.models import OutgoingMessage

CALLBACK = "http://testserver/dang-nhap/vneid/ve/"
CLAIMS = {"citizen_id": "citizen_id", "full_name": "name", "phone": "phone_number", "email": "email"}


def point_settings_at(settings, base: str, claims: dict[str, str] = CLAIMS) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_VNEID_ISSUER = base
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/jwks"
    settings.OIDC_RP_CLIENT_ID = "motcua-test"
    settings.OIDC_RP_CLIENT_SECRET = "bi-mat-thu-nghiem"
    settings.OIDC_TIMEOUT = 3
    settings.MOTCUA_VNEID_CLAIMS = claims


class FakeMonotonic:
    """The simulator's clock for code lifetimes, moved by hand."""

    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


@pytest.fixture
def vneid(settings) -> Iterator[VneidSimulator]:  # type: ignore[no-untyped-def]
    cache.clear()  # the link codes are limited per account per hour in the shared store
    simulator = VneidSimulator(
        client_id="motcua-test", client_secret="bi-mat-thu-nghiem", redirect_uris=[CALLBACK], claims=CLAIMS,
        now=FakeMonotonic(),
    )  # fmt: skip
    point_settings_at(settings, simulator.start())
    yield simulator
    simulator.stop()


def begin(browser: Client, query: str = "") -> str:
    """Start a VNeID sign-in in the browser; return the provider's authorize address it is sent to."""
    response = browser.get(f"/dang-nhap/vneid/{query}")
    assert response.status_code == 302, response
    return str(response["Location"])


def pick(authorize_url: str, citizen_id: str, **extra: str) -> str:
    """Choose a test citizen on the simulator's page, over HTTP; return the callback path it sends back to."""
    parts = urlsplit(authorize_url)
    params = {name: values[0] for name, values in parse_qs(parts.query).items()}
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200, page.text
    chosen = requests.post(
        f"{parts.scheme}://{parts.netloc}/authorize",
        data=params | {"citizen": citizen_id} | extra,
        allow_redirects=False,
        timeout=5,
    )
    assert chosen.status_code == 302, chosen.text
    location = chosen.headers["Location"]
    assert location.startswith(CALLBACK), location
    return location.removeprefix("http://testserver")


def sign_in(browser: Client, citizen_id: str, query: str = "") -> "requests.Response | object":
    """The whole round trip: start, choose the citizen, come back; return the callback's response."""
    return browser.get(pick(begin(browser, query), citizen_id))


def sent_code(phone_or_email: str) -> str:
    """The six digits of the last link code sent to this contact."""
    message = OutgoingMessage.objects.filter(recipient=phone_or_email, reference__startswith="vneid-link:").last()
    assert message is not None, f"no link code sent to {phone_or_email}"
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found is not None
    return found.group(1)
