"""Reads of dossiers scoped to who asks: staff see their units', citizens their own, the public a timeline."""

import hmac
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from motcua.catalogue.models import Component, Procedure, ProcedureVersion
from motcua.core import clock
from motcua.core.ratelimit import count_failure, tries_spent
from motcua.core.text import fold
from motcua.organizations.models import Membership, Role, Unit, User
from motcua.organizations.selectors import current_memberships_of, sees_every_unit
from motcua.worktime.arithmetic import DeadlineStatus, status
from motcua.worktime.selectors import calendar_for

from .lifecycle import ACTION_LABELS, OPEN, Action, Status
from .models import Dossier, DossierComponent, DossierRating, StepTask, SupplementItem, Upload
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
    if sees_every_unit(user, (role for role, _ in memberships)):
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


def queue_page(
    user: User,
    *,
    statuses: Collection[int] | None,
    number: int,
    size: int = 25,
    only: "QueueFilter | None" = None,
    waiting_first: bool = False,
) -> QueuePage:
    """Return one page of the dossiers a person may see, nearest deadline first, without counting them all.

    Each side is read from its own (unit, due_at) index of open dossiers, limited to the rows up to this page, and
    the two short lists are merged by the outer query: with a million dossiers, one scan of "received here OR decided
    here" sorted the unit's whole backlog on every page. One statement, because building the ORM's queries took
    longer than the database took to answer them. With waiting_first, online dossiers not yet accepted (status 1)
    come first: each side reads them and the others as two short lists, so the indexes still give the order. Every
    status is read status by status from the (unit, status, due_at) indexes, not by sorting a unit's whole history.
    """
    return _queue_page(_sides(user), statuses, number, size, only, waiting_first)


def get_dossier_for(user: User, code: str) -> Dossier | None:
    """Return one dossier if the person may see it; None looks the same as a dossier that does not exist.

    Beyond the receiving and competent units, a unit that holds or held one of its steps (liên thông) sees it too.
    """
    code = code.strip().upper()  # codes are stored upper-case; people type them as they like
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
            *(code, procedure, _maybe_aware(dossier_due), position, name, unit_id, unit, full_name or username or ""),
            *(_maybe_aware(due), _maybe_aware(done), staff),
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
    flags it; D-1 needs the calendar, so it is the watch's flag (ND 61/2018: the apology and new date are due no
    later than one day before the deadline; TT 03/2025 Form 04).
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
    code = code.strip().upper()  # before the phone-tries key too: "abc" and "ABC" are one code, with one limit
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


# Officers' work list: search, filters and capped counts, in the same one-statement style as queue_page.
# Vietnamese vowels with their tones, and đ, in the order of _PLAIN: a name is searched without its diacritics.
_ACCENTED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_PLAIN = "a" * 17 + "e" * 11 + "i" * 5 + "o" * 17 + "u" * 11 + "y" * 5 + "d"
_CODE = re.compile(r"[0-9A-Z.]+-\d{6}-\d{4}")
_CODE_PART = re.compile(r"(?=.*\d)[0-9A-Z.-]+")
_WORD = re.compile(r"[0-9a-z]+")


@dataclass(frozen=True)
class QueueFilter:
    """What narrows an officer's list beyond statuses: a search, a procedure, received dates, deadline bounds."""

    code: str = ""  # a whole dossier code, upper-case
    code_part: str = ""  # a piece of a code, e.g. "260213-0001"
    number: str = ""  # a citizen ID or a phone number
    words: tuple[str, ...] = ()  # beginnings of words of the applicant's name, folded
    procedure: str = ""  # a procedure code
    received_from: datetime | None = None
    received_before: datetime | None = None
    due_from: datetime | None = None
    due_before: datetime | None = None
    near_due: bool = False  # flagged near-due or D-1 by the deadline watch (give due_before too: it bounds the read)

    @classmethod
    def searching(cls, text: str, **others: Any) -> "QueueFilter":
        """Read a search box: a dossier code in any case, a citizen ID or phone number, or words of a name."""
        text = text.strip()
        upper = text.upper()
        if _CODE.fullmatch(upper):
            return cls(code=upper, **others)
        if text.isdigit() and len(text) in {9, 10, 12}:  # an old ID card, a phone, a citizen ID
            return cls(number=text, **others)
        if _CODE_PART.fullmatch(upper):
            return cls(code_part=upper, **others)
        return cls(words=tuple(_WORD.findall(fold(text))), **others)


