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
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
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
        .select_related("subscription")
        .order_by("next_attempt_at", "pk")
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Workers on several nodes take disjoint batches instead of queueing behind each other's row locks.
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows = list(due[:limit])
        lease = timedelta(seconds=settings.MOTCUA_OUTBOX_LEASE_SECONDS)
        OutboundMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
            lease_until=now + lease, claimed_by=worker
        )
    return rows


def send(message: OutboundMessage) -> transport.Answer:
    body = json.dumps(message.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"X-Message-Id": str(message.message_id), "X-Sequence": str(message.sequence)}
    if message.queue == NATIONAL:
        url = settings.MOTCUA_DVCQG_URL + settings.MOTCUA_DVCQG_PATHS[message.kind]
        headers["Authorization"] = f"Bearer {settings.MOTCUA_DVCQG_TOKEN}"
    else:
        subscription = message.subscription
        if subscription is None or not subscription.active:
            return transport.Answer(410, "Đăng ký nhận sự kiện đã bị xóa hoặc tạm dừng.")
        url = subscription.url
        body = json.dumps({"id": str(message.message_id), **message.payload}, ensure_ascii=False).encode("utf-8")
        headers[signatures.HEADER] = signatures.sign(subscription.secret, int(time.time()), body)
    return transport.post(url, body, headers, settings.MOTCUA_OUTBOX_TIMEOUT_SECONDS)


def record(message: OutboundMessage, answer: transport.Answer, worker: str) -> State:
    """Store the outcome, unless the lease was lost meanwhile (then the message is another worker's now)."""
    now = clock.now()
    mine = OutboundMessage.objects.filter(pk=message.pk, claimed_by=worker, state=State.PENDING)
    common = {"attempts": F("attempts") + 1, "last_status": answer.status, "answer": answer.body[:4000]}
    if answer.delivered:
        state, extra = State.DELIVERED, {"delivered_at": now}
    elif answer.permanent or now - message.pending_since >= timedelta(hours=settings.MOTCUA_OUTBOX_DEAD_AFTER_HOURS):
        state, extra = State.DEAD, {}
        logger.warning("outbox: %s dead after %s attempts: %s", message, message.attempts + 1, answer.body[:200])
    else:
        state, extra = State.PENDING, {"next_attempt_at": now + backoff(message.attempts)}
    with transaction.atomic():
        recorded = mine.update(state=state, lease_until=None, claimed_by="", **common, **extra)
        hook = settings.MOTCUA_OUTBOX_ACKNOWLEDGED.get(message.kind) if message.queue == NATIONAL else None
        if recorded and state == State.DELIVERED and hook:
            import_string(hook)(message.key, now)
    return state


def deliver_due(worker: str, limit: int | None = None, pool: ThreadPoolExecutor | None = None) -> int:
    """Send one batch, the subjects in parallel, and return how many messages were claimed."""
    batch = claim(worker, limit or settings.MOTCUA_OUTBOX_BATCH)
    if not batch:
        return 0
    answers = list(pool.map(send, batch)) if pool is not None and len(batch) > 1 else [send(m) for m in batch]
    for message, answer in zip(batch, answers, strict=True):
        record(message, answer, worker)
    return len(batch)


def run(worker: str, *, keep_going: Callable[[], bool] = lambda: True, idle_sleep: float | None = None) -> int:
    """Deliver until `keep_going` says stop; sleep briefly whenever nothing is due. Return the messages handled."""
    handled = 0
    pause = settings.MOTCUA_OUTBOX_POLL_SECONDS if idle_sleep is None else idle_sleep
    with ThreadPoolExecutor(settings.MOTCUA_OUTBOX_THREADS, thread_name_prefix="outbox") as pool:
        while keep_going():
            count = deliver_due(worker, pool=pool)
            handled += count
            if count == 0:
                time.sleep(pause)
    return handled
