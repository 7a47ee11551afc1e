"""Counters per (unit, procedure, day, metric), kept in the same transaction as the dossier events that change them.

The leaders' indices (QĐ 766/QĐ-TTg; DOMAIN.md §3, DOMAIN-2.md §1) read these counters, never the dossier table, so a
dashboard costs the same at 1 M and at 10 M dossiers. `deltas` is pure: from the state a dossier was in before an event
and the state after it, it derives what changes. It knows statuses only by their 766 statistics group (DOMAIN.md §1.6),
so actions added later (finish, return, stop, extension, ...) are counted without touching this file.

Two kinds of metric:
* flows (received, ended early / on time / late, ...) count what happened on a day; a period sums its days;
* stocks (open, paused, overdue) are step functions: the value at the end of day T is the sum of every day <= T.
  "Overdue" starts on the day after the due date, so it is written ahead, on that future day, and cancelled or moved
  when the dossier ends, pauses or gets a new due date first. Early / on time / late compare dates, not instants
  (DOMAIN.md §1.6): ended before the due date is early, on it on time, after it late.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncDate

from motcua.catalogue.models import Channel
from motcua.core.clock import VIETNAM

from .lifecycle import Status
from .models import Dossier, DossierComponent, DossierCounter, DossierEvent, Span, UnitCounter


class Metric(StrEnum):
    RECEIVED = "received"  # accepted for handling (statuses 2 and later; 766 "tiếp nhận")
    RECEIVED_ONLINE = "received_online"  # of which filed online (channel 2)
    RECEIVED_DIGITISED = "received_digitised"  # of which at least one paper was scanned at intake
    REFUSED = "refused"  # not accepted (status 3)
    ENDED_EARLY = "ended_early"  # handling ended before the due date
    ENDED_ON_TIME = "ended_on_time"  # ... on the due date
    ENDED_LATE = "ended_late"  # ... after the due date
    ENDED_LATE_ONLINE = "ended_late_online"  # online dossiers ended late (TT 01/2018 evaluation, indicator 9)
    OPEN = "open"  # stock: received and not ended (includes paused)
    PAUSED = "paused"  # stock: waiting for papers, a payment, or stopped (766 group "dừng")
    OVERDUE = "overdue"  # stock: being handled and past the due date


STOCKS = frozenset({Metric.OPEN, Metric.PAUSED, Metric.OVERDUE})
METRICS = list(Metric)
METRIC_COLUMNS = tuple(metric.value for metric in METRICS)  # the columns of UnitCounter, in this order


class Group(StrEnum):
    """The 766 statistics groups of the national statuses (DOMAIN.md §1.6)."""

    NONE = "none"  # not (yet) received: 1 submitted, 3 refused
    ACTIVE = "active"  # đang xử lý: 2, 4
    PAUSED = "paused"  # dừng: 5, 6, 8 (the clock does not run)
    ENDED = "ended"  # đã xử lý: 7, 9, 10


GROUPS = {
    Status.SUBMITTED: Group.NONE,
    Status.REFUSED: Group.NONE,
    Status.RECEIVED: Group.ACTIVE,
    Status.PROCESSING: Group.ACTIVE,
    Status.SUPPLEMENT_REQUESTED: Group.PAUSED,
    Status.PAYMENT_REQUESTED: Group.PAUSED,
    Status.STOPPED: Group.PAUSED,
    Status.WITHDRAWN: Group.ENDED,
    Status.FINISHED: Group.ENDED,
    Status.RETURNED: Group.ENDED,
}
OPEN_GROUPS = frozenset({Group.ACTIVE, Group.PAUSED})


@dataclass(frozen=True)
class State:
    """Where a dossier stood after an event: its status, the event's day and its due date (all local dates)."""

    status: int
    day: date
    due: date | None


@dataclass(frozen=True)
class Traits:
    """What does not change during a dossier's life and decides where it is counted."""

    unit_id: int  # the competent unit: 766 scores the unit that decides
    procedure_id: int
    online: bool
    digitised: bool


_GROUP_OF_CODE = {int(status): group for status, group in GROUPS.items()}


def group_of(status: int | None) -> Group:
    return Group.NONE if status is None else _GROUP_OF_CODE[status]


def ended_metric(day: date, due: date | None) -> Metric:
    """Compare the end date with the due date (no due date: on time, as the national engine does)."""
    if due is None or day == due:
        return Metric.ENDED_ON_TIME
    return Metric.ENDED_EARLY if day < due else Metric.ENDED_LATE


def _overdue_start(state: State) -> date | None:
    """The first day a dossier in this state counts as overdue, if it is being handled and has a due date."""
    if state.due is None or group_of(state.status) is not Group.ACTIVE:
        return None
    return max(state.day, state.due + timedelta(days=1))


