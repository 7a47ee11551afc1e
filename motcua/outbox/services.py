"""Write messages to the outbox in the caller's transaction; resend dead ones. The worker is in `delivery`."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from motcua.audit.models import Kind as AuditKind
from motcua.audit.services import record as audit
from motcua.core import clock

from .models import NATIONAL, OutboundMessage, State, Subscription


def publish(
    kind: str,
    key: str,
    sequence: int,
    topic: str,
    *,
    at: datetime,
    national: dict[str, Any] | None,
    summary: dict[str, Any],
) -> None:
    """Queue one event: its national record for the national portal, its summary for each subscribed system.

    Called inside the event's transaction, so a message exists exactly when its event does (ARCHITECTURE.md,
    invariant 9). `sequence` orders the messages about one subject (`key`): the event's own sequence number.
    """
    rows = []
    if national is not None and settings.MOTCUA_DVCQG_SYNC:
        rows.append(_row(NATIONAL, None, kind, key, sequence, topic, at, national))
    for subscription in _subscribers(topic):
        body = {"topic": topic, "occurred_at": at.isoformat(), "data": summary}
        rows.append(_row(subscription.queue, subscription, kind, key, sequence, topic, at, body))
    OutboundMessage.objects.bulk_create(rows)


def _row(
    queue: str,
    subscription: Subscription | None,
    kind: str,
    key: str,
    sequence: int,
    topic: str,
    at: datetime,
    payload: dict[str, Any],
) -> OutboundMessage:
    return OutboundMessage(
        queue=queue,
        subscription=subscription,
        kind=kind,
        key=key,
        sequence=sequence,
        topic=topic,
        payload=payload,
        created_at=at,
        pending_since=at,
        next_attempt_at=at,
    )


def _subscribers(topic: str) -> Iterable[Subscription]:
    return [s for s in Subscription.objects.filter(active=True) if s.wants(topic)]


def resend(messages: "QuerySet[OutboundMessage]", *, actor: Any) -> int:
    """Put dead messages back in their queues, due now, their age counted afresh; the administrator is audited."""
    now = clock.now()
    dead = list(messages.filter(state=State.DEAD).values_list("pk", "message_id", "queue", "key"))
    count = OutboundMessage.objects.filter(pk__in=[row[0] for row in dead], state=State.DEAD).update(
        state=State.PENDING, next_attempt_at=now, pending_since=now, lease_until=None, claimed_by=""
    )
    for _pk, message_id, queue, key in dead:
        audit(
            AuditKind.OUTBOX_RESEND,
            actor=actor,
            object_type="outbound_message",
            object_id=str(message_id),
            details={"queue": queue, "key": key},
        )
    return count
