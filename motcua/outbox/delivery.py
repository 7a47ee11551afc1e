"""The outbox worker: claim due messages with a lease, send each subject's oldest one, record the answer.

Delivery is at least once, in order per subject (a dossier, a feedback case) within a queue: a message is due only
when every earlier message about its subject has been acknowledged, so a failing or dead message holds the later
ones back while other subjects go on. The receiver applies a message id once. A worker that dies mid-batch leaves
its lease to expire; another worker then sends those messages again.
"""

import json
import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.utils.module_loading import import_string

from motcua.core import clock

from . import signatures, transport
from .models import NATIONAL, OutboundMessage, State

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """Exponential back-off with full jitter: a random wait up to base·2^attempts, capped (AWS architecture blog)."""
    ceiling = min(
        settings.MOTCUA_OUTBOX_BACKOFF_CAP_SECONDS, settings.MOTCUA_OUTBOX_BACKOFF_BASE_SECONDS * 2**attempts
    )
    return timedelta(seconds=random.uniform(0, ceiling))  # noqa: S311 - jitter, not a secret


def claim(worker: str, limit: int) -> list[OutboundMessage]:
    """Take up to `limit` due messages, each the oldest unacknowledged one of its subject, under a lease."""
    now = clock.now()
    earlier = OutboundMessage.objects.filter(
        queue=OuterRef("queue"), key=OuterRef("key"), sequence__lt=OuterRef("sequence")
    ).exclude(state=State.DELIVERED)
    due = (
        OutboundMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .exclude(Exists(earlier))
        .prefetch_related("subscription")  # a join here would lose the index order and sort every due row
        # The record as the database prints it: decoding 4 kB of JSON and encoding it again cost more than its send.
        .defer("payload")
        .annotate(body=Cast("payload", TextField()))
        .order_by("next_attempt_at", "pk")
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Workers on several nodes take disjoint batches instead of queueing behind each other's row locks.
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows: list[OutboundMessage] = list(due[:limit])
        lease = timedelta(seconds=settings.MOTCUA_OUTBOX_LEASE_SECONDS)
        OutboundMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
            lease_until=now + lease, claimed_by=worker
        )
    return rows


def send(message: OutboundMessage) -> transport.Answer:
    # The record's text, annotated by `claim`.
    body = message.body.encode("utf-8")  # type: ignore[attr-defined]
    headers = {"X-Message-Id": str(message.message_id), "X-Sequence": str(message.sequence)}
    if message.queue == NATIONAL:
        url = settings.MOTCUA_DVCQG_URL + settings.MOTCUA_DVCQG_PATHS[message.kind]
        headers["Authorization"] = f"Bearer {settings.MOTCUA_DVCQG_TOKEN}"
    else:
        subscription = message.subscription
        if subscription is None or not subscription.active:
            return transport.Answer(410, "Đăng ký nhận sự kiện đã bị xóa hoặc tạm dừng.")
        url = subscription.url
        record = {"id": str(message.message_id), **json.loads(body)}
        body = json.dumps(record, ensure_ascii=False).encode("utf-8")
        headers[signatures.HEADER] = signatures.sign(subscription.secret, int(time.time()), body)
    return transport.post(url, body, headers, settings.MOTCUA_OUTBOX_TIMEOUT_SECONDS)


# What an outcome changes, beside the state (`_outcome`).
RECORDED = ("state", "attempts", "last_status", "answer", "delivered_at", "next_attempt_at", "lease_until")


def record(message: OutboundMessage, answer: transport.Answer, worker: str) -> State:
    """Store one outcome (see `record_all`)."""
    return record_all([(message, answer)], worker)[0]


def record_all(outcomes: list[tuple[OutboundMessage, transport.Answer]], worker: str) -> list[State]:
    """Store a batch's outcomes in one transaction, except for messages whose lease was lost meanwhile (another
    worker's now), and tell the national portal's acknowledgements to the hooks that count them.

    Each UPDATE names this worker's claim in its condition, so a row another worker has claimed since is left alone
    (PostgreSQL re-checks the condition once it holds the row's lock)."""
    now = clock.now()
    states = [_outcome(message, answer, now) for message, answer in outcomes]
    messages = [message for message, _ in outcomes]
    held = OutboundMessage.objects.filter(claimed_by=worker, state=State.PENDING)
    with transaction.atomic():
        for message in messages:
            if message.state != State.DELIVERED:  # a failure: rare, one row at a time
                fields = {name: getattr(message, name) for name in RECORDED}
                held.filter(pk=message.pk).update(claimed_by="", **fields)
        delivered = [message for message in messages if message.state == State.DELIVERED]
        acknowledged: dict[str, list[str]] = {}
        for queue, kind, key in _mark_delivered(delivered, worker, now):
            if queue == NATIONAL:
                acknowledged.setdefault(kind, []).append(key)
        for kind, keys in acknowledged.items():
            if hook := settings.MOTCUA_OUTBOX_ACKNOWLEDGED.get(kind):
                import_string(hook)(keys, now)
    return states