def deltas(before: State | None, after: State, traits: Traits) -> dict[tuple[date, Metric], int]:
    """Return the counter changes one event makes, keyed by (day, metric); pure, so replaying gives the same."""
    out: dict[tuple[date, Metric], int] = {}

    def add(day: date, metric: Metric, value: int) -> None:
        out[day, metric] = out.get((day, metric), 0) + value

    old, new, day = group_of(before.status if before else None), group_of(after.status), after.day
    if before is not None and old is new and before.due == after.due and after.status != _REFUSED:
        return out  # same group, same due date: nothing to count (most events: start, transfers, steps)
    if after.status == _REFUSED and (before is None or before.status != _REFUSED):
        add(day, _M.REFUSED, 1)
    if old is _NONE and new in OPEN_GROUPS:
        add(day, _M.RECEIVED, 1)
        add(day, _M.RECEIVED_ONLINE, traits.online)
        add(day, _M.RECEIVED_DIGITISED, traits.digitised)
    was_open, is_open = old in OPEN_GROUPS, new in OPEN_GROUPS
    add(day, _M.OPEN, is_open - was_open)
    add(day, _M.PAUSED, (new is _PAUSED) - (old is _PAUSED))
    if was_open and new is _ENDED:
        ended = ended_metric(day, after.due)
        add(day, ended, 1)
        add(day, _M.ENDED_LATE_ONLINE, ended is _M.ENDED_LATE and traits.online)
    # The overdue stock: close the interval the previous state opened (or cancel it if it lies ahead), open the new.
    if before is not None and (start := _overdue_start(before)) is not None:
        add(max(start, day), _M.OVERDUE, -1)
    if (start := _overdue_start(after)) is not None:
        add(start, _M.OVERDUE, 1)
    return {key: value for key, value in out.items() if value}


class _M:
    """The metrics as plain class attributes: enum member look-ups cost more than the rest of a replay step."""

    REFUSED, RECEIVED, RECEIVED_ONLINE = Metric.REFUSED, Metric.RECEIVED, Metric.RECEIVED_ONLINE
    RECEIVED_DIGITISED, OPEN, PAUSED = Metric.RECEIVED_DIGITISED, Metric.OPEN, Metric.PAUSED
    ENDED_LATE, ENDED_LATE_ONLINE, OVERDUE = Metric.ENDED_LATE, Metric.ENDED_LATE_ONLINE, Metric.OVERDUE


_REFUSED, _NONE, _PAUSED, _ENDED = int(Status.REFUSED), Group.NONE, Group.PAUSED, Group.ENDED


def local_date(at: datetime | None) -> date | None:
    return at.astimezone(VIETNAM).date() if at is not None else None


def span_starts(day: date) -> Iterator[tuple[str, date]]:
    """The buckets a day belongs to: itself, its month, its year (a period is read as a few whole buckets)."""
    yield Span.DAY, day
    yield Span.MONTH, day.replace(day=1)
    yield Span.YEAR, day.replace(month=1, day=1)


# -- the in-transaction writer ------------------------------------------------------------------------------------


def record(dossier: Dossier, event: DossierEvent) -> None:
    """Apply one event's counter changes; called by `events.append_event` inside the event's transaction."""
    before = None
    if event.sequence > 1:
        previous = dossier.events.filter(sequence=event.sequence - 1).values_list("status_after", "at", "due_at")[0]
        before = State(previous[0], local_date(previous[1]), local_date(previous[2]))  # type: ignore[arg-type]
    after = State(event.status_after, local_date(event.at), local_date(event.due_at))  # type: ignore[arg-type]
    received = group_of(before.status if before else None) is Group.NONE and group_of(after.status) in OPEN_GROUPS
    # Whether papers were scanned matters only on the day the dossier is received: ask only then.
    digitised = received and DossierComponent.objects.filter(dossier=dossier, is_digitised=True).exists()
    traits = Traits(
        dossier.competent_unit_id, dossier.version.procedure_id, dossier.channel == Channel.ONLINE, digitised
    )
    changes = deltas(before, after, traits)
    if changes:
        upsert(traits, changes)


def upsert(traits: Traits, changes: Mapping[tuple[date, Metric], int]) -> None:
    """Add the changes with one INSERT ... ON CONFLICT DO UPDATE per table, safe under concurrent intake."""
    by_span: Counter[tuple[str, date, Metric]] = Counter()
    for (day, metric), value in changes.items():
        for span, start in span_starts(day):
            by_span[span, start, metric] += value
    # Always the same tables in the same order and the rows sorted by key: concurrent events lock rows in one order,
    # so they wait for each other but never deadlock.
    changed = sorted(by_span.items())
    _add(
        DossierCounter._meta.db_table,
        ("unit_id", "procedure_id", "span", "start", "metric"),
        ("value",),
        [(traits.unit_id, traits.procedure_id, s, d, m.value, v) for (s, d, m), v in changed],
    )
    wide: dict[tuple[str, date], list[int]] = {}
    for (span, start, metric), value in changed:
        wide.setdefault((span, start), [0] * len(METRICS))[METRICS.index(metric)] += value
    _add(
        UnitCounter._meta.db_table,
        ("unit_id", "span", "start"),
        METRIC_COLUMNS,
        [(traits.unit_id, span, start, *values) for (span, start), values in wide.items()],
    )


