"""QĐ 766 group 5's PAKN figures per handling unit, read from the cases themselves (one grouped query), and the
cases behind each figure, both from one definition (`_counted`).

DOMAIN-2.md §1.2 and §2.2 [I VPCP's description]: a PAKN is "handled" when refused or answered; on time when refused
by its acceptance due instant or answered by its handling due instant; open at the period's end and not yet past
due is "within deadline". 5.2 counts the PAKN received or handled in the period; 5.1 and 5.3 those first received in
it, 5.3 subtracting those rated "không hài lòng", handled late (or overdue at the period's end) or followed by a new
case disputing the answer. Anonymous cases count only where the province says so (`anonymous_counted`). Instants
are compared as stored (a due instant carries the receipt's time of day). A case's figures follow its current row,
so a rebuild has nothing to replay.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When

from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.feedback.lifecycle import Kind, Rating, Status, Topic
from motcua.feedback.models import FeedbackCase

from .periods import Period


class PaknFigures(NamedTuple):
    pakn_received: int = 0  # first received in the period (5.1, 5.3 denominators)
    pakn_classified: int = 0  # ... with a class (5.1 numerator)
    pakn_to_handle: int = 0  # received or handled in the period (5.2 denominator)
    pakn_on_time: int = 0  # handled on time in the period, or open within deadline at its end (5.2 numerator)
    pakn_satisfied: int = 0  # first received, neither disliked, late nor disputed (5.3 numerator)
    conduct_verified: int = 0  # dossiers ended in the period with a verified report on an official's conduct
    conduct_verified_points: int = 0  # ... the points TT 01/2018 indicator 1 gives them, which indicator 7 takes back


def anonymous_counted() -> bool:
    """Whether anonymous cases count as PAKN (DOMAIN.md §5.1: ND 20/2008 asks for the sender's identity); the same
    setting lets the portal take anonymous PAKN about regulations."""
    return bool(getattr(settings, "MOTCUA_FEEDBACK_ANONYMOUS_PAKN", False))


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as instants: from its first day's midnight to the end of its reporting day, never past now."""
    start = datetime.combine(period.start, time.min, tzinfo=clock.VIETNAM)
    end = datetime.combine(period.as_of + timedelta(days=1), time.min, tzinfo=clock.VIETNAM)
    return start, min(end, clock.now())


def _counted(period: Period, unit_ids: Iterable[int] | None) -> tuple[QuerySet[FeedbackCase], dict[str, Q]]:
    """The PAKN a period looks at, and each figure's condition on them: the one definition of group 5."""
    start, end = _bounds(period)
    fresh = Q(received_at__gte=start)
    cases = FeedbackCase.objects.filter(kind=Kind.PAKN, received_at__lt=end).filter(
        fresh | Q(closed_at__gte=start, closed_at__lt=end)
    )
    # A case received above its level counts once, as its child at the competent unit (DOMAIN-2.md §1.2, 5.3).
    cases = cases.exclude(Exists(FeedbackCase.objects.filter(parent=OuterRef("pk"))))
    if not anonymous_counted():
        cases = cases.exclude(is_anonymous=True)
    if unit_ids is not None:
        cases = cases.filter(handling_unit__in=list(unit_ids))
    # Closed by the end, and by the instant its own clock says: acceptance for a refusal, the answer otherwise.
    closed = Q(closed_at__isnull=False, closed_at__lt=end)
    on_time = (closed & Q(closed_at__lte=F("clock_due"))) | (~closed & Q(due_at__gte=end))
    cases = cases.annotate(
        clock_due=Case(When(status=Status.REFUSED, then=F("accept_due_at")), default=F("due_at")),
        disputed=Exists(FeedbackCase.objects.filter(follows=OuterRef("pk"))),
    )
    conditions = {
        "pakn_received": fresh,
        "pakn_classified": fresh & ~Q(topic=""),
        "pakn_to_handle": Q(pk__isnull=False),
        "pakn_on_time": on_time,
        "pakn_satisfied": fresh & on_time & ~Q(rating=Rating.UNSATISFIED) & Q(disputed=False),
    }
    return cases, conditions


def pakn_by_unit(period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, PaknFigures]:
    """Each handling unit's PAKN figures for the period, in one grouped query."""
    unit_ids = None if unit_ids is None else list(unit_ids)
    cases, conditions = _counted(period, unit_ids)
    counts = {figure: Count("pk", filter=condition) for figure, condition in conditions.items()}
    rows = cases.values("handling_unit").annotate(**counts).order_by().values_list("handling_unit", *counts)
    out = {unit: PaknFigures(*values) for unit, *values in rows}
    start, end = _bounds(period)
    for unit, (count, points) in _verified_conduct(start, end, unit_ids).items():
        out[unit] = out.get(unit, PaknFigures())._replace(conduct_verified=count, conduct_verified_points=points)
    return out


def _verified_conduct(start: datetime, end: datetime, unit_ids: Iterable[int] | None) -> dict[int, tuple[int, int]]:
    """Per competent unit, the dossiers ended in the period about which a report on an official's conduct was
    verified, and the points indicator 1 gave them by day (earlier 2, the due day 1, later 0): TT 01/2018 indicator
    7 scores such a dossier 0 (DOMAIN.md §1.8; an unverified report does not count)."""
    verified = FeedbackCase.objects.filter(dossier=OuterRef("pk"), topic=Topic.CONDUCT, verified=True)
    ended = Dossier.objects.filter(closed_at__gte=start, closed_at__lt=end, due_at__isnull=False)
    if unit_ids is not None:
        ended = ended.filter(competent_unit__in=list(unit_ids))
    out: dict[int, tuple[int, int]] = {}
    for unit, closed_at, due_at in ended.filter(Exists(verified)).values_list("competent_unit", "closed_at", "due_at"):
        closed, due = (instant.astimezone(clock.VIETNAM).date() for instant in (closed_at, due_at))  # type: ignore[union-attr]
        count, points = out.get(unit, (0, 0))
        out[unit] = (count + 1, points + (2 if closed < due else 1 if closed == due else 0))
    return out


def cases_behind(period: Period, unit_ids: Iterable[int] | None, figure: str) -> list[FeedbackCase]:
    """The cases one of the PAKN figures counts: the same conditions as the counts."""
    cases, conditions = _counted(period, unit_ids)
    chosen = cases.filter(conditions[figure]).select_related("handling_unit")
    return list(chosen.order_by("received_at", "pk"))
