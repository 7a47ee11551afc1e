"""Every report window, across the year boundary, at every level (BNV 581/BNV-CCHC; DOMAIN-2.md §4). Pure."""

from datetime import date

import pytest

from motcua.reform.reports.windows import Kind, Level, window, windows_of

CASES = [
    (Kind.Q1, date(2025, 12, 15), date(2026, 3, 14), 3),
    (Kind.HALF, date(2025, 12, 15), date(2026, 6, 14), 6),
    (Kind.Q3, date(2026, 6, 15), date(2026, 9, 14), 9),
    (Kind.YEAR, date(2025, 12, 15), date(2026, 12, 14), 12),
]


@pytest.mark.parametrize(("kind", "start", "end", "month"), CASES)
def test_each_window_and_due_date(kind: Kind, start: date, end: date, month: int) -> None:
    province = window(kind, Level.PROVINCE, 2026, unit_due_day=15)
    assert (province.cutoff_from, province.cutoff_to, province.due_on) == (start, end, date(2026, month, 20))
    assert "581/BNV-CCHC" in province.basis
    for level in (Level.DEPARTMENT, Level.COMMUNE):
        unit = window(kind, level, 2026, unit_due_day=12)
        assert (unit.cutoff_from, unit.cutoff_to, unit.due_on) == (start, end, date(2026, month, 12))
        assert "ngày 12" in unit.basis


def test_q1_half_and_year_start_in_the_previous_year() -> None:
    starts = {w.kind: w.cutoff_from for w in windows_of(2027, 15)}
    assert starts == {
        Kind.Q1: date(2026, 12, 15), Kind.HALF: date(2026, 12, 15), Kind.Q3: date(2027, 6, 15),
        Kind.YEAR: date(2026, 12, 15),
    }  # fmt: skip
    # The year's window and the next year's first quarter meet without a gap or an overlap.
    year_2026 = window(Kind.YEAR, Level.PROVINCE, 2026, 15)
    q1_2027 = window(Kind.Q1, Level.PROVINCE, 2027, 15)
    assert (q1_2027.cutoff_from - year_2026.cutoff_to).days == 1


def test_a_year_has_twelve_periods() -> None:
    assert len(windows_of(2026, 15)) == 12
    assert len({(w.kind, w.level) for w in windows_of(2026, 15)}) == 12
