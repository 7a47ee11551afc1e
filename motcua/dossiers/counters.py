"""Counters per (unit, procedure, day, metric), kept in the same transaction as the dossier events that change them.

The leaders' indices (QĐ 766/QĐ-TTg; DOMAIN.md §3, DOMAIN-2.md §1) read these counters, never the dossier table, so a
dashboard costs the same at 1 M and at 10 M dossiers. `advance` and `deltas` are pure: from a dossier's history so far
and its next event, they derive what changes. They know statuses only as indicator 2.1 reads them (accepted, waiting,
ended), so actions added later (hand-overs, results, signatures, extensions, ...) are counted without touching this
file. How waits and supplement requests count is a rule of the 766 configuration version (`Counting`, versions in
`indices/config.py`).

Two kinds of metric:
* flows (received, ended early / on time / late, ...) count what happened on a day; a period sums its days;
* stocks (open, paused, overdue) are step functions: the value at the end of day T is the sum of every day <= T.
  "Overdue" starts on the day after the due date (later by the waits the method subtracts), so it is written ahead,
  on that future day, and cancelled or moved when the dossier ends, pauses before it or gets a new due date first.
  Early / on time / late compare dates, not instants (DOMAIN.md §1.6): ended before the due date is early, on it on
  time, after it late.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import TruncDate

from motcua.catalogue.models import Channel, ProcedureVersion
from motcua.core.clock import VIETNAM

from .lifecycle import Action, Status
from .models import (
    Dossier,
    DossierComponent,
    DossierCounter,
    DossierEvent,
    DossierRating,
    ResultDocument,
    Span,
    UnitCounter,
)
from .processing import Rating


class Metric(StrEnum):
    RECEIVED = "received"  # accepted for handling (status 2 reached; 766 "tiếp nhận")
    RECEIVED_ONLINE = "received_online"  # of which filed online (channel 2)
    RECEIVED_DIGITISED = "received_digitised"  # of which at least one paper was scanned at intake
    REFUSED = "refused"  # not accepted (status 3)
    ENDED_EARLY = "ended_early"  # handling ended before the due date
    ENDED_ON_TIME = "ended_on_time"  # ... on the due date
    ENDED_LATE = "ended_late"  # ... after the due date, or after more supplement requests than the method allows
    ENDED_LATE_ONLINE = "ended_late_online"  # online dossiers ended late (TT 01/2018 evaluation, indicator 9)
    OPEN = "open"  # stock: received and not ended (includes paused)
    PAUSED = "paused"  # stock: waiting for papers or a financial obligation (statuses 5 and 6)
    OVERDUE = "overdue"  # stock: open and late by the method (a wait does not hide lateness)


STOCKS = frozenset({Metric.OPEN, Metric.PAUSED, Metric.OVERDUE})
METRIC_COLUMNS = tuple(metric.value for metric in Metric)  # the first columns of UnitCounter, in this order
# What an operator reads (`motcua indices rebuild`); a stock's counter is its change on the day.
METRIC_LABELS = {
    Metric.RECEIVED: "Tiếp nhận",
    Metric.RECEIVED_ONLINE: "Tiếp nhận trực tuyến",
    Metric.RECEIVED_DIGITISED: "Tiếp nhận có thành phần được số hóa",
    Metric.REFUSED: "Từ chối tiếp nhận",
    Metric.ENDED_EARLY: "Đã giải quyết trước hạn",
    Metric.ENDED_ON_TIME: "Đã giải quyết đúng hạn",
    Metric.ENDED_LATE: "Đã giải quyết quá hạn",
    Metric.ENDED_LATE_ONLINE: "Hồ sơ trực tuyến đã giải quyết quá hạn",
    Metric.OPEN: "Đang giải quyết (biến động trong kỳ)",
    Metric.PAUSED: "Tạm dừng (biến động trong kỳ)",
    Metric.OVERDUE: "Đang giải quyết quá hạn (biến động trong kỳ)",
}


class ResultMetric(StrEnum):
    """What indicators 3.3, 4.1, 4.2 and 5.4 need beside the statuses (DOMAIN-2.md §1.2), kept like the status
    metrics: per procedure, and per unit in the last columns of `UnitCounter`.

    4.1 counts on the day processing ends: the result exists then (it is attached and signed before completion).
    3.3 and 4.2 count receptions with the condition "an e-result where the procedure returns a written result": a
    dossier counts on its reception day, at reception when the procedure returns no written result, else when its
    processing ends with a signed result, as the national portal reads the synchronised dossiers when it computes.
    """

    RESULT_DUE = "result_due"  # processing ended (9, 10) for a procedure that returns a written result
    E_RESULT = "e_result"  # ... with a digitally signed result
    ONLINE_WITH_RESULT = "online_with_result"  # received online, with an e-result where the result is written
    DIGITISED_WITH_RESULT = "digitised_with_result"  # received with a digitised paper, with the same condition
    UNSATISFIED = "rated_unsatisfied"  # the applicant's overall rating is "Không hài lòng" (TT 01/2018 item 11)
    # The dossier's first phản ánh, kiến nghị, unless it was rated "Không hài lòng" before: 5.4 subtracts the
    # dossiers with a PAKN or a dislike, and one already counted as disliked is not counted again.
    REPORTED = "reported"
    # Received, and the national portal acknowledged its record (1.4): counted on the reception day, at reception
    # when the record was acknowledged before, else when the acknowledgement comes (`national.acknowledged`).
    SYNCED = "synced"
    FEE_DUE = "fee_due"  # received, owing a fee of more than 0 đ (3.6 denominator)
    # ... whose fee was paid online (DuocThanhToanTrucTuyen 1 or 2; 3.6): counted on the reception day, at reception
    # when paid before, else at the first online payment (`paid_online_day`).
    PAID_ONLINE = "paid_online"
    VNEID = "vneid"  # received, filed through a VNeID-verified account (TaiKhoanDuocXacThucVoiVNeID; 4.5b)


RESULT_METRIC_LABELS = {
    ResultMetric.RESULT_DUE: "Đã giải quyết xong, thủ tục có kết quả bằng văn bản",
    ResultMetric.E_RESULT: "Đã giải quyết xong, có kết quả điện tử đã ký số",
    ResultMetric.ONLINE_WITH_RESULT: "Tiếp nhận trực tuyến, có kết quả điện tử nếu thủ tục có kết quả bằng văn bản",
    ResultMetric.DIGITISED_WITH_RESULT: "Tiếp nhận có thành phần được số hóa, có kết quả điện tử nếu thủ tục có "
    "kết quả bằng văn bản",
    ResultMetric.UNSATISFIED: "Đánh giá không hài lòng",
    ResultMetric.REPORTED: "Có phản ánh, kiến nghị (chưa bị đánh giá không hài lòng trước đó)",
    ResultMetric.SYNCED: "Tiếp nhận, đã đồng bộ lên Cổng Dịch vụ công quốc gia",
    ResultMetric.FEE_DUE: "Tiếp nhận, có phí, lệ phí phải nộp",
    ResultMetric.PAID_ONLINE: "Tiếp nhận, đã thanh toán phí, lệ phí trực tuyến",
    ResultMetric.VNEID: "Tiếp nhận, nộp bằng tài khoản được xác thực với VNeID",
}
UNIT_COLUMNS = (*METRIC_COLUMNS, *(metric.value for metric in ResultMetric))  # every column of UnitCounter, in order

# The statuses as indicator 2.1 reads them (DOMAIN-2.md §1.2; DOMAIN.md §1.6 for the codes).
ACCEPTED = frozenset({int(Status.RECEIVED), int(Status.PROCESSING)})  # reaching one of these is reception
WAITING = frozenset({int(Status.SUPPLEMENT_REQUESTED), int(Status.PAYMENT_REQUESTED)})  # the clock is stopped
OPEN_STATUSES = ACCEPTED | WAITING
# "End time = first of Đã xử lý xong > Đã trả kết quả > Dừng xử lý / Từ chối / Công dân rút (accepted dossiers only)":
# a stopped dossier (8) has ended, although the national groups list it under "dừng".
ENDED_STATUSES = frozenset({int(Status.WITHDRAWN), int(Status.STOPPED), int(Status.FINISHED), int(Status.RETURNED)})
_SUPPLEMENT, _REFUSED = int(Status.SUPPLEMENT_REQUESTED), int(Status.REFUSED)
ZERO = timedelta(0)


class PauseRule(StrEnum):
    """How a wait during which the clock is stopped is taken out of a dossier's time."""

    # VPCP's method for 2.1: the wall-clock wait is subtracted from the end time (NgayKetThucXuLy), the appointment
    # (NgayHenTra) stays as recorded.
    ELAPSED = "elapsed"
    # The dossier's appointment: it moves by the working time that was left when the clock stopped (`calendar.resume`).
    APPOINTMENT = "appointment"


