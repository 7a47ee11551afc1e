"""The directives and tasks API: entry, scoped lists, actions, problem+json refusals that change nothing."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.tests import samples
from motcua.reform.models import Directive, Task, TaskEvent, TaskEvidence
from motcua.reform.tasks.lifecycle import Action, Status
from motcua.reform.tasks.services import Inputs, act

from .conftest import TRACKER, person, vn

pytestmark = pytest.mark.django_db
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",
    "officer_other_unit": "mytho.motcua",
    "officer_of_unit": "stp.motcua",  # reads the unit's tasks, does not act on them
    "leader": "stp.lanhdao",
    "admin": "quantri",
    "directive_tracker": TRACKER,
}


def body(**changes: Any) -> dict[str, Any]:
    return {
        "source_kind": "ket_luan_hop", "source_number": "45/TB-UBND", "source_date": "2026-03-10",
        "leader_name": "Nguyễn Văn A", "leader_position": "pct", "urgency": "hoa_toc",
        "tasks": [{"content": "Rà soát thủ tục", "lead_unit": "82.STP", "co_units": ["82.SNV"],
                   "deadline": "2026-03-31", "expected_product": "Báo cáo"}],
    } | changes  # fmt: skip


def everything() -> dict[str, Any]:
    return {
        "directives": Directive.objects.count(),
        "tasks": list(Task.objects.order_by("pk").values()),
        "events": TaskEvent.objects.count(),
        "files": TaskEvidence.objects.count(),
    }


def test_the_tracker_enters_a_flash_directive_at_1650(tracker) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen(vn(2026, 3, 10, 16, 50)):
        answer = client_for(TRACKER).post("/api/v1/directives", body(), format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["is_entered_late"] is False
    task = Task.objects.get(pk=answer.json()["tasks"][0])
    assert (task.lead_unit.code, [u.code for u in task.co_units.all()]) == ("82.STP", ["82.SNV"])
    assert task.status == Status.NEW and task.events.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"tasks": [{"content": "a\x00b", "lead_unit": "82.STP"}]},
        {"leader_name": "x" * 100_000},
        {"tasks": [{"content": "x" * 10_000, "lead_unit": "82.STP"}]},
        {"tasks": [{"content": "Việc", "lead_unit": "KHONG-CO"}]},
        {"tasks": []},
        {"source_date": "2026-13-45"},
        {"source_date": "2027-01-01"},
        {"urgency": "rat_gap"},
        {"tasks": [{"content": "Việc", "lead_unit": "82.STP", "co_units": ["82.STP"]}]},
        {"summary": "\u202eđảo chiều"},
    ],
)
def test_hostile_or_wrong_input_is_a_400_with_nothing_saved(tracker, changes) -> None:  # type: ignore[no-untyped-def]
    before = everything()
    with clock.frozen(vn(2026, 3, 10)):
        answer = client_for(TRACKER).post("/api/v1/directives", body(**changes), format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json" and answer.json()["detail"]
    assert everything() == before


def test_only_the_tracker_enters_directives(tracker) -> None:  # type: ignore[no-untyped-def]
    before = everything()
    for name in ("stp.lanhdao", "giamsat", "quantri"):
        assert client_for(name).post("/api/v1/directives", body(), format="json").status_code == 403
    assert client_for(None).post("/api/v1/directives", body(), format="json").status_code == 401
    assert everything() == before


def test_lists_are_scoped(make_task) -> None:  # type: ignore[no-untyped-def]
    stp, mytho = make_task(), make_task(lead="28261.UBND")

    def seen(name: str | None) -> set[int]:
        with clock.frozen(vn(2026, 3, 11)):
            return {row["id"] for row in client_for(name).get("/api/v1/tasks").json()["results"]}

    assert seen("stp.lanhdao") == seen("stp.motcua") == {stp.pk}
    assert seen("mytho.lanhdao") == {mytho.pk}
    assert seen("mytho.motcua") == set()  # the centre is below the committee, not above it
    assert seen("giamsat") == seen(TRACKER) == {stp.pk, mytho.pk}
    assert seen("quantri") == set()
    assert client_for("0912345678").get("/api/v1/tasks").status_code == 403
    directives = client_for("stp.lanhdao").get("/api/v1/directives").json()["results"]
    assert [d["id"] for d in directives] == [stp.directive_id]
    assert client_for("stp.lanhdao").get(f"/api/v1/tasks/{mytho.pk}").status_code == 404


def test_filters(make_task) -> None:  # type: ignore[no-untyped-def]
    near, far, none = make_task(date(2026, 3, 12)), make_task(date(2026, 5, 29)), make_task(None)
    client = client_for(TRACKER)

    def ids(**query: str) -> set[int]:
        with clock.frozen(vn(2026, 3, 10, 10)):
            answer = client.get("/api/v1/tasks", query)
        assert answer.status_code == 200, answer.content
        return {row["id"] for row in answer.json()["results"]}

    assert ids(time_state="sap_han") == {near.pk}
    assert ids(time_state="trong_han") == {far.pk}
    assert ids(time_state="khong_han") == {none.pk}
    assert ids(status="1", unit="82.STP") == {near.pk, far.pk, none.pk}
    assert client.get("/api/v1/tasks", {"time_state": "x\x00"}).status_code == 400


def test_a_task_from_acceptance_to_confirmation(make_task, tracker) -> None:  # type: ignore[no-untyped-def]
    task = make_task()
    specialist, office = client_for("stp.chuyenvien"), client_for(TRACKER)
    url = f"/api/v1/tasks/{task.pk}/actions"
    with clock.frozen(vn(2026, 3, 12)):
        assert specialist.post(f"{url}/accept", {}, format="json").status_code == 200
        refused = specialist.post(f"{url}/ask-completion", {}, format="json")
        assert refused.status_code == 400 and refused.json()["errors"] == {"percent": [refused.json()["detail"]]}
        product = SimpleUploadedFile("san-pham.pdf", samples.pdf("SP"), content_type="application/pdf")
        answer = specialist.post(f"{url}/report", {"percent": 100, "text": "Xong", "product": product})
        assert answer.status_code == 200, answer.content
        assert {a["action"]: a["allowed"] for a in answer.json()["actions"]}["ask-completion"] is True
        assert specialist.post(f"{url}/ask-completion", {}, format="json").status_code == 200
        confirmed = office.post(f"{url}/confirm", {}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == Status.DONE
    assert confirmed.json()["time_state"] == "dung_han"
    events = client_for("stp.lanhdao").get(f"/api/v1/tasks/{task.pk}/events").json()
    assert [e["action"] for e in events] == ["create", "accept", "report", "ask-completion", "confirm"]
    assert specialist.post(f"{url}/fly", {}, format="json").status_code == 404


def _in_state(make_task, tracker, action: str) -> Task:  # type: ignore[no-untyped-def]
    """A task where `action` is offered: new for accept; awaiting confirmation for confirm and return; in progress,
    before its deadline, for extend."""
    task = make_task()
    if action == "accept":
        return task
    with clock.frozen(vn(2026, 3, 11)):
        act(task, Action.ACCEPT, actor=person("stp.chuyenvien"))
        if action in ("confirm", "return"):
            report = Inputs(percent=100, text="Xong", document_number="3/BC-STP")
            act(task, Action.REPORT, actor=person("stp.chuyenvien"), inputs=report)
            act(task, Action.ASK_COMPLETION, actor=person("stp.chuyenvien"))
    return task


ALLOWED = {"accept": "leader", "extend": "leader", "confirm": "directive_tracker", "return": "directive_tracker"}
BODIES = {"extend": {"reason": "Chờ ý kiến Bộ", "new_deadline": "2026-04-15"}, "return": {"reason": "Thiếu"}}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(ALLOWED))
def test_role_matrix_a_denied_action_changes_nothing(make_task, tracker, action: str, role: str) -> None:  # type: ignore[no-untyped-def]
    task = _in_state(make_task, tracker, action)
    before = everything()
    with clock.frozen(vn(2026, 3, 12)):
        answer = client_for(ROLES[role]).post(
            f"/api/v1/tasks/{task.pk}/actions/{action}", BODIES.get(action, {}), format="json"
        )
    if role == ALLOWED[action]:
        assert answer.status_code == 200, answer.content
        assert everything() != before
        return
    expected = {"anonymous": 401, "citizen": 403, "officer_other_unit": 404, "admin": 404}.get(role, 403)
    assert answer.status_code == expected, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert everything() == before
