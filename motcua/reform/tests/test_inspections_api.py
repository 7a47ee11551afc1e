"""The inspections API: who reads and acts, each refusal with nothing changed, and hostile input answered with a
Vietnamese 400 (run on PostgreSQL too)."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.core import clock
from motcua.organizations.models import Role, User
from motcua.reform.models import Finding, Inspection, InspectionEvent

from .inspections_world import chair, commune_inspection, inspector, plan_2026, staff, vn

pytestmark = pytest.mark.django_db


def client(user: User | None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def state(inspection: Inspection) -> tuple[Any, ...]:
    return (
        Inspection.objects.filter(pk=inspection.pk).values().get(),
        InspectionEvent.objects.count(),
        Finding.objects.count(),
    )


def test_the_role_matrix_and_nothing_changes_on_refusal() -> None:
    inspection = commune_inspection(plan_2026())
    url = f"/api/v1/inspections/{inspection.pk}"
    roles: dict[str, tuple[User | None, int, int]] = {  # who: (account, read, start)
        "anonymous": (None, 401, 401),
        "officer of another unit": (User.objects.get(username="stp.motcua"), 404, 404),
        "officer of the centre": (User.objects.get(username="mytho.motcua"), 404, 404),
        "leader of the unit": (User.objects.get(username="mytho.lanhdao"), 200, 403),
        "admin": (User.objects.get(username="quantri"), 404, 404),
        "tracker": (staff("vp.theodoi", "82.VP", Role.DIRECTIVE_TRACKER), 404, 404),
        "monitor": (staff("tinh.giamsat", "82.UBND", Role.PROVINCE_MONITOR), 200, 403),
    }
    before = state(inspection)
    with clock.frozen(vn(2026, 4, 14)):
        for who, (account, read, start) in roles.items():
            assert client(account).get(url).status_code == read, who
            assert client(account).post(f"{url}/actions/start", {}, format="json").status_code == start, who
        assert state(inspection) == before
        answer = client(inspector()).post(f"{url}/actions/start", {}, format="json")
    assert answer.status_code == 200
    assert answer.json()["status"] == 2
    assert {a["action"]: a["allowed"] for a in answer.json()["actions"]} == {
        "self-report": False,
        "add-finding": True,
        "conclude": False,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"text": "a\x00b", "content_item": "tthc"},
        {"text": "x" * 100_000, "content_item": "tthc"},
        {"text": ["danh", "sách"], "content_item": "tthc"},
        {"text": "Trễ hạn", "content_item": "khong-co"},
        {"text": "Trễ hạn", "content_item": "tthc", "dossiers": "không phải danh sách"},
        {"text": "Trễ hạn", "content_item": "tthc", "dossiers": ["KHONG-CO-HO-SO"]},
        {"conclusion_number": "1/TB", "conclusion_on": "31/02/2026"},
    ],
)
def test_hostile_input_is_a_vietnamese_400_and_nothing_changes(body: dict[str, Any]) -> None:
    inspection = commune_inspection(plan_2026())
    with clock.frozen(vn(2026, 4, 14)):
        client(inspector()).post(f"/api/v1/inspections/{inspection.pk}/actions/start", {}, format="json")
    before = state(inspection)
    action = "conclude" if "conclusion_number" in body else "add-finding"
    who = chair() if action == "conclude" else inspector()
    with clock.frozen(vn(2026, 4, 15)):
        answer = client(who).post(f"/api/v1/inspections/{inspection.pk}/actions/{action}", body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"].startswith("application/problem+json")
    assert answer.json()["detail"]
    assert state(inspection) == before


def test_the_list_is_scoped() -> None:
    plan_2026()
    seen = client(User.objects.get(username="mytho.lanhdao")).get("/api/v1/inspections").json()
    assert [row["unit"] for row in seen["results"]] == ["28261.UBND"]
    assert client(chair()).get("/api/v1/inspections?year=2026").json()["results"][1]["unit"] == "82.STP"
    assert client(chair()).get("/api/v1/inspections?year=abc").status_code == 400
