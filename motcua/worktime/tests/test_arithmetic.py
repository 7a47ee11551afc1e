"""Deadline arithmetic: worked examples on the 2026 calendar, and property tests against the naive reference."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.arithmetic import (
    VIETNAM,
    DeadlineStatus,
    NaiveCalendar,
    OfficeHours,
    OutsideCalendarError,
    WorkCalendar,
    format_due_slip,
    status,
    to_local,
)


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# Test data, not the authoritative 2026 calendar: the holidays named in DOMAIN.md §7.1 and the brief.
OFF_DAYS_2026 = frozenset(
    {date(2026, 1, 1), date(2026, 1, 2)}  # Tết Dương lịch; Fri 2/1 swapped with Sat 10/1
    | _days(date(2026, 2, 14), date(2026, 2, 22))  # Tết Nguyên đán (weekend days in it are harmless)
    | {date(2026, 4, 30), date(2026, 5, 1)}
    | {date(2026, 9, 1), date(2026, 9, 2)}  # Quốc khánh + adjacent day
)
EXTRA_WORKING_DAYS_2026 = frozenset({date(2026, 1, 10)})

CALENDAR = WorkCalendar(
    off_days=OFF_DAYS_2026,
    extra_working_days=EXTRA_WORKING_DAYS_2026,
    version="test-2026",
    first=date(2025, 12, 1),
    last=date(2027, 3, 31),
)
# Covers exactly 2026, so that property tests also reach the edges of the covered range.
CALENDAR_2026 = WorkCalendar(
    off_days=OFF_DAYS_2026,
    extra_working_days=EXTRA_WORKING_DAYS_2026,
    version="test-2026-only",
    first=date(2026, 1, 1),
    last=date(2026, 12, 31),
)
NAIVE = NaiveCalendar(off_days=OFF_DAYS_2026, extra_working_days=EXTRA_WORKING_DAYS_2026)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


# -- office hours ---------------------------------------------------------------------------------------------------


def test_default_office_hours_make_an_eight_hour_day() -> None:
    assert OfficeHours().minutes_per_day == 480


def test_custom_office_hours() -> None:
    hcmc = OfficeHours(((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))))
    assert hcmc.minutes_per_day == 480
    assert hcmc.opening == 450
    assert hcmc.closing == 1020


@pytest.mark.parametrize(
    "intervals",
    [
        (),
        ((time(11, 0), time(7, 0)),),
        ((time(7, 0), time(12, 0)), (time(11, 0), time(17, 0))),
        ((time(7, 0, 30), time(11, 30)),),
    ],
)
def test_invalid_office_hours_are_rejected(intervals: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValueError):
        OfficeHours(intervals)


def test_calendar_rejects_inconsistent_data() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(
            off_days=frozenset(),
            extra_working_days=frozenset(),
            version="x",
            first=date(2026, 2, 1),
            last=date(2026, 1, 1),
        )
    with pytest.raises(ValueError):
        WorkCalendar(
            off_days=frozenset({date(2026, 1, 10)}),
            extra_working_days=frozenset({date(2026, 1, 10)}),
            version="x",
            first=date(2026, 1, 1),
            last=date(2026, 1, 31),
        )


def test_working_days_follow_the_rule() -> None:
    assert not CALENDAR.is_working_day(date(2026, 1, 2))  # holiday on a Friday
    assert CALENDAR.is_working_day(date(2026, 1, 10))  # make-up Saturday
    assert not CALENDAR.is_working_day(date(2026, 1, 11))  # ordinary Sunday
    assert not CALENDAR.is_working_day(date(2026, 2, 18))  # Tết
    assert CALENDAR.is_working_day(date(2026, 2, 23))
    for day in _days(CALENDAR.first, CALENDAR.last):
        assert CALENDAR.is_working_day(day) == NAIVE.is_working_day(day)


# -- working days ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "n", "due_at"),
    [
        pytest.param(vn(2026, 2, 13, 9), 5, vn(2026, 2, 27, 9), id="across Tết"),
        pytest.param(vn(2026, 1, 9, 16, 30), 1, vn(2026, 1, 10, 16, 30), id="make-up Saturday"),
        pytest.param(vn(2025, 12, 31, 10), 1, vn(2026, 1, 5, 10), id="across New Year"),
        pytest.param(vn(2026, 4, 29, 10), 1, vn(2026, 5, 4, 10), id="across 30/4 and 1/5"),
        pytest.param(vn(2026, 8, 31, 14), 2, vn(2026, 9, 4, 14), id="across Quốc khánh"),
        pytest.param(vn(2026, 1, 11, 10), 1, vn(2026, 1, 12, 10), id="received on Sunday"),
        pytest.param(vn(2026, 1, 5, 6, 15), 1, vn(2026, 1, 6, 7), id="before opening snaps to opening"),
        pytest.param(vn(2026, 1, 5, 12, 10), 1, vn(2026, 1, 6, 13, 30), id="lunch snaps to afternoon opening"),
        pytest.param(vn(2026, 1, 5, 11, 30), 1, vn(2026, 1, 6, 11, 30), id="end of morning is kept"),
        pytest.param(vn(2026, 1, 5, 18), 1, vn(2026, 1, 6, 17), id="evening snaps to closing"),
    ],
)
def test_add_working_days(received_at: datetime, n: int, due_at: datetime) -> None:
    assert CALENDAR.add_working_days(received_at, n) == due_at


def test_domain_example_and_slip_text() -> None:
    """DOMAIN.md §1.7: received Fri 27/10/2023 09:32, 5 working days → Fri 03/11/2023."""
    calendar_2023 = WorkCalendar(
        off_days=frozenset(),
        extra_working_days=frozenset(),
        version="2023",
        first=date(2023, 10, 1),
        last=date(2023, 12, 31),
    )
    due_at = calendar_2023.add_working_days(vn(2023, 10, 27, 9, 32), 5)
    assert due_at == vn(2023, 11, 3, 9, 32)
    assert format_due_slip(due_at) == "Sau 9 giờ 32 phút, ngày 03/11/2023"
    assert format_due_slip(vn(2023, 11, 3, 9)) == "Sau 9 giờ 00 phút, ngày 03/11/2023"


def test_results_are_in_vietnam_time_whatever_the_input_zone() -> None:
    received_utc = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    due_at = CALENDAR.add_working_days(received_utc, 5)
    assert due_at == vn(2026, 2, 27, 9)
    assert due_at.tzinfo is VIETNAM


def test_seconds_are_dropped() -> None:
    received_at = datetime(2026, 1, 5, 9, 32, 59, 999, tzinfo=VIETNAM)
    assert CALENDAR.add_working_days(received_at, 1) == vn(2026, 1, 6, 9, 32)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.add_working_days(datetime(2026, 1, 5, 9), 1)


@pytest.mark.parametrize("n", [0, -1])
def test_periods_in_days_start_at_one(n: int) -> None:
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(vn(2026, 1, 5, 9), n)
    with pytest.raises(ValueError):
        CALENDAR.add_calendar_days(vn(2026, 1, 5, 9), n)


# -- working hours --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "hours", "due_at"),
    [
        pytest.param(vn(2026, 1, 5, 10, 30), 2, vn(2026, 1, 5, 14, 30), id="across lunch"),
        pytest.param(vn(2026, 1, 5, 16), 2, vn(2026, 1, 6, 8), id="across evening"),
        pytest.param(vn(2026, 1, 5, 12), 1, vn(2026, 1, 5, 14, 30), id="received at 12:00"),
        pytest.param(vn(2026, 1, 5, 18), 1.5, vn(2026, 1, 6, 8, 30), id="received at 18:00"),
        pytest.param(vn(2026, 1, 11, 9), 1, vn(2026, 1, 12, 8), id="received on Sunday"),
        pytest.param(vn(2026, 1, 9, 16), 2, vn(2026, 1, 10, 8), id="into the make-up Saturday"),
        pytest.param(vn(2026, 2, 13, 15), 4, vn(2026, 2, 23, 9), id="across Tết"),
        pytest.param(vn(2026, 1, 5, 9, 30), 2, vn(2026, 1, 5, 11, 30), id="ends at the start of lunch"),
        pytest.param(vn(2026, 1, 5, 7), 8, vn(2026, 1, 5, 17), id="one full day"),
        pytest.param(vn(2026, 1, 5, 9), 0.25, vn(2026, 1, 5, 9, 15), id="fractional"),
        pytest.param(vn(2026, 1, 5, 9), 16, vn(2026, 1, 7, 9), id="two days"),
    ],
)
def test_add_working_hours(received_at: datetime, hours: float, due_at: datetime) -> None:
    assert CALENDAR.add_working_hours(received_at, hours) == due_at


@pytest.mark.parametrize("hours", [-1, float("nan"), float("inf")])
def test_invalid_hours_are_rejected(hours: float) -> None:
    with pytest.raises(ValueError):
        CALENDAR.add_working_hours(vn(2026, 1, 5, 9), hours)


# -- calendar days --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "n", "due_at"),
    [
        pytest.param(vn(2026, 1, 5, 10), 3, vn(2026, 1, 8, 17), id="ordinary"),
        pytest.param(vn(2026, 4, 27, 10), 3, vn(2026, 5, 4, 17), id="ends on 30/4, moves past 1/5 and the weekend"),
        pytest.param(vn(2026, 2, 10, 10), 5, vn(2026, 2, 23, 17), id="ends in Tết"),
        pytest.param(vn(2026, 1, 7, 10), 3, vn(2026, 1, 10, 17), id="ends on the make-up Saturday"),
        pytest.param(vn(2026, 1, 14, 10), 3, vn(2026, 1, 19, 17), id="ends on a Saturday"),
    ],
)
def test_add_calendar_days(received_at: datetime, n: int, due_at: datetime) -> None:
    assert CALENDAR.add_calendar_days(received_at, n) == due_at


# -- same day -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "due_at"),
    [
        pytest.param(vn(2026, 1, 5, 6, 30), vn(2026, 1, 5, 17), id="before opening"),
        pytest.param(vn(2026, 1, 5, 14, 59), vn(2026, 1, 5, 17), id="before 15:00"),
        pytest.param(vn(2026, 1, 5, 15), vn(2026, 1, 5, 17), id="at 15:00"),
        pytest.param(vn(2026, 1, 5, 15, 1), vn(2026, 1, 6, 17), id="after 15:00"),
        pytest.param(vn(2026, 1, 16, 15, 30), vn(2026, 1, 19, 17), id="Friday after 15:00 → Monday"),
        pytest.param(vn(2026, 1, 9, 15, 30), vn(2026, 1, 10, 17), id="Friday before the make-up Saturday"),
        pytest.param(vn(2026, 1, 11, 9), vn(2026, 1, 12, 17), id="Sunday"),
        pytest.param(vn(2026, 2, 13, 16), vn(2026, 2, 23, 17), id="before Tết"),
    ],
)
def test_same_day(received_at: datetime, due_at: datetime) -> None:
    assert CALENDAR.same_day(received_at) == due_at


def test_same_day_with_another_cutoff() -> None:
    assert CALENDAR.same_day(vn(2026, 1, 5, 15, 30), cutoff=time(16, 0)) == vn(2026, 1, 5, 17)
    assert CALENDAR.same_day(vn(2026, 1, 5, 10, 30), cutoff=time(10, 0)) == vn(2026, 1, 6, 17)


# -- working minutes, pause and resume ------------------------------------------------------------------------------


def test_working_minutes_between() -> None:
    assert CALENDAR.working_minutes_between(vn(2026, 1, 5, 10), vn(2026, 1, 5, 15)) == 90 + 90
    assert CALENDAR.working_minutes_between(vn(2026, 1, 9, 16), vn(2026, 1, 12, 8)) == 60 + 480 + 60
    assert CALENDAR.working_minutes_between(vn(2026, 2, 13, 17), vn(2026, 2, 23, 7)) == 0
    assert CALENDAR.working_minutes_between(vn(2026, 1, 5, 15), vn(2026, 1, 5, 10)) == -180


def test_pause_and_resume_keep_the_remaining_working_time() -> None:
    due_at = CALENDAR.add_working_days(vn(2026, 1, 5, 9), 5)
    assert due_at == vn(2026, 1, 10, 9)  # the 5th working day is the make-up Saturday
    paused_at, resumed_at = vn(2026, 1, 7, 10), vn(2026, 1, 12, 14)
    remaining = CALENDAR.working_minutes_between(paused_at, due_at)
    assert remaining == 300 + 480 + 480 + 120

    new_due_at = CALENDAR.resume(due_at, paused_at, resumed_at)

    assert new_due_at == vn(2026, 1, 15, 11)  # 180 on Mon 12/1, 480 + 480, then 240 from 07:00
    assert CALENDAR.working_minutes_between(resumed_at, new_due_at) == remaining


def test_resume_of_an_overdue_dossier_keeps_the_due_instant() -> None:
    due_at = vn(2026, 1, 6, 9)
    assert CALENDAR.resume(due_at, vn(2026, 1, 7, 10), vn(2026, 1, 12, 10)) == due_at


def test_resume_before_pause_is_rejected() -> None:
    with pytest.raises(ValueError):
        CALENDAR.resume(vn(2026, 1, 20, 9), vn(2026, 1, 7, 10), vn(2026, 1, 6, 10))


def test_add_zero_working_minutes_keeps_the_instant() -> None:
    assert CALENDAR.add_working_minutes(vn(2026, 1, 5, 20), 0) == vn(2026, 1, 5, 20)


# -- status, near due, D-1 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished_at", "expected", "label"),
    [
        (vn(2026, 2, 26, 16), DeadlineStatus.EARLY, "Trước hạn"),
        (vn(2026, 2, 27, 8), DeadlineStatus.ON_TIME, "Đúng hạn"),
        (vn(2026, 2, 27, 23), DeadlineStatus.ON_TIME, "Đúng hạn"),  # date level: still on time
        (vn(2026, 2, 28, 8), DeadlineStatus.LATE, "Quá hạn"),
        (datetime(2026, 2, 27, 17, 30, tzinfo=UTC), DeadlineStatus.LATE, "Quá hạn"),  # 00:30 on 28/2 in Hà Nội
    ],
)
def test_status(finished_at: datetime, expected: DeadlineStatus, label: str) -> None:
    result = status(finished_at, vn(2026, 2, 27, 9))
    assert result is expected
    assert result.label == label
    assert result == expected.value  # a str enum, stored as is


def test_is_near_due() -> None:
    due_at = vn(2026, 1, 12, 9)
    friday_afternoon = vn(2026, 1, 9, 16)  # 60 + 480 (make-up Saturday) + 120 working minutes left
    assert not CALENDAR.is_near_due(friday_afternoon, due_at, window_minutes=480)
    assert CALENDAR.is_near_due(friday_afternoon, due_at, window_minutes=660)
    assert CALENDAR.is_near_due(vn(2026, 1, 10, 16), due_at, window_minutes=240)
    assert not CALENDAR.is_near_due(due_at, due_at, window_minutes=480)
    assert not CALENDAR.is_near_due(vn(2026, 1, 12, 10), due_at, window_minutes=480)


@pytest.mark.parametrize(
    ("due_at", "expected"),
    [
        pytest.param(vn(2026, 1, 6, 9), date(2026, 1, 5), id="ordinary"),
        pytest.param(vn(2026, 1, 19, 9), date(2026, 1, 16), id="across a weekend"),
        pytest.param(vn(2026, 1, 12, 9), date(2026, 1, 10), id="make-up Saturday"),
        pytest.param(vn(2026, 2, 23, 9), date(2026, 2, 13), id="across Tết"),
        pytest.param(vn(2026, 1, 5, 9), date(2025, 12, 31), id="across New Year"),
        pytest.param(vn(2026, 1, 11, 9), date(2026, 1, 10), id="due on a Sunday"),
    ],
)
def test_d_minus_one(due_at: datetime, expected: date) -> None:
    assert CALENDAR.d_minus_one(due_at) == expected


# -- outside the covered range --------------------------------------------------------------------------------------


def test_instants_outside_the_calendar_are_rejected() -> None:
    with pytest.raises(OutsideCalendarError, match="nằm ngoài lịch làm việc test-2026") as caught:
        CALENDAR.add_working_days(vn(2027, 6, 1, 9), 1)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(OutsideCalendarError):
        CALENDAR.working_minutes_between(vn(2026, 1, 5, 9), vn(2028, 1, 1, 9))
    with pytest.raises(OutsideCalendarError):
        CALENDAR.is_working_day(date(2025, 11, 30))


def test_the_covered_range_includes_both_ends_and_nothing_more() -> None:
    assert CALENDAR.working_minutes_between(vn(2025, 12, 1), vn(2027, 3, 31, 23, 59)) > 0
    for outside in (date(2025, 11, 30), date(2027, 4, 1)):
        with pytest.raises(OutsideCalendarError):
            CALENDAR.is_working_day(outside)
        with pytest.raises(OutsideCalendarError):
            CALENDAR.working_minutes_between(vn(2026, 1, 5, 9), vn(outside.year, outside.month, outside.day, 9))


def test_results_beyond_the_calendar_are_rejected() -> None:
    with pytest.raises(OutsideCalendarError, match="Không tính được thời hạn"):
        CALENDAR.add_working_days(vn(2027, 3, 30, 9), 10)
    with pytest.raises(OutsideCalendarError):
        CALENDAR.add_working_hours(vn(2027, 3, 31, 9), 9)
    with pytest.raises(OutsideCalendarError):
        CALENDAR.add_calendar_days(vn(2027, 3, 30, 9), 5)
    with pytest.raises(OutsideCalendarError):
        CALENDAR.d_minus_one(vn(2025, 12, 1, 9))


# -- properties: the index agrees with the naive walk ---------------------------------------------------------------

# Minutes around the office boundaries, where off-by-one mistakes live.
_EDGE_MINUTES = [m + d for m in (0, 420, 690, 810, 900, 1020) for d in (-1, 0, 1) if m + d >= 0] + [1439]


@st.composite
def instants_2026(draw: st.DrawFn) -> datetime:
    day = draw(st.dates(date(2026, 1, 1), date(2026, 12, 31)))
    minute = draw(st.one_of(st.integers(0, 1439), st.sampled_from(_EDGE_MINUTES)))
    second = draw(st.sampled_from([0, 0, 0, 30]))
    local = datetime.combine(day, time(minute // 60, minute % 60, second), tzinfo=VIETNAM)
    return local.astimezone(draw(st.sampled_from([VIETNAM, UTC])))


def agree(fast: Callable[[], datetime], expected: datetime) -> None:
    """The fast result equals the naive one, or it raises because the naive one lies outside CALENDAR_2026."""
    if CALENDAR_2026.first <= expected.date() <= CALENDAR_2026.last:
        assert fast() == expected
    else:
        with pytest.raises(OutsideCalendarError):
            fast()


@given(instants_2026(), st.integers(1, 40))
def test_add_working_days_matches_naive(received_at: datetime, n: int) -> None:
    agree(lambda: CALENDAR_2026.add_working_days(received_at, n), NAIVE.add_working_days(received_at, n))


@given(instants_2026(), st.integers(0, 40 * 8 * 4).map(lambda quarters: quarters / 4))
def test_add_working_hours_matches_naive(received_at: datetime, hours: float) -> None:
    agree(lambda: CALENDAR_2026.add_working_hours(received_at, hours), NAIVE.add_working_hours(received_at, hours))


@given(instants_2026(), st.integers(0, 40 * 480))
def test_add_working_minutes_matches_naive(start: datetime, minutes: int) -> None:
    agree(lambda: CALENDAR_2026.add_working_minutes(start, minutes), NAIVE.add_working_minutes(start, minutes))


@given(instants_2026(), st.integers(1, 60))
def test_add_calendar_days_matches_naive(received_at: datetime, n: int) -> None:
    agree(lambda: CALENDAR_2026.add_calendar_days(received_at, n), NAIVE.add_calendar_days(received_at, n))


@given(instants_2026())
def test_same_day_matches_naive(received_at: datetime) -> None:
    agree(lambda: CALENDAR_2026.same_day(received_at), NAIVE.same_day(received_at))


@given(instants_2026())
def test_d_minus_one_matches_naive(due_at: datetime) -> None:
    expected = NAIVE.d_minus_one(due_at)
    if expected >= CALENDAR_2026.first:
        assert CALENDAR_2026.d_minus_one(due_at) == expected
    else:
        with pytest.raises(OutsideCalendarError):
            CALENDAR_2026.d_minus_one(due_at)


@settings(max_examples=300)
@given(instants_2026(), instants_2026())
def test_working_minutes_between_matches_naive(start: datetime, end: datetime) -> None:
    assert CALENDAR_2026.working_minutes_between(start, end) == NAIVE.working_minutes_between(start, end)


@settings(max_examples=300)
@given(instants_2026(), instants_2026())
def test_adding_the_minutes_between_lands_on_the_same_position(x: datetime, y: datetime) -> None:
    x, y = min(x, y), max(x, y)
    landed = CALENDAR_2026.add_working_minutes(x, CALENDAR_2026.working_minutes_between(x, y))
    assert CALENDAR_2026.working_minutes_between(landed, y) == 0
    assert landed <= to_local(y)  # the earliest such instant


@given(instants_2026(), instants_2026(), st.integers(0, 10 * 480))
def test_resume_preserves_remaining_working_minutes(paused_at: datetime, due_at: datetime, pause: int) -> None:
    if to_local(paused_at) >= to_local(due_at):
        return
    resumed_at = NAIVE.add_working_minutes(paused_at, pause) + timedelta(hours=2)  # also resume outside office hours
    remaining = CALENDAR_2026.working_minutes_between(paused_at, due_at)
    expected = NAIVE.add_working_minutes(resumed_at, remaining)
    if expected.date() > CALENDAR_2026.last or resumed_at.date() > CALENDAR_2026.last:
        return
    new_due_at = CALENDAR_2026.resume(due_at, paused_at, resumed_at)
    assert new_due_at == expected
    assert CALENDAR_2026.working_minutes_between(resumed_at, new_due_at) == remaining
