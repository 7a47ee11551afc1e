"""The documents API: the role matrix around one body's documents, denied actions changing nothing, hostile input."""

import base64
from datetime import datetime

import pytest

from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.tests.samples import result_pdf
from motcua.eoffice.models import IncomingDocument, IncomingEvent, OutgoingDocument, OutgoingEvent
from motcua.eoffice.tests.factories import CLERK, clerk, incoming, plan

pytestmark = pytest.mark.django_db
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",
    "officer_other_unit": "stp.motcua",
    "officer_of_unit": "mytho.chuyenvien",
    "leader": "mytho.lanhdao",
    "admin": "quantri",
    "clerk": CLERK,
}
READERS = {"officer_of_unit", "leader", "clerk"}


@pytest.fixture(autouse=True)
def at_nine() -> object:
    clerk()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        yield


def _state() -> tuple[object, ...]:
    return (
        list(IncomingDocument.objects.values_list("status", "assignee_id", "presented_at")),
        IncomingEvent.objects.count(),
        list(OutgoingDocument.objects.values_list("status", "version", "notation")),
        OutgoingEvent.objects.count(),
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_role_matrix_reads_and_denied_actions_change_nothing(role: str) -> None:
    document, draft = incoming().document, plan()
    api = client_for(ROLES[role])
    seen = api.get(f"/api/v1/documents/incoming/{document.pk}")
    assert seen.status_code == (200 if role in READERS else 401 if role == "anonymous" else 404)
    listed = api.get("/api/v1/documents/outgoing")
    if role != "anonymous":
        assert [row["id"] for row in listed.json()] == ([draft.pk] if role in READERS else [])
    before = _state()
    allowed = {"clerk": "present", "leader": "assign"}
    for action in ("present", "assign"):
        if allowed.get(role) == action:
            continue
        answer = api.post(
            f"/api/v1/documents/incoming/{document.pk}/actions/{action}",
            {"to": "mytho.lanhdao", "assignee": "mytho.chuyenvien", "instruction": "x"},
            format="json",
        )
        assert answer.status_code in {401, 403, 404, 409}, (action, answer.content)
    for action in ("submit", "sign", "issue"):
        if role == "officer_of_unit" and action == "submit":
            continue  # the drafter may submit
        answer = api.post(f"/api/v1/documents/outgoing/{draft.pk}/actions/{action}", {}, format="json")
        assert answer.status_code in {401, 403, 404, 409}, (action, answer.content)
    assert _state() == before


def test_the_whole_chain_over_the_api() -> None:
    clerk_api, leader = client_for(CLERK), client_for("mytho.lanhdao")
    content = base64.b64encode(result_pdf("Công văn")).decode()
    registered = clerk_api.post(
        "/api/v1/documents/incoming",
        {
            "unit": "28261.UBND",
            "channel": "email",
            "sender": "Sở Nội vụ",
            "sender_notation": "5/SNV",
            "sender_date": "2026-03-09",
            "document_type": "cong_van",
            "summary": "V/v báo cáo",
            "pages": 1,
            "files": [{"name": "cv.pdf", "content": content}],
        },
        format="json",
    )
    assert registered.status_code == 201, registered.content
    pk = registered.json()["id"]
    assert registered.json()["number"] == 1 and registered.json()["integrity"] == "unsigned"
    again = clerk_api.post(
        "/api/v1/documents/incoming", {**registered.json(), "files": [], "channel": "paper"}, format="json"
    )
    assert again.status_code == 200 and again.json()["id"] == pk
    missing = leader.post(f"/api/v1/documents/incoming/{pk}/actions/assign", {"instruction": "x"}, format="json")
    assert missing.status_code == 400 and missing.json()["detail"] == "Chọn người xử lý chính."
    done = leader.post(
        f"/api/v1/documents/incoming/{pk}/actions/assign",
        {"assignee": "mytho.chuyenvien", "instruction": "Tham mưu trả lời"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["directive"] is not None


@pytest.mark.parametrize(
    "change",
    [
        {"sender": "a\x00b"},
        {"summary": "x" * 100_000},
        {"pages": "nhiều"},
        {"sender_date": "2026-13-45"},
        {"document_type": ["cong_van"]},
        {"files": [{"name": "a.pdf", "content": "không-phải-base64"}]},
        {"unit": 7},
    ],
)
def test_hostile_input_gets_a_400_in_vietnamese(change: dict[str, object]) -> None:
    body = {
        "unit": "28261.UBND",
        "channel": "paper",
        "sender": "Sở Nội vụ",
        "sender_notation": "5/SNV",
        "sender_date": "2026-03-09",
        "document_type": "cong_van",
        "summary": "V/v",
        "pages": 1,
    } | change
    answer = client_for(CLERK).post("/api/v1/documents/incoming", body, format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"].startswith("application/problem+json") and answer.json()["detail"]
    assert not IncomingDocument.objects.exists()
