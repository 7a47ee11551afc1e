"""Period figures read from the counters only: a few rows per unit and metric, whatever the number of dossiers.

A stock's value at the end of day X is the sum of its counters up to X; it is read as whole years before X's year,
whole months before X's month, then X's month day by day (a period ending on a month's last day reads no day rows).
A flow over [start, X] is the difference of two such sums.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.db.models import Case, Q, Sum, When

from motcua.core.errors import DomainError
from motcua.dossiers.counters import Metric
from motcua.dossiers.models import DossierCounter, Span, UnitCounter

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

    @property
    def ended(self) -> int:
        return self.ended_early + self.ended_on_time + self.ended_late

    @property
    def within(self) -> int:
        """Open and not overdue at the reporting date (paused dossiers' clock is stopped)."""
        return self.open - self.overdue

    @property
    def to_handle(self) -> int:
        """Cần xử lý: carried over plus received in the period (Gia Lai's definition, DOMAIN.md §3)."""
        return self.carried_over + self.received

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


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

    def q(self) -> Q:
        return (
            Q(span=Span.YEAR, start__lt=self.year)
            | Q(span=Span.MONTH, start__gte=self.year, start__lt=self.month)
            | Q(span=Span.DAY, start__gte=self.month, start__lt=self.following)
        )

    def holds(self, span: str, start: date) -> bool:
        if span == Span.YEAR:
            return start < self.year
        if span == Span.MONTH:
            return self.year <= start < self.month
        return self.month <= start < self.following


def prefix_at(day: date) -> Prefix:
    return Prefix(day + timedelta(days=1))


def _check(period: Period) -> None:
    if period.start > period.as_of:
        raise DomainError("Kỳ báo cáo chưa bắt đầu; hãy chọn kỳ đã qua hoặc đang diễn ra.", field="from")


def _fill(figures: Figures, metric: str, at_end: int, before: int) -> None:
    if metric in FLOWS:
        setattr(figures, FLOWS[Metric(metric)], at_end - before)
    elif metric in STOCKS:
        setattr(figures, STOCKS[Metric(metric)], at_end)
        if metric == Metric.OPEN:
            figures.carried_over = before


def figures_by_unit(period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, Figures]:
    """Return each unit's own figures for the period (one query); None means every unit."""
    _check(period)
    end, before = prefix_at(period.as_of).q(), prefix_at(period.start - timedelta(days=1)).q()
    rows = UnitCounter.objects.filter(end | before)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    totals = rows.values("unit_id", "metric").annotate(
        at_end=Sum(Case(When(end, then="value"), default=0)),
        before=Sum(Case(When(before, then="value"), default=0)),
    )
    out: defaultdict[int, Figures] = defaultdict(Figures)
    for row in totals:
        _fill(out[row["unit_id"]], row["metric"], row["at_end"], row["before"])
    return dict(out)


def monthly(period: Period, unit_ids: Iterable[int] | None = None) -> list[tuple[Period, Figures]]:
    """The figures of each month of the period for the units together (one query), for the trend charts."""
    _check(period)
    months = [m for m in period.months() if m.start <= period.as_of]
    prefixes = {prefix_at(m.start - timedelta(days=1)) for m in months} | {prefix_at(m.as_of) for m in months}
    condition = Q()
    for prefix in prefixes:
        condition |= prefix.q()
    rows = UnitCounter.objects.filter(condition)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    sums = list(rows.values_list("metric", "span", "start").annotate(total=Sum("value")))
    series = []
    for month in months:
        end, before = prefix_at(month.as_of), prefix_at(month.start - timedelta(days=1))
        figures = Figures()
        for metric in {row[0] for row in sums}:
            at_end = sum(t for m, s, d, t in sums if m == metric and end.holds(s, d))
            earlier = sum(t for m, s, d, t in sums if m == metric and before.holds(s, d))
            _fill(figures, metric, at_end, earlier)
        series.append((month, figures))
    return series


def procedures_with_online_dossiers(period: Period, unit_ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """(unit, procedure) pairs with at least one dossier filed online in the period (766 indicator 3.2)."""
    _check(period)
    end, before = prefix_at(period.as_of).q(), prefix_at(period.start - timedelta(days=1)).q()
    rows = DossierCounter.objects.filter(end | before, metric=Metric.RECEIVED_ONLINE)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    totals = rows.values("unit_id", "procedure_id").annotate(
        at_end=Sum(Case(When(end, then="value"), default=0)),
        before=Sum(Case(When(before, then="value"), default=0)),
    )
    return {(row["unit_id"], row["procedure_id"]) for row in totals if row["at_end"] - row["before"] > 0}