def queue_filter_sql(found: QueueFilter) -> tuple[str, list[Any]]:
    """Return the filter as " AND …" conditions on dossiers_dossier and their parameters, values never in the text."""
    parts: list[str] = []
    params: list[Any] = []
    adapt = connection.ops.adapt_datetimefield_value
    if found.code:
        parts.append("code = %s")
        params.append(found.code)
    if found.code_part:
        parts.append("code LIKE %s")
        params.append(f"%{found.code_part}%")  # only digits, letters, dots and hyphens: no wildcard of the user's
    if found.number:
        parts.append("(applicant_citizen_id = %s OR applicant_phone = %s)")
        params += [found.number, found.number]
    for word in found.words:
        parts.append(_name_starts(word))
        params.append(_name_pattern(word))
    if found.procedure:
        versions, procedures = ProcedureVersion._meta.db_table, Procedure._meta.db_table
        parts.append(
            f"version_id IN (SELECT v.id FROM {versions} v JOIN {procedures} p ON p.id = v.procedure_id "  # noqa: S608
            "WHERE p.code = %s)"
        )
        params.append(found.procedure)
    for column, bound, operator in (
        ("COALESCE(received_at, submitted_at)", found.received_from, ">="),
        ("COALESCE(received_at, submitted_at)", found.received_before, "<"),
        ("due_at", found.due_from, ">="),
        ("due_at", found.due_before, "<"),
    ):
        if bound is not None:
            parts.append(f"{column} {operator} %s")
            params.append(adapt(bound))
    if found.near_due:
        parts.append(f"alert_level IN ({Alert.NEAR_DUE:d}, {Alert.APOLOGY_DUE:d})")
    return "".join(f" AND {part}" for part in parts), params


def _name_starts(word: str) -> str:
    """Return the condition that a word of the applicant's name starts with a folded word (one parameter)."""
    if connection.vendor == "postgresql":
        # A regular expression with every accented form of each letter: folding each row with translate() took
        # ten times longer than the table read under it.
        return "applicant_name ~ %s"
    # SQLite: Python's own fold, given to the connection (it has no translate(), and nested replace() overflow it).
    connection.ensure_connection()
    connection.connection.create_function("motcua_fold", 1, fold, deterministic=True)
    return "(' ' || motcua_fold(applicant_name)) LIKE %s"


def _name_pattern(word: str) -> str:
    if connection.vendor != "postgresql":
        return f"% {word}%"  # at the beginning of a word: "an" finds "Nguyễn Văn An" and "Anh", not "Toàn"
    forms = {letter: letter + letter.upper() for letter in set(_PLAIN) | set(word)}
    for accented, plain in zip(_ACCENTED, _PLAIN, strict=True):
        forms[plain] += accented + accented.upper()
    # After each letter, the combining marks of a name typed with a decomposing keyboard.
    return "(^|\\s)" + "".join(f"[{forms[letter]}][\u0300-\u036f]*" for letter in word)


@dataclass(frozen=True)
class Tab:
    """A tab of the work list: its statuses and filter; counted tabs show how many open dossiers are in them."""

    slug: str
    label: str
    statuses: frozenset[int] | None
    only: QueueFilter = QueueFilter()
    counted: bool = True
    total_of: tuple[str, ...] = ()  # tabs whose statuses split this one's, added up rather than counted again


@dataclass(frozen=True)
class WorkList:
    page: QueuePage
    counts: dict[str, int]  # per counted tab, cap + 1 meaning "more than cap"
    procedures: list[tuple[str, str]]  # (code, name) for the procedure filter


