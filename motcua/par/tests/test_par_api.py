"""The PAR API: hostile input answers 400 in Vietnamese, never 500; a refused write changes nothing."""

import pytest

from motcua.conftest import client_for
from motcua.core import clock
from motcua.par.models import Event, Item

from .world import DURING, LEADER, REFORM_OFFICER, SPECIALIST, UNIT, open_round

pytestmark = pytest.mark.django_db


def _url(round_id: int, tail: str) -> str:
    return f"/api/v1/par/rounds/{round_id}/units/{UNIT}/{tail}"


@pytest.mark.parametrize(
    "body",
    [
        {"value": "co\x00", "explanation": "x"},
        {"value": "x" * 100_000},
        {"value": "60", "explanation": "y" * 100_000},
        {"value": ["60"]},
        {"value": {"a": 1}},
        {"value": "31/02/2026", "explanation": "x"},
        {"value": "1e400", "explanation": "x"},
        {},
    ],
)
def test_hostile_item_edits_are_refused_with_400(body: dict[str, object]) -> None:
    assessment = open_round()
    with clock.frozen(DURING):
        answer = client_for(SPECIALIST).patch(_url(assessment.round_id, "items/1.1.2"), body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"].startswith("application/problem+json")
    assert not Event.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize("username", [None, "0912345678", "mytho.lanhdao", "quantri", "stp.motcua"])
def test_refused_people_change_nothing(username: str | None) -> None:
    assessment = open_round()
    with clock.frozen(DURING):
        client = client_for(username)
        answer = client.patch(_url(assessment.round_id, "items/1.1.1"), {"value": "co", "explanation": "x"},
                              format="json")  # fmt: skip
        approve = client.post(_url(assessment.round_id, "actions/approve"), {}, format="json")
    allowed = username == "stp.motcua"  # the unit's one-stop officer enters items; he does not approve
    assert answer.status_code == (200 if allowed else 401 if username is None else 404 if username != "0912345678"
                                  else 403)  # fmt: skip
    assert approve.status_code in (401, 403, 404, 409)
    assert Item.objects.get(assessment=assessment, sub_criterion__code="1.1.1").value == ("co" if allowed else "")


def test_the_flow_over_the_api() -> None:
    assessment = open_round()
    with clock.frozen(DURING):
        for code, value in (("1.1.1", "co"), ("1.1.2", "80")):
            body = {"value": value, "explanation": "Báo cáo"}
            answer = client_for(SPECIALIST).patch(_url(assessment.round_id, f"items/{code}"), body, format="json")
            assert answer.status_code == 200, answer.content
        refused = client_for(SPECIALIST).post(_url(assessment.round_id, "actions/approve"), {}, format="json")
        assert refused.status_code == 409 and "lãnh đạo" in refused.json()["detail"]
        assert client_for(LEADER).post(_url(assessment.round_id, "actions/approve"), {}).status_code == 200
        assert client_for(LEADER).post(_url(assessment.round_id, "actions/submit"), {}).status_code == 200
        office = client_for(REFORM_OFFICER)
        appraisal = {"code": "1.1.2", "points": "1", "comment": "Thiếu minh chứng"}
        answer = office.post(_url(assessment.round_id, "actions/appraise"), appraisal, format="json")
        assert answer.status_code == 200, answer.content
        ranking = office.get(f"/api/v1/par/rounds/{assessment.round_id}/ranking")
    assert ranking.status_code == 200 and ranking.json()[0]["unit"] == UNIT
    read = client_for(LEADER).get(_url(assessment.round_id, ""))
    assert read.status_code == 404  # trailing slash: no such address
