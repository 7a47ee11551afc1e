"""Reads of dossiers scoped to who asks: staff see their units', citizens their own, the public a timeline."""

import hmac
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from motcua.organizations.models import Role, User
from motcua.organizations.selectors import current_memberships_of, roles_of
from motcua.worktime.arithmetic import DeadlineStatus, status
from motcua.worktime.selectors import calendar_for

from .lifecycle import ACTION_LABELS, Action, Status
from .models import Dossier, DossierRating, StepTask, SupplementItem
from .processing import Alert, Rating, StepState, agency_points, contact_points, indicator_points

TIME_POINTS = {DeadlineStatus.EARLY: 2, DeadlineStatus.ON_TIME: 1, DeadlineStatus.LATE: 0}


def list_dossiers_for(user: User) -> QuerySet[Dossier]:
    """Return the dossiers a person may see: their own (citizen), their units' (staff), all (monitor, admin)."""
    dossiers = Dossier.objects.select_related("version__procedure", "receiving_unit", "competent_unit", "case")
    scopes = _scopes(user)
    return dossiers.filter(reduce(or_, scopes)) if scopes else dossiers.none()


def _scopes(user: User) -> list[Q]:
    """Return the conditions whose union a person may see; staff have two, received at or decided by their units."""
    if not user.is_authenticated:
        return []
    if user.is_citizen:
        return [Q(citizen=user)]
    if roles_of(user) & {Role.PROVINCE_MONITOR, Role.SYSTEM_ADMIN}:
        return [Q()]
    # A list of ids, not a subquery: PostgreSQL then uses the unit indexes for each side.
    units = list(current_memberships_of(user).values_list("unit", flat=True))
    return [Q(receiving_unit__in=units), Q(competent_unit__in=units)]


@dataclass(frozen=True)
class QueuePage:
    number: int
    dossiers: list[Dossier]
    has_next: bool


def queue_page(user: User, *, statuses: Collection[int] | None, number: int, size: int = 25) -> QueuePage:
    """Return one page of the dossiers a person may see, nearest deadline first, without counting them all.

    Staff see two sides, dossiers received at their units and dossiers their units decide. Each side is read from its
    own (unit, due_at) index of open dossiers and the two short lists are merged here: with a million dossiers, one
    query over "received here OR decided here" sorted the unit's whole backlog on every page.
    """
    number = max(number, 1)
    wanted = number * size + 1  # one more than the page tells whether a next page exists
    status = Q() if statuses is None else Q(status__in=statuses)
    keys: dict[int, tuple[bool, datetime, str]] = {}
    for scope in _scopes(user):
        ordered = Dossier.objects.filter(scope, status).order_by(F("due_at").asc(nulls_last=True), "code")
        for pk, due_at, code in ordered.values_list("pk", "due_at", "code")[:wanted]:
            keys[pk] = (due_at is None, due_at or datetime.min.replace(tzinfo=UTC), code)
    ranked = sorted(keys, key=keys.__getitem__)[(number - 1) * size : wanted]
    rows = Dossier.objects.select_related("version", "competent_unit").only(
        *("code", "status", "due_at", "applicant_name", "version__name", "competent_unit__name")
    )
    by_pk = rows.in_bulk(ranked[:size])
    return QueuePage(number, [by_pk[pk] for pk in ranked[:size]], len(ranked) > size)


def get_dossier_for(user: User, code: str) -> Dossier | None:
    """Return one dossier if the person may see it; None looks the same as a dossier that does not exist.

    Beyond the receiving and competent units, a unit that holds or held one of its steps (liên thông) sees it too.
    """
    dossier = list_dossiers_for(user).filter(code=code).first()
    if dossier is not None or not user.is_authenticated or user.is_citizen:
        return dossier
    units = list(current_memberships_of(user).values_list("unit", flat=True))
    involved = StepTask.objects.filter(dossier=OuterRef("pk"), unit__in=units).exclude(state=StepState.PENDING)
    return (
        Dossier.objects.select_related("version__procedure", "receiving_unit", "competent_unit", "case")
        .filter(code=code)
        .filter(Exists(involved))
        .first()
    )


def _steps() -> QuerySet[StepTask]:
    # Only what the queues show: a page of 25 steps with whole dossier, version and user rows took more time to build
    # than the query took to run.
    return StepTask.objects.select_related("dossier__version", "unit", "assignee").only(
        *("position", "name", "staff_position", "hours", "state", "started_at", "due_at", "completed_at"),
        *("alert_level", "dossier__code", "dossier__status", "dossier__due_at", "dossier__version__name"),
        *("unit__code", "unit__name", "assignee__username", "assignee__full_name"),
    )


def unit_queue(unit_id: int) -> QuerySet[StepTask]:
    """Return the steps a unit holds now, nearest deadline first: it sees a dossier only while it holds it."""
    return _steps().filter(unit_id=unit_id, state=StepState.ACTIVE).order_by("due_at", "pk")


