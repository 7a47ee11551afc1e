"""The outbox: transactional queueing, delivery once, back-off, final failure and the admin's "Gửi lại"."""

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from motcua.core import clock
from motcua.dossiers.tests.factories import TUESDAY_9AM
from motcua.notifications import tasks
from motcua.notifications.models import Channel, DeliveryStatus, OutgoingMessage
from motcua.notifications.services import Attachment, deliver_pending, queue_email, queue_sms, retry_failed
from motcua.notifications.sms import LoggedSms, LogOnlySms
from motcua.organizations.models import User

pytestmark = pytest.mark.django_db
CODE = "000.00.28.H12-260310-0001"
SUBJECT = f"Hồ sơ {CODE} đã có kết quả"
BODY = "Kính gửi ông Nguyễn Văn An, hồ sơ đăng ký khai sinh của ông đã có kết quả. Mời ông đến nhận tại Trung tâm."
HERE = "motcua.notifications.tests.test_outbox"


class BrokenEmailBackend(BaseEmailBackend):
    """Refuse every message, as an unreachable SMTP server would."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("Máy chủ SMTP từ chối kết nối")


class BrokenSms:
    """Refuse every SMS, as a gateway out of credit would."""

    def send(self, phone: str, body: str) -> None:
        raise RuntimeError("Nhà mạng báo hết hạn mức")


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[datetime]:
    with clock.frozen(TUESDAY_9AM) as at:
        yield at


@pytest.fixture(autouse=True)
def empty_sms_log() -> Iterator[None]:
    LogOnlySms.clear()
    yield
    LogOnlySms.clear()


def test_rolled_back_transaction_stores_and_sends_nothing(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert queue_email("an@example.vn", SUBJECT, BODY, reference=CODE) is not None
        assert queue_sms("0912345678", BODY, reference=CODE) is not None
        raise RuntimeError("nghiệp vụ thất bại")
    assert callbacks == []
    assert not OutgoingMessage.objects.exists()
    assert mail.outbox == [] and LogOnlySms.outbox == []


def test_committed_email_is_sent_once(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        message = queue_email(" an@example.vn ", SUBJECT, BODY, reference=CODE)
        assert message is not None and mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.to, sent.from_email) == (
        SUBJECT,
        BODY,
        ["an@example.vn"],
        "motcua <no-reply@localhost>",
    )
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at, message.reference) == (
        DeliveryStatus.SENT,
        1,
        TUESDAY_9AM,
        CODE,
    )
    # Running again, directly or as the task, finds nothing left to send.
    assert deliver_pending() == 0
    assert tasks.deliver_pending.enqueue().return_value == 0
    assert len(mail.outbox) == 1


def test_sms_goes_to_the_log_only_stand_in(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms("+84 912 345 678", "Hồ sơ của ông đã có kết quả.", reference=CODE)
    assert message is not None
    message.refresh_from_db()
    assert (message.channel, message.recipient, message.subject, message.status) == (
        Channel.SMS,
        "0912345678",
        "",
        DeliveryStatus.SENT,
    )
    assert LogOnlySms.outbox == [LoggedSms("0912345678", "Hồ sơ của ông đã có kết quả.")]
    assert mail.outbox == []


def test_sms_backend_comes_from_the_setting(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with override_settings(MOTCUA_SMS_BACKEND=f"{HERE}.BrokenSms"), django_capture_on_commit_callbacks(execute=True):
        message = queue_sms("0912345678", "Hồ sơ của ông đã có kết quả.")
    assert message is not None
    message.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.PENDING, 1)
    assert message.last_error == "RuntimeError: Nhà mạng báo hết hạn mức"
    assert LogOnlySms.outbox == []


@override_settings(EMAIL_BACKEND=f"{HERE}.BrokenEmailBackend")
def test_failures_back_off_then_give_up_after_five_attempts(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email("an@example.vn", SUBJECT, BODY, reference=CODE)
    assert message is not None
    message.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.PENDING, 1)
    assert message.next_attempt_at == TUESDAY_9AM + timedelta(minutes=1) > clock.now()
    assert message.last_error == "ConnectionRefusedError: Máy chủ SMTP từ chối kết nối"
    assert deliver_pending() == 0  # not due yet: nothing is tried
    message.refresh_from_db()
    assert message.attempts == 1

    at = TUESDAY_9AM
    for attempt, wait in enumerate((1, 5, 30, 120), start=2):
        with clock.frozen(at + timedelta(minutes=wait) - timedelta(seconds=1)):
            assert deliver_pending() == 0  # one second early
        at += timedelta(minutes=wait)
        with clock.frozen(at):
            assert deliver_pending() == 0
        message.refresh_from_db()
        assert message.attempts == attempt
    assert message.status == DeliveryStatus.FAILED
    with clock.frozen(at + timedelta(days=30)):
        assert deliver_pending() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (DeliveryStatus.FAILED, 5, None)
    assert mail.outbox == []


def test_retry_failed_puts_messages_back_and_they_go_out(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    message = OutgoingMessage.objects.create(
        channel=Channel.EMAIL,
        recipient="an@example.vn",
        subject=SUBJECT,
        body=BODY,
        status=DeliveryStatus.FAILED,
        attempts=5,
        last_error="ConnectionRefusedError",
    )
    OutgoingMessage.objects.create(channel=Channel.SMS, recipient="0912345678", body=BODY, status=DeliveryStatus.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_failed(OutgoingMessage.objects.all()) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.SENT, 1)
    assert [m.subject for m in mail.outbox] == [SUBJECT]


def test_several_runs_send_each_message_once(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for n in range(3):
            queue_email(f"nguoi{n}@example.vn", SUBJECT, BODY)
        queue_sms("0912345678", BODY)
    assert deliver_pending(limit=2) == 2
    assert deliver_pending() == 2
    for callback in callbacks:  # the deliveries booked on commit now find nothing left
        callback()
    assert deliver_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["nguoi0@example.vn", "nguoi1@example.vn", "nguoi2@example.vn"]
    assert len(LogOnlySms.outbox) == 1
    assert set(OutgoingMessage.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


def test_claimed_message_is_left_to_its_worker() -> None:
    message = queue_email("an@example.vn", SUBJECT, BODY)
    assert message is not None
    # Another worker holds the claim: it pushed next_attempt_at past now while it sends.
    OutgoingMessage.objects.filter(pk=message.pk).update(next_attempt_at=TUESDAY_9AM + timedelta(minutes=15))
    assert deliver_pending() == 0
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=15)):  # the claim expired: that worker died
        assert deliver_pending() == 1
    assert len(mail.outbox) == 1


def test_claim_skips_rows_locked_by_another_worker_where_the_database_can() -> None:
    queue_email("an@example.vn", SUBJECT, BODY)
    with CaptureQueriesContext(connection) as queries:
        assert deliver_pending() == 1
    claim = next(q["sql"] for q in queries.captured_queries if 'FROM "notifications_outgoingmessage"' in q["sql"])
    # PostgreSQL locks and skips; SQLite has no row locks and serialises writers with BEGIN IMMEDIATE instead.
    assert ("FOR UPDATE SKIP LOCKED" in claim) == connection.features.has_select_for_update_skip_locked


@pytest.mark.parametrize("recipient", ["", "   "])
def test_empty_recipient_writes_nothing(
    recipient: str, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        assert queue_email(recipient, SUBJECT, BODY, reference=CODE) is None
        assert queue_sms(recipient, BODY, reference=CODE) is None
    assert callbacks == []
    assert not OutgoingMessage.objects.exists()


def test_invalid_recipient_is_recorded_as_failed_without_breaking_the_caller(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = queue_email("khong-phai-email", SUBJECT, BODY)
        sms = queue_sms("091234", BODY)
    assert callbacks == []
    assert email is not None and sms is not None
    assert (email.status, sms.status) == (DeliveryStatus.FAILED, DeliveryStatus.FAILED)
    assert "thư điện tử" in email.last_error and "Số điện thoại" in sms.last_error
    # Put back in the queue by mistake, they fail at once instead of being retried five times.
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_failed(OutgoingMessage.objects.all()) == 2
    assert set(OutgoingMessage.objects.values_list("status", "attempts")) == {(DeliveryStatus.FAILED, 1)}
    assert mail.outbox == [] and LogOnlySms.outbox == []


def test_subject_is_folded_onto_one_line(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_email("an@example.vn", f"Hồ sơ {CODE}\nđã có kết quả", BODY)
    assert [m.subject for m in mail.outbox] == [SUBJECT]


def test_failure_books_a_deferred_retry_when_the_backend_can(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    message = queue_email("an@example.vn", SUBJECT, BODY)
    assert message is not None
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(EMAIL_BACKEND=f"{HERE}.BrokenEmailBackend", TASKS=dummy):
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver_pending() == 0
        results = tasks.deliver_pending.get_backend().results  # type: ignore[attr-defined]
        assert [r.task.run_after for r in results] == [TUESDAY_9AM + timedelta(minutes=1)]


def test_command_delivers_due_messages() -> None:
    OutgoingMessage.objects.create(channel=Channel.EMAIL, recipient="an@example.vn", subject=SUBJECT, body=BODY)
    call_command("outbox")
    assert [m.subject for m in mail.outbox] == [SUBJECT]


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(User.objects.get(username="quantri"))
    return client


def test_admin_lists_searches_and_resends(
    admin_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    failed = OutgoingMessage.objects.create(
        channel=Channel.EMAIL,
        recipient="an@example.vn",
        subject=SUBJECT,
        body=BODY,
        reference=CODE,
        status=DeliveryStatus.FAILED,
        attempts=5,
    )
    url = reverse("admin:notifications_outgoingmessage_changelist")
    page = admin_client.get(url, {"q": CODE, "status__exact": "failed", "channel__exact": "email"})
    assert page.status_code == 200 and "an@example.vn" in page.content.decode()
    assert admin_client.get(reverse("admin:notifications_outgoingmessage_add")).status_code == 403
    detail = admin_client.get(reverse("admin:notifications_outgoingmessage_change", args=[failed.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"action": "resend", "_selected_action": [failed.pk]}, follow=True)
    assert "Đã đưa 1 thư, tin nhắn trở lại hàng chờ gửi." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def render_receipt(code: str, number: str) -> bytes:
    """A renderer as MOTCUA_ATTACHMENT_RENDERERS names them; the flag lets a test make it fail once."""
    if render_receipt.fail:  # type: ignore[attr-defined]
        render_receipt.fail = False  # type: ignore[attr-defined]
        raise OSError("Không dựng được tệp PDF")
    return f"%PDF {code} {number}".encode()


@override_settings(MOTCUA_ATTACHMENT_RENDERERS={"receipt": f"{HERE}.render_receipt"})
def test_attachments_are_rendered_when_sent_and_a_failed_rendering_is_retried() -> None:
    render_receipt.fail = True  # type: ignore[attr-defined]
    files = [Attachment("mau-01.pdf", "receipt", (CODE, "01"))]
    message = queue_email("an@example.vn", SUBJECT, BODY, reference=CODE, attachments=files)
    unknown = queue_email("an@example.vn", SUBJECT, BODY, attachments=[Attachment("x.pdf", "unknown", ())])
    assert message is not None and unknown is not None
    assert deliver_pending() == 0 and mail.outbox == []
    message.refresh_from_db()
    unknown.refresh_from_db()
    assert (message.status, message.attempts) == (DeliveryStatus.PENDING, 1)  # tried again after the back-off
    assert unknown.status == DeliveryStatus.FAILED and "unknown" in unknown.last_error
    with clock.frozen(TUESDAY_9AM + timedelta(minutes=2)):
        assert deliver_pending() == 1
    assert mail.outbox[0].attachments == [("mau-01.pdf", f"%PDF {CODE} 01".encode(), "application/pdf")]