@dataclass(frozen=True)
class Counting:
    """The rules by which the counters read a dossier's events: part of a 766 configuration version.

    The versions, with their sources, are in `indices/config.py`, registered here by `use_counting` since dossiers
    sit below indices. A version's rules apply to the events from its effective date; run `motcua indices rebuild
    --write` when a version changes how past events read.
    """

    supplement_wait: PauseRule  # waiting for papers (status 5)
    payment_wait: PauseRule  # waiting for a financial obligation (status 6)
    late_after_requests: int | None  # more supplement requests than this: late, whatever the dates; None: no rule

    def wait_rule(self, status: int) -> PauseRule:
        return self.supplement_wait if status == _SUPPLEMENT else self.payment_wait


_counting: list[Callable[[date], Counting]] = []


def use_counting(rules_on: Callable[[date], Counting]) -> None:
    """Plug in the 766 configuration (called once from the indices' AppConfig.ready)."""
    _counting[:] = [rules_on]


def counting_on(day: date) -> Counting:
    """Return the counting rules of the 766 configuration version in force on a day."""
    if not _counting:
        raise ImproperlyConfigured("motcua.indices must be installed: it holds the 766 counting rules.")
    return _counting[0](day)


class Event(NamedTuple):
    """What the counters read of a dossier event: the status after it, its instant and the due instant it recorded
    (the dossier's statistics date), with both as local dates."""

    status: int
    at: datetime
    due_at: datetime | None
    day: date
    due_day: date | None


