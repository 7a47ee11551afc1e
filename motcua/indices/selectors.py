"""What the screens, reports and API show: a unit's scores, its units' ranking, monthly trends, deadline lists."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit
from motcua.worktime.selectors import calendars_for

from .engine import Evaluation, Score, catalogue_counts, evaluate, score
from .figures import Figures, figures_by_unit, monthly, procedures_with_dossiers
from .periods import Period
from .scope import BLOCKS, SCORED_TYPES, Scope


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    block: str
    figures: Figures
    score: Score
    evaluation: Evaluation
    rank: int = 0


@dataclass(frozen=True)
class Board:
    """The dashboard of one unit (with everything below it) for one period."""

    period: Period
    unit: UnitResult
    ranking: list[UnitResult]
    trend: list[tuple[Period, Figures, Decimal | None]]  # month, figures, progress score (2.1) in percent


def board(scope: Scope, unit: Unit, period: Period) -> Board:
    """Compute a unit's board: a fixed handful of queries over the counters, whatever the number of dossiers."""
    tree = scope.tree
    below = tree.below(unit.pk)
    scored = tree.scored_below(unit.pk)
    everything = unit.code == settings.MOTCUA_PROVINCE_CODE
    own = figures_by_unit(period, None if everything else below)
    with_dossiers = procedures_with_dossiers(period, None if everything else below)
    members = [tree.units[pk] for pk in below if tree.units[pk].type in SCORED_TYPES or tree.units[pk].pk == unit.pk]
    counts = catalogue_counts(members, period.as_of, since=period.start)

    def result(target: Unit, units: set[int]) -> UnitResult:
        figures = sum((own[pk] for pk in units if pk in own), Figures())
        procedures = counts.for_units(units, with_dossiers)
        return UnitResult(
            target,
            BLOCKS.get(target.type, ""),  # type: ignore[call-overload]
            figures,
            score(figures, procedures, period.as_of, province=target.code == settings.MOTCUA_PROVINCE_CODE),
            evaluate(figures, procedures, period.as_of),
        )

    ranked = sorted(
        (result(u, tree.below(u.pk)) for u in scored),
        key=lambda r: (-(r.score.percent or Decimal(-1)), r.unit.name),
    )
    ranking = [UnitResult(r.unit, r.block, r.figures, r.score, r.evaluation, rank) for rank, r in enumerate(ranked, 1)]
    trend = []
    for month, figures in monthly(period, None if everything else below):
        progress = score(figures, (0, 0, 0), month.as_of).result("2.1")
        trend.append((month, figures, progress.ratio))
    return Board(period, result(unit, below), ranking, trend)


@dataclass(frozen=True)
class DeadlineRow:
    dossier: Dossier
    overdue: bool


def deadline_lists(scope: Scope, unit: Unit, limit: int = 50) -> tuple[list[Dossier], list[Dossier]]:
    """Open dossiers being handled now: overdue, and near their due instant (MOTCUA_NEAR_DUE_WORKING_MINUTES)."""
    now: datetime = clock.now()
    handled = Dossier.objects.filter(status__in=(2, 4), due_at__isnull=False)
    if unit.code != settings.MOTCUA_PROVINCE_CODE:  # the whole province needs no list of its 400 units
        handled = handled.filter(competent_unit__in=scope.tree.below(unit.pk))
    handled = (
        handled.select_related("version", "competent_unit")
        .defer("version__record", "version__search_text")
        .order_by("due_at")
    )
    overdue = list(handled.filter(due_at__lt=now)[:limit])
    window = settings.MOTCUA_NEAR_DUE_WORKING_MINUTES
    upcoming = list(handled.filter(due_at__gte=now)[: limit * 4])
    # One calendar read for all the units in the list, not one per unit: the province's list spans many.
    calendars = calendars_for(d.competent_unit_id for d in upcoming)
    near = [d for d in upcoming if d.due_at and calendars[d.competent_unit_id].is_near_due(now, d.due_at, window)]
    return overdue, near[:limit]
