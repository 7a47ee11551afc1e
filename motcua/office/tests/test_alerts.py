"""The alert page: the province monitor sees every unit's overdue and D-1 dossiers, a leader their own units'."""

import re
from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from motcua.conftest import ROLES, browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.processing_factories import file, load_processing_catalogue, started
from motcua.organizations.models import Membership, Position, Role, Unit, User, UserKind, position_label

pytestmark = pytest.mark.django_db
BIRTH = "1.001193"  # one working day: filed Tuesday 10/03 09:00, due Wednesday 11/03 09:00
TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
THURSDAY = datetime(2026, 3, 12, 9, 0, tzinfo=VIETNAM)
NOW = datetime(2026, 3, 12, 10, 0, tzinfo=VIETNAM)


def _counter_officer(username: str, unit: str) -> str:
    """Give another ward's service centre a one-stop officer, as its admin would."""
    person, _ = User.objects.get_or_create(username=username, defaults={"kind": UserKind.STAFF})
    Membership.objects.create(
        user=person,
        unit=Unit.objects.get(code=unit),
        role=Role.ONE_STOP_OFFICER,
        position=Position.ONE_STOP_OFFICER,
        valid_from=date(2025, 7, 1),
    )
    return username


@pytest.fixture
def alerts() -> Iterator[dict[str, list[Dossier]]]:
    """Mỹ Tho: three overdue (one being processed) and one D-1; Sa Đéc: one overdue. The watch has run."""
    load_processing_catalogue()
    sadec = _counter_officer("sadec.motcua", "29905.TTPVHCC")
    with clock.frozen(TUESDAY):
        mytho = [started(BIRTH, officer="mytho.motcua", at="28261.TTPVHCC")]
        mytho += [file(BIRTH, officer="mytho.motcua", at="28261.TTPVHCC") for _ in range(2)]
        others = [file(BIRTH, officer=sadec, at="29905.TTPVHCC", commune="29905")]
    with clock.frozen(THURSDAY):
        apology = file(BIRTH, officer="mytho.motcua", at="28261.TTPVHCC")  # due Friday 09:00: D-1 today
    with clock.frozen(NOW):
        call_command("deadlines", stdout=StringIO())
        yield {"mytho": mytho, "apology": [apology], "sadec": others}


def _summary(html: str) -> list[tuple[str, int, int]]:
    rows = re.findall(
        r'<tr data-unit="([^"]+)"[^>]*>.*?data-count="overdue">([\d.]+)</td>.*?data-count="apology">([\d.]+)</td>',
        html,
        re.S,
    )
    return [(unit, int(overdue), int(apology)) for unit, overdue, apology in rows]


def test_the_monitor_sees_every_units_alerts_worst_first(alerts: dict[str, list[Dossier]]) -> None:
    html = browser_for("giamsat").get("/can-bo/canh-bao/").content.decode()
    assert _summary(html) == [("28261.UBND", 3, 1), ("29905.UBND", 1, 0)]
    listed = re.search(r'<table class="data queue" id="canh-bao">.*?</table>', html, re.S)
    assert listed is not None
    assert all(d.code in listed.group() for group in alerts.values() for d in group)
    assert html.index('id="theo-don-vi"') < html.index('id="canh-bao"')  # the summary on top, then the list
    assert "Đánh giá không hài lòng" not in html  # reviewing ratings is the unit leader's


def test_a_unit_link_filters_the_list_to_that_unit(alerts: dict[str, list[Dossier]]) -> None:
    html = browser_for("giamsat").get("/can-bo/canh-bao/", {"don-vi": "29905.UBND"}).content.decode()
    listed = re.search(r'id="canh-bao">.*?</table>', html, re.S)
    assert listed is not None
    assert alerts["sadec"][0].code in listed.group()
    assert not [d.code for d in alerts["mytho"] + alerts["apology"] if d.code in listed.group()]
    assert len(_summary(html)) == 2  # the summary still shows every unit


def test_a_leader_sees_only_the_units_they_lead(alerts: dict[str, list[Dossier]]) -> None:
    html = browser_for("mytho.lanhdao").get("/can-bo/canh-bao/").content.decode()
    assert _summary(html) == [("28261.UBND", 3, 1)]
    assert alerts["sadec"][0].code not in html
    assert all(d.code in html for d in alerts["mytho"] + alerts["apology"])
    other = browser_for("stp.lanhdao").get("/can-bo/canh-bao/").content.decode()
    assert _summary(other) == [] and not [d for g in alerts.values() for d in g if d.code in other]


EXPECTED = {"anonymous": 302, "citizen": 403, "officer_other_unit": 403, "officer_of_unit": 403, "leader": 200,
            "admin": 200}  # fmt: skip


@pytest.mark.parametrize("role", list(ROLES))
def test_who_may_open_the_alert_page(role: str, alerts: dict[str, list[Dossier]]) -> None:
    response = browser_for(ROLES[role]).get("/can-bo/canh-bao/")
    assert response.status_code == EXPECTED[role]
    if response.status_code == 403:
        assert not [d for g in alerts.values() for d in g if d.code in response.content.decode()]


def test_the_step_holding_a_dossier_is_shown_with_its_position_by_name(alerts: dict[str, list[Dossier]]) -> None:
    html = browser_for("mytho.lanhdao").get("/can-bo/canh-bao/").content.decode()
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{alerts['mytho'][0].code}.*?</tr>", html, re.S)
    assert row is not None and "1. Tiếp nhận" in row.group() and "(Công chức một cửa)" in row.group()
    assert "cong_chuc_mot_cua" not in html


def test_position_names_in_both_languages() -> None:
    assert position_label("cong_chuc_mot_cua") == "Công chức một cửa"
    assert position_label("pho_chu_tich") == "Phó Chủ tịch"
    assert position_label("") == ""
    with translation.override("en"):
        assert position_label("cong_chuc_mot_cua") == "One-stop officer"
        assert position_label("chu_tich") == "Chairperson"


def test_the_alert_page_costs_the_same_queries_whatever_the_units_and_dossiers(
    alerts: dict[str, list[Dossier]], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = browser_for("giamsat")
    client.get("/can-bo/canh-bao/")
    with CaptureQueriesContext(connection) as few:
        client.get("/can-bo/canh-bao/")
    caibe = _counter_officer("caibe.motcua", "28360.TTPVHCC")
    with clock.frozen(TUESDAY):
        started(BIRTH, officer="sadec.motcua", at="29905.TTPVHCC")  # decided at Mỹ Tho, where the applicant lives
        for _ in range(3):
            file(BIRTH, officer=caibe, at="28360.TTPVHCC", commune="28360")
    with django_assert_max_num_queries(len(few)):
        html = client.get("/can-bo/canh-bao/").content.decode()
    assert _summary(html) == [("28261.UBND", 4, 1), ("28360.UBND", 3, 0), ("29905.UBND", 1, 0)]
    assert len(few) <= 10
