"""Queue e-mails and SMS in the caller's transaction, and deliver them with retries and back-off.

Callers compose the text; this module only stores it and gets it out. Delivery is at least once: a worker that
dies between sending and recording sends the message again once its claim expires.
"""

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from motcua.core import clock
from motcua.core.validators import validate_phone

from .models import Channel, DeliveryStatus, OutgoingMessage
from .sms import get_sms_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(minutes=120))
# A worker claims a message for this long while it sends it; if the worker dies, another one retries afterwards.
CLAIM_LEASE = timedelta(minutes=15)

_PHONE_PUNCTUATION = re.compile(r"[\s.\-()]")
_RECIPIENT_LENGTH = OutgoingMessage._meta.get_field("recipient").max_length or 254
_SUBJECT_LENGTH = OutgoingMessage._meta.get_field("subject").max_length or 255
_REFERENCE_LENGTH = OutgoingMessage._meta.get_field("reference").max_length or 100


class UndeliverableError(Exception):
    """The message can never be delivered as it stands, so retrying is pointless."""


@dataclass(frozen=True)
class Attachment:
    """A file for an e-mail, made at sending time by the renderer registered under `kind` from `args`."""

    filename: str
    kind: str
    args: tuple[str, ...]


def queue_email(
    recipient: str, subject: str, body: str, *, reference: str = "", attachments: Sequence[Attachment] = ()
) -> OutgoingMessage | None:
    """Write an e-mail to the outbox in the current transaction; it is sent after the transaction commits."""
    address = recipient.strip()
    if not address:
        return None
    # A header cannot span lines (Django raises BadHeaderError), so the subject is folded onto one.
    one_line = " ".join(subject.split())
    files = [{"filename": a.filename, "kind": a.kind, "args": list(a.args)} for a in attachments]
    return _queue(Channel.EMAIL, address, _clip(one_line, _SUBJECT_LENGTH), body, reference, files)


def queue_sms(phone: str, body: str, *, reference: str = "") -> OutgoingMessage | None:
    """Write an SMS to the outbox in the current transaction; it is sent after the transaction commits."""
    number = _normalise_phone(phone)
    if not number:
        return None
    return _queue(Channel.SMS, number, "", body, reference, [])


def deliver_pending(limit: int = 100) -> int:
    """Send up to `limit` due messages, recording each outcome, and return how many were sent."""
    sent = 0
    retry_times: set[datetime] = set()
    for _ in range(limit):
        message = _claim_next_due()
        if message is None:
            break
        try:
            _send(message)
        except Exception as error:  # any failure of a backend must be recorded, never lose the message
            _record_failure(message, error)
            if message.status == DeliveryStatus.PENDING:
                retry_times.add(_next_whole_minute(message.next_attempt_at))
        else:
            _record_success(message)
            sent += 1
    for at in sorted(retry_times):
        _book_retry(at)
    return sent


def retry_failed(messages: QuerySet[OutgoingMessage]) -> int:
    """Put the failed messages among `messages` back in the queue with fresh attempts, and return how many."""
    count = messages.filter(status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=clock.now()
    )
    if count:
        transaction.on_commit(_enqueue_delivery, robust=True, using=_db())
    return count


def _queue(
    channel: Channel, recipient: str, subject: str, body: str, reference: str, attachments: list[dict[str, Any]]
) -> OutgoingMessage:
    problem = _recipient_problem(channel, recipient)
    now = clock.now()
    message = OutgoingMessage.objects.create(
        channel=channel,
        recipient=_clip(recipient, _RECIPIENT_LENGTH),
        subject=subject,
        body=body,
        reference=_clip(reference.strip(), _REFERENCE_LENGTH),
        attachments=attachments,
        created_at=now,
        next_attempt_at=now,
        # A bad address must not break the caller's business transaction: keep the row, visibly failed.
        status=DeliveryStatus.FAILED if problem else DeliveryStatus.PENDING,
        last_error=problem,
    )
    if problem:
        logger.warning("Không xếp hàng %s #%s (%s): %s", channel, message.pk, reference, problem)
    else:
        # robust: once the caller's data is committed, a task queue hiccup must not turn into an error page;
        # the row stays pending and the next run picks it up.
        transaction.on_commit(_enqueue_delivery, robust=True, using=_db())
    return message