def work_list_for(
    user: User, *, tab: Tab, tabs: Collection[Tab], only: QueueFilter, number: int, cap: int = 1000
) -> WorkList:
    """Return a tab's page, waiting-for-acceptance first, with every tab's capped count and the units' procedures."""
    sides = _sides(user)  # once: each read below is scoped by it
    page = _queue_page(sides, tab.statuses, number, 25, only, True)
    return WorkList(page, _queue_counts(sides, tabs, cap), _procedures_seen(sides))


def _queue_counts(sides: list[tuple[str, list[int]]] | None, tabs: Collection[Tab], cap: int) -> dict[str, int]:
    """Count each tab in one statement: each side from its (unit, status, due_at) index, at most cap + 1 entries.

    Most units hold one side only (a service centre receives, a committee decides), and a statement's planning
    grows with its subqueries: a first probe leaves out a side without open dossiers. Where both sides hold some,
    the dossiers received and decided in the person's units are subtracted, read only when neither side passed the
    cap: excluding them from one side instead made every count read the table rows.
    """
    if sides is None:
        conditions: list[tuple[str, list[int]]] = [("1 = 1", [])]
    else:
        conditions = [(f"{key}_id IN ({', '.join(['%s'] * len(ids))})", ids) for key, ids in sides if ids]
    counted = [tab for tab in tabs if tab.counted and tab.statuses and not tab.total_of]
    if len(conditions) == 2:
        conditions = _holding(conditions)
    counts = dict.fromkeys((tab.slug for tab in counted), 0)
    if conditions and counted:
        counts = dict(zip(counts, _count_tabs(conditions, counted, cap), strict=True))
    for tab in tabs:
        if tab.counted and tab.total_of:
            counts[tab.slug] = min(sum(counts[part] for part in tab.total_of), cap + 1)
    return counts


def _holding(conditions: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """Keep the sides that hold open dossiers (two index probes)."""
    wanted = f" AND status IN ({','.join(str(int(s)) for s in sorted(OPEN))})"
    probes = [f"EXISTS (SELECT 1 FROM dossiers_dossier WHERE {where}{wanted})" for where, _ids in conditions]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(probes)}", [unit for _where, ids in conditions for unit in ids])
        held = cursor.fetchone()
    return [condition for condition, holds in zip(conditions, held, strict=True) if holds]


def _count_tabs(conditions: list[tuple[str, list[int]]], tabs: list[Tab], cap: int) -> list[int]:
    columns, params = [], []
    for tab in tabs:
        extra, extra_params = queue_filter_sql(tab.only)
        wanted = f" AND status IN ({','.join(str(int(s)) for s in sorted(tab.statuses or ()))}){extra}"
        if len(conditions) == 1:
            where, ids = conditions[0]
            text, values = _capped_count(where + wanted, [*ids, *extra_params], cap)
        else:
            (first, first_ids), (second, second_ids) = conditions
            a, a_params = _capped_count(first + wanted, [*first_ids, *extra_params], cap)
            b, b_params = _capped_count(second + wanted, [*second_ids, *extra_params], cap)
            both, both_params = _capped_count(
                f"{first} AND {second}{wanted}", [*first_ids, *second_ids, *extra_params], cap
            )
            # OFFSET 0 keeps PostgreSQL from copying each side's count into every place the CASE names it.
            fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
            text = (
                f"(SELECT CASE WHEN x.a > %s OR x.b > %s THEN %s ELSE x.a + x.b - {both} END "  # noqa: S608
                f"FROM (SELECT {a} AS a, {b} AS b{fence}) AS x)"
            )
            values = [cap, cap, cap + 1, *both_params, *a_params, *b_params]
        columns.append(text)
        params += values
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = cursor.fetchone()
    return [min(int(value), cap + 1) for value in row]


def _capped_count(where: str, params: list[Any], cap: int) -> tuple[str, list[Any]]:
    text = f"(SELECT count(*) FROM (SELECT 1 FROM dossiers_dossier WHERE {where} LIMIT %s) AS c)"  # noqa: S608
    return text, [*params, cap + 1]


