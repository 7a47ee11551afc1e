"""Period figures read from the counters: a few rows per unit and metric, whatever the number of dossiers (the PAKN
figures of group 5 come from the cases, `pakn.py`).

A stock's value at the end of day X is the sum of its counters up to X; it is read as whole years before X's year,
whole months before X's month, then X's month day by day (a period ending on a month's last day reads no day rows).
A flow over [start, X] is the difference of two such sums.
"""

from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from operator import add, attrgetter
from typing import Any

from django.db import connection

from motcua.core.errors import DomainError
from motcua.dossiers.counters import UNIT_COLUMNS, Metric, ResultMetric
from motcua.dossiers.models import DossierCounter, Span, UnitCounter

from .pakn import pakn_by_unit
from .periods import Period


@dataclass
class Figures:
    """What a unit (or a roll-up of units) did in a period; stocks are taken at the reporting date."""

    received: int = 0
    received_online: int = 0
    received_digitised: int = 0
    refused: int = 0
    ended_early: int = 0
    ended_on_time: int = 0
    ended_late: int = 0
    ended_late_online: int = 0
    carried_over: int = 0  # open at the end of the day before the period
    open: int = 0
    overdue: int = 0
    paused: int = 0
    # The result counters (`counters.ResultMetric`); all flows.
    result_due: int = 0  # processing ended, the procedure returns a written result (4.1 denominator)
    e_result: int = 0  # ... with a signed e-result (4.1 numerator)
    received_online_result: int = 0  # received online, e-result where the result is written (3.3 numerator)
    received_digitised_result: int = 0  # received with a digitised paper, the same condition (4.2 numerator)
    rated_unsatisfied: int = 0  # overall rating "Không hài lòng" given in the period (5.4)
    reported: int = 0  # first phản ánh, kiến nghị about a dossier not rated "Không hài lòng" before (5.4)
    received_synced: int = 0  # received, with its record acknowledged by the national portal (1.4 numerator)
    received_fee_due: int = 0  # received, owing a fee of more than 0 đ (3.6 denominator)
    received_paid_online: int = 0  # ... paid online (3.6 numerator)
    received_vneid: int = 0  # received, filed through a VNeID-verified account (4.5b numerator)
    # The unit's PAKN (`pakn.PaknFigures`), read from the cases.
    pakn_received: int = 0
    pakn_classified: int = 0
    pakn_to_handle: int = 0
    pakn_on_time: int = 0
    pakn_satisfied: int = 0
    conduct_verified: int = 0
    conduct_verified_points: int = 0

    @property
    def ended(self) -> int:
        return self.ended_early + self.ended_on_time + self.ended_late

    @property
    def within(self) -> int:
        """Open and not overdue at the reporting date (a wait that began before the due date stops the clock)."""
        return self.open - self.overdue

    @property
    def to_handle(self) -> int:
        """Cần xử lý: carried over plus received in the period (Gia Lai's definition, DOMAIN.md §3)."""
        return self.carried_over + self.received

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*map(add, _values(self), _values(other)))


FIELDS = tuple(f.name for f in fields(Figures))
_values = attrgetter(*FIELDS)
FLOWS = {
    Metric.RECEIVED: "received",
    Metric.RECEIVED_ONLINE: "received_online",
    Metric.RECEIVED_DIGITISED: "received_digitised",
    Metric.REFUSED: "refused",
    Metric.ENDED_EARLY: "ended_early",
    Metric.ENDED_ON_TIME: "ended_on_time",
    Metric.ENDED_LATE: "ended_late",
    Metric.ENDED_LATE_ONLINE: "ended_late_online",
}
STOCKS = {Metric.OPEN: "open", Metric.OVERDUE: "overdue", Metric.PAUSED: "paused"}
RESULT_FLOWS = {
    ResultMetric.RESULT_DUE: "result_due",
    ResultMetric.E_RESULT: "e_result",
    ResultMetric.ONLINE_WITH_RESULT: "received_online_result",
    ResultMetric.DIGITISED_WITH_RESULT: "received_digitised_result",
    ResultMetric.UNSATISFIED: "rated_unsatisfied",
    ResultMetric.REPORTED: "reported",
    ResultMetric.SYNCED: "received_synced",
    ResultMetric.FEE_DUE: "received_fee_due",
    ResultMetric.PAID_ONLINE: "received_paid_online",
    ResultMetric.VNEID: "received_vneid",
}


