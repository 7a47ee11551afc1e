"""The outbox to other systems: one row per message, written in the transaction of the event it tells about.

Rows are kept after delivery as the record of what was sent and what the receiver answered; the national portal's
acknowledgements are what QĐ 766 indicator 1.4 counts.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import clock

NATIONAL = "dvcqg"  # the queue of the national portal (Cổng Dịch vụ công quốc gia)


class State(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã được xác nhận")
    DEAD = "dead", _("Không gửi được (chờ xử lý)")


class Subscription(models.Model):
    """An external system that asked to be told about events, at an HTTPS address, with a shared secret."""

    name = models.CharField(_("hệ thống nhận"), max_length=200)
    url = models.URLField(_("địa chỉ nhận (HTTPS)"), max_length=500)
    # Topics such as "dossier.receive" or "feedback.conclude"; "dossier.*" takes every dossier event.
    topics = models.JSONField(_("sự kiện đăng ký"), default=list)
    secret = models.CharField(_("khóa bí mật ký HMAC"), max_length=64, default=secrets.token_hex, editable=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("đăng ký nhận sự kiện (webhook)")
        verbose_name_plural = _("đăng ký nhận sự kiện (webhook)")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def queue(self) -> str:
        return f"webhook:{self.pk}"

    def wants(self, topic: str) -> bool:
        family = topic.split(".", 1)[0]
        return topic in self.topics or f"{family}.*" in self.topics


class OutboundMessage(models.Model):
    """A message for one receiver. Within a queue, the messages about one subject go out in `sequence` order."""

    message_id = models.UUIDField(_("mã thông điệp"), default=uuid.uuid4, unique=True, editable=False)
    queue = models.CharField(_("nơi nhận"), max_length=40)  # "dvcqg" or "webhook:<subscription id>"
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("đăng ký"), null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField(_("loại dữ liệu"), max_length=16)  # "dossier" or "feedback"
    key = models.CharField(_("mã hồ sơ"), max_length=64)
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    topic = models.CharField(_("sự kiện"), max_length=64)
    payload = models.JSONField(_("nội dung"))
    created_at = models.DateTimeField(_("tạo lúc"), default=clock.now, editable=False)
    # The dead-letter age counts from here: the creation, or the last resend by an administrator.
    pending_since = models.DateTimeField(_("chờ gửi từ"), default=clock.now)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("số lần đã gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), default=clock.now)
    lease_until = models.DateTimeField(_("đang gửi đến"), null=True, blank=True)
    claimed_by = models.CharField(_("tiến trình gửi"), max_length=64, blank=True)
    last_status = models.PositiveSmallIntegerField(_("mã trả lời HTTP"), null=True, blank=True)
    answer = models.TextField(_("trả lời của nơi nhận"), blank=True)
    delivered_at = models.DateTimeField(_("được xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông điệp gửi hệ thống khác")
        verbose_name_plural = _("thông điệp gửi hệ thống khác")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "key", "sequence"], name="outbound_order"),
        ]
        # The worker's query walks this index in order and stops at its batch: no sort of the whole backlog.
        indexes = [models.Index(fields=["state", "next_attempt_at", "id"], name="outbound_due_in_order")]

    def __str__(self) -> str:
        return f"{self.queue} {self.key} #{self.sequence} {self.topic}"