def _mark_delivered(messages: list[OutboundMessage], worker: str, now: datetime) -> list[tuple[str, str, str]]:
    """One UPDATE for a batch's acknowledged messages still held by this worker, each with the receiver's own answer
    (Django's bulk_update builds a CASE per row and field, and cost more than the sending); return their queue, kind
    and key."""
    if not messages:
        return []
    table = OutboundMessage._meta.db_table
    values = ", ".join(["(%s, %s, %s)"] * len(messages))
    sql = (
        f"UPDATE {table} SET state = %s, delivered_at = %s, attempts = {table}.attempts + 1, "  # noqa: S608 - ours
        f"lease_until = NULL, claimed_by = '', last_status = v.column2, answer = v.column3 "
        f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1 AND {table}.claimed_by = %s "
        f"AND {table}.state = %s RETURNING {table}.queue, {table}.kind, {table}.key"
    )
    params: list[Any] = [State.DELIVERED.value, now]
    for message in messages:
        params += [message.pk, message.last_status, message.answer]
    params += [worker, State.PENDING.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _outcome(message: OutboundMessage, answer: transport.Answer, now: datetime) -> State:
    """Set the message's fields from the receiver's answer and return its new state."""
    message.attempts += 1
    message.last_status, message.answer = answer.status, answer.body[:4000]
    message.lease_until, message.claimed_by = None, ""
    if answer.delivered:
        message.state, message.delivered_at = State.DELIVERED, now
    elif answer.permanent or now - message.pending_since >= timedelta(hours=settings.MOTCUA_OUTBOX_DEAD_AFTER_HOURS):
        message.state = State.DEAD
        logger.warning("outbox: %s dead after %s attempts: %s", message, message.attempts, answer.body[:200])
    else:
        message.next_attempt_at = now + backoff(message.attempts - 1)
    return State(message.state)


def deliver_due(worker: str, limit: int | None = None, pool: ThreadPoolExecutor | None = None) -> int:
    """Send one batch, the subjects in parallel, and return how many messages were claimed."""
    batch = claim(worker, limit or settings.MOTCUA_OUTBOX_BATCH)
    if not batch:
        return 0
    answers = list(pool.map(send, batch)) if pool is not None and len(batch) > 1 else [send(m) for m in batch]
    record_all(list(zip(batch, answers, strict=True)), worker)
    return len(batch)


def run(worker: str, *, keep_going: Callable[[], bool] = lambda: True, idle_sleep: float | None = None) -> int:
    """Deliver until `keep_going` says stop; sleep briefly whenever nothing is due. Return the messages handled.

    Pipelined: the next batch is claimed and its sending started while the previous one's answers come back, so the
    database and the network work at the same time. A subject whose message is in flight is not claimed again (its
    next message waits for the acknowledgement), so the order per subject holds.
    """
    handled = 0
    pause = settings.MOTCUA_OUTBOX_POLL_SECONDS if idle_sleep is None else idle_sleep
    in_flight: list[tuple[OutboundMessage, Future[transport.Answer]]] = []
    with ThreadPoolExecutor(settings.MOTCUA_OUTBOX_THREADS, thread_name_prefix="outbox") as pool:
        while keep_going() or in_flight:
            batch = claim(worker, settings.MOTCUA_OUTBOX_BATCH) if keep_going() else []
            sending = [(message, pool.submit(send, message)) for message in batch]
            answered = bool(in_flight)  # then a subject's next message may be due at once: no pause
            if answered:
                record_all([(message, future.result()) for message, future in in_flight], worker)
            handled += len(batch)
            in_flight = sending
            if not batch and not answered:
                time.sleep(pause)
    return handled
