"""Reads of dossiers scoped to who asks: staff see their units', citizens their own, the public a timeline."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.organizations.models import Membership, Role, Unit, User
from motcua.organizations.selectors import current_memberships_of, posts_of, sees_every_unit
from motcua.worktime.arithmetic import DeadlineStatus, status
from motcua.worktime.selectors import calendar_for

from .lifecycle import Action, Status
from .models import Dossier, DossierComponent, DossierRating, ResultDocument, StepTask, SupplementItem, Upload
from .processing import Alert, Rating, StepState, agency_points, contact_points, indicator_points

TIME_POINTS = {DeadlineStatus.EARLY: 2, DeadlineStatus.ON_TIME: 1, DeadlineStatus.LATE: 0}


def list_dossiers_for(user: User) -> QuerySet[Dossier]:
    """Return the dossiers a person may see: their own (citizen), their units' (staff), all (monitor, admin)."""
    dossiers = Dossier.objects.select_related("version__procedure", "receiving_unit", "competent_unit", "case")
    sides = scope_sides(user)
    if sides is None:
        return dossiers
    scopes = [Q(**{f"{key}__in": ids}) for key, ids in sides]
    return dossiers.filter(reduce(or_, scopes)) if scopes else dossiers.none()


def scope_sides(user: User) -> list[tuple[str, list[int]]] | None:
    """Return what a person may see as (foreign key, ids) pairs to unite, or None for everything.

    Staff have two sides, dossiers received at their units and dossiers their units decide; citizens one, their own.
    """
    if not user.is_authenticated:
        return []
    if user.is_citizen:
        return [("citizen", [user.pk])]
    posts = posts_of(user)
    if sees_every_unit(user, (post.role for post in posts)):
        return None
    # A list of ids, not a subquery: PostgreSQL then uses the unit indexes for each side.
    units = sorted({post.unit_id for post in posts})
    return [("receiving_unit", units), ("competent_unit", units)]


def get_dossier_for(user: User, code: str) -> Dossier | None:
    """Return one dossier if the person may see it; None looks the same as a dossier that does not exist.

    Beyond the receiving and competent units, a unit that holds or held one of its steps (liên thông) sees it too.
    """
    code = code.strip().upper()  # codes are stored upper-case; people type them as they like
    dossier = _as_the_rules_read(list_dossiers_for(user)).filter(code=code).first()
    if dossier is not None or not user.is_authenticated or user.is_citizen:
        return dossier
    units = sorted({post.unit_id for post in posts_of(user)})
    involved = StepTask.objects.filter(dossier=OuterRef("pk"), unit__in=units).exclude(state=StepState.PENDING)
    return _as_the_rules_read(Dossier.objects.all()).filter(code=code).filter(Exists(involved)).first()