def event(status: int, at: datetime, due_at: datetime | None) -> Event:
    return Event(status, at, due_at, _local(at), local_date(due_at))


class State(NamedTuple):
    """Where a dossier stood after an event, as indicator 2.1 counts it, with what the next event needs to know.

    A named tuple: a replay builds one per event, and a tuple is several times cheaper to build than a dataclass.
    """

    status: int
    day: date
    accepted: bool = False  # received at a counter or accepted online: inside 2.1 from then on
    late_from: date | None = None  # while in this state, the first day the dossier counts as overdue
    ended: Metric | None = None  # set by the event that ends handling: early, on time or late
    # The history the method needs.
    at: datetime | None = None
    due_at: datetime | None = None  # the due instant the event recorded
    moved: timedelta = ZERO  # how far the recorded due instant moved by waits the method subtracts instead
    waited: timedelta = ZERO  # the answered waits the method subtracts from the end time
    paused_at: datetime | None = None  # when the current wait began
    requests: int = 0  # supplement requests so far
    late_by_requests: bool = False

    @property
    def is_open(self) -> bool:
        return self.accepted and self.status in OPEN_STATUSES


NOTHING = State(0, date.min)  # before the first event


@dataclass(frozen=True)
class Traits:
    """What does not change during a dossier's life and decides where it is counted."""

    unit_id: int  # the competent unit: 766 scores the unit that decides
    procedure_id: int
    online: bool
    digitised: bool
    written_result: bool = False  # the pinned version's record lists a result (KETQUATHUCHIEN): 3.3, 4.1, 4.2
    e_result: bool = False  # a digitally signed result: known when processing ends (signing happens before)
    fee_due: bool = False  # the pinned fee is more than 0 đ (3.6)
    vneid: bool = False  # filed through a VNeID-verified account (4.5b)


def ended_metric(day: date, due: date | None) -> Metric:
    """Compare the end date with the due date (no due date: on time, as the national engine does)."""
    if due is None or day == due:
        return Metric.ENDED_ON_TIME
    return Metric.ENDED_EARLY if day < due else Metric.ENDED_LATE