def _enqueue_delivery(run_after: datetime | None = None) -> None:
    # Imported here because tasks imports this module.
    from .tasks import deliver_pending as delivery_task

    if run_after is None:
        delivery_task.enqueue()
    elif delivery_task.get_backend().supports_defer:
        delivery_task.using(run_after=run_after).enqueue()


def _book_retry(at: datetime) -> None:
    # Nothing else would wake a worker when the back-off ends, so book a run for then.
    def enqueue() -> None:
        _enqueue_delivery(run_after=at)

    transaction.on_commit(enqueue, robust=True, using=_db())


def _claim_next_due() -> OutgoingMessage | None:
    # The claim is its own short transaction and sending happens outside it: holding a row lock (on SQLite, the
    # whole database's write lock) across a slow SMTP or SMS call would stall every other writer.
    with transaction.atomic(using=_db()):
        now = clock.now()
        due = OutgoingMessage.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        features = connections[_db()].features
        # skip_locked: a second worker takes the next message instead of waiting for, then resending, this one.
        locked = due.select_for_update(skip_locked=features.has_select_for_update_skip_locked)
        message = locked.order_by("next_attempt_at", "pk").first()
        if message is not None:
            message.next_attempt_at = now + CLAIM_LEASE
            message.save(update_fields=["next_attempt_at"])
        return message


def _send(message: OutgoingMessage) -> None:
    # Checked again here because an administrator may put a message with a bad address back in the queue.
    problem = _recipient_problem(Channel(message.channel), message.recipient)
    if problem:
        raise UndeliverableError(problem)
    if message.channel == Channel.SMS:
        get_sms_backend().send(message.recipient, message.body)
    else:
        email = EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
        for file in message.attachments:
            email.attach(file["filename"], _renderer(file["kind"])(*file["args"]), "application/pdf")
        email.send()


def _renderer(kind: str) -> Callable[..., bytes]:
    path = settings.MOTCUA_ATTACHMENT_RENDERERS.get(kind)
    if path is None:
        raise UndeliverableError(f"Không có cách tạo tệp đính kèm loại «{kind}».")
    renderer: Callable[..., bytes] = import_string(path)
    return renderer


def _record_success(message: OutgoingMessage) -> None:
    message.status = DeliveryStatus.SENT
    message.attempts += 1
    message.sent_at = clock.now()
    message.save(update_fields=["status", "attempts", "sent_at"])


def _record_failure(message: OutgoingMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"
    if isinstance(error, UndeliverableError) or message.attempts >= MAX_ATTEMPTS:
        message.status = DeliveryStatus.FAILED
        message.next_attempt_at = clock.now()
        logger.error("Gửi %s #%s thất bại hẳn sau %s lần: %s", message.channel, message.pk, message.attempts, error)
    else:
        message.next_attempt_at = clock.now() + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
        logger.warning("Gửi %s #%s thất bại lần %s: %s", message.channel, message.pk, message.attempts, error)
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def _recipient_problem(channel: Channel, recipient: str) -> str:
    try:
        if channel == Channel.SMS:
            validate_phone(recipient)
        else:
            validate_email(recipient)
    except ValidationError:
        if channel == Channel.SMS:
            return f"Số điện thoại người nhận không hợp lệ (cần 10 chữ số, bắt đầu bằng 0): {recipient!r}."
        return f"Địa chỉ thư điện tử người nhận không hợp lệ: {recipient!r}."
    return ""


def _normalise_phone(phone: str) -> str:
    # Citizens type "0912 345 678", "0912.345.678" or "+84 912 345 678"; the gateway wants 0912345678.
    number = _PHONE_PUNCTUATION.sub("", phone)
    return "0" + number[3:] if number.startswith("+84") else number


def _next_whole_minute(at: datetime) -> datetime:
    # Rounding up lets the failures of one run share a few retry runs instead of booking one each.
    floor = at.replace(second=0, microsecond=0)
    return floor if floor == at else floor + timedelta(minutes=1)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _db() -> str:
    return router.db_for_write(OutgoingMessage)
