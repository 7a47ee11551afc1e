"""Reads of inspections, scoped: Sở Nội vụ and the province monitor see every one; a team member the plan's; a unit's
officials the inspections of their unit, as inspected or inspecting."""

from datetime import date

from django.db.models import Q, QuerySet

from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import Inspection, InspectionPlan

from . import rules
from .coverage import Coverage, coverage
from .lifecycle import Kind, Status


def inspections_for(user: User) -> QuerySet[Inspection]:
    """The inspections a person sees, the earliest scheduled first."""
    found = Inspection.objects.select_related("unit", "inspecting_unit", "plan").order_by("scheduled_on", "pk")
    if rules.reads_all(user):
        return found
    if not user.is_authenticated or user.is_citizen:
        return found.none()
    units = {post.unit_id for post in posts_of(user) if post.role != Role.SYSTEM_ADMIN}
    return found.filter(
        Q(unit__in=units) | Q(inspecting_unit__in=units) | Q(plan__chair=user) | Q(plan__members=user)
    ).distinct()


def get_inspection_for(user: User, inspection_id: int) -> Inspection | None:
    return inspections_for(user).filter(pk=inspection_id).first()


def plans_for(user: User) -> QuerySet[InspectionPlan]:
    plans = InspectionPlan.objects.select_related("chair").order_by("-year")
    if rules.reads_all(user):
        return plans
    return plans.filter(pk__in=inspections_for(user).values("plan"))


def coverage_of(unit: Unit, year: int) -> Coverage:
    """A unit's self-inspection coverage of its divisions (its child units valid in the year) for a year."""
    divisions = [u.pk for u in Unit.objects.filter(parent=unit) if u.is_valid_on(date(year, 12, 31))]
    done = (
        Inspection.objects.filter(
            kind=Kind.SELF, inspecting_unit=unit, year=year, unit__in=divisions, status=Status.CONCLUDED
        )
        .values("unit")
        .distinct()
        .count()
    )
    return coverage(year, len(divisions), done)


def coverage_for(user: User, year: int) -> list[tuple[Unit, Coverage]]:
    """The coverage of every unit the person answers for (their own units; all units with divisions for Sở Nội vụ
    and the monitor), those with a shortfall first."""
    if rules.reads_all(user):
        units = Unit.objects.filter(children__isnull=False, parent__isnull=False).distinct()
    else:
        units = Unit.objects.filter(
            pk__in={p.unit_id for p in posts_of(user) if p.role == Role.LEADER}, children__isnull=False
        ).distinct()
    rows = [(unit, coverage_of(unit, year)) for unit in units.order_by("code")]
    return sorted(rows, key=lambda row: -row[1].shortfall)
