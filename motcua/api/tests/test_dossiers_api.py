"""Dossiers over HTTP: who may do what, nothing changed on denial, idempotent POSTs, public tracking."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from motcua.api.dossiers import DossierSerializer, TrackingSerializer, tracking_answer
from motcua.api.models import IdempotencyRecord
from motcua.conftest import client_for
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent, Upload
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import PERSON, TUESDAY_9AM, load_catalogue, online, receive, user
from motcua.dossiers.tracking import track
from motcua.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
FILING = {
    "procedure": "1.001193",
    "channel": 1,
    "receiving_unit": "28261.TTPVHCC",
    "applicant": {"name": "Trần Thị Bình", "citizen_id": "087195004321", "phone": "0901234567"},
    "papers": [{"component": "GT1", "originals": 1}, {"component": "GT2", "originals": 1}],
}


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    cache.clear()
    with clock.frozen(TUESDAY_9AM):
        yield


def state() -> tuple[object, ...]:
    """Everything a refused request must leave as it was: dossiers and their clocks, events, messages, scans."""
    dossiers = Dossier.objects.order_by("code").values_list(
        "code", "status", "supplement_rounds", "due_at", "closed_at"
    )
    return list(dossiers), DossierEvent.objects.count(), OutgoingMessage.objects.count(), Upload.objects.count()


EXPECTED_INTAKE = {
    "anonymous": 401,
    "citizen": 400,  # a citizen files online only: the counter channel is refused with the reason
    "officer_other_unit": 403,
    "officer_of_unit": 201,
    "leader": 403,
    "admin": 403,
}


@pytest.mark.parametrize(("role", "username"), [
    ("anonymous", None), ("citizen", "0912345678"), ("officer_other_unit", "stp.motcua"),
    ("officer_of_unit", "mytho.motcua"), ("leader", "mytho.lanhdao"), ("admin", "quantri"),
])  # fmt: skip
def test_counter_intake_role_matrix(role: str, username: str | None) -> None:
    before = state()
    response = client_for(username).post("/api/v1/dossiers", FILING, format="json")
    assert response.status_code == EXPECTED_INTAKE[role], response.content
    if response.status_code == 201:
        body = response.json()
        assert body["status"] == 2 and body["status_label"] == "Được tiếp nhận"
        assert body["due_at"] == "2026-03-11T09:00:00+07:00" and body["competent_unit"] == "28261.UBND"
    else:
        assert response["Content-Type"] == PROBLEM
        assert state() == before


def test_online_submission_by_a_citizen() -> None:
    response = client_for("0912345678").post("/api/v1/dossiers", {**FILING, "channel": 2}, format="json")
    assert response.status_code == 201 and response.json()["status"] == Status.SUBMITTED


@pytest.mark.parametrize(
    ("change", "field_or_detail"),
    [
        ({"papers": [{"component": "GT1", "originals": 1}]}, "Còn thiếu giấy tờ bắt buộc: Giấy chứng sinh."),
        ({"papers": [{"component": "GT9", "originals": 1}]}, "GT9 không thuộc thành phần hồ sơ"),
        ({"applicant": {"name": "A", "citizen_id": "1234"}}, "applicant.citizen_id"),
        ({"procedure": "0.000000"}, "Không có thủ tục mã 0.000000"),
        ({"receiving_unit": "khong-co"}, "receiving_unit"),
        ({"fee": 9, "fee_collection": "before"}, "mức phí, lệ phí cho kênh nộp này"),
    ],
)
def test_bad_intake_is_a_problem_and_creates_nothing(change: dict[str, object], field_or_detail: str) -> None:
    before = state()
    response = client_for("mytho.motcua").post("/api/v1/dossiers", {**FILING, **change}, format="json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert field_or_detail in response.content.decode()
    assert state() == before


def test_malformed_fields_are_answered_in_vietnamese_field_by_field() -> None:
    before = state()
    malformed = {
        **FILING,
        "channel": 7,
        "applicant": {"name": "Trần Thị Bình", "citizen_id": "0871 9500 4321 0871 95", "email": "khong-phai-thu"},
        "papers": [{"component": "GT1", "originals": "x"}],
    }
    response = client_for("mytho.motcua").post("/api/v1/dossiers", malformed, format="json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "channel": ["“7” không phải là lựa chọn hợp lệ."],
        "applicant": {
            "citizen_id": ["Trường này không được dài quá 20 ký tự."],
            "email": ["Nhập một địa chỉ email hợp lệ."],
        },
        "papers": {"0": {"originals": ["Cần một số nguyên hợp lệ."]}},
    }
    assert state() == before
    english = client_for("mytho.motcua")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # English when chosen, as the site's language switch sets
    assert english.post("/api/v1/dossiers", malformed, format="json").json()["errors"]["channel"] == [
        '"7" is not a valid choice.'
    ]


def test_intake_records_the_listed_fee_and_when_it_is_collected() -> None:
    criminal_record = {
        **FILING,
        "procedure": "2.001417",
        "receiving_unit": "82.STP",
        "papers": [{"component": "GT1", "originals": 1}],
    }
    officer = client_for("stp.motcua")
    unstated = officer.post("/api/v1/dossiers", criminal_record, format="json")
    assert unstated.status_code == 400 and "Cần chọn mức phí" in unstated.json()["detail"]
    chosen = {**criminal_record, "fee": 1, "fee_collection": "after"}
    response = officer.post("/api/v1/dossiers", chosen, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["fee_amount"], response.json()["fee_collection"]) == (100_000, "after")


def test_the_same_idempotency_key_creates_one_dossier() -> None:
    officer = client_for("mytho.motcua")
    first = officer.post("/api/v1/dossiers", FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = officer.post("/api/v1/dossiers", FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["code"] == again.json()["code"] and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    other = officer.post("/api/v1/dossiers", {**FILING, "channel": 3}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert officer.post("/api/v1/dossiers", FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    assert Dossier.objects.count() == 2


def test_a_request_that_fails_after_its_work_keeps_nothing_and_its_retry_creates_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    officer = client_for("mytho.motcua")
    officer.raise_request_exception = False  # the server answers 500, as in production

    def lost(self: object) -> None:
        raise ConnectionResetError("the answer could not be written")

    with monkeypatch.context() as patched:
        patched.setattr(DossierSerializer, "data", property(lost))
        crashed = officer.post("/api/v1/dossiers", FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert crashed.status_code == 500
    assert not Dossier.objects.exists() and not IdempotencyRecord.objects.exists()  # the intake went with it
    retried = officer.post("/api/v1/dossiers", FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    again = officer.post("/api/v1/dossiers", FILING, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert retried.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.get().code == retried.json()["code"] == again.json()["code"]


def test_reads_are_scoped() -> None:
    mine = online()
    counter = receive()
    visible = {
        "0912345678": {mine.code},
        "mytho.motcua": {mine.code, counter.code},
        "mytho.chuyenvien": {mine.code, counter.code},  # the commune committee is the competent unit
        "stp.motcua": set(),
        "giamsat": {mine.code, counter.code},
    }
    for username, codes in visible.items():
        client = client_for(username)
        assert {d["code"] for d in client.get("/api/v1/dossiers").json()["results"]} == codes, username
        for code in (mine.code, counter.code):
            assert client.get(f"/api/v1/dossiers/{code}").status_code == (200 if code in codes else 404)
    assert client_for(None).get("/api/v1/dossiers").status_code == 401


def test_the_list_filters_by_status_unit_procedure_and_due_instant() -> None:
    waiting, received = online(), receive()  # both at the Mỹ Tho centre for the ward committee; only one is due
    officer = client_for("mytho.motcua")

    def codes(**query: str | int) -> set[str]:
        response = officer.get("/api/v1/dossiers", query)
        assert response.status_code == 200, response.content
        return {dossier["code"] for dossier in response.json()["results"]}

    assert codes() == {waiting.code, received.code}
    assert (codes(status=1), codes(status=2), codes(status=4)) == ({waiting.code}, {received.code}, set())
    assert codes(unit="28261.TTPVHCC") == codes(unit="28261.UBND") == {waiting.code, received.code}
    assert codes(unit="82.STP") == set()
    assert (codes(procedure="1.001193"), codes(procedure="2.001417")) == ({waiting.code, received.code}, set())
    assert codes(due_before="2026-03-11T09:30:00+07:00") == {received.code}  # due 11/03 09:00; online not yet
    assert codes(due_before="2026-03-11T08:30:00+07:00") == set()
    bad = officer.get("/api/v1/dossiers", {"status": 99, "due_before": "mai"})
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
    assert set(bad.json()["errors"]) == {"status", "due_before"}
    assert "không phải là lựa chọn hợp lệ" in bad.json()["errors"]["status"][0]


ACTION_ROLES = {  # anonymous, the applicant, an officer of another unit, the unit's officer, its leader, an admin
    "accept": (401, 403, 404, 200, 403, 403),
    "refuse": (401, 403, 404, 200, 403, 403),
    "request-supplement": (401, 403, 404, 200, 403, 403),
    "submit-supplement": (401, 200, 404, 200, 403, 403),
    "withdraw": (401, 200, 404, 200, 403, 403),
}
USERS = (None, "0912345678", "stp.motcua", "mytho.motcua", "mytho.lanhdao", "quantri")


@pytest.mark.parametrize("action", list(ACTION_ROLES))
def test_intake_actions_role_matrix(action: str) -> None:
    """Each role on each action of an online dossier; a refusal changes nothing, an allowed action records an event."""
    body: dict[str, object] = {"reason": "Theo đề nghị"}
    if action == "request-supplement":
        body["supplements"] = [{"component": "GT1", "reason": "Bản quét mờ"}]
    for username, expected in zip(USERS, ACTION_ROLES[action], strict=True):
        dossier = online()
        if action == "submit-supplement":
            item = SupplementRequest(dossier.case.components.get(code="GT1").pk, "Bản quét mờ")
            perform(
                dossier, Action.REQUEST_SUPPLEMENT, actor=user("mytho.motcua"), reason="Thiếu", supplements=(item,)
            )
        before = state()
        response = client_for(username).post(f"/api/v1/dossiers/{dossier.code}/actions/{action}", body, format="json")
        assert response.status_code == expected, (username, response.content)
        if expected == 200:
            assert dossier.events.order_by("sequence").last().action == action  # type: ignore[union-attr]
        else:
            assert response["Content-Type"] == PROBLEM and state() == before, username


def test_actions_over_http_with_denial_changing_nothing() -> None:
    dossier = online()
    url = f"/api/v1/dossiers/{dossier.code}/actions/accept"
    for username, status in [("0912345678", 403), ("stp.motcua", 404), ("mytho.chuyenvien", 403)]:
        before = state()
        assert client_for(username).post(url, {}, format="json").status_code == status, username
        assert state() == before
    accepted = client_for("mytho.motcua").post(url, {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == Status.RECEIVED
    again = client_for("mytho.motcua").post(url, {}, format="json")
    assert again.status_code == 409 and "Không thể «Tiếp nhận hồ sơ trực tuyến»" in again.json()["detail"]
    supplement = client_for("mytho.motcua").post(
        f"/api/v1/dossiers/{dossier.code}/actions/request-supplement",
        {"reason": "Thiếu", "supplements": [{"component": "GT9", "reason": "x"}]},
        format="json",
    )
    assert supplement.status_code == 400 and "thành phần hồ sơ đã công bố" in supplement.json()["detail"]
    events = client_for("0912345678").get(f"/api/v1/dossiers/{dossier.code}/events").json()
    assert [e["action"] for e in events] == ["submit", "accept"]
    assert client_for("mytho.motcua").post(f"/api/v1/dossiers/{dossier.code}/actions/fly", {}).status_code == 404


def test_public_tracking_by_secret_or_phone_digits_reveals_no_personal_data() -> None:
    dossier = receive()
    anyone = APIClient()
    by_secret = anyone.get(f"/api/v1/tracking/{dossier.code}", {"secret": dossier.tracking_secret})
    by_phone = anyone.get(f"/api/v1/tracking/{dossier.code}", {"phone": "5678"})
    assert by_secret.status_code == by_phone.status_code == 200
    body = by_secret.json()
    assert body["status_label"] == "Được tiếp nhận" and body["due_at"] == "2026-03-11T09:00:00+07:00"
    assert [e["action"] for e in body["timeline"]] == ["Tiếp nhận hồ sơ tại quầy"]
    text = by_secret.content.decode()
    assert "082090001234" not in text and "Ấp Bắc" not in text and "0912345678" not in text
    wrong_secret = anyone.get(f"/api/v1/tracking/{dossier.code}", {"secret": "sai"})
    wrong_code = anyone.get("/api/v1/tracking/000.00.00.H20-260310-9999", {"secret": dossier.tracking_secret})
    assert wrong_secret.status_code == wrong_code.status_code == 404
    assert wrong_secret.json() == wrong_code.json()


def test_tracking_refuses_anything_but_four_phone_digits() -> None:
    dossier = receive()
    for phone in ("567", "56789", "5a78"):
        answer = APIClient().get(f"/api/v1/tracking/{dossier.code}", {"phone": phone})
        assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
        assert answer.json()["errors"] == {"phone": ["Nhập đúng 4 chữ số cuối của số điện thoại."]}


def test_the_tracking_answer_has_the_documented_shape() -> None:
    dossier = receive()
    with clock.frozen(TUESDAY_9AM):
        paper = dossier.components.first()
        assert paper is not None
        request = SupplementRequest(paper.component_id, "Bản chụp bị mờ")
        perform(dossier, Action.REQUEST_SUPPLEMENT, actor=user("mytho.motcua"), reason="Thiếu", supplements=(request,))
    view = track(dossier.code, secret=dossier.tracking_secret)
    assert view is not None and view.needed_now and len(view.timeline) == 2
    answer = APIClient().get(f"/api/v1/tracking/{dossier.code}", {"secret": dossier.tracking_secret}).json()
    assert answer == tracking_answer(view) == TrackingSerializer(view).data


@override_settings(MOTCUA_TRACKING_PHONE_TRIES=3)
def test_a_code_stops_answering_to_phone_digits_after_a_few_wrong_tries_from_anywhere() -> None:
    dossier, other = receive(), receive()
    url = f"/api/v1/tracking/{dossier.code}"
    wrong = [APIClient(REMOTE_ADDR=f"10.0.0.{n}").get(url, {"phone": f"000{n}"}).status_code for n in range(3)]
    assert wrong == [404, 404, 404]
    right = APIClient(REMOTE_ADDR="10.0.0.9").get(url, {"phone": PERSON.phone[-4:]})
    assert right.status_code == 404  # the right digits no longer open it today: guessing has become pointless
    with_a_bogus_secret = APIClient().get(url, {"phone": PERSON.phone[-4:], "secret": "sai"})
    assert with_a_bogus_secret.status_code == 404  # adding a wrong secret does not lift the limit
    assert APIClient().get(url, {"secret": dossier.tracking_secret}).status_code == 200  # the receipt still does
    assert APIClient().get(f"/api/v1/tracking/{other.code}", {"phone": PERSON.phone[-4:]}).status_code == 200
    with clock.frozen(TUESDAY_9AM + timedelta(days=1)):
        assert APIClient().get(url, {"phone": PERSON.phone[-4:]}).status_code == 200  # a new day


def test_tracking_is_rate_limited() -> None:
    dossier = receive()
    anyone = APIClient()
    codes = [anyone.get(f"/api/v1/tracking/{dossier.code}", {"phone": "0000"}).status_code for _ in range(61)]
    assert codes[:60] == [404] * 60 and codes[60] == 429


def test_forms_as_pdf() -> None:
    dossier = receive()
    officer = client_for("mytho.motcua")
    receipt = officer.get(f"/api/v1/dossiers/{dossier.code}/forms/01.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF-")
    not_yet = officer.get(f"/api/v1/dossiers/{dossier.code}/forms/02.pdf")
    assert not_yet.status_code == 400 and "chưa có yêu cầu bổ sung" in not_yet.json()["detail"]
    assert officer.get(f"/api/v1/dossiers/{dossier.code}/forms/07.pdf").status_code == 404
    assert client_for("stp.motcua").get(f"/api/v1/dossiers/{dossier.code}/forms/01.pdf").status_code == 404
