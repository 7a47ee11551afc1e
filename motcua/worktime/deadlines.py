"""Legal time limits and the due instants they give on a calendar: pure, shared by the catalogue and dossiers."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from motcua.core.errors import DomainError

from .arithmetic import OutsideCalendarError, WorkCalendar, format_due_slip, to_local


class LimitUnit(StrEnum):
    """How a procedure's processing time is expressed in the national catalogue."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    LimitUnit.WORKING_DAYS: "ngày làm việc",
    LimitUnit.WORKING_HOURS: "giờ làm việc",
    LimitUnit.CALENDAR_DAYS: "ngày",
    LimitUnit.SAME_DAY: "trong ngày",
}
# Beyond these a limit is a typing mistake, not law: the longest limits in the catalogue are counted in months.
MAXIMUM = {
    LimitUnit.WORKING_DAYS: 365,
    LimitUnit.WORKING_HOURS: 2_000,
    LimitUnit.CALENDAR_DAYS: 730,
    LimitUnit.SAME_DAY: 0,
}


class DeadlineInputError(DomainError):
    code = "invalid_deadline_input"


@dataclass(frozen=True)
class TimeLimit:
    """A legal time limit: an amount and its unit (same-day limits have no amount)."""

    amount: float
    unit: LimitUnit

    def __post_init__(self) -> None:
        if self.unit is LimitUnit.SAME_DAY:
            return
        maximum = MAXIMUM[self.unit]
        whole = self.unit is not LimitUnit.WORKING_HOURS
        if not 0 < self.amount <= maximum or (whole and self.amount != int(self.amount)):
            kind = "số nguyên " if whole else "số "
            raise DeadlineInputError(
                f"Thời hạn phải là {kind}lớn hơn 0 và không quá {maximum} {self.unit.label}.", field="amount"
            )

    def __str__(self) -> str:
        if self.unit is LimitUnit.SAME_DAY:
            return "Trong ngày"
        return f"{self.amount:g} {self.unit.label}"


@dataclass(frozen=True)
class Deadline:
    """A due instant with what it was computed from, so that it can be explained and recomputed."""

    start: datetime
    limit: TimeLimit
    due_at: datetime
    calendar_version: str

    @property
    def slip_text(self) -> str:
        """Return the appointment as the receipt prints it."""
        return format_due_slip(self.due_at)


def compute_deadline(calendar: WorkCalendar, start: datetime, limit: TimeLimit) -> Deadline:
    """Compute the due instant of a limit counted from a receipt instant."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise DeadlineInputError("Thời điểm bắt đầu phải có múi giờ, ví dụ 2026-02-13T16:30+07:00.", field="start")
    try:
        match limit.unit:
            case LimitUnit.WORKING_DAYS:
                due = calendar.add_working_days(start, int(limit.amount))
            case LimitUnit.WORKING_HOURS:
                due = calendar.add_working_hours(start, limit.amount)
            case LimitUnit.CALENDAR_DAYS:
                due = calendar.add_calendar_days(start, int(limit.amount))
            case LimitUnit.SAME_DAY:
                due = calendar.same_day(start)
    except OutsideCalendarError as error:
        raise DeadlineInputError(error.message, field="start") from error
    return Deadline(to_local(start), limit, due, calendar.version)
