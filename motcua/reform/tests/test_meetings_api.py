"""The meetings API and pages: who may read and act (each refusal changes nothing), hostile input as a 400 with a
Vietnamese problem, never a 500 (also run on PostgreSQL)."""

from typing import Any

import pytest

from motcua.conftest import browser_for, client_for
from motcua.core import clock
from motcua.reform.models import BridgePoint, ConclusionNotice, Meeting, MeetingEvent, Task

from .conftest import TRACKER, vn
from .meetings_world import CHAIR, chair_fixture, meeting_fixture  # noqa: F401  # fixtures

pytestmark = pytest.mark.django_db
ROLES = {
    "anonymous": None,
    "citizen": "0912345678",
    "officer_other_unit": "mytho.motcua",  # a one-stop officer of the ward's centre: no point of his
    "officer_of_unit": "stp.motcua",  # Sở Tư pháp's officer: reads its point, is not its host
    "leader": "stp.lanhdao",  # the host of Sở Tư pháp's point
    "admin": "quantri",
    "directive_tracker": TRACKER,
    "chair": CHAIR,
}


def everything() -> dict[str, Any]:
    return {
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "points": list(BridgePoint.objects.order_by("pk").values()),
        "events": MeetingEvent.objects.count(),
        "notices": ConclusionNotice.objects.count(),
        "tasks": Task.objects.count(),
    }


def create_body(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "giao_ban", "title": "Giao ban cải cách hành chính", "chair": CHAIR, "form": "truc_tiep",
        "starts_at": "2026-03-02T08:00:00+07:00", "ends_at": "2026-03-02T11:00:00+07:00",
        "agenda": [{"title": "Báo cáo", "presenter_unit": "82.SNV"}],
        "bridge_points": [{"unit": "82.STP", "place": "Hội trường", "host": "stp.lanhdao"}],
    } | changes  # fmt: skip


@pytest.mark.parametrize(("role", "expected"), [
    ("anonymous", 401), ("citizen", 403), ("officer_other_unit", 404), ("officer_of_unit", 403), ("leader", 200),
    ("admin", 404), ("directive_tracker", 403), ("chair", 403),
])  # fmt: skip
def test_only_the_points_host_enters_its_attendance(meeting: Meeting, role: str, expected: int) -> None:
    point = meeting.bridge_points.get(unit__code="82.STP")
    before = everything()
    with clock.frozen(vn(2026, 2, 13, 15)):
        answer = client_for(ROLES[role]).post(
            f"/api/v1/meetings/{meeting.pk}/actions/attendance",
            {"bridge_point": point.pk, "invited": 30, "present": 25}, format="json",
        )  # fmt: skip
    assert answer.status_code == expected, answer.content
    if expected == 200:
        point.refresh_from_db()
        assert (point.invited, point.present) == (30, 25)
    else:
        assert everything() == before


def test_the_host_of_one_point_is_refused_on_another_with_nothing_saved(meeting: Meeting) -> None:
    other = meeting.bridge_points.get(unit__code="28261.UBND")
    before = everything()
    with clock.frozen(vn(2026, 2, 13, 15)):
        answer = client_for("stp.lanhdao").post(
            f"/api/v1/meetings/{meeting.pk}/actions/attendance",
            {"bridge_point": other.pk, "invited": 30, "present": 25}, format="json",
        )  # fmt: skip
    assert answer.status_code == 403 and "điểm cầu" in answer.json()["detail"]
    assert everything() == before


@pytest.mark.parametrize("role", ["anonymous", "citizen", "officer_other_unit", "officer_of_unit", "leader", "admin",
                                  "directive_tracker"])  # fmt: skip
def test_only_the_chair_approves_the_minutes_over_http(meeting: Meeting, role: str) -> None:
    with clock.frozen(vn(2026, 2, 13, 17)):
        client_for(TRACKER).post(f"/api/v1/meetings/{meeting.pk}/actions/draft-minutes", {"minutes": "Biên bản."},
                                 format="json")  # fmt: skip
        before = everything()
        answer = client_for(ROLES[role]).post(f"/api/v1/meetings/{meeting.pk}/actions/approve-minutes", {},
                                              format="json")  # fmt: skip
        assert answer.status_code in (401, 403, 404), answer.content
        assert everything() == before
        assert client_for(CHAIR).post(f"/api/v1/meetings/{meeting.pk}/actions/approve-minutes").status_code == 200


