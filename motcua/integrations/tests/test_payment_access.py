"""Who reaches the payment pages, every role asked (the access matrix has no province monitor among its roles):
the applicant pays, the province monitor reads the reconciliation, everyone else is refused and nothing changes."""

from typing import Any

import pytest
from django.test import Client

from motcua.conftest import client_for
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import user
from motcua.integrations.models import PaymentOrder
from motcua.integrations.payment.services import start_payment
from motcua.integrations.simulators.payment import PaymentSimulator
from motcua.organizations.models import User, UserKind

from .payment_world import callback_for, filed_online, load_paying_catalogue, platform

__all__ = ["platform"]
pytestmark = pytest.mark.django_db
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",  # the applicant
    "other_citizen": "0987654321",
    "officer_other_unit": "stp.motcua",
    "officer_of_unit": "mytho.motcua",  # the receiving centre's one-stop officer
    "leader": "mytho.lanhdao",  # chairman of the competent committee
    "province_monitor": "giamsat",
    "admin": "quantri",
}


@pytest.fixture(autouse=True)
def _other_citizen() -> None:
    User.objects.create_user("0987654321", kind=UserKind.CITIZEN, phone="0987654321")


@pytest.fixture
def dossier() -> Dossier:
    load_paying_catalogue()
    return filed_online()


def _browser(role: str) -> Client:
    browser = Client()
    if ROLES[role] is not None:
        browser.force_login(user(str(ROLES[role])))
    return browser


def _refused(role: str, answer: Any) -> bool:
    if role == "anonymous":
        return answer.status_code == 302 and answer["Location"].startswith("/dang-nhap/?next=")
    return answer.status_code in {403, 404}


def _unchanged(dossier: Dossier) -> tuple[object, ...]:
    return (PaymentOrder.objects.count(), DossierEvent.objects.filter(dossier=dossier).count())


@pytest.mark.parametrize("role", ROLES)
def test_only_the_applicant_pays(role: str, dossier: Dossier, platform: PaymentSimulator) -> None:
    browser, url = _browser(role), f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/"
    before = _unchanged(dossier)
    page, sent = browser.get(url), browser.post(url)
    back = browser.get(url + "ket-qua/?don=TT1")
    if role == "citizen":
        assert page.status_code == 200 and "8.000 đ" in page.content.decode()
        assert sent.status_code == 302 and sent["Location"].startswith(platform_url(platform))
        assert PaymentOrder.objects.count() == 1 and back.status_code == 302
        return
    assert _refused(role, page) and _refused(role, sent) and _refused(role, back), role
    assert _unchanged(dossier) == before


def platform_url(simulator: PaymentSimulator) -> str:
    assert simulator.server is not None
    return f"http://127.0.0.1:{simulator.server.server_address[1]}/pay?order="


@pytest.mark.parametrize("role", ROLES)
def test_only_the_province_monitor_reads_the_reconciliation(role: str) -> None:
    answer = _browser(role).get("/can-bo/doi-soat-thanh-toan/")
    if role == "province_monitor":
        assert answer.status_code == 200 and "Đối soát thanh toán trực tuyến" in answer.content.decode()
    else:
        assert _refused(role, answer), role


@pytest.mark.parametrize("role", ROLES)
def test_no_account_makes_a_callback_count(role: str, dossier: Dossier, platform: PaymentSimulator) -> None:
    """An account proves nothing about the platform: a forged callback is refused whoever sends it."""
    order = start_payment(dossier, user("0912345678"))
    before = _unchanged(dossier), PaymentOrder.objects.get().status
    forged = callback_for(order) | {"signature": "0" * 64}
    answer = client_for(ROLES[role]).post("/api/v1/payments/callback", forged, format="json")
    assert answer.status_code == 403 and answer.json()["code"] == "payment_signature_invalid"
    assert (_unchanged(dossier), PaymentOrder.objects.get().status) == before