def _as_the_rules_read(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Load a dossier with what its page and `rules.available_actions` read: its steps and results.

    The signing entry is left to its own small query: two more joins here cost more to plan than that query takes.
    """
    return dossiers.select_related("version__procedure", "receiving_unit", "competent_unit", "case").prefetch_related(
        # By position alone: the model's default order would join the dossier again.
        Prefetch("steps", StepTask.objects.select_related("unit", "assignee").order_by("position")),
        Prefetch("results", ResultDocument.objects.select_related("created_by").order_by("created_at", "pk")),
    )


def _steps() -> QuerySet[StepTask]:
    # Only what the queues show: a page of 25 steps with whole dossier, version and user rows took more time to build
    # than the query took to run.
    return StepTask.objects.select_related("dossier__version", "unit", "assignee").only(
        *("position", "name", "staff_position", "hours", "state", "started_at", "due_at", "completed_at"),
        *("alert_level", "dossier__code", "dossier__status", "dossier__due_at", "dossier__version__name"),
        *("unit__code", "unit__name", "assignee__username", "assignee__full_name"),
    )


@dataclass(frozen=True)
class StepRow:
    """One line of a step queue: only what the page shows."""

    code: str
    procedure: str
    dossier_due_at: datetime | None
    position: int
    name: str
    unit_id: int
    unit_name: str
    assignee: str
    due_at: datetime | None
    completed_at: datetime | None
    staff_position: str = ""


# The queue pages read one statement: building the ORM's five-table query took longer than running it. Each
# active queue is the same filter and order as its QuerySet below (unit_queue, my_queue), which the API serves; a
# test holds the two to the same rows.
_STEP_QUEUES = {
    "unit": (f"s.unit_id = %s AND s.state = {StepState.ACTIVE:d}", "s.due_at ASC, s.id ASC"),
    "mine": (f"s.assignee_id = %s AND s.state = {StepState.ACTIVE:d}", "s.due_at ASC, s.id ASC"),
    "history": (f"s.unit_id = %s AND s.state = {StepState.DONE:d}", "s.completed_at DESC, s.id DESC"),
}
_STEP_PAGE_SQL = """
SELECT d.code, v.name, d.due_at, s.position, s.name, s.unit_id, u.name, a.full_name, a.username, s.due_at,
       s.completed_at, s.staff_position
FROM dossiers_steptask s
JOIN dossiers_dossier d ON d.id = s.dossier_id
JOIN catalogue_procedureversion v ON v.id = d.version_id
JOIN organizations_unit u ON u.id = s.unit_id
LEFT JOIN organizations_user a ON a.id = s.assignee_id
WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s
"""


def step_page(queue: str, owner_id: int, start: int, stop: int) -> list[StepRow]:
    """Read rows start..stop of a queue ("unit" or "history" of a unit id, "mine" of a person's id) as plain values."""
    where, order = _STEP_QUEUES[queue]
    with connection.cursor() as cursor:
        cursor.execute(_STEP_PAGE_SQL.format(where=where, order=order), [owner_id, stop - start, start])
        found = cursor.fetchall()
    return [
        StepRow(
            *(code, procedure, maybe_aware(dossier_due), position, name, unit_id, unit, full_name or username or ""),
            *(maybe_aware(due), maybe_aware(done), staff),
        )
        for code, procedure, dossier_due, position, name, unit_id, unit, full_name, username, due, done, staff in found
    ]


def unit_queue(unit_id: int) -> QuerySet[StepTask]:
    """Return the steps a unit holds now, nearest deadline first: it sees a dossier only while it holds it."""
    return _steps().filter(unit_id=unit_id, state=StepState.ACTIVE).order_by("due_at", "pk")


def my_queue(user: User) -> QuerySet[StepTask]:
    """Return the steps assigned to a person, nearest deadline first."""
    return _steps().filter(assignee=user, state=StepState.ACTIVE).order_by("due_at", "pk")


def units_of(user: User) -> list[int]:
    """Return the units where a person works today (staff roles)."""
    return list(staff_units(user))


def staff_units(user: User) -> QuerySet[Membership, int]:
    """Return the ids of the units where a person works today (staff roles), to use as a subquery."""
    roles = {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER}
    return current_memberships_of(user).filter(role__in=roles).values_list("unit", flat=True).distinct()


def led_units(user: User) -> list[int]:
    return list(current_memberships_of(user).filter(role=Role.LEADER).values_list("unit", flat=True))


def alerts_for(user: User) -> QuerySet[Dossier]:
    """Return the running dossiers that are overdue or due for an apology (D-1), each marked `is_overdue`.

    The province monitor sees the whole province; a leader the units they lead and the units below them, as for the
    indices; anyone else nothing. Overdue is read from the due instant, so a dossier shows before the deadline watch
    flags it; D-1 needs the calendar, so it is the watch's flag (carried over from ND 61/2018, ND 118/2025 article
    not confirmed: the apology and new date are due no later than one day before the deadline; TT 03/2025 Form 04).
    """
    now = clock.now()
    dossiers = Dossier.objects.filter(status__in=[Status.RECEIVED, Status.PROCESSING]).filter(
        Q(due_at__lt=now) | Q(alert_level__gte=Alert.APOLOGY_DUE)
    )
    units = _alert_units(user)
    if units is not None:
        dossiers = dossiers.filter(competent_unit__in=sorted(units))
    return (
        dossiers.annotate(is_overdue=ExpressionWrapper(Q(due_at__lt=now), output_field=BooleanField()))
        .select_related("version", "competent_unit")
        .defer("version__record", "version__search_text")
        .order_by("due_at", "code")
    )


def _alert_units(user: User) -> set[int] | None:
    """Return the competent units whose alerts a person sees: None for all of them (monitor, administrator)."""
    memberships = list(current_memberships_of(user).values_list("role", "unit"))
    if sees_every_unit(user, (role for role, _ in memberships)):
        return None
    led = {unit for role, unit in memberships if role == Role.LEADER}
    if not led:
        return set()
    # One read of the province's unit tree (a few hundred rows), not one query per level below.
    children: defaultdict[int | None, list[int]] = defaultdict(list)
    province = Unit.objects.filter(pk__in=led).values("province_code")
    for pk, parent in Unit.objects.filter(province_code__in=province).values_list("pk", "parent_id"):
        children[parent].append(pk)
    found, todo = set(), list(led)
    while todo:
        unit = todo.pop()
        if unit not in found:
            found.add(unit)
            todo.extend(children[unit])
    return found


def review_list_for(user: User) -> QuerySet[DossierRating]:
    """Return the unhappy ratings of the units a leader leads, not yet reviewed (DOMAIN.md §1.8)."""
    units = led_units(user)
    return (
        DossierRating.objects.select_related("dossier__version", "dossier__competent_unit")
        .filter(overall=Rating.UNSATISFIED, reviewed_at__isnull=True)
        .filter(Q(dossier__competent_unit__in=units) | Q(dossier__receiving_unit__in=units))
        .order_by("at")
    )


def maybe_aware(value: datetime | None) -> datetime | None:
    return aware(value) if value else None


def aware(value: datetime) -> datetime:
    # PostgreSQL answers raw SQL with aware instants, SQLite with naive ones in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Indicators:
    """Indicators 1-4 of the TT 01/2018/TT-VPCP evaluation set for one dossier, each 2/1/0 points (DOMAIN.md §1.8)."""

    total_time: int | None  # 1: total time vs the legal limit (None while unfinished)
    agency_time: int | None  # 2: the worst agency's time vs its allotment
    contacts: int  # 3: contacts needed to complete the dossier (supplement requests)
    agencies: int  # 4: agencies the applicant had to deal with


def indicators_of(dossier: Dossier) -> Indicators:
    """Compute the per-dossier indicators from its events (the steps' hand-overs and the supplement requests)."""
    total = None
    due = dossier.statistics_due_at
    if dossier.closed_at is not None and due is not None and dossier.status in {Status.FINISHED, Status.RETURNED}:
        total = TIME_POINTS[status(dossier.closed_at, due)]
    spent: dict[str, list[int]] = {}
    calendar = calendar_for(dossier.competent_unit)
    events = dossier.events.filter(action__in=[Action.COMPLETE_STEP, Action.TRANSFER, Action.COMPLETE])
    for event in events.order_by("sequence"):
        started = event.details.get("step_started_at")
        if not started:
            continue
        minutes = calendar.working_minutes_between(datetime.fromisoformat(started), event.at)
        allowed = round(float(event.details.get("step_hours", 0)) * 60)
        used = spent.setdefault(event.details.get("from_unit", ""), [0, 0])
        used[0], used[1] = used[0] + minutes, used[1] + allowed
    agency_time = min((indicator_points(used, allowed) for used, allowed in spent.values()), default=None)
    online_only = (
        dossier.channel == 2 and dossier.events.filter(action=Action.RETURN_RESULT, details__channel="online").exists()
    )
    return Indicators(
        total, agency_time, contact_points(dossier.supplement_rounds), agency_points(0 if online_only else 1)
    )


@dataclass(frozen=True)
class PaperRow:
    """One paper of the pinned case: what was handed in (None when nothing) and every scan of it, oldest first."""

    component: Component
    handed_in: DossierComponent | None
    uploads: list[Upload]


def papers_of(dossier: Dossier) -> list[PaperRow]:
    """Return each component of the dossier's case with its counts handed in and its scans, in three queries."""
    handed_in = {row.component_id: row for row in DossierComponent.objects.filter(dossier=dossier)}
    # Online submission, counter intake and supplements all attach their scans to the dossier itself.
    scans: dict[int, list[Upload]] = {}
    for upload in Upload.objects.filter(dossier=dossier).select_related("uploaded_by").order_by("uploaded_at", "pk"):
        scans.setdefault(upload.component_id, []).append(upload)
    components = Component.objects.filter(case_id=dossier.case_id).order_by("position")
    return [PaperRow(c, handed_in.get(c.pk), scans.get(c.pk, [])) for c in components]


def get_upload_for(user: User, code: str, upload_id: int) -> Upload | None:
    """Return a scan of a dossier the person may see (officials' scope, or the applicant's own); else None."""
    dossier = get_dossier_for(user, code)
    if dossier is None and user.is_authenticated:
        dossier = Dossier.objects.filter(code=code, citizen_id=user.pk).first()
    if dossier is None:
        return None
    # A scan still on a draft, or on another dossier, is not reachable through this dossier's code.
    return Upload.objects.filter(pk=upload_id, dossier=dossier).select_related("uploaded_by").first()


@dataclass(frozen=True)
class SupplementAsk:
    """The latest Form 02 request of a dossier: when it was made, and the papers it named with their reasons."""

    at: datetime
    items: list[SupplementItem]


def asked_for(dossier: Dossier) -> SupplementAsk | None:
    """Return the papers asked for in the dossier's latest supplement request, or None if none was made."""
    request = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-sequence").first()
    if request is None:
        return None
    items = list(request.supplement_items.select_related("component").order_by("component__position", "pk"))
    return SupplementAsk(request.at, items)