def _add(table: str, key: tuple[str, ...], adds: tuple[str, ...], rows: list[tuple[int | str | date, ...]]) -> None:
    columns = ", ".join((*key, *adds))
    placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(key) + len(adds))) + ")"] * len(rows))
    updates = ", ".join(f"{column} = {table}.{column} + EXCLUDED.{column}" for column in adds)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {placeholders} "  # noqa: S608 (table and columns are ours)
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


# -- replay, for `motcua indices rebuild` ---------------------------------------------------------------------------


Key = tuple[int, int, date, str]  # (unit, procedure, day, metric)
K = TypeVar("K")


def replay(chunk_size: int = 20_000) -> dict[Key, int]:
    """Recompute every (unit, procedure, day, metric) counter from the events alone, streaming dossier by dossier."""
    totals: defaultdict[Key, int] = defaultdict(int)
    dossiers = (
        Dossier.objects.order_by("pk")
        .annotate(digitised=Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), is_digitised=True)))
        .values_list("pk", "competent_unit_id", "version__procedure_id", "channel", "digitised")
        .iterator(chunk_size=chunk_size)
    )
    # Local dates computed by the database: parsing millions of timestamps in Python is the slow part of a replay.
    events = (
        DossierEvent.objects.order_by("dossier_id", "sequence")
        .annotate(day=TruncDate("at", tzinfo=VIETNAM), due=TruncDate("due_at", tzinfo=VIETNAM))
        .values_list("dossier_id", "status_after", "day", "due")
        .iterator(chunk_size=chunk_size)
    )
    pending = next(events, None)
    for pk, unit, procedure, channel, digitised in dossiers:
        traits = Traits(unit, procedure, channel == Channel.ONLINE, bool(digitised))
        before: State | None = None
        while pending is not None and pending[0] < pk:
            pending = next(events, None)  # events of a dossier that no longer exists: nothing to count
        while pending is not None and pending[0] == pk:
            after = State(pending[1], pending[2], pending[3])
            for (day, metric), value in deltas(before, after, traits).items():
                totals[unit, procedure, day, metric.value] += value
            before, pending = after, next(events, None)
    return {key: value for key, value in totals.items() if value}


DetailKey = tuple[int, int, str, date, str]  # (unit, procedure, span, start, metric)
UnitKey = tuple[int, str, date, str]  # (unit, span, start, metric)


def bucketed(counters: Mapping[Key, int]) -> tuple[dict[DetailKey, int], dict[UnitKey, int]]:
    """Spread day counters into the day, month and year rows of both tables, as `upsert` writes them."""
    detail: defaultdict[DetailKey, int] = defaultdict(int)
    units: defaultdict[UnitKey, int] = defaultdict(int)
    for (unit, procedure, day, metric), value in counters.items():
        for span, start in span_starts(day):
            detail[unit, procedure, span, start, metric] += value
            units[unit, span, start, metric] += value
    return {k: v for k, v in detail.items() if v}, {k: v for k, v in units.items() if v}


def stored() -> tuple[dict[DetailKey, int], dict[UnitKey, int]]:
    """Return the counters as stored, without zero rows."""
    detail = {
        (u, p, s, d, m): v
        for u, p, s, d, m, v in DossierCounter.objects.exclude(value=0)
        .values_list("unit_id", "procedure_id", "span", "start", "metric", "value")
        .iterator(chunk_size=50_000)
    }
    units = {
        (row[0], row[1], row[2], metric): value
        for row in UnitCounter.objects.values_list("unit_id", "span", "start", *METRIC_COLUMNS).iterator(50_000)
        for metric, value in zip(METRIC_COLUMNS, row[3:], strict=True)
        if value
    }
    return detail, units


def differences(expected: Mapping[K, int], actual: Mapping[K, int]) -> list[tuple[K, int, int]]:
    """Every key where the two disagree, with (expected, actual)."""
    return [
        (k, expected.get(k, 0), actual.get(k, 0))
        for k in sorted(expected.keys() | actual.keys(), key=str)
        if expected.get(k, 0) != actual.get(k, 0)
    ]


def rewrite(counters: Mapping[Key, int]) -> None:
    """Replace every stored counter by the replayed ones (inside the caller's transaction); COPY on PostgreSQL."""
    detail, units = bucketed(counters)
    DossierCounter.objects.all().delete()
    UnitCounter.objects.all().delete()
    detail_columns = ("unit_id", "procedure_id", "span", "start", "metric", "value")
    _load(DossierCounter, detail_columns, ((*key, value) for key, value in detail.items()))
    wide: dict[tuple[int, str, date], list[int]] = {}
    for (unit, span, start, metric), value in units.items():
        wide.setdefault((unit, span, start), [0] * len(METRICS))[METRIC_COLUMNS.index(metric)] = value
    _load(UnitCounter, ("unit_id", "span", "start", *METRIC_COLUMNS), ((*key, *v) for key, v in wide.items()))


def _load(
    model: type[DossierCounter] | type[UnitCounter], columns: tuple[str, ...], rows: Iterator[tuple[object, ...]]
) -> None:
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create((model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=5_000)  # type: ignore[misc]
