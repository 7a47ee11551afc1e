"""The clocks of directives and tasks on the official working calendar (`motcua.worktime`).

Entry: Thanh Hóa's regulation (2025–26, DOMAIN-2.md §6) has Văn phòng UBND tỉnh enter a hỏa tốc or khẩn document
the same day, an ordinary one within 1 working day, and one with many tasks within 2, counted from the source
document's date; the figures are the setting `MOTCUA_DIRECTIVE_ENTRY_SLA` over `ENTRY_SLA`. A task's deadline is a
day: it ends at closing time, moved to the next working day when the day is off (BLDS 2015 art. 148(5)); "sắp đến
hạn" is `MOTCUA_TASK_NEAR_DUE_WORKING_DAYS` working days before it.
"""

from datetime import date, datetime, time
from typing import Any

from django.conf import settings

from motcua.worktime.arithmetic import VIETNAM, WorkCalendar, to_local

from .lifecycle import OPEN, Status, TimeState, Urgency

# Working days to enter a directive after its source document's date (0: the same day).
ENTRY_SLA: dict[str, int] = {Urgency.FLASH: 0, Urgency.URGENT: 0, Urgency.ORDINARY: 1, "many_tasks": 2}
# From how many tasks a directive counts as "nhiều nhiệm vụ".
MANY_TASKS_FROM = 3
NEAR_DUE_WORKING_DAYS = 3


def entry_sla() -> dict[str, Any]:
    return {**ENTRY_SLA, "many_tasks_from": MANY_TASKS_FROM, **getattr(settings, "MOTCUA_DIRECTIVE_ENTRY_SLA", {})}


def entry_days(urgency: Urgency, task_count: int) -> int:
    """Working days allowed to enter a directive: same day when urgent, else 1, or 2 with many tasks."""
    sla = entry_sla()
    days = int(sla[urgency])
    if days and task_count >= int(sla["many_tasks_from"]):
        days = max(days, int(sla["many_tasks"]))
    return days


def entry_due(calendar: WorkCalendar, source_date: date, urgency: Urgency, task_count: int) -> datetime:
    """The instant by which the directive must be in the system: closing time of the last day allowed."""
    closing = _closing(calendar)
    days = entry_days(urgency, task_count)
    if days == 0:
        return calendar.same_day(datetime.combine(source_date, time(0, 0), tzinfo=VIETNAM), cutoff=time(23, 59))
    return calendar.add_working_days(datetime.combine(source_date, closing, tzinfo=VIETNAM), days)


def due_at(calendar: WorkCalendar, deadline: date | None) -> datetime | None:
    """A deadline day's end: closing time, on the next working day when that day is off."""
    if deadline is None:
        return None
    start = datetime.combine(deadline, time(0, 0), tzinfo=VIETNAM)
    return calendar.same_day(start, cutoff=time(23, 59))


def near_due_minutes(calendar: WorkCalendar) -> int:
    days = int(getattr(settings, "MOTCUA_TASK_NEAR_DUE_WORKING_DAYS", NEAR_DUE_WORKING_DAYS))
    return days * calendar.office_hours.minutes_per_day


def time_state(
    calendar: WorkCalendar, status: Status, due: datetime | None, now: datetime, finished_at: datetime | None
) -> TimeState | None:
    """The time state of a task now: for an open one against its deadline, for a completed one how it finished;
    None when postponed or cancelled."""
    if status == Status.DONE:
        if due is None or finished_at is None or finished_at <= due:
            return TimeState.DONE_ON_TIME
        return TimeState.DONE_LATE
    if status not in OPEN:
        return None
    if due is None:
        return TimeState.NO_DEADLINE
    if to_local(now) > to_local(due):
        return TimeState.OVERDUE
    if calendar.working_minutes_between(now, due) <= near_due_minutes(calendar):
        return TimeState.NEAR_DUE
    return TimeState.ON_TRACK


def kpi_uses_extension() -> bool:
    """Whether the KPIs judge a task by its extended deadline (the default) or by the one first given."""
    return getattr(settings, "MOTCUA_TASK_KPI_DEADLINE", "extended") != "original"


def _closing(calendar: WorkCalendar) -> time:
    minute = calendar.office_hours.closing
    return time(minute // 60, minute % 60)
