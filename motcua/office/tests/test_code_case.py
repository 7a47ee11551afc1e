"""Dossier codes are stored upper-case and accepted in any case: public tracking, the API, the office page."""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from motcua.conftest import client_for
from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, receive, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(db: None) -> Dossier:
    cache.clear()  # the tracking throttles count per address and per code
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        return receive()


def test_tracking_page_and_api_take_a_lower_case_code(dossier: Dossier) -> None:
    typed = f" {dossier.code.lower()} "
    page = Client().get(f"/tra-cuu/{dossier.code.lower()}/", {"k": dossier.tracking_secret})
    assert page.status_code == 200 and "Được tiếp nhận" in page.content.decode()
    by_form = Client().get("/tra-cuu/", {"ma": typed, "k": dossier.tracking_secret}).content.decode()
    assert "Được tiếp nhận" in by_form
    answer = APIClient().get(f"/api/v1/tracking/{dossier.code.lower()}", {"secret": dossier.tracking_secret})
    assert answer.status_code == 200 and answer.json()["code"] == dossier.code
    by_phone = APIClient().get(f"/api/v1/tracking/{dossier.code.lower()}", {"phone": dossier.applicant_phone[-4:]})
    assert by_phone.status_code == 200
    wrong = APIClient().get(f"/api/v1/tracking/{dossier.code.lower()}", {"secret": "sai"})
    assert wrong.status_code == 404


def test_office_page_and_api_find_a_lower_case_code(dossier: Dossier) -> None:
    client = Client()
    client.force_login(user("mytho.motcua"))
    assert client.get(f"/can-bo/ho-so/{dossier.code.lower()}/").status_code == 200
    assert client_for("mytho.motcua").get(f"/api/v1/dossiers/{dossier.code.lower()}").json()["code"] == dossier.code
    # Another unit still sees nothing, in whatever case the code is typed.
    other = Client()
    other.force_login(user("stp.motcua"))
    assert other.get(f"/can-bo/ho-so/{dossier.code.lower()}/").status_code == 404