def my_queue(user: User) -> QuerySet[StepTask]:
    """Return the steps assigned to a person, nearest deadline first."""
    return _steps().filter(assignee=user, state=StepState.ACTIVE).order_by("due_at", "pk")


def unit_history(unit_id: int) -> QuerySet[StepTask]:
    """Return the steps a unit finished, latest first: its record of dossiers that passed through it."""
    return _steps().filter(unit_id=unit_id, state=StepState.DONE).order_by("-completed_at", "-pk")


def units_of(user: User) -> list[int]:
    """Return the units where a person works today (staff roles)."""
    roles = {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER}
    return list(current_memberships_of(user).filter(role__in=roles).values_list("unit", flat=True).distinct())


def led_units(user: User) -> list[int]:
    return list(current_memberships_of(user).filter(role=Role.LEADER).values_list("unit", flat=True))


def alerts_for(user: User) -> QuerySet[Dossier]:
    """Return the dossiers of the units a leader leads that need an apology and extension, or are overdue."""
    return (
        list_dossiers_for(user)
        .filter(competent_unit__in=led_units(user), status__in=[Status.RECEIVED, Status.PROCESSING])
        .filter(alert_level__gte=Alert.APOLOGY_DUE)
        .order_by("due_at")
    )


def review_list_for(user: User) -> QuerySet[DossierRating]:
    """Return the unhappy ratings of the units a leader leads, not yet reviewed (DOMAIN.md §1.8)."""
    units = led_units(user)
    return (
        DossierRating.objects.select_related("dossier__version", "dossier__competent_unit")
        .filter(overall=Rating.UNSATISFIED, reviewed_at__isnull=True)
        .filter(Q(dossier__competent_unit__in=units) | Q(dossier__receiving_unit__in=units))
        .order_by("at")
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    status: str
    unit: str
    form: str


@dataclass(frozen=True)
class PublicView:
    """What anyone holding the receipt may know: never an ID number, an address or an official's name."""

    code: str
    procedure: str
    status: str
    status_code: int
    submitted_at: datetime
    due_at: datetime | None
    is_result_ready: bool
    needed_now: list[dict[str, str]]
    timeline: list[TimelineEntry]


# Public tracking is the busiest read: one statement brings the dossier and its timeline (the ORM's compile and
# instantiate costs were five times the database's time here). Column names follow the models; tests cover both
# databases.
_TRACKING_SQL = """
SELECT d.id, d.tracking_secret, d.applicant_phone, d.status, d.submitted_at, d.due_at, v.name,
       e.id, e.at, e.action, e.status_after, u.name, e.form
FROM dossiers_dossier d
JOIN catalogue_procedureversion v ON v.id = d.version_id
LEFT JOIN dossiers_dossierevent e ON e.dossier_id = d.id
LEFT JOIN organizations_unit u ON u.id = e.unit_id
WHERE d.code = %s
ORDER BY e.sequence
"""


def track(code: str, *, secret: str = "", phone_last4: str = "") -> PublicView | None:
    """Answer a tracking request made with the receipt's secret or the last four digits of the applicant's phone.

    A wrong code and a wrong secret give the same None, so the answer reveals nothing about which codes exist.
    """
    code = code.strip()
    with connection.cursor() as cursor:
        cursor.execute(_TRACKING_SQL, [code])
        rows = cursor.fetchall()
    if not rows:
        return None
    _, tracking_secret, phone, status, submitted_at, due_at, procedure = rows[0][:7]
    by_secret = bool(secret) and hmac.compare_digest(secret, tracking_secret)
    by_phone = len(phone_last4) == 4 and len(phone) == 10 and hmac.compare_digest(phone_last4, phone[-4:])
    if not (by_secret or by_phone):
        return None
    events = [row[7:] for row in rows if row[7] is not None]
    needed: list[dict[str, str]] = []
    if status == Status.SUPPLEMENT_REQUESTED:
        request = next(e for e in reversed(events) if e[2] == Action.REQUEST_SUPPLEMENT)
        items = SupplementItem.objects.filter(event_id=request[0]).select_related("component")
        needed = [{"paper": item.component.name, "reason": item.reason} for item in items]
    return PublicView(
        code=code,
        procedure=procedure,
        status=Status(status).label,
        status_code=status,
        submitted_at=_aware(submitted_at),
        due_at=_aware(due_at) if due_at else None,
        is_result_ready=status == Status.FINISHED,
        needed_now=needed,
        timeline=[
            TimelineEntry(_aware(at), ACTION_LABELS[Action(action)], Status(after).label, unit or "", form)
            for _, at, action, after, unit, form in events
        ],
    )


def _aware(value: datetime) -> datetime:
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