def _procedures_seen(sides: list[tuple[str, list[int]]] | None) -> list[tuple[str, str]]:
    """Return (code, name) of the procedures of the units' open dossiers, kept five minutes per set of units.

    It reads every open dossier of the units, which the list itself never does.
    """
    key = "procedures-seen:" + ("all" if sides is None else ";".join(f"{k}={'.'.join(map(str, i))}" for k, i in sides))
    cached: list[tuple[str, str]] | None = cache.get(key)
    if cached is not None:
        return cached
    dossiers = Dossier.objects.filter(status__in=sorted(OPEN))
    if sides is not None:
        scopes = [Q(**{f"{side}__in": ids}) for side, ids in sides if ids]
        dossiers = dossiers.filter(reduce(or_, scopes)) if scopes else dossiers.none()
    versions = ProcedureVersion.objects.filter(pk__in=dossiers.values("version_id").distinct())
    names: dict[str, str] = {}
    for code, name in versions.order_by("procedure__code", "-number").values_list("procedure__code", "name"):
        names.setdefault(code, name)  # the newest version's name
    found = list(names.items())
    cache.set(key, found, timeout=300)
    return found


def _queue_page(
    sides: list[tuple[str, list[int]]] | None,
    statuses: Collection[int] | None,
    number: int,
    size: int,
    only: QueueFilter | None,
    waiting_first: bool,
) -> QueuePage:
    number = max(number, 1)
    # Statuses are our own integers, written into the text so that the partial indexes' condition is seen to hold.
    waiting_first = waiting_first and (statuses is None or Status.SUBMITTED in statuses)
    if statuses is None:
        groups = [f" AND status = {s:d}" for s in Status] if sides is not None else [""]
    else:
        groups = [f" AND status IN ({','.join(str(int(s)) for s in sorted(statuses))})"]
    others = sorted(set(statuses or ()) - {Status.SUBMITTED})
    if waiting_first and len(groups) == 1 and (statuses is None or others):
        rest = f" AND status IN ({','.join(str(int(s)) for s in others)})" if others else " AND status > 1"
        groups = [f" AND status = {Status.SUBMITTED:d}", rest]
    extra, extra_params = queue_filter_sql(only) if only else ("", [])
    if sides is None:
        conditions: list[tuple[str, list[int]]] = [("1 = 1", [])]
    else:
        conditions = [(f"{key}_id IN ({', '.join(['%s'] * len(ids))})", ids) for key, ids in sides if ids]
    if not conditions:
        return QueuePage(number, [], False)
    parts, params = [], []
    # The text holds only column names, placeholders and integers of ours; every value from outside is a parameter.
    for index, (where, ids) in enumerate(conditions):
        for group, wanted in enumerate(groups):
            parts.append(
                f"SELECT id FROM (SELECT id FROM dossiers_dossier WHERE {where}{wanted}{extra} "  # noqa: S608
                f"ORDER BY due_at ASC NULLS LAST, code ASC LIMIT %s) AS side{index}_{group}"
            )
            params += [*ids, *extra_params, number * size + 1]  # one more than the page tells if a next page exists
    first = f"CASE WHEN d.status = {Status.SUBMITTED:d} THEN 0 ELSE 1 END, " if waiting_first else ""
    sql = (
        "SELECT d.code, d.status, d.due_at, d.applicant_name, v.name, d.competent_unit_id FROM dossiers_dossier d "  # noqa: S608
        f"JOIN catalogue_procedureversion v ON v.id = d.version_id WHERE d.id IN ({' UNION '.join(parts)}) "
        f"ORDER BY {first}d.due_at ASC NULLS LAST, d.code ASC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size + 1, (number - 1) * size])
        found = cursor.fetchall()
    rows = [
        QueueRow(code, Status(state), _maybe_aware(due_at), applicant, procedure, unit)
        for code, state, due_at, applicant, procedure, unit in found
    ]
    return QueuePage(number, rows[:size], len(rows) > size)


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
