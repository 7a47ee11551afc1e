"""Refusal over HTTP: at the counter through the intake POST, online through the refuse action; Form 03 at once."""

import subprocess

import pytest
from django.core.cache import cache

from motcua.conftest import client_for
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, user
from motcua.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
REASON = "Người được khai sinh thường trú tại tỉnh khác"
COMPETENT = "Ủy ban nhân dân xã Tân Hội, tỉnh Vĩnh Long"
# One paper of two: a refusal does not need a complete file.
FILING = {
    "procedure": "1.001193",
    "channel": 1,
    "receiving_unit": "28261.TTPVHCC",
    "applicant": {"name": "Trần Thị Bình", "phone": "0901234567"},
    "papers": [{"component": "GT1", "originals": 1}],
}
REFUSAL = {"kind": "not_competent", "reason": REASON, "guidance": COMPETENT}


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    cache.clear()
    with clock.frozen(TUESDAY_9AM):
        yield


def state() -> tuple[object, ...]:
    statuses = list(Dossier.objects.order_by("code").values_list("code", "status"))
    return statuses, DossierEvent.objects.count(), OutgoingMessage.objects.count()


def test_counter_refusal_over_http_gives_a_refused_dossier_and_its_form_03() -> None:
    officer = client_for("mytho.motcua")
    response = officer.post("/api/v1/dossiers", {**FILING, "refusal": REFUSAL}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["status_label"], body["received_at"], body["due_at"]) == (
        Status.REFUSED,
        "Không được tiếp nhận",
        None,
        None,
    )
    events = officer.get(f"/api/v1/dossiers/{body['code']}/events").json()
    assert [(e["action"], e["status_before"], e["status_after"], e["form"]) for e in events] == [
        ("refuse", None, 3, "03")
    ]
    form = officer.get(f"/api/v1/dossiers/{body['code']}/forms/03.pdf")
    assert form.status_code == 200 and form["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=form.content, capture_output=True, check=True).stdout
    assert COMPETENT in " ".join(text.decode().split())


@pytest.mark.parametrize(
    ("refusal", "field"),
    [
        ({"kind": "not_competent", "reason": REASON}, "guidance"),
        ({"kind": "not_competent", "reason": REASON, "guidance": "  "}, "guidance"),
        ({"kind": "maybe", "reason": REASON}, "refusal"),
        ({"kind": "not_eligible", "reason": " "}, "refusal"),
        ({"reason": REASON}, "refusal"),
    ],
)
def test_a_bad_refusal_is_a_problem_naming_its_field_and_changes_nothing(refusal: dict[str, str], field: str) -> None:
    before = state()
    response = client_for("mytho.motcua").post("/api/v1/dossiers", {**FILING, "refusal": refusal}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    problem = response.json()
    assert field in problem["errors"], problem
    assert state() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [(None, 401), ("0912345678", 403), ("stp.motcua", 403), ("mytho.chuyenvien", 403), ("quantri", 403)],
)
def test_only_the_counters_own_officer_refuses_there(username: str | None, status: int) -> None:
    before = state()
    response = client_for(username).post("/api/v1/dossiers", {**FILING, "refusal": REFUSAL}, format="json")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM and state() == before


def waiting_for_papers(accepted: bool) -> Dossier:
    dossier = online()
    if accepted:
        perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
    item = SupplementRequest(dossier.case.components.get(code="GT2").pk, "Bản quét mờ")
    perform(dossier, Action.REQUEST_SUPPLEMENT, actor=user("mytho.motcua"), reason="Thiếu", supplements=(item,))
    return Dossier.objects.get(pk=dossier.pk)


def test_the_refuse_action_works_before_acceptance_and_says_why_not_after() -> None:
    officer = client_for("mytho.motcua")
    before_acceptance = waiting_for_papers(accepted=False)
    offered = officer.get(f"/api/v1/dossiers/{before_acceptance.code}").json()["actions"]
    assert next(a for a in offered if a["action"] == "refuse")["allowed"]
    url = f"/api/v1/dossiers/{before_acceptance.code}/actions/refuse"
    missing = officer.post(url, {"reason": REASON, "kind": "not_competent"}, format="json")
    assert missing.status_code == 400 and "cơ quan có thẩm quyền" in missing.json()["errors"]["guidance"][0]
    refused = officer.post(url, {"reason": REASON, "kind": "not_competent", "guidance": COMPETENT}, format="json")
    assert refused.status_code == 200 and refused.json()["status"] == Status.REFUSED
    after_acceptance = waiting_for_papers(accepted=True)
    refuse = next(
        a
        for a in officer.get(f"/api/v1/dossiers/{after_acceptance.code}").json()["actions"]
        if a["action"] == "refuse"
    )
    assert not refuse["allowed"] and "(Mẫu số 05)" in refuse["reason"]
    before = state()
    conflict = officer.post(
        f"/api/v1/dossiers/{after_acceptance.code}/actions/refuse",
        {"reason": REASON, "kind": "not_eligible"},
        format="json",
    )
    assert conflict.status_code == 409 and "nên không thể từ chối tiếp nhận (Mẫu số 03)" in conflict.json()["detail"]
    assert state() == before
