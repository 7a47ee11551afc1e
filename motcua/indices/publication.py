"""Indicator 1.1: procedures announced on time (DOMAIN-2.md §1.2, 1.1).

A procedure counts in a period when a decision announcing it (quyết định công bố) is dated within the period. It is
on time when that decision is dated at least 5 working days (a province; 20 for a ministry) before the latest
effective date of its legal basis; one late decision in the period makes the procedure late for the whole period.
A version whose record lacks either date, or whose dates fall outside the working calendar, cannot be judged: it is
left out of both counts, never guessed.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from motcua.catalogue.models import ProcedureVersion, VersionStatus
from motcua.organizations.models import Unit
from motcua.worktime.arithmetic import OutsideCalendarError, WorkCalendar
from motcua.worktime.selectors import calendar_for

from .config import PUBLISH_LEAD_WORKING_DAYS

Sets = dict[int, frozenset[int]]


def latest_on_time(calendar: WorkCalendar, effective_on: date, lead: int = PUBLISH_LEAD_WORKING_DAYS) -> date:
    """The last day a decision may be dated: `lead` working days before the legal basis takes effect."""
    day, left = effective_on, lead
    while left:
        day -= timedelta(days=1)
        left -= calendar.is_working_day(day)
    return day


def announcements(units: Iterable[Unit], since: date, until: date) -> tuple[Sets, Sets]:
    """Per unit, the procedures under its competence announced in the period, and those announced on time."""
    columns = ("procedure_id", "competent_unit_id", "competent_unit_type", "published_on", "legal_basis_effective_on")
    versions = list(
        ProcedureVersion.objects.filter(
            status=VersionStatus.PUBLISHED, published_on__range=(since, until), legal_basis_effective_on__isnull=False
        ).values_list(*columns)
    )
    if not versions:
        return {}, {}
    calendar = calendar_for()
    late: set[int] = set()
    by_unit: defaultdict[int, set[int]] = defaultdict(set)
    by_type: defaultdict[str, set[int]] = defaultdict(set)
    for procedure, competent, competent_type, published_on, effective_on in versions:
        try:  # a decision dated after its basis took effect is late whatever the calendar says
            if published_on > effective_on or published_on > latest_on_time(calendar, effective_on):
                late.add(procedure)
        except OutsideCalendarError:
            continue
        (by_unit[competent] if competent is not None else by_type[competent_type]).add(procedure)
    published: Sets = {}
    on_time: Sets = {}
    for unit in units:
        mine = frozenset(by_type.get(unit.type, set()) | by_unit.get(unit.pk, set()))
        if mine:
            published[unit.pk], on_time[unit.pk] = mine, mine - late
    return published, on_time