def test_the_notice_over_http_creates_the_tasks(meeting: Meeting) -> None:
    with clock.frozen(vn(2026, 2, 23, 9)):
        client_for(TRACKER).post(f"/api/v1/meetings/{meeting.pk}/actions/draft-minutes", {"minutes": "Biên bản."},
                                 format="json")  # fmt: skip
        client_for(CHAIR).post(f"/api/v1/meetings/{meeting.pk}/actions/approve-minutes")
        answer = client_for(TRACKER).post(f"/api/v1/meetings/{meeting.pk}/actions/issue-notice", {
            "number": "12/TB-UBND", "issued_on": "2026-02-23", "signer_name": "Trần Văn Chủ Tịch",
            "conclusions": [{"content": "Rà soát thủ tục", "lead_unit": "82.STP", "deadline": "2026-04-30"},
                            {"content": "Số hóa hồ sơ", "lead_unit": "28261.UBND", "co_units": ["82.STP"]}],
        }, format="json")  # fmt: skip
    assert answer.status_code == 200, answer.content
    tasks = Task.objects.filter(pk__in=answer.json()["notice"]["tasks"]).order_by("position")
    assert [(t.lead_unit.code, t.deadline_on and t.deadline_on.isoformat()) for t in tasks] == [
        ("82.STP", "2026-04-30"), ("28261.UBND", None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "a\x00b"},
        {"title": "x" * 100_000},
        {"starts_at": "2026-13-45T08:00"},
        {"ends_at": "2026-03-02T07:00:00+07:00"},
        {"kind": "hop_kin"},
        {"chair": ["quantri"]},
        {"video_link": "javascript:alert(1)"},
        {"bridge_points": [{"unit": "KHONG-CO", "place": "x", "host": "stp.lanhdao"}]},
        {"bridge_points": "x" * 100_000},
        {"agenda": [{"title": "\u202eđảo", "presenter_unit": "82.SNV"}]},
    ],
)
def test_hostile_meeting_input_is_a_400_with_nothing_saved(meeting: Meeting, changes: dict[str, Any]) -> None:
    before = everything()
    with clock.frozen(vn(2026, 2, 20, 9)):
        answer = client_for(TRACKER).post("/api/v1/meetings", create_body(**changes), format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json" and answer.json()["detail"]
    assert everything() == before


@pytest.mark.parametrize(
    "body",
    [
        {"bridge_point": "x\x00", "invited": 1, "present": 1},
        {"bridge_point": "POINT", "invited": "9" * 100_000, "present": 1},
        {"bridge_point": "POINT", "invited": 5, "present": 6},
        {"bridge_point": "POINT", "invited": [1], "present": 1},
        {"bridge_point": 99_999_999_999, "invited": 1, "present": 1},
        {"bridge_point": "POINT"},
    ],
)
def test_hostile_attendance_is_a_400_with_nothing_saved(meeting: Meeting, body: dict[str, Any]) -> None:
    point = meeting.bridge_points.get(unit__code="82.STP")
    body = {k: (point.pk if v == "POINT" else v) for k, v in body.items()}
    before = everything()
    with clock.frozen(vn(2026, 2, 13, 15)):
        answer = client_for("stp.lanhdao").post(f"/api/v1/meetings/{meeting.pk}/actions/attendance", body,
                                                format="json")  # fmt: skip
    assert answer.status_code == 400, answer.content
    assert answer.json()["detail"]
    assert everything() == before


def test_the_tracker_schedules_a_meeting_and_a_ward_leader_may_not(meeting: Meeting) -> None:
    with clock.frozen(vn(2026, 2, 20, 9)):
        assert client_for("mytho.lanhdao").post("/api/v1/meetings", create_body(), format="json").status_code == 403
        answer = client_for(TRACKER).post("/api/v1/meetings", create_body(), format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["attendance_locks_at"] == "2026-03-03T11:00:00+07:00"


def test_the_meeting_page_offers_attendance_to_the_host_of_that_point_only(meeting: Meeting) -> None:
    with clock.frozen(vn(2026, 2, 13, 15)):
        page = browser_for("stp.lanhdao").get(f"/can-bo/hop/{meeting.pk}/")
        assert page.status_code == 200
        html = page.content.decode()
        stp = meeting.bridge_points.get(unit__code="82.STP").pk
        ward = meeting.bridge_points.get(unit__code="28261.UBND").pk
        assert f'data-attendance="{stp}"' in html and f'data-attendance="{ward}"' not in html
        posted = browser_for("stp.lanhdao").post(
            f"/can-bo/hop/{meeting.pk}/thao-tac/attendance/", {"diem-cau": ward, "moi": "5", "co-mat": "5"}
        )
        assert posted.status_code == 302
        assert BridgePoint.objects.get(pk=ward).invited is None
        listing = browser_for("stp.lanhdao").get("/can-bo/hop/")
        assert listing.status_code == 200 and f'data-meeting="{meeting.pk}"' in listing.content.decode()
        assert browser_for("0912345678").get(f"/can-bo/hop/{meeting.pk}/").status_code in (302, 403, 404)


def test_the_organiser_adds_an_agenda_item_and_a_bridge_point_over_http(meeting: Meeting) -> None:
    with clock.frozen(vn(2026, 2, 20, 9)):
        created = client_for(TRACKER).post("/api/v1/meetings", create_body(), format="json").json()
        url = f"/api/v1/meetings/{created['id']}/actions"
        refused = client_for("stp.lanhdao").post(f"{url}/add-agenda", {
            "new_agenda_item": {"title": "Tham luận", "presenter_unit": "82.STP"}}, format="json")  # fmt: skip
        assert refused.status_code == 403
        item = {"title": "Tham luận của Sở Tư pháp", "presenter_unit": "82.STP"}
        agenda = client_for(TRACKER).post(f"{url}/add-agenda", {"new_agenda_item": item}, format="json")
        point = client_for(TRACKER).post(f"{url}/add-bridge-point", {
            "new_bridge_point": {"unit": "82.SNV", "place": "Phòng họp Sở Nội vụ", "host": "stp.lanhdao"}},
            format="json")  # fmt: skip
    assert agenda.status_code == 200, agenda.content
    assert [item["title"] for item in agenda.json()["agenda"]] == ["Báo cáo", "Tham luận của Sở Tư pháp"]
    assert point.status_code == 200, point.content
    assert len(point.json()["bridge_points"]) == 2