@dataclass(frozen=True)
class Prefix:
    """The counter rows whose sum is a stock's value at the end of a day: all days before `following`."""

    following: date

    @property
    def year(self) -> date:
        return self.following.replace(month=1, day=1)

    @property
    def month(self) -> date:
        return self.following.replace(day=1)

    def sql(self) -> tuple[str, list[object]]:
        condition = (
            "((span = 'Y' AND start < %s) OR (span = 'M' AND start >= %s AND start < %s) "
            "OR (span = 'D' AND start >= %s AND start < %s))"
        )
        return condition, [self.year, self.year, self.month, self.month, self.following]

    def holds(self, span: str, start: date) -> bool:
        if span == Span.YEAR:
            return start < self.year
        if span == Span.MONTH:
            return self.year <= start < self.month
        return self.month <= start < self.following


def prefix_at(day: date) -> Prefix:
    return Prefix(day + timedelta(days=1))


def cover(start: date, end: date) -> list[tuple[str, date]]:
    """The fewest whole years, months and days that make up [start, end]."""
    buckets, day = [], start
    while day <= end:
        year_end, month_end = date(day.year, 12, 31), date(day.year, day.month, monthrange(day.year, day.month)[1])
        if day.month == 1 and day.day == 1 and year_end <= end:
            buckets.append((Span.YEAR.value, day))
            day = year_end + timedelta(days=1)
        elif day.day == 1 and month_end <= end:
            buckets.append((Span.MONTH.value, day))
            day = month_end + timedelta(days=1)
        else:
            buckets.append((Span.DAY.value, day))
            day += timedelta(days=1)
    return buckets


def _check(period: Period) -> None:
    if period.start > period.as_of:
        raise DomainError("Kỳ báo cáo chưa bắt đầu; hãy chọn kỳ đã qua hoặc đang diễn ra.", field="from")


# Each counter column as a figure: a flow is its change over the period, a stock its value at the end.
_FIGURE_OF = {str(column): figure for named in (FLOWS, RESULT_FLOWS, STOCKS) for column, figure in named.items()}
_COLUMN_FIGURES = [(_FIGURE_OF[column], column in STOCKS) for column in UNIT_COLUMNS]
_OPEN = UNIT_COLUMNS.index(Metric.OPEN)


def _figures(at_end: Sequence[int], before: Sequence[int]) -> Figures:
    values = {
        figure: end if is_stock else end - earlier
        for (figure, is_stock), end, earlier in zip(_COLUMN_FIGURES, at_end, before, strict=True)
    }
    return Figures(carried_over=before[_OPEN], **values)


def _units(unit_ids: Iterable[int] | None) -> tuple[str, list[object]]:
    if unit_ids is None:
        return "", []
    ids = list(unit_ids)
    return f" AND unit_id IN ({', '.join(['%s'] * len(ids))})" if ids else " AND FALSE", list(ids)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    # Plain SQL: at dashboard scale, building and iterating ORM querysets costs more than the database does.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def figures_by_unit(period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, Figures]:
    """Return each unit's own figures for the period (a query on the counters, one on the PAKN); None: every unit."""
    _check(period)
    unit_ids = None if unit_ids is None else list(unit_ids)
    end, end_params = prefix_at(period.as_of).sql()
    before, before_params = prefix_at(period.start - timedelta(days=1)).sql()
    units, unit_params = _units(unit_ids)
    table = UnitCounter._meta.db_table
    sums = ", ".join(f"SUM({column})" for column in UNIT_COLUMNS)
    rows = _rows(
        f"SELECT 1, unit_id, {sums} FROM {table} WHERE {end}{units} GROUP BY unit_id "  # noqa: S608 (no user input)
        f"UNION ALL SELECT 0, unit_id, {sums} FROM {table} WHERE {before}{units} GROUP BY unit_id",
        [*end_params, *unit_params, *before_params, *unit_params],
    )
    by_unit: defaultdict[int, list[tuple[int, ...]]] = defaultdict(lambda: [(0,) * len(UNIT_COLUMNS)] * 2)
    for is_end, unit, *totals in rows:
        by_unit[unit][is_end] = tuple(totals)
    out: dict[int, Figures] = {}
    for unit, (earlier, at_end) in by_unit.items():
        out[unit] = _figures(at_end, earlier)
    for unit, pakn in pakn_by_unit(period, unit_ids).items():
        out[unit] = replace(out.get(unit, Figures()), **pakn._asdict())
    return out


