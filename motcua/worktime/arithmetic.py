"""Deadline arithmetic in working time for the one-stop shop: pure Python, no Django, no clock, no I/O.

Every instant must be timezone-aware; it is read in Asia/Ho_Chi_Minh. Deadlines have minute precision: seconds are
dropped from every input instant, as the appointment slip only shows hours and minutes.

How the index works. A `WorkCalendar` lays its covered days end to end as one line of working minutes. The
*position* of an instant is the number of working minutes from midnight of `first` up to that instant, and
`_minutes_before[i]` is the position of midnight at the start of day `first + i`. Going from an instant to its
position is one lookup plus the minutes already worked that day; going back from a position to an instant is one
bisect on that non-decreasing array. Every working day has the same office hours, so each one adds exactly
`minutes_per_day` to the array, and "the n-th working day from day i" is the working day containing working minute
`_minutes_before[i] + n * minutes_per_day`.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_OFFICE_INTERVALS",
    "SAME_DAY_CUTOFF",
    "VIETNAM",
    "DeadlineStatus",
    "NaiveCalendar",
    "OfficeHours",
    "OutsideCalendarError",
    "WorkCalendar",
    "format_due_slip",
    "status",
    "to_local",
]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Thanh Hóa's defaults (DOMAIN.md §1.7); provinces configure their own.
DEFAULT_OFFICE_INTERVALS: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

# Same-day procedures received after 15:00 are due the next working day (DOMAIN.md §1.7, chứng thực).
SAME_DAY_CUTOFF = time(15, 0)


class OutsideCalendarError(ValueError):
    """An instant or a computed deadline falls outside the days a `WorkCalendar` covers."""

    code = "outside_calendar"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DeadlineStatus(StrEnum):
    """How a finished dossier compares with its due date (DOMAIN.md §1.6)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        """Return the Vietnamese label used in reports."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    DeadlineStatus.EARLY: "Trước hạn",
    DeadlineStatus.ON_TIME: "Đúng hạn",
    DeadlineStatus.LATE: "Quá hạn",
}


def to_local(instant: datetime) -> datetime:
    """Return the instant in Vietnam time, truncated to the minute."""
    if instant.tzinfo is not VIETNAM:  # the common case skips the zone conversion, the costliest step here
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"A timezone-aware datetime is required, got {instant!r}")
        instant = instant.astimezone(VIETNAM)
    return instant.replace(second=0, microsecond=0) if instant.second or instant.microsecond else instant


def status(finished_at: datetime, due_at: datetime) -> DeadlineStatus:
    """Compare the finishing date with the due date."""
    # DOMAIN.md §1.6: the national statistics compare the date parts only, so 23:00 on the due date is on time.
    finished_on, due_on = to_local(finished_at).date(), to_local(due_at).date()
    if finished_on < due_on:
        return DeadlineStatus.EARLY
    if finished_on == due_on:
        return DeadlineStatus.ON_TIME
    return DeadlineStatus.LATE


def format_due_slip(due_at: datetime) -> str:
    """Render the due instant as printed on the receipt slip, e.g. "Sau 9 giờ 00 phút, ngày 03/11/2023"."""
    local = to_local(due_at)
    return f"Sau {local.hour} giờ {local.minute:02d} phút, ngày {local:%d/%m/%Y}"


def _minute_of_day(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _at(day: date, minute_of_day: int) -> datetime:
    hour, minute = divmod(minute_of_day, 60)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM)


@dataclass(frozen=True)
class OfficeHours:
    """Office hours of every working day: ordered (start, end) intervals, the gaps between them being breaks."""

    intervals: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_INTERVALS
    # The same intervals in minutes of the day, which is what all the arithmetic uses.
    _bounds: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    _per_day: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.intervals:
            raise ValueError("Office hours need at least one interval")
        bounds = []
        previous_end = 0
        for start, end in self.intervals:
            if any(t.tzinfo is not None or t.second or t.microsecond for t in (start, end)):
                raise ValueError("Office hours must be naive times in whole minutes")
            start_minute, end_minute = _minute_of_day(start), _minute_of_day(end)
            if not previous_end <= start_minute < end_minute:
                raise ValueError("Office-hour intervals must be non-empty, in order and not overlapping")
            bounds.append((start_minute, end_minute))
            previous_end = end_minute
        object.__setattr__(self, "_bounds", tuple(bounds))
        object.__setattr__(self, "_per_day", sum(end - start for start, end in bounds))

    @property
    def minutes_per_day(self) -> int:
        """Return the working minutes in one working day (480 with the defaults: 8 hours = 1 working day)."""
        return self._per_day

    @property
    def opening(self) -> int:
        """Return the opening minute of the day."""
        return self._bounds[0][0]

    @property
    def closing(self) -> int:
        """Return the closing minute of the day."""
        return self._bounds[-1][1]

    def worked_until(self, minute_of_day: int) -> int:
        """Return the working minutes from opening up to this minute of a working day."""
        return sum(min(max(minute_of_day - start, 0), end - start) for start, end in self._bounds)

    def minute_when_worked(self, worked: int) -> int:
        """Return the earliest minute of a working day by which `worked` working minutes have elapsed."""
        # "Earliest" settles the ties at the breaks: exactly the morning's minutes end at 11:30, not 13:30.
        remaining = worked
        for start, end in self._bounds:
            if remaining <= end - start:
                return start + remaining
            remaining -= end - start
        raise ValueError(f"{worked} minutes do not fit in one working day")

    def snap(self, minute_of_day: int) -> int:
        """Return the minute itself while the office is open, else the next opening, or closing time after hours."""
        for start, end in self._bounds:
            if minute_of_day <= end:
                return max(minute_of_day, start)
        return self.closing


@dataclass(frozen=True, kw_only=True)
class WorkCalendar:
    """Working days and office hours over a covered range of dates, indexed for O(log n) deadline arithmetic."""

    # Holidays and compensatory days (nghỉ bù) that fall on weekdays (BLLĐ 2019 art. 111(3), 112).
    off_days: frozenset[date]
    # Saturdays or Sundays made working days by a government swap (hoán đổi), e.g. Sat 10/01/2026.
    extra_working_days: frozenset[date]
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    version: str
    first: date
    last: date
    # _minutes_before[i] = working minutes on days first .. first + i - 1; one more entry than covered days, the last
    # one being the total. Derived from the fields above, hence left out of comparisons.
    _minutes_before: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # Whole-day operations skip the bisect: _working_days lists the indices of working days in order, and
    # _working_before[i] counts the working days before day i, so the n-th working day from day i is one lookup.
    _working_days: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _working_before: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _dates: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _first_ordinal: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError("The calendar's first day must not be after its last day")
        if clash := self.off_days & self.extra_working_days:
            raise ValueError(f"Days both off and working: {sorted(clash)}")
        per_day = self.office_hours.minutes_per_day
        dates = tuple(self.first + timedelta(days=offset) for offset in range((self.last - self.first).days + 1))
        working_days = tuple(index for index, day in enumerate(dates) if self._is_working(day))
        working_before = [0] * (len(dates) + 1)
        for index in working_days:
            working_before[index + 1] = 1
        for index in range(len(dates)):
            working_before[index + 1] += working_before[index]
        object.__setattr__(self, "_dates", dates)
        object.__setattr__(self, "_first_ordinal", self.first.toordinal())
        object.__setattr__(self, "_working_days", working_days)
        object.__setattr__(self, "_working_before", tuple(working_before))
        object.__setattr__(self, "_minutes_before", tuple(count * per_day for count in working_before))

    # -- public operations ----------------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Tell whether the offices are open on this day."""
        self._index(day)
        return self._is_working(day)

    def add_working_days(self, received_at: datetime, n: int) -> datetime:
        """Return the due instant n working days after receipt, at the receipt time snapped into office hours."""
        _require_positive(n)
        local = to_local(received_at)
        # BLDS 2015 art. 147: a period in days starts on the day after the event, whatever the hour of receipt.
        due = self._nth_working_day_from(self._index(local.date()) + 1, n)
        return _at(self._day(due), self.office_hours.snap(local.hour * 60 + local.minute))

    def add_working_hours(self, received_at: datetime, hours: float) -> datetime:
        """Return the instant when the given (possibly fractional) number of working hours have elapsed."""
        if not (math.isfinite(hours) and hours >= 0):
            raise ValueError(f"Working hours must be a finite number >= 0, got {hours!r}")
        return self.add_working_minutes(received_at, round(hours * 60))

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """Return the earliest instant by which the given working minutes have elapsed after start."""
        if minutes < 0:
            raise ValueError(f"Working minutes must be >= 0, got {minutes}")
        position = self._position(start)
        if minutes == 0:
            return to_local(start)
        # Outside office hours the position stands still, so the count starts at the next opening.
        return self._instant_at(position + minutes)

    def add_calendar_days(self, received_at: datetime, n: int) -> datetime:
        """Return closing time of the n-th calendar day after receipt, moved to the next working day if it is off."""
        _require_positive(n)
        local = to_local(received_at)
        self._index(local.date())
        # BLDS 2015 art. 147: day 1 is the day after receipt. Art. 148(5): a period ending on a weekend or holiday
        # ends on the next working day; the office's day ends at closing time, not at 24:00 (art. 148(6)).
        last_day = self._index(local.date() + timedelta(days=n))
        return _at(self._day(self._nth_working_day_from(last_day, 1)), self.office_hours.closing)

    def same_day(self, received_at: datetime, cutoff: time = SAME_DAY_CUTOFF) -> datetime:
        """Return closing time today if received by the cut-off on a working day, else of the next working day."""
        local = to_local(received_at)
        today = self._index(local.date())
        if self._is_working(local.date()) and local.time() <= cutoff:
            due = today
        else:
            due = self._nth_working_day_from(today + 1, 1)
        return _at(self._day(due), self.office_hours.closing)

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Return the working minutes from start to end (negative when end is before start)."""
        return self._position(end) - self._position(start)

    def resume(self, due_at: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
        """Return the new due instant after a pause, keeping the working time that was left when it started."""
        if to_local(resumed_at) < to_local(paused_at):
            raise ValueError("A dossier cannot resume before it was paused")
        if to_local(paused_at) >= to_local(due_at):
            # Already overdue when paused: moving the due instant would turn a late dossier into an on-time one.
            return to_local(due_at)
        return self.add_working_minutes(resumed_at, self.working_minutes_between(paused_at, due_at))

    def is_near_due(self, now: datetime, due_at: datetime, window_minutes: int) -> bool:
        """Tell whether the deadline is still ahead but within the given working-time window (sắp đến hạn)."""
        return to_local(now) < to_local(due_at) and self.working_minutes_between(now, due_at) <= window_minutes

    def d_minus_one(self, due_at: datetime) -> date:
        """Return the last working day strictly before the due date, by which an apology or extension is due."""
        due_day = self._index(to_local(due_at).date())
        # The working day containing the last working minute before midnight of the due date.
        return self._day(self._day_containing(self._minutes_before[due_day]))

    # -- index arithmetic -----------------------------------------------------------------------------------------

    def _is_working(self, day: date) -> bool:
        # Monday to Friday unless a holiday or compensatory day, plus the swapped weekend days.
        return (day.weekday() < 5 and day not in self.off_days) or day in self.extra_working_days

    def _index(self, day: date) -> int:
        offset = day.toordinal() - self._first_ordinal  # cheaper than subtracting dates: this runs on every call
        if not 0 <= offset < len(self._dates):
            raise OutsideCalendarError(
                f"Ngày {day:%d/%m/%Y} nằm ngoài lịch làm việc {self.version} "
                f"(từ {self.first:%d/%m/%Y} đến {self.last:%d/%m/%Y}); cần cập nhật lịch ngày nghỉ."
            )
        return offset

    def _day(self, index: int) -> date:
        return self._dates[index]

    def _beyond_range(self) -> OutsideCalendarError:
        return OutsideCalendarError(
            f"Không tính được thời hạn: kết quả nằm ngoài lịch làm việc {self.version} "
            f"(từ {self.first:%d/%m/%Y} đến {self.last:%d/%m/%Y}); cần cập nhật lịch ngày nghỉ."
        )

    def _position(self, instant: datetime) -> int:
        local = to_local(instant)
        index = self._index(local.date())
        if not self._is_working(local.date()):
            return self._minutes_before[index]  # the position stands still all day
        return self._minutes_before[index] + self.office_hours.worked_until(_minute_of_day(local.time()))

    def _day_containing(self, position: int) -> int:
        # Working minute number `position` (counted from 1) is the span (position - 1, position]. bisect_left finds
        # the first k with _minutes_before[k] >= position, so _minutes_before[k - 1] < position <= _minutes_before[k]:
        # that minute is worked on day k - 1, which therefore is a working day.
        k = bisect.bisect_left(self._minutes_before, position)
        if not 0 < k < len(self._minutes_before):
            raise self._beyond_range()
        return k - 1

    def _nth_working_day_from(self, index: int, n: int) -> int:
        # `index` may be one past the last covered day; the count then runs past the list.
        k = self._working_before[index] + n - 1
        if k >= len(self._working_days):
            raise self._beyond_range()
        return self._working_days[k]

    def _instant_at(self, position: int) -> datetime:
        day = self._day_containing(position)
        return _at(self._day(day), self.office_hours.minute_when_worked(position - self._minutes_before[day]))


def _require_positive(n: int) -> None:
    if n < 1:
        raise ValueError(f"A period in days must be at least 1, got {n}")


# -- Reference implementation, for the tests only ---------------------------------------------------------------------
#
# The same rules computed the obvious way: walk day by day and office interval by office interval, with no index and
# no covered range. The property tests check WorkCalendar against it; do not use it in the application.


@dataclass(frozen=True, kw_only=True)
class NaiveCalendar:
    """Slow, unbounded twin of `WorkCalendar` used to cross-check its index."""

    off_days: frozenset[date]
    extra_working_days: frozenset[date]
    office_hours: OfficeHours = field(default_factory=OfficeHours)

    def is_working_day(self, day: date) -> bool:
        """Tell whether the offices are open on this day."""
        if day in self.extra_working_days:
            return True
        return day.weekday() not in (5, 6) and day not in self.off_days

    def add_working_days(self, received_at: datetime, n: int) -> datetime:
        """Return the due instant n working days after receipt, counting day by day."""
        local = to_local(received_at)
        day, counted = local.date(), 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return self._snap(day, local.time())

    def add_working_hours(self, received_at: datetime, hours: float) -> datetime:
        """Return the instant when the working hours have elapsed."""
        return self.add_working_minutes(received_at, round(hours * 60))

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """Return the earliest instant by which the working minutes have elapsed, interval by interval."""
        cursor = to_local(start)
        if minutes == 0:
            return cursor
        remaining, day = minutes, cursor.date()
        while True:
            for period_start, period_end in self._periods(day):
                begin = max(period_start, cursor)
                if begin >= period_end:
                    continue
                available = (period_end - begin) // timedelta(minutes=1)
                if remaining <= available:
                    return begin + timedelta(minutes=remaining)
                remaining -= available
            day += timedelta(days=1)

    def add_calendar_days(self, received_at: datetime, n: int) -> datetime:
        """Return closing time of the n-th calendar day after receipt, or of the next working day."""
        day = to_local(received_at).date() + timedelta(days=n)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return self._periods(day)[-1][1]

    def same_day(self, received_at: datetime, cutoff: time = SAME_DAY_CUTOFF) -> datetime:
        """Return the same-day due instant, stepping to the next working day when needed."""
        local = to_local(received_at)
        day = local.date()
        if not (self.is_working_day(day) and local.time() <= cutoff):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return self._periods(day)[-1][1]

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Return the working minutes from start to end by summing overlaps with every office interval."""
        start, end = to_local(start), to_local(end)
        if end < start:
            return -self.working_minutes_between(end, start)
        total, day = 0, start.date()
        while day <= end.date():
            for period_start, period_end in self._periods(day):
                overlap = min(period_end, end) - max(period_start, start)
                total += max(overlap // timedelta(minutes=1), 0)
            day += timedelta(days=1)
        return total

    def d_minus_one(self, due_at: datetime) -> date:
        """Return the last working day before the due date, stepping back day by day."""
        day = to_local(due_at).date() - timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def _periods(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, start, tzinfo=VIETNAM), datetime.combine(day, end, tzinfo=VIETNAM))
            for start, end in self.office_hours.intervals
        ]

    def _snap(self, day: date, moment: time) -> datetime:
        wanted = datetime.combine(day, moment, tzinfo=VIETNAM)
        for period_start, period_end in self._periods(day):
            if wanted <= period_end:
                return max(wanted, period_start)
        return self._periods(day)[-1][1]
