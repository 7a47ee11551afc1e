"""Stored Idempotency-Key answers hold personal data: erased after MOTCUA_IDEMPOTENCY_HOURS, and a late replay is
refused rather than run again as a new request."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from motcua.api.idempotency import purge_expired_answers
from motcua.api.models import IdempotencyRecord
from motcua.conftest import client_for
from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue

from .test_dossiers_api import FILING

pytestmark = pytest.mark.django_db
OFFICER = "mytho.motcua"


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_catalogue()
    cache.clear()


def file_at(hours_after: float, key: str = "k-1") -> tuple[int, str]:
    """Send the filing with this key some hours after Tuesday 9:00; return the status and code (dossier or problem)."""
    with clock.frozen(TUESDAY_9AM + timedelta(hours=hours_after)):
        response = client_for(OFFICER).post("/api/v1/dossiers", FILING, format="json", HTTP_IDEMPOTENCY_KEY=key)
    return response.status_code, response.json()["code"]


def test_an_answer_is_replayed_within_its_time_and_refused_after_even_before_the_purge() -> None:
    status, code = file_at(0)
    assert status == 201
    assert file_at(23.9) == (201, code)
    assert file_at(24) == (409, "idempotency_key_expired")
    assert Dossier.objects.count() == 1


def test_the_purge_erases_old_answers_keeps_the_key_and_a_replay_is_refused() -> None:
    assert file_at(0)[0] == 201
    assert file_at(20, key="k-2")[0] == 201
    with clock.frozen(TUESDAY_9AM + timedelta(hours=25)):
        assert purge_expired_answers() == (1, 0)
    erased = IdempotencyRecord.objects.get(key="k-1")
    assert erased.body is None and erased.fingerprint == ""
    assert "Bình" not in str(list(IdempotencyRecord.objects.filter(key="k-1").values()))
    assert "Bình" in str(IdempotencyRecord.objects.get(key="k-2").body)  # 5 hours old: kept
    assert file_at(26) == (409, "idempotency_key_expired")
    assert Dossier.objects.count() == 2


def test_a_key_is_forgotten_after_its_days_and_then_starts_a_new_request() -> None:
    assert file_at(0)[0] == 201
    with clock.frozen(TUESDAY_9AM + timedelta(days=30)):
        assert purge_expired_answers() == (0, 1)
    assert not IdempotencyRecord.objects.exists()
    assert file_at(30 * 24 + 1)[0] == 201
    assert Dossier.objects.count() == 2


@override_settings(MOTCUA_IDEMPOTENCY_HOURS=1)
def test_the_time_is_a_setting_and_the_command_reports_what_it_erased() -> None:
    assert file_at(0)[0] == 201
    out = StringIO()
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=61)):
        call_command("purge_expired", stdout=out)
    assert "Đã xóa 1 câu trả lời Idempotency-Key, quên 0 khóa cũ" in out.getvalue()
    assert file_at(1.1) == (409, "idempotency_key_expired")