def monthly(period: Period, unit_ids: Iterable[int] | None = None) -> list[tuple[Period, Figures]]:
    """The figures of each month of the period for the units together (one query), for the trend charts."""
    _check(period)
    months = [m for m in period.months() if m.start <= period.as_of]
    prefixes = {prefix_at(m.start - timedelta(days=1)) for m in months} | {prefix_at(m.as_of) for m in months}
    conditions, params = [], []
    for prefix in sorted(prefixes, key=lambda p: p.following):
        condition, values = prefix.sql()
        conditions.append(condition)
        params += values
    units, unit_params = _units(unit_ids)
    columns = ", ".join(f"SUM({column})" for column in UNIT_COLUMNS)
    sums = _rows(
        f"SELECT span, start, {columns} FROM {UnitCounter._meta.db_table} "  # noqa: S608 (no user input)
        f"WHERE ({' OR '.join(conditions)}){units} GROUP BY span, start",
        [*params, *unit_params],
    )
    series = []
    for month in months:
        end, before = prefix_at(month.as_of), prefix_at(month.start - timedelta(days=1))
        at_end, earlier = [0] * len(UNIT_COLUMNS), [0] * len(UNIT_COLUMNS)
        for span, start, *totals in sums:
            if end.holds(span, start):
                at_end = [a + t for a, t in zip(at_end, totals, strict=True)]
            if before.holds(span, start):
                earlier = [a + t for a, t in zip(earlier, totals, strict=True)]
        series.append((month, _figures(at_end, earlier)))
    return series


# The flows whose procedures count: filed online (3.2), received owing a fee (3.5), filed through VNeID (4.5a).
PROCEDURE_FLOWS = (Metric.RECEIVED_ONLINE.value, ResultMetric.FEE_DUE.value, ResultMetric.VNEID.value)


def procedures_with_dossiers(period: Period, unit_ids: Iterable[int] | None = None) -> dict[str, dict[int, set[int]]]:
    """Per flow of `PROCEDURE_FLOWS`, each unit's procedures with at least one dossier counted under it in the period
    (dossiers filed online: 766 indicator 3.2; dossiers received owing a fee: 3.5), in one query.

    Such flows only ever add, so a pair qualifies when any of the buckets covering the period is positive.
    """
    _check(period)
    by_span: defaultdict[str, list[date]] = defaultdict(list)
    for span, start in cover(period.start, period.as_of):
        by_span[span].append(start)
    spans = " OR ".join(f"(span = %s AND start IN ({', '.join(['%s'] * len(days))}))" for days in by_span.values())
    params: list[object] = list(PROCEDURE_FLOWS)
    for span, days in by_span.items():
        params += [span, *days]
    units, unit_params = _units(unit_ids)
    rows = _rows(
        f"SELECT DISTINCT metric, unit_id, procedure_id FROM {DossierCounter._meta.db_table} "  # noqa: S608
        f"WHERE metric IN ({', '.join(['%s'] * len(PROCEDURE_FLOWS))}) AND ({spans}){units}",
        [*params, *unit_params],
    )
    found: dict[str, defaultdict[int, set[int]]] = {metric: defaultdict(set) for metric in PROCEDURE_FLOWS}
    for metric, unit, procedure in rows:
        found[metric][unit].add(procedure)
    # Plain dicts: looking up a unit without such dossiers must not add it.
    return {metric: dict(by_unit) for metric, by_unit in found.items()}
