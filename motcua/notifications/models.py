"""The outbox: one row per e-mail or SMS, kept after delivery as the record of what was sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core import clock


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class OutgoingMessage(models.Model):
    """An e-mail or SMS waiting for, or done with, delivery."""

    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    # 254 characters is the longest e-mail address SMTP allows (RFC 3696 errata); phones are 10 digits.
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    reference = models.CharField(_("tham chiếu"), max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=clock.now, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần đã gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi thành công lúc"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), default=clock.now)
    # Files are rendered when the message is sent, by the renderer named in MOTCUA_ATTACHMENT_RENDERERS: the
    # transaction that queues an e-mail stays short, and a failed rendering is retried like a failed sending.
    attachments = models.JSONField(_("tệp đính kèm"), default=list, blank=True)

    class Meta:
        verbose_name = _("thư, tin nhắn gửi đi")
        verbose_name_plural = _("thư, tin nhắn gửi đi")
        ordering = ["-created_at", "-pk"]
        # The worker's query: due pending rows, oldest first.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}"