def advance(before: State | None, ev: Event, rules: Counting) -> State:
    """Return the state an event leaves a dossier in, by the method of indicator 2.1 (DOMAIN-2.md §1.2).

    * Reception: the first time the dossier is received or accepted (2 or 4); a dossier never accepted is outside.
    * End: the first of 7, 8, 9, 10 after that. While a request is unanswered, and when the dossier ends during it,
      the end is the time of the request: the clock stopped then, and lateness at that instant stays.
    * An answered supplement wait is subtracted from the end time (ELAPSED) or has moved the appointment (APPOINTMENT),
      as the version says; the recorded due instant moved by working time at the resume, so ELAPSED undoes that move.
    * More supplement requests than the version allows: late from the request on, whatever the dates.
    """
    b = before or NOTHING
    status, at = ev.status, ev.at
    accepted = b.accepted or status in ACCEPTED
    requests = b.requests + (status == _SUPPLEMENT and b.status != _SUPPLEMENT)
    limit = rules.late_after_requests
    late_by_requests = b.late_by_requests or (limit is not None and requests > limit)
    moved, waited, paused_at = b.moved, b.waited, b.paused_at
    if b.status in WAITING and status not in WAITING:
        if status in ACCEPTED and b.accepted and rules.wait_rule(b.status) is PauseRule.ELAPSED:
            assert b.paused_at is not None
            waited += at - b.paused_at
            if ev.due_at is not None and b.due_at is not None:
                moved += ev.due_at - b.due_at
        paused_at = None
    elif status in WAITING and b.status not in WAITING:
        paused_at = at
    due = _due_day(ev, moved)
    ended = None
    if b.is_open and status in ENDED_STATUSES:
        # Ended during a wait: the end is the request (the clock had stopped then).
        end = b.paused_at if b.status in WAITING and b.paused_at is not None else at
        ended = Metric.ENDED_LATE if late_by_requests else ended_metric(_less(end, waited, ev), due)
    late_from = None
    if accepted and status in OPEN_STATUSES:
        if late_by_requests:
            late_from = ev.day
        elif due is None:
            pass
        elif status in WAITING:
            assert paused_at is not None
            late_from = ev.day if _less(paused_at, waited, ev) > due else None
        else:
            # Open at the end of day T: late when (end of T - waited) falls after the due date, i.e. from the day
            # of (midnight after the due date + waited).
            first = due + _ONE_DAY if not waited else _local(_midnight(due + _ONE_DAY) + waited)
            late_from = max(ev.day, first)
    return State(
        status, ev.day, accepted, late_from, ended, at, ev.due_at, moved, waited, paused_at, requests, late_by_requests
    )


_ONE_DAY = timedelta(days=1)


def _local(at: datetime) -> date:
    return at.astimezone(VIETNAM).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def _less(at: datetime, waited: timedelta, ev: Event | None) -> date:
    """The local date of an instant less the waits (the event's own date when nothing is subtracted from it)."""
    if not waited and ev is not None and at is ev.at:
        return ev.day
    return _local(at - waited)


def _due_day(ev: Event, moved: timedelta) -> date | None:
    if ev.due_at is None or not moved:
        return ev.due_day
    return _local(ev.due_at - moved)


def deltas(before: State | None, after: State, traits: Traits) -> dict[tuple[date, Metric], int]:
    """Return the counter changes one event makes, keyed by (day, metric); pure, so replaying gives the same."""
    b = before or NOTHING
    out: dict[tuple[date, Metric], int] = {}
    day, late_before, late_after = after.day, b.late_from, after.late_from
    was_open, is_open = b.accepted and b.status in OPEN_STATUSES, after.accepted and after.status in OPEN_STATUSES
    was_waiting, is_waiting = was_open and b.status in WAITING, is_open and after.status in WAITING
    refused = after.status == _REFUSED and b.status != _REFUSED
    same_lateness = late_before == late_after or (
        late_before is not None and late_after is not None and max(late_before, day) == late_after
    )
    unchanged = was_open == is_open and was_waiting == is_waiting and b.accepted == after.accepted
    if unchanged and same_lateness and not refused and after.ended is None:
        return out  # most events: hand-overs, steps, results, signatures, a due date that did not move

    def add(day: date, metric: Metric, value: int) -> None:
        out[day, metric] = out.get((day, metric), 0) + value

    if refused:
        add(day, _M.REFUSED, 1)
    if after.accepted and not b.accepted:
        add(day, _M.RECEIVED, 1)
        add(day, _M.RECEIVED_ONLINE, traits.online)
        add(day, _M.RECEIVED_DIGITISED, traits.digitised)
    add(day, _M.OPEN, is_open - was_open)
    add(day, _M.PAUSED, is_waiting - was_waiting)
    if after.ended is not None:
        add(day, after.ended, 1)
        add(day, _M.ENDED_LATE_ONLINE, after.ended is _M.ENDED_LATE and traits.online)
    # The overdue stock: close the interval the previous state opened (or cancel it if it lies ahead), open the new.
    if late_before is not None:
        add(max(late_before, day), _M.OVERDUE, -1)
    if late_after is not None:
        add(late_after, _M.OVERDUE, 1)
    return {key: value for key, value in out.items() if value}


