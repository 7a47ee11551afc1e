"""Processing over HTTP: step actions for every role (nothing changes on a refusal), queues, results, forms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from motcua.conftest import ROLES, client_for
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent, StepTask
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.dossiers.tests.processing_factories import PDF, load_processing_catalogue, started
from motcua.organizations.models import Unit

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True, name="started")
def started_dossier() -> Dossier:
    load_processing_catalogue()
    with clock.frozen(TUESDAY_9AM):
        return started()


def state(dossier: Dossier) -> tuple[object, ...]:
    dossier.refresh_from_db()
    steps = tuple(StepTask.objects.filter(dossier=dossier).values_list("state", "assignee", "due_at"))
    return dossier.status, dossier.due_at, DossierEvent.objects.count(), steps


# Who may complete the first step (one-stop officer of the Department of Justice's counter): only that officer.
EXPECTED_COMPLETE = {
    "anonymous": 401,
    "citizen": 404,
    "officer_other_unit": 404,
    "officer_of_unit": 200,
    "leader": 403,  # a director is not in a one-stop officer's position
    "admin": 403,  # sees every dossier, holds no step
}


@pytest.mark.parametrize("role", list(ROLES))
def test_complete_step_role_matrix(role: str, started: Dossier) -> None:
    before = state(started)
    with clock.frozen(TUESDAY_9AM):
        response = client_for(ROLES[role]).post(
            f"/api/v1/dossiers/{started.code}/actions/complete-step", {}, format="json"
        )
    assert response.status_code == EXPECTED_COMPLETE[role], response.content
    if response.status_code == 200:
        assert response.json()["status"] == Status.PROCESSING
        assert StepTask.objects.get(dossier=started, position=1).state == 1
    else:
        assert response["Content-Type"] == PROBLEM
        assert state(started) == before


EXPECTED_QUEUE = {
    "anonymous": 401,
    "citizen": 403,
    "officer_other_unit": 403,
    "officer_of_unit": 200,
    "leader": 200,
    "admin": 200,
}


@pytest.mark.parametrize("role", list(ROLES))
def test_unit_queue_role_matrix(role: str, started: Dossier) -> None:
    unit = Unit.objects.get(code="82.STP")
    response = client_for(ROLES[role]).get(f"/api/v1/queues/unit/{unit.pk}")
    assert response.status_code == EXPECTED_QUEUE[role], response.content
    if response.status_code == 200:
        rows = response.json()["results"]
        assert [(r["code"], r["step"], r["unit"]) for r in rows] == [(started.code, "Tiếp nhận", "82.STP")]


def test_the_other_unit_sees_the_dossier_only_while_it_holds_it(started: Dossier) -> None:
    from .test_processing_api_helpers import walk_to_transfer

    other = walk_to_transfer(started)
    client = APIClient()
    client.force_authenticate(other)
    unit = Unit.objects.get(code="82.SNNMT")
    assert [r["code"] for r in client.get(f"/api/v1/queues/unit/{unit.pk}").json()["results"]] == [started.code]
    assert client.get(f"/api/v1/dossiers/{started.code}").status_code == 200
    with clock.frozen(TUESDAY_9AM):
        done = client.post(f"/api/v1/dossiers/{started.code}/actions/transfer", {}, format="json")
    assert done.status_code == 200, done.content
    assert client.get(f"/api/v1/queues/unit/{unit.pk}").json()["results"] == []
    assert client.get(f"/api/v1/dossiers/{started.code}").status_code == 200  # still in its history
    assert client.get(f"/api/v1/dossiers/{started.code}/forms/06.pdf").status_code == 200


def test_assign_extend_results_and_mine_queue(started: Dossier) -> None:
    officer, leader = client_for("stp.motcua"), client_for("stp.lanhdao")
    with clock.frozen(TUESDAY_9AM):
        officer.post(f"/api/v1/dossiers/{started.code}/actions/complete-step", {}, format="json")
        bad = leader.post(f"/api/v1/dossiers/{started.code}/actions/assign", {"assignee": "khong-co"}, format="json")
        assert bad.status_code == 400 and "assignee" in bad.json()["errors"]
        ok = leader.post(
            f"/api/v1/dossiers/{started.code}/actions/assign",
            {"assignee": "stp.chuyenvien"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="assign-1",
        )
        assert ok.status_code == 200
        mine = client_for("stp.chuyenvien").get("/api/v1/queues/mine").json()["results"]
        assert [(r["code"], r["assignee"]) for r in mine] == [(started.code, "stp.chuyenvien")]
        extend = leader.post(
            f"/api/v1/dossiers/{started.code}/actions/extend",
            {"reason": "Chờ ý kiến", "new_due_at": "2026-04-07T09:00:00+07:00"},
            format="json",
        )
        assert extend.status_code == 200 and extend.json()["due_at"] == "2026-04-07T09:00:00+07:00"
        again = leader.post(
            f"/api/v1/dossiers/{started.code}/actions/extend",
            {"reason": "Lần hai", "new_due_at": "2026-04-08T09:00:00+07:00"},
            format="json",
        )
        assert again.status_code == 409 and again["Content-Type"] == PROBLEM
        specialist = client_for("stp.chuyenvien")
        not_pdf = specialist.post(
            f"/api/v1/dossiers/{started.code}/results",
            {"title": "Kết quả", "file": SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf")},
            format="multipart",
        )
        assert not_pdf.status_code == 400 and "PDF" in not_pdf.json()["detail"]
        uploaded = specialist.post(
            f"/api/v1/dossiers/{started.code}/results",
            {"title": "Kết quả", "file": SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf")},
            format="multipart",
        )
        assert uploaded.status_code == 201 and len(uploaded.json()["sha256"]) == 64
    assert client_for("stp.motcua").get(f"/api/v1/dossiers/{started.code}/forms/04.pdf").status_code == 200


def test_unknown_action_and_system_action_are_not_reachable(started: Dossier) -> None:
    client = client_for("stp.lanhdao")
    for action in ("recompute-due", "fly"):
        response = client.post(f"/api/v1/dossiers/{started.code}/actions/{action}", {}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "unknown_action"


def test_the_citizen_rates_an_online_dossier_after_its_online_return() -> None:
    from motcua.dossiers.processing import Rating
    from motcua.dossiers.selectors import indicators_of, review_list_for
    from motcua.dossiers.services import Inputs, attach_result, complete_step
    from motcua.dossiers.tests.factories import online

    with clock.frozen(TUESDAY_9AM):
        dossier = online()
        counter = user("mytho.motcua")
        perform(dossier, Action.ACCEPT, actor=counter)
        perform(dossier, Action.START, actor=counter)
        complete_step(dossier, actor=user("mytho.motcua"))
        attach_result(dossier, actor=user("mytho.chuyenvien"), title="Giấy khai sinh", pdf=PDF)
        complete_step(dossier, actor=user("mytho.chuyenvien"))
        for name in ("mytho.lanhdao", "mytho.motcua"):
            complete_step(dossier, actor=user(name))
        citizen = client_for("0912345678")
        early = citizen.post(f"/api/v1/dossiers/{dossier.code}/actions/rate", {"overall": 2}, format="json")
        assert early.status_code == 409  # not returned yet
        perform(dossier, Action.RETURN_RESULT, actor=counter, inputs=Inputs(return_channel="online"))
        rated = citizen.post(
            f"/api/v1/dossiers/{dossier.code}/actions/rate",
            {"convenience": 1, "overall": 0, "comment": "Chờ lâu"},
            format="json",
        )
    assert rated.status_code == 200 and rated.json()["status"] == Status.RETURNED
    dossier.refresh_from_db()
    assert dossier.rating.overall == Rating.UNSATISFIED and dossier.rating.comment == "Chờ lâu"
    assert [r.dossier for r in review_list_for(user("mytho.lanhdao"))] == [dossier]
    assert indicators_of(dossier).agencies == 2  # filed and returned online: no office visited
