"""Entry SLA and task clocks on the official calendar: a hỏa tốc directive entered at 16:50, a task across Tết."""

from datetime import date

import pytest

from motcua.core import clock
from motcua.reform.tasks.clocks import due_at, entry_days, entry_due, time_state
from motcua.reform.tasks.lifecycle import Status, TimeState, Urgency
from motcua.reform.tasks.services import TaskDraft, create_directive
from motcua.worktime.selectors import calendar_for

from .conftest import unit, vn

pytestmark = pytest.mark.django_db


def _enter(tracker, at, source_date, urgency, count=1):  # type: ignore[no-untyped-def]
    drafts = [TaskDraft(f"Nhiệm vụ {i}", unit("82.STP")) for i in range(count)]
    with clock.frozen(at):
        return create_directive(source_kind="van_ban", source_number="9/UBND", source_date=source_date,
                                leader_name="Chủ tịch", urgency=urgency, by=tracker, tasks=drafts)  # fmt: skip


def test_flash_directive_entered_at_1650_the_same_day_is_on_time(tracker) -> None:  # type: ignore[no-untyped-def]
    directive = _enter(tracker, vn(2026, 3, 10, 16, 50), date(2026, 3, 10), "hoa_toc")
    assert directive.entry_due_at == vn(2026, 3, 10, 17, 0)
    assert not directive.is_entered_late


def test_flash_directive_entered_the_next_morning_is_late(tracker) -> None:  # type: ignore[no-untyped-def]
    directive = _enter(tracker, vn(2026, 3, 11, 7, 30), date(2026, 3, 10), "hoa_toc")
    assert directive.is_entered_late


def test_ordinary_directive_before_tet_has_one_working_day_after_it() -> None:
    calendar = calendar_for(None)
    # Friday 13/02/2026, then Tết (16–20/02) off: the one working day is Monday 23/02.
    assert entry_due(calendar, date(2026, 2, 13), Urgency.ORDINARY, 1) == vn(2026, 2, 23, 17, 0)
    assert entry_due(calendar, date(2026, 2, 13), Urgency.ORDINARY, 3) == vn(2026, 2, 24, 17, 0)
    # A hỏa tốc document dated on a day off is entered on the next working day.
    assert entry_due(calendar, date(2026, 2, 14), Urgency.FLASH, 5) == vn(2026, 2, 23, 17, 0)


def test_entry_days_follow_the_setting(settings) -> None:  # type: ignore[no-untyped-def]
    assert (entry_days(Urgency.FLASH, 9), entry_days(Urgency.ORDINARY, 1), entry_days(Urgency.ORDINARY, 3)) == (
        0,
        1,
        2,
    )
    settings.MOTCUA_DIRECTIVE_ENTRY_SLA = {"thuong": 2, "many_tasks_from": 10}
    assert (entry_days(Urgency.ORDINARY, 3), entry_days(Urgency.ORDINARY, 10)) == (2, 2)


def test_a_task_across_tet_counts_working_days_only() -> None:
    calendar = calendar_for(None)
    due = due_at(calendar, date(2026, 2, 18))  # Mùng 2 Tết: the deadline moves to the first working day after
    assert due == vn(2026, 2, 23, 17, 0)
    # Tuesday 10/02: four working days and more ahead. Thursday 12/02: eleven calendar days, but under three working.
    assert time_state(calendar, Status.IN_PROGRESS, due, vn(2026, 2, 10, 9), None) == TimeState.ON_TRACK
    assert time_state(calendar, Status.IN_PROGRESS, due, vn(2026, 2, 12, 9), None) == TimeState.NEAR_DUE
    assert time_state(calendar, Status.IN_PROGRESS, due, vn(2026, 2, 23, 16, 59), None) == TimeState.NEAR_DUE
    assert time_state(calendar, Status.IN_PROGRESS, due, vn(2026, 2, 23, 17, 1), None) == TimeState.OVERDUE
    assert time_state(calendar, Status.DONE, due, vn(2026, 3, 1), vn(2026, 2, 23, 10)) == TimeState.DONE_ON_TIME
    assert time_state(calendar, Status.DONE, due, vn(2026, 3, 1), vn(2026, 2, 24, 8)) == TimeState.DONE_LATE
    assert time_state(calendar, Status.NEW, None, vn(2026, 3, 1), None) == TimeState.NO_DEADLINE
    assert time_state(calendar, Status.POSTPONED, due, vn(2026, 3, 1), None) is None


def test_near_due_window_is_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    calendar = calendar_for(None)
    due = due_at(calendar, date(2026, 2, 18))
    settings.MOTCUA_TASK_NEAR_DUE_WORKING_DAYS = 1
    assert time_state(calendar, Status.IN_PROGRESS, due, vn(2026, 2, 12, 9), None) == TimeState.ON_TRACK