def count(events: Iterable[Event], traits: Traits) -> Counter[tuple[date, Metric]]:
    """Return every counter change of one dossier's events, in order (what `record` wrote event by event)."""
    changes: Counter[tuple[date, Metric]] = Counter()
    before: State | None = None
    for ev in events:
        after = advance(before, ev, counting_on(ev.day))
        changes.update(deltas(before, after, traits))
        before = after
    return changes


class _M:
    """The metrics as plain class attributes: enum member look-ups cost more than the rest of a replay step."""

    REFUSED, RECEIVED, RECEIVED_ONLINE = Metric.REFUSED, Metric.RECEIVED, Metric.RECEIVED_ONLINE
    RECEIVED_DIGITISED, OPEN, PAUSED = Metric.RECEIVED_DIGITISED, Metric.OPEN, Metric.PAUSED
    ENDED_LATE, ENDED_LATE_ONLINE, OVERDUE = Metric.ENDED_LATE, Metric.ENDED_LATE_ONLINE, Metric.OVERDUE


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
    received_on: date | None = None
    paid_earlier = False
    if event.sequence > 1:
        # The method reads the whole history (acceptance, waits, requests): a dossier has a few dozen events at most.
        earlier = dossier.events.filter(sequence__lt=event.sequence).order_by("sequence")
        for status, at, due_at, details in earlier.values_list("status_after", "at", "due_at", "details"):
            happened = Event(status, at, due_at, _local(at), local_date(due_at))
            before = advance(before, happened, counting_on(happened.day))
            received_on = received_on or (before.day if before.accepted else None)
            paid_earlier = paid_earlier or ONLINE_PAYMENT in details
    happened = Event(event.status_after, event.at, event.due_at, _local(event.at), local_date(event.due_at))
    after = advance(before, happened, counting_on(happened.day))
    received = after.accepted and not (before is not None and before.accepted)
    done = after.ended is not None and after.status in DONE_STATUSES
    # Whether papers were scanned and what the result is matter only when the dossier is received or processing
    # ends: ask only then.
    digitised = (received or done) and DossierComponent.objects.filter(dossier=dossier, is_digitised=True).exists()
    written = (received or done) and returns_written_result(dossier.version.record)
    signed = done and written and ResultDocument.objects.filter(dossier=dossier, signature__isnull=False).exists()
    traits = Traits(
        dossier.competent_unit_id,
        dossier.version.procedure_id,
        dossier.channel == Channel.ONLINE,
        digitised,
        written,
        signed,
        fee_due=received and dossier.fee is not None and dossier.fee.amount > 0,
        vneid=dossier.is_vneid_verified,
    )
    changes: list[tuple[tuple[date, str], int]] = [
        *deltas(before, after, traits).items(),
        *result_deltas(before, after, traits, received_on or (after.day if received else None)).items(),
    ]
    if event.action == Action.RATE and event.details.get("overall") == Rating.UNSATISFIED:
        changes.append(((after.day, ResultMetric.UNSATISFIED), 1))
    if event.action == Action.REPORT and _first_report_not_disliked(dossier, event):
        changes.append(((after.day, ResultMetric.REPORTED), 1))
    if received and dossier.synced_at is not None:
        changes.append(((after.day, ResultMetric.SYNCED), 1))
    paid_on = paid_online_day(received_on, received, paid_earlier, ONLINE_PAYMENT in event.details, after.day)
    if paid_on is not None:
        changes.append(((paid_on, ResultMetric.PAID_ONLINE), 1))
    if changes:
        upsert(traits, changes)


