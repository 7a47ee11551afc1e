"""The feedback API: a report proved by the receipt, with or without an account; the handlers' list, case, events
and actions with what the rules offer; tracking by code and secret. Errors are problem+json keyed by field path."""

from datetime import datetime

import pytest

from motcua.conftest import client_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import load_catalogue, receive
from motcua.feedback.models import FeedbackCase

pytestmark = pytest.mark.django_db
TUESDAY = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)
SENDER = {"name": "Nguyễn Văn Dân", "address": "Số 5 Lê Lợi", "phone": "0912345678"}


@pytest.fixture
def dossier() -> Dossier:
    load_catalogue()
    with clock.frozen(TUESDAY):
        return receive()


def body(dossier: Dossier, **changes: object) -> dict[str, object]:
    return {
        "dossier": dossier.code,
        "secret": dossier.tracking_secret,
        "paper_asked": "Sổ hộ khẩu",
        "sender": SENDER,
    } | changes


def test_a_report_with_the_receipt_is_filed_once_and_tracked(dossier: Dossier) -> None:
    api = client_for(None)
    sent = api.post("/api/v1/feedback", body(dossier), format="json", HTTP_IDEMPOTENCY_KEY="mot")
    assert sent.status_code == 201, sent.content
    answer = sent.json()
    assert answer["handling_unit"] == "28261.UBND" and answer["status"] == 1 and answer["tracking_secret"]
    assert [a["allowed"] for a in answer["actions"]] == [False] * 6  # the sender handles nothing
    again = api.post("/api/v1/feedback", body(dossier), format="json", HTTP_IDEMPOTENCY_KEY="mot")
    assert again.json()["code"] == answer["code"] and FeedbackCase.objects.count() == 1
    tracked = api.get(f"/api/v1/feedback/tracking/{answer['code']}", {"secret": answer["tracking_secret"]})
    assert tracked.status_code == 200 and tracked.json()["status_label"] == "Chờ tiếp nhận xử lý"
    assert "sender_name" not in tracked.json()
    wrong = api.get(f"/api/v1/feedback/tracking/{answer['code']}", {"secret": "sai"})
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"


def test_bad_reports_are_refused_by_field_and_nothing_is_filed(dossier: Dossier) -> None:
    api = client_for(None)
    unproved = api.post("/api/v1/feedback", body(dossier, secret="sai"), format="json")
    assert unproved.status_code == 404 and unproved.json()["code"] == "not_found"
    unnamed = api.post("/api/v1/feedback", body(dossier, sender={"phone": "123"}), format="json")
    assert unnamed.status_code == 400 and unnamed.json()["code"] == "invalid"
    assert set(unnamed.json()["errors"]) == {"sender.name", "sender.address", "sender.phone"}
    stranger = api.post("/api/v1/feedback", body(dossier, official="stp.lanhdao"), format="json")
    assert stranger.json()["errors"] == {
        "official": ["Chỉ chọn cán bộ đã xử lý hồ sơ này, hoặc để trống nếu không biết."]
    }
    assert not FeedbackCase.objects.exists()


def test_the_head_of_the_unit_lists_reads_and_acts_others_find_nothing(dossier: Dossier) -> None:
    code = client_for(None).post("/api/v1/feedback", body(dossier), format="json").json()["code"]
    chairman = client_for("mytho.lanhdao")
    listed = chairman.get("/api/v1/feedback", {"status": 1, "unit": "28261.UBND"}).json()
    assert [case["code"] for case in listed["results"]] == [code]
    assert chairman.get("/api/v1/feedback", {"kind": "to_cao"}).json()["results"] == []
    case = chairman.get(f"/api/v1/feedback/{code}").json()
    assert {a["action"]: a["allowed"] for a in case["actions"]} == {
        "accept": True,
        "refuse": True,
        "forward": True,
        "open-child": True,
        "classify": True,
        "request-info": True,
    }
    accepted = chairman.post(f"/api/v1/feedback/{code}/actions/accept", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == 2
    unsaid = chairman.post(f"/api/v1/feedback/{code}/actions/conclude", {"reason": "Đúng"}, format="json")
    assert unsaid.status_code == 400 and "verified" in unsaid.json()["errors"]
    done = chairman.post(f"/api/v1/feedback/{code}/actions/conclude", {"reason": "Đúng", "verified": True})
    assert done.json()["verified"] is True and done.json()["status"] == 4
    events = chairman.get(f"/api/v1/feedback/{code}/events").json()
    assert [e["action"] for e in events] == ["file", "accept", "conclude"]
    for name in ("stp.lanhdao", "mytho.motcua", "quantri", "0912345678"):
        other = client_for(name)
        assert other.get(f"/api/v1/feedback/{code}").status_code == 404
        assert other.post(f"/api/v1/feedback/{code}/actions/refuse", {"reason": "x"}).status_code == 404
        assert other.get("/api/v1/feedback").json()["results"] == []
    assert FeedbackCase.objects.get().events.count() == 3
