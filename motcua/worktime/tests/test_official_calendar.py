"""The official calendar 2020–2030 as seeded: real dates, and properties of deadlines computed on it."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime import official
from motcua.worktime.arithmetic import VIETNAM, NaiveCalendar, WorkCalendar, status
from motcua.worktime.deadlines import DeadlineInputError, LimitUnit, TimeLimit, compute_deadline

ENTRIES = [entry for year in range(2020, 2031) for entry in official.entries_for(year)]
PROPOSALS = [proposal for year in range(2020, 2031) for proposal in official.proposals_for(year)]
OFF = frozenset(e.day for e in ENTRIES if e.kind == official.OFF)
WORKING = frozenset(e.day for e in ENTRIES if e.kind == official.WORKING)
CALENDAR = WorkCalendar(
    off_days=OFF, extra_working_days=WORKING, version="official", first=date(2020, 1, 1), last=date(2030, 12, 31)
)
NAIVE = NaiveCalendar(off_days=OFF, extra_working_days=WORKING)


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def due(start: datetime, amount: float, unit: LimitUnit = LimitUnit.WORKING_DAYS) -> datetime:
    return compute_deadline(CALENDAR, start, TimeLimit(amount, unit)).due_at


def test_tet_2025_and_2026_are_off() -> None:
    assert {date(2025, 1, d) for d in range(27, 32)} <= OFF  # 27–31/01/2025
    assert {date(2026, 2, d) for d in range(16, 21)} <= OFF  # 16–20/02/2026
    assert not any(CALENDAR.is_working_day(date(2026, 2, d)) for d in range(14, 23))


def test_only_the_swap_with_a_cited_notice_is_seeded_and_the_package_swaps_are_proposals() -> None:
    # 2026: Fri 02/01 off for Sat 10/01, by VPCP letter 12729/VPCP-KGVX of 25/12/2025 (DOMAIN.md §7.1).
    assert date(2026, 1, 2) in OFF and date(2026, 1, 10) in WORKING
    swap = next(e for e in ENTRIES if e.day == date(2026, 1, 10))
    assert "12729/VPCP-KGVX" in swap.legal_basis
    # The package's swaps of 2025 (Fri 02/05 for Sat 26/04) and 2026 (Mon 31/08 for Sat 22/08) come with no text we
    # have read: the ordinary week stands until an admin confirms them with the notice.
    assert not {date(2025, 5, 2), date(2025, 4, 26), date(2026, 8, 31), date(2026, 8, 22)} & (OFF | WORKING)
    assert CALENDAR.is_working_day(date(2026, 8, 31)) and not CALENDAR.is_working_day(date(2026, 8, 22))
    proposed = {(p.day, p.kind, p.paired_day) for p in PROPOSALS}
    assert {
        (date(2026, 8, 31), official.OFF, date(2026, 8, 22)),
        (date(2026, 8, 22), official.WORKING, date(2026, 8, 31)),
        (date(2025, 5, 2), official.OFF, date(2025, 4, 26)),
        (date(2025, 4, 26), official.WORKING, date(2025, 5, 2)),
    } <= proposed


def test_24_11_2026_is_a_working_day_until_confirmed() -> None:
    # No amendment of BLLĐ art. 112 adding "Ngày Văn hóa Việt Nam" is known (DOMAIN.md §7.1): a proposal, not a day off
    assert date(2026, 11, 24) not in OFF and CALENDAR.is_working_day(date(2026, 11, 24))
    proposal = next(p for p in PROPOSALS if p.day == date(2026, 11, 24))
    assert (proposal.kind, proposal.name, proposal.paired_day) == (official.OFF, "Ngày Văn hóa Việt Nam", None)
    assert proposal.source.startswith("gói holidays ")
    # Its compensatory day in 2030 (Sunday 24/11 → Monday 25/11) has no basis either.
    assert date(2030, 11, 25) not in OFF and date(2030, 11, 25) in {p.day for p in PROPOSALS}
    # 15 working days from Tuesday 17/11/2026 count Tuesday 24/11.
    assert due(vn(2026, 11, 17, 9, 0), 15) == vn(2026, 12, 8, 9, 0)


def test_every_seeded_day_cites_a_text() -> None:
    cited = {official.HOLIDAY_BASIS, official.COMPENSATION_BASIS}
    assert all(e.legal_basis in cited or "12729/VPCP-KGVX ngày 25/12/2025" in e.legal_basis for e in ENTRIES)
    assert all(e.legal_basis == official.COMPENSATION_BASIS for e in ENTRIES if "nghỉ bù" in e.name)
    assert not {e.day for e in ENTRIES} & {p.day for p in PROPOSALS}


def test_hung_kings_2026_falls_on_a_sunday_and_is_compensated_on_monday() -> None:
    assert date(2026, 4, 26).weekday() == 6
    assert date(2026, 4, 27) in OFF
    compensation = next(e for e in ENTRIES if e.day == date(2026, 4, 27))
    assert "Điều 111" in compensation.legal_basis
    # Received Friday 24/04 at 10:00 with 2 working days: Mon 27/04 off, Tue 28/04, Wed 29/04; Thu 30/04 is off.
    assert due(vn(2026, 4, 24, 10, 0), 2) == vn(2026, 4, 29, 10, 0)
    assert due(vn(2026, 4, 24, 10, 0), 3) == vn(2026, 5, 4, 10, 0)


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        # Eve of Tết 2026: received Friday 13/02 at 16:30; counting starts on 14/02 and skips the whole holiday.
        (vn(2026, 2, 13, 16, 30), 5, LimitUnit.WORKING_DAYS, vn(2026, 2, 27, 16, 30)),
        (vn(2026, 2, 13, 16, 30), 1, LimitUnit.WORKING_DAYS, vn(2026, 2, 23, 16, 30)),
        # Eve of Tết 2025: Friday 24/01/2025; 27–31/01 off.
        (vn(2025, 1, 24, 9, 0), 1, LimitUnit.WORKING_DAYS, vn(2025, 2, 3, 9, 0)),
        # Friday after 15:00, same-day procedure: due at closing on Monday.
        (vn(2026, 3, 6, 15, 30), 0, LimitUnit.SAME_DAY, vn(2026, 3, 9, 17, 0)),
        (vn(2026, 3, 6, 14, 59), 0, LimitUnit.SAME_DAY, vn(2026, 3, 6, 17, 0)),
        # At lunch: 4 working hours start at 13:30 and end at 17:30 → 17:00 plus 30 minutes the next morning.
        (vn(2026, 3, 10, 12, 0), 4, LimitUnit.WORKING_HOURS, vn(2026, 3, 11, 7, 30)),
        # At 17:30: the time of day is snapped to closing time on the due day.
        (vn(2026, 3, 10, 17, 30), 3, LimitUnit.WORKING_DAYS, vn(2026, 3, 13, 17, 0)),
        (vn(2026, 3, 10, 17, 30), 2, LimitUnit.WORKING_HOURS, vn(2026, 3, 11, 9, 0)),
        # Calendar days ending on a holiday move to the next working day (BLDS art. 148(5)): 20 days from 10/04/2026.
        (vn(2026, 4, 10, 9, 0), 20, LimitUnit.CALENDAR_DAYS, vn(2026, 5, 4, 17, 0)),
        # The make-up Saturday counts: received Friday 09/01/2026 16:30, 1 working day → Saturday 10/01.
        (vn(2026, 1, 9, 16, 30), 1, LimitUnit.WORKING_DAYS, vn(2026, 1, 10, 16, 30)),
    ],
)
def test_real_dates(start: datetime, amount: float, unit: LimitUnit, expected: datetime) -> None:
    assert due(start, amount, unit) == expected


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        (0, LimitUnit.WORKING_DAYS, "lớn hơn 0"),
        (-3, LimitUnit.WORKING_DAYS, "lớn hơn 0"),
        (2.5, LimitUnit.WORKING_DAYS, "số nguyên"),
        (366, LimitUnit.WORKING_DAYS, "không quá 365 ngày làm việc"),
        (5000, LimitUnit.WORKING_HOURS, "không quá 2000 giờ làm việc"),
        (731, LimitUnit.CALENDAR_DAYS, "không quá 730 ngày"),
    ],
)
def test_absurd_limits_are_refused_in_vietnamese(amount: float, unit: LimitUnit, message: str) -> None:
    with pytest.raises(DeadlineInputError, match=message):
        TimeLimit(amount, unit)


def test_naive_start_and_years_outside_the_table_are_refused() -> None:
    with pytest.raises(DeadlineInputError, match="phải có múi giờ"):
        compute_deadline(CALENDAR, datetime(2026, 3, 10, 9, 0), TimeLimit(1, LimitUnit.WORKING_DAYS))
    with pytest.raises(DeadlineInputError, match="nằm ngoài lịch làm việc"):
        due(vn(2019, 12, 31, 9, 0), 1)
    with pytest.raises(DeadlineInputError, match="nằm ngoài lịch làm việc"):
        due(vn(2030, 12, 20, 9, 0), 30)


instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 6, 30), timezones=st.just(VIETNAM))


def in_office_hours_on_a_working_day(instant: datetime) -> bool:
    local = instant.astimezone(VIETNAM)
    in_hours = time(7, 0) <= local.time() <= time(11, 30) or time(13, 30) <= local.time() <= time(17, 0)
    return CALENDAR.is_working_day(local.date()) and in_hours


@settings(max_examples=300, deadline=None)
@given(start=instants, n=st.integers(1, 60))
def test_working_days_are_after_start_in_office_hours_and_equal_the_naive_loop(start: datetime, n: int) -> None:
    result = CALENDAR.add_working_days(start, n)
    assert result > start
    assert in_office_hours_on_a_working_day(result)
    assert result == NAIVE.add_working_days(start, n)


@settings(max_examples=300, deadline=None)
@given(start=instants, a=st.integers(1, 2_000), b=st.integers(1, 2_000))
def test_adding_a_then_b_working_minutes_equals_adding_a_plus_b(start: datetime, a: int, b: int) -> None:
    assert CALENDAR.add_working_minutes(CALENDAR.add_working_minutes(start, a), b) == CALENDAR.add_working_minutes(
        start, a + b
    )
    assert CALENDAR.add_working_minutes(start, a + b) == NAIVE.add_working_minutes(start, a + b)
    assert in_office_hours_on_a_working_day(CALENDAR.add_working_minutes(start, a))


@settings(max_examples=200, deadline=None)
@given(start=instants, n=st.integers(1, 30), pause=st.integers(0, 5_000), length=st.integers(0, 20_000))
def test_pause_and_resume_preserve_the_remaining_working_time(
    start: datetime, n: int, pause: int, length: int
) -> None:
    due_at = CALENDAR.add_working_days(start, n)
    paused_at = start + timedelta(minutes=pause)
    resumed_at = paused_at + timedelta(minutes=length)
    new_due = CALENDAR.resume(due_at, paused_at, resumed_at)
    if paused_at < due_at:
        remaining = CALENDAR.working_minutes_between(paused_at, due_at)
        assert CALENDAR.working_minutes_between(resumed_at, new_due) == remaining
    else:
        assert new_due == due_at


def test_status_is_judged_by_date() -> None:
    due_at = vn(2026, 2, 27, 16, 30)
    assert status(vn(2026, 2, 26, 17, 0), due_at).label == "Trước hạn"
    assert status(vn(2026, 2, 27, 23, 0), due_at).label == "Đúng hạn"
    assert status(vn(2026, 3, 2, 7, 0), due_at).label == "Quá hạn"