def record_sync(dossier: Dossier) -> None:
    """Count a received dossier's first acknowledgement by the national portal, on its reception day."""
    assert dossier.received_at is not None
    traits = Traits(dossier.competent_unit_id, dossier.version.procedure_id, dossier.channel == Channel.ONLINE, False)
    upsert(traits, [((_local(dossier.received_at), ResultMetric.SYNCED), 1)])


def _first_report_not_disliked(dossier: Dossier, event: DossierEvent) -> bool:
    earlier = dossier.events.filter(action=Action.REPORT, sequence__lt=event.sequence).exists()
    return not earlier and not DossierRating.objects.filter(dossier=dossier, overall=Rating.UNSATISFIED).exists()


def upsert(traits: Traits, changes: Iterable[tuple[tuple[date, str], int]]) -> None:
    """Add the changes with one INSERT ... ON CONFLICT DO UPDATE per table, safe under concurrent intake."""
    by_span: Counter[tuple[str, date, str]] = Counter()
    for (day, metric), value in changes:
        for span, start in span_starts(day):
            by_span[span, start, str(metric)] += value
    # Always the same tables in the same order and the rows sorted by key: concurrent events lock rows in one order,
    # so they wait for each other but never deadlock.
    changed = sorted(by_span.items())
    _add(
        DossierCounter._meta.db_table,
        ("unit_id", "procedure_id", "span", "start", "metric"),
        ("value",),
        [(traits.unit_id, traits.procedure_id, s, d, m, v) for (s, d, m), v in changed],
    )
    wide: dict[tuple[str, date], list[int]] = {}
    for (span, start, metric), value in changed:
        wide.setdefault((span, start), [0] * len(UNIT_COLUMNS))[UNIT_COLUMNS.index(metric)] += value
    _add(
        UnitCounter._meta.db_table,
        ("unit_id", "span", "start"),
        UNIT_COLUMNS,
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


# -- results and ratings: QĐ 766 indicators 3.3, 4.1, 4.2 and 5.4 ----------------------------------------------------


DONE_STATUSES = frozenset({int(Status.FINISHED), int(Status.RETURNED)})  # processing ended with a result


def returns_written_result(record: Mapping[str, object]) -> bool:
    """Tell whether a procedure version's national record lists a result (KETQUATHUCHIEN, DOMAIN.md §6)."""
    return bool(record.get("KETQUATHUCHIEN"))


# The key an online payment's event carries in its details (the payment platform's confirmation, issue 20).
ONLINE_PAYMENT = "online_payment"


def paid_online_day(
    received_on: date | None, received_now: bool, paid_earlier: bool, paid_now: bool, day: date
) -> date | None:
    """The day a dossier's first online payment is counted (3.6), if this event counts it: the reception day, at
    reception when the fee was paid before, else at the payment itself once the dossier is received."""
    if received_now and paid_earlier:
        return day
    if paid_now and not paid_earlier and received_on is not None:
        return received_on
    return None


def result_deltas(
    before: State | None, after: State, traits: Traits, received_on: date | None
) -> dict[tuple[date, ResultMetric], int]:
    """Return the result counters one event changes, keyed by (day, metric); pure, like `deltas`."""
    out: dict[tuple[date, ResultMetric], int] = {}
    if after.accepted and not (before is not None and before.accepted):
        out[after.day, ResultMetric.FEE_DUE] = int(traits.fee_due)
        out[after.day, ResultMetric.VNEID] = int(traits.vneid)
    if after.accepted and not (before is not None and before.accepted) and not traits.written_result:
        out[after.day, ResultMetric.ONLINE_WITH_RESULT] = int(traits.online)
        out[after.day, ResultMetric.DIGITISED_WITH_RESULT] = int(traits.digitised)
    elif after.ended is not None and after.status in DONE_STATUSES and traits.written_result:
        out[after.day, ResultMetric.RESULT_DUE] = 1
        out[after.day, ResultMetric.E_RESULT] = int(traits.e_result)
        if traits.e_result and received_on is not None:
            out[received_on, ResultMetric.ONLINE_WITH_RESULT] = int(traits.online)
            out[received_on, ResultMetric.DIGITISED_WITH_RESULT] = int(traits.digitised)
    return {key: value for key, value in out.items() if value}


# -- replay, for `motcua indices rebuild` ---------------------------------------------------------------------------


Key = tuple[int, int, date, str]  # (unit, procedure, day, metric)
DOSSIER_COLUMNS = (
    *("pk", "competent_unit_id", "version__procedure_id", "channel", "digitised"),
    *("version_id", "signed", "rating__at", "rating__overall", "synced_at", "fee__amount", "is_vneid_verified"),
)
K = TypeVar("K")


def replay(chunk_size: int = 20_000) -> dict[Key, int]:
    """Recompute every (unit, procedure, day, metric) counter from the events alone, streaming dossier by dossier."""
    totals: defaultdict[Key, int] = defaultdict(int)
    versions = ProcedureVersion.objects.values_list("pk", "record")
    written = {pk for pk, record in versions.iterator() if returns_written_result(record)}
    dossiers = (
        Dossier.objects.order_by("pk")
        .annotate(
            digitised=Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"), is_digitised=True)),
            signed=Exists(ResultDocument.objects.filter(dossier=OuterRef("pk"), signature__isnull=False)),
        )
        .values_list(*DOSSIER_COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    # Local dates computed by the database: converting millions of timestamps in Python is the slow part of a replay.
    events = (
        DossierEvent.objects.order_by("dossier_id", "sequence")
        .annotate(
            day=TruncDate("at", tzinfo=VIETNAM),
            due=TruncDate("due_at", tzinfo=VIETNAM),
            paid=ExpressionWrapper(Q(details__has_key=ONLINE_PAYMENT), output_field=BooleanField()),
        )
        .values_list("dossier_id", "status_after", "at", "due_at", "day", "due", "action", "paid")
        .iterator(chunk_size=chunk_size)
    )
    rules: dict[date, Counting] = {}
    pending = next(events, None)
    for row in dossiers:
        pk, unit, procedure, channel, digitised, version, signed, rated_at, rating, synced_at, fee, vneid = row
        has_result = version in written
        traits = Traits(
            unit,
            procedure,
            channel == Channel.ONLINE,
            bool(digitised),
            has_result,
            has_result and signed,
            fee_due=bool(fee),
            vneid=vneid,
        )
        before: State | None = None
        received_on: date | None = None
        reported_at: datetime | None = None
        paid = False
        while pending is not None and pending[0] < pk:
            pending = next(events, None)  # events of a dossier that no longer exists: nothing to count
        while pending is not None and pending[0] == pk:
            happened = Event(*pending[1:6])
            if pending[6] == Action.REPORT:
                reported_at = reported_at or happened.at
            day = happened.day
            if day not in rules:
                rules[day] = counting_on(day)
            after = advance(before, happened, rules[day])
            for (changed, metric), value in deltas(before, after, traits).items():
                totals[unit, procedure, changed, metric.value] += value
            received_now = after.accepted and not (before is not None and before.accepted)
            if (paid_on := paid_online_day(received_on, received_now, paid, bool(pending[7]), day)) is not None:
                totals[unit, procedure, paid_on, ResultMetric.PAID_ONLINE.value] += 1
            paid = paid or bool(pending[7])
            received_on = received_on or (after.day if after.accepted else None)
            for (changed, result), value in result_deltas(before, after, traits, received_on).items():
                totals[unit, procedure, changed, result.value] += value
            before, pending = after, next(events, None)
        disliked = rated_at is not None and rating == Rating.UNSATISFIED
        if disliked:
            totals[unit, procedure, _local(rated_at), ResultMetric.UNSATISFIED.value] += 1
        if reported_at is not None and not (disliked and rated_at < reported_at):
            totals[unit, procedure, _local(reported_at), ResultMetric.REPORTED.value] += 1
        if synced_at is not None and received_on is not None:
            totals[unit, procedure, received_on, ResultMetric.SYNCED.value] += 1
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
        for row in UnitCounter.objects.values_list("unit_id", "span", "start", *UNIT_COLUMNS).iterator(50_000)
        for metric, value in zip(UNIT_COLUMNS, row[3:], strict=True)
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
        wide.setdefault((unit, span, start), [0] * len(UNIT_COLUMNS))[UNIT_COLUMNS.index(metric)] = value
    _load(UnitCounter, ("unit_id", "span", "start", *UNIT_COLUMNS), ((*key, *v) for key, v in wide.items()))


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
