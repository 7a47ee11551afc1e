"""Meetings: the attendance lock on the official calendar, hosts limited to their own point, minutes approved by
the chair alone, and the conclusion notice turned into tasks; each refusal changes nothing."""

from datetime import date
from typing import Any

import pytest

from motcua.core import clock
from motcua.core.errors import DomainError, NotPermittedError
from motcua.reform.meetings.lifecycle import Action, Status
from motcua.reform.meetings.rules import allowed, available_actions
from motcua.reform.meetings.services import Conclusion, Inputs, act, enter_attendance
from motcua.reform.models import BridgePoint, ConclusionNotice, Meeting, MeetingEvent, Task
from motcua.reform.tasks.lifecycle import SourceKind
from motcua.reform.tasks.lifecycle import Status as TaskStatus

from .conftest import TRACKER, person, unit, vn
from .meetings_world import CHAIR, chair_fixture, meeting_fixture  # noqa: F401  # fixtures

pytestmark = pytest.mark.django_db


def everything() -> dict[str, Any]:
    return {
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "points": list(BridgePoint.objects.order_by("pk").values()),
        "events": MeetingEvent.objects.count(),
        "notices": ConclusionNotice.objects.count(),
        "tasks": Task.objects.count(),
    }


def point_of(meeting: Meeting, code: str) -> BridgePoint:
    return meeting.bridge_points.get(unit__code=code)


def test_the_lock_is_one_working_day_after_the_meeting_on_the_official_calendar(meeting: Meeting) -> None:
    # Friday 13/02/2026 16:30, then the weekend and Tết (16–20/02): the one working day ends Monday 23/02 16:30.
    assert meeting.attendance_locks_at == vn(2026, 2, 23, 16, 30)
    host = person("stp.lanhdao")
    with clock.frozen(vn(2026, 2, 19, 10)):  # mùng 3 Tết: a naive count would have locked on Monday 16/02
        enter_attendance(point_of(meeting, "82.STP"), by=host, invited=40, present=38)
    with clock.frozen(vn(2026, 2, 23, 16, 30)):
        enter_attendance(point_of(meeting, "82.STP"), by=host, invited=40, present=39)
    before = everything()
    with clock.frozen(vn(2026, 2, 23, 16, 31)), pytest.raises(DomainError, match="Đã khóa số liệu điểm cầu"):
        enter_attendance(point_of(meeting, "82.STP"), by=host, invited=40, present=40)
    assert everything() == before
    assert (point_of(meeting, "82.STP").invited, point_of(meeting, "82.STP").present) == (40, 39)


def test_no_count_before_the_meeting_starts(meeting: Meeting) -> None:
    before = everything()
    with clock.frozen(vn(2026, 2, 13, 13, 59)), pytest.raises(DomainError, match="chưa diễn ra"):
        enter_attendance(point_of(meeting, "82.STP"), by=person("stp.lanhdao"), invited=1, present=1)
    assert everything() == before


def test_a_host_entering_another_bridge_point_is_refused_with_nothing_changed(meeting: Meeting) -> None:
    with clock.frozen(vn(2026, 2, 13, 15)):
        enter_attendance(point_of(meeting, "28261.UBND"), by=person("mytho.lanhdao"), invited=20, present=18)
        before = everything()
        for intruder in ("stp.lanhdao", TRACKER, CHAIR, "mytho.motcua"):
            with pytest.raises(NotPermittedError, match="Chỉ người phụ trách điểm cầu"):
                enter_attendance(point_of(meeting, "28261.UBND"), by=person(intruder), invited=99, present=99)
    assert everything() == before


@pytest.mark.parametrize(
    ("invited", "present"),
    [(10, 11), (-1, 0), ("a\x00", 1), ("9" * 100_000, 1), (None, 1), (True, 1), (1.5, 1), (100_001, 1)],
)
def test_wrong_counts_are_refused_with_nothing_saved(meeting: Meeting, invited: object, present: object) -> None:
    before = everything()
    with clock.frozen(vn(2026, 2, 13, 15)), pytest.raises(DomainError):
        enter_attendance(point_of(meeting, "82.STP"), by=person("stp.lanhdao"), invited=invited, present=present)
    assert everything() == before


def _minutes(meeting: Meeting) -> Meeting:
    with clock.frozen(vn(2026, 2, 13, 17)):
        return act(meeting, Action.DRAFT_MINUTES, actor=person(TRACKER), inputs=Inputs(minutes="Biên bản hội nghị."))


def test_only_the_chair_approves_the_minutes(meeting: Meeting) -> None:
    drafted = _minutes(meeting)
    assert drafted.status == Status.MINUTES_DRAFTED
    before = everything()
    for someone in (TRACKER, "stp.lanhdao", "mytho.lanhdao", "quantri"):
        with clock.frozen(vn(2026, 2, 13, 17, 30)), pytest.raises(NotPermittedError, match="chủ trì"):
            act(drafted, Action.APPROVE_MINUTES, actor=person(someone))
    assert everything() == before
    with clock.frozen(vn(2026, 2, 13, 17, 30)):
        assert Action.APPROVE_MINUTES in allowed(available_actions(drafted, person(CHAIR)))
        approved = act(drafted, Action.APPROVE_MINUTES, actor=person(CHAIR))
    assert approved.status == Status.MINUTES_APPROVED and approved.minutes_approved_at == vn(2026, 2, 13, 17, 30)


