"""Reads of dossiers scoped to who asks: staff see their units', citizens their own, the public a timeline."""

import hmac
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from motcua.core.ratelimit import count_failure, tries_spent
from motcua.organizations.models import Membership, Role, User
from motcua.organizations.selectors import current_memberships_of
from motcua.worktime.arithmetic import DeadlineStatus, status
from motcua.worktime.selectors import calendar_for

from .lifecycle import ACTION_LABELS, Action, Status
from .models import Dossier, DossierRating, StepTask, SupplementItem
from .processing import Alert, Rating, StepState, agency_points, contact_points, indicator_points

TIME_POINTS = {DeadlineStatus.EARLY: 2, DeadlineStatus.ON_TIME: 1, DeadlineStatus.LATE: 0}


def list_dossiers_for(user: User) -> QuerySet[Dossier]:
    """Return the dossiers a person may see: their own (citizen), their units' (staff), all (monitor, admin)."""
    dossiers = Dossier.objects.select_related("version__procedure", "receiving_unit", "competent_unit", "case")
    sides = _sides(user)
    if sides is None:
        return dossiers
    scopes = [Q(**{f"{key}__in": ids}) for key, ids in sides]
    return dossiers.filter(reduce(or_, scopes)) if scopes else dossiers.none()


def _sides(user: User) -> list[tuple[str, list[int]]] | None:
    """Return what a person may see as (foreign key, ids) pairs to unite, or None for everything.

    Staff have two sides, dossiers received at their units and dossiers their units decide; citizens one, their own.
    """
    if not user.is_authenticated:
        return []
    if user.is_citizen:
        return [("citizen", [user.pk])]
    memberships = list(current_memberships_of(user).values_list("role", "unit"))
    if user.is_superuser or {role for role, _ in memberships} & {Role.PROVINCE_MONITOR, Role.SYSTEM_ADMIN}:
        return None
    # A list of ids, not a subquery: PostgreSQL then uses the unit indexes for each side.
    units = sorted({unit for _, unit in memberships})
    return [("receiving_unit", units), ("competent_unit", units)]


@dataclass(frozen=True)
class QueueRow:
    """One line of an officer's work list: only what the page shows."""

    code: str
    status: Status
    due_at: datetime | None
    applicant_name: str
    procedure: str
    competent_unit_id: int


@dataclass(frozen=True)
class QueuePage:
    number: int
    rows: list[QueueRow]
    has_next: bool


def queue_page(user: User, *, statuses: Collection[int] | None, number: int, size: int = 25) -> QueuePage:
    """Return one page of the dossiers a person may see, nearest deadline first, without counting them all.

    Each side is read from its own (unit, due_at) index of open dossiers, limited to the rows up to this page, and
    the two short lists are merged by the outer query: with a million dossiers, one scan of "received here OR decided
    here" sorted the unit's whole backlog on every page. One statement, because building the ORM's queries took
    longer than the database took to answer them.
    """
    sides = _sides(user)
    number = max(number, 1)
    # Statuses are our own integers, written into the text so that the partial indexes' condition is seen to hold.
    wanted = "" if statuses is None else f" AND status IN ({','.join(str(int(s)) for s in sorted(statuses))})"
    if sides is None:
        conditions: list[tuple[str, list[int]]] = [("1 = 1", [])]
    else:
        conditions = [(f"{key}_id IN ({', '.join(['%s'] * len(ids))})", ids) for key, ids in sides if ids]
    if not conditions:
        return QueuePage(number, [], False)
    parts, params = [], []
    # The text holds only column names, placeholders and integers of ours; every value from outside is a parameter.
    for index, (where, ids) in enumerate(conditions):
        parts.append(
            f"SELECT id FROM (SELECT id FROM dossiers_dossier WHERE {where}{wanted} "  # noqa: S608
            f"ORDER BY due_at ASC NULLS LAST, code ASC LIMIT %s) AS side{index}"
        )
        params += [*ids, number * size + 1]  # one more than the page tells whether a next page exists
    sql = (
        "SELECT d.code, d.status, d.due_at, d.applicant_name, v.name, d.competent_unit_id FROM dossiers_dossier d "  # noqa: S608
        f"JOIN catalogue_procedureversion v ON v.id = d.version_id WHERE d.id IN ({' UNION '.join(parts)}) "
        "ORDER BY d.due_at ASC NULLS LAST, d.code ASC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size + 1, (number - 1) * size])
        found = cursor.fetchall()
    rows = [
        QueueRow(code, Status(state), _maybe_aware(due_at), applicant, procedure, unit)
        for code, state, due_at, applicant, procedure, unit in found
    ]
    return QueuePage(number, rows[:size], len(rows) > size)


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
       s.completed_at
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
            *(code, procedure, _maybe_aware(dossier_due), position, name, unit_id, unit, full_name or username or ""),
            *(_maybe_aware(due), _maybe_aware(done)),
        )
        for code, procedure, dossier_due, position, name, unit_id, unit, full_name, username, due, done in found
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


_DAY = 24 * 3600


def track(code: str, *, secret: str = "", phone_last4: str = "") -> PublicView | None:
    """Answer a tracking request made with the receipt's secret or the last four digits of the applicant's phone.

    A wrong code and a wrong secret give the same None, so the answer reveals nothing about which codes exist. Four
    digits are only 10,000 guesses: after MOTCUA_TRACKING_PHONE_TRIES wrong ones in a day, from anywhere, a code no
    longer answers to phone digits until the next day (the receipt's secret still works).
    """
    code = code.strip()
    phone_closed = bool(phone_last4) and tries_spent(
        "tracking-phone", code, settings.MOTCUA_TRACKING_PHONE_TRIES, _DAY
    )
    with connection.cursor() as cursor:
        cursor.execute(_TRACKING_SQL, [code])
        rows = cursor.fetchall()
    tracking_secret, phone = (rows[0][1], rows[0][2]) if rows else ("", "")
    by_secret = bool(secret) and bool(rows) and hmac.compare_digest(secret, tracking_secret)
    by_phone = not phone_closed and len(phone) == 10 and hmac.compare_digest(phone_last4, phone[-4:])
    if not (by_secret or by_phone):
        if phone_last4:  # counted for codes that do not exist too, so the limit itself reveals nothing
            count_failure("tracking-phone", code, _DAY)
        return None
    _, _, _, status, submitted_at, due_at, procedure = rows[0][:7]
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
        due_at=_maybe_aware(due_at),
        is_result_ready=status == Status.FINISHED,
        needed_now=needed,
        timeline=[
            TimelineEntry(_aware(at), ACTION_LABELS[Action(action)], Status(after).label, unit or "", form)
            for _, at, action, after, unit, form in events
        ],
    )


def _maybe_aware(value: datetime | None) -> datetime | None:
    return _aware(value) if value else None


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