def _notice(**changes: Any) -> Inputs:
    conclusions = (
        Conclusion("Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực tư pháp", unit("82.STP"), (unit("82.SNV"),),
                   date(2026, 3, 31)),
        Conclusion("Nâng tỷ lệ hồ sơ trực tuyến toàn trình", unit("28261.UBND"), (), None),
    )  # fmt: skip
    values: dict[str, Any] = {
        "number": "45/TB-UBND", "issued_on": date(2026, 2, 24), "signer_name": "Trần Văn Chủ Tịch",
        "conclusions": conclusions,
    }  # fmt: skip
    return Inputs(**(values | changes))


def test_the_conclusion_notice_creates_the_tasks_with_their_lead_units_and_deadlines(meeting: Meeting) -> None:
    with clock.frozen(vn(2026, 2, 23, 9)):
        act(_minutes(meeting), Action.APPROVE_MINUTES, actor=person(CHAIR))
    with clock.frozen(vn(2026, 2, 24, 9)):
        concluded = act(meeting, Action.ISSUE_NOTICE, actor=person(TRACKER), inputs=_notice())
    assert concluded.status == Status.CONCLUDED
    notice = ConclusionNotice.objects.get(meeting=meeting)
    assert (notice.number, notice.form_citation) == ("45/TB-UBND", "QĐ 45/2018/QĐ-TTg")
    directive = notice.directive
    assert (directive.source_kind, directive.source_number, directive.leader_id) == (
        SourceKind.MEETING_CONCLUSION, "45/TB-UBND", person(CHAIR).pk,
    )  # fmt: skip
    tasks = list(directive.tasks.order_by("position"))
    assert [(t.position, t.lead_unit.code, t.deadline_on, t.status) for t in tasks] == [
        (1, "82.STP", date(2026, 3, 31), TaskStatus.NEW),
        (2, "28261.UBND", None, TaskStatus.NEW),
    ]
    assert [u.code for u in tasks[0].co_units.all()] == ["82.SNV"]
    assert tasks[0].due_at == vn(2026, 3, 31, 17, 0)


def test_the_notice_citation_is_a_setting(meeting: Meeting, settings: Any) -> None:
    settings.MOTCUA_MEETING_NOTICE_FORM = "Mẫu theo quy chế làm việc của UBND tỉnh"
    with clock.frozen(vn(2026, 2, 23, 9)):
        act(_minutes(meeting), Action.APPROVE_MINUTES, actor=person(CHAIR))
        act(meeting, Action.ISSUE_NOTICE, actor=person(TRACKER), inputs=_notice(issued_on=date(2026, 2, 23)))
    assert ConclusionNotice.objects.get().form_citation == "Mẫu theo quy chế làm việc của UBND tỉnh"


@pytest.mark.parametrize(
    "changes",
    [
        {"number": ""},
        {"number": "x" * 100_000},
        {"signer_name": "a\x00b"},
        {"issued_on": None},
        {"issued_on": date(2026, 2, 1)},  # before the meeting
        {"issued_on": date(2027, 1, 1)},  # after today
        {"conclusions": ()},
        {"conclusions": "empty content"},
        {"conclusions": "lead also co-unit"},
    ],
)
def test_a_wrong_notice_is_refused_with_nothing_saved(meeting: Meeting, changes: dict[str, Any]) -> None:
    wrong = {
        "empty content": (Conclusion("", unit("82.STP")),),
        "lead also co-unit": (Conclusion("Việc", unit("82.STP"), (unit("82.STP"),)),),
    }
    if isinstance(changes.get("conclusions"), str):
        changes = {"conclusions": wrong[changes["conclusions"]]}
    with clock.frozen(vn(2026, 2, 23, 9)):
        act(_minutes(meeting), Action.APPROVE_MINUTES, actor=person(CHAIR))
    before = everything()
    with clock.frozen(vn(2026, 2, 24, 9)), pytest.raises(DomainError):
        act(meeting, Action.ISSUE_NOTICE, actor=person(TRACKER), inputs=_notice(**changes))
    assert everything() == before


def test_only_the_tracker_issues_the_notice(meeting: Meeting) -> None:
    with clock.frozen(vn(2026, 2, 23, 9)):
        act(_minutes(meeting), Action.APPROVE_MINUTES, actor=person(CHAIR))
    before = everything()
    for someone in (CHAIR, "stp.lanhdao", "quantri"):
        with clock.frozen(vn(2026, 2, 24, 9)), pytest.raises(NotPermittedError):
            act(meeting, Action.ISSUE_NOTICE, actor=person(someone), inputs=_notice())
    assert everything() == before
