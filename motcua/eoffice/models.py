"""Incoming and outgoing official documents of a body, their registers, files, versions, comments and events."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit
from motcua.reform.models import Directive
from motcua.signing.models import AppendOnly, DocumentType, SignedDocument

from .lifecycle import (
    CHANNEL_LABELS,
    INCOMING_LABELS,
    INTEGRITY_LABELS,
    MARK_LABELS,
    OUTGOING_LABELS,
    RELATION_LABELS,
    URGENCY_LABELS,
    Incoming,
    Outgoing,
    Urgency,
)

USER = settings.AUTH_USER_MODEL


class IncomingSequence(models.Model):
    """The last incoming number of a receiving body in a year (ND 30/2020 art. 22: sequential per year)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_incoming_sequence_per_body_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.last_number}"


class IncomingDocument(models.Model):
    """An entry of the body's incoming register (sổ đăng ký văn bản đến)."""

    unit = models.ForeignKey(Unit, verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số đến"))
    channel = models.CharField(_("nguồn"), max_length=16, choices=list(CHANNEL_LABELS.items()))
    sender = models.CharField(_("nơi gửi"), max_length=255)
    sender_key = models.CharField(max_length=255, editable=False)  # the sender without case or spacing differences
    sender_notation = models.CharField(_("số, ký hiệu"), max_length=80)
    sender_date = models.DateField(_("ngày văn bản"))
    document_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT)
    summary = models.CharField(_("trích yếu"), max_length=500)
    urgency = models.CharField(_("độ khẩn"), max_length=16, choices=list(URGENCY_LABELS.items()))
    pages = models.PositiveIntegerField(_("số trang"))
    integrity = models.CharField(_("tính xác thực"), max_length=16, choices=list(INTEGRITY_LABELS.items()))
    integrity_reason = models.CharField(_("kết quả kiểm tra"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=list(INCOMING_LABELS.items()))
    registered_at = models.DateTimeField(_("vào sổ lúc"))
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    receipt_confirmed_at = models.DateTimeField(_("xác nhận đã nhận lúc"), null=True, blank=True)
    copies_received = models.PositiveIntegerField(_("số bản đã nhận"), default=1)
    presentation_due_at = models.DateTimeField(_("hạn trình"))
    presented_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    presented_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    co_handlers: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(USER, blank=True, related_name="+")
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    directive = models.OneToOneField(
        Directive, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_document"
    )

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("sổ văn bản đến")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="one_incoming_number_per_body_year"),
            # A second copy of the same document points to the first registration (ND 30/2020 art. 22).
            models.UniqueConstraint(
                fields=["unit", "sender_key", "sender_notation", "sender_date"], name="one_registration_per_copy"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="incoming_unit_status")]

    def __str__(self) -> str:
        return f"Văn bản đến số {self.number}/{self.year}: {self.sender_notation}"

    @property
    def status_label(self) -> str:
        return Incoming(self.status).label

    @property
    def is_urgent(self) -> bool:
        return self.urgency != Urgency.ORDINARY


def incoming_upload_to(file: "IncomingFile", filename: str) -> str:
    return f"van-ban-den/{file.document.year}/{file.sha256}.bin"


class IncomingFile(AppendOnly):
    document = models.ForeignKey(IncomingDocument, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    content = models.FileField(upload_to=incoming_upload_to, max_length=200)
    signature_valid = models.BooleanField(null=True)  # None: no digital signature to check
    signature_reason = models.CharField(max_length=500, blank=True)


class IncomingEvent(AppendOnly):
    document = models.ForeignKey(IncomingDocument, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=32)
    at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class OutgoingDocument(models.Model):
    """A document the body drafts, signs and issues (văn bản đi); content is frozen once signed."""

    unit = models.ForeignKey(Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+")
    drafter = models.ForeignKey(USER, verbose_name=_("người soạn thảo"), on_delete=models.PROTECT, related_name="+")
    document_type = models.ForeignKey(DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT)
    summary = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"))
    recipients = models.TextField(_("nơi nhận"))  # one recipient a line
    urgency = models.CharField(_("độ khẩn"), max_length=16, choices=list(URGENCY_LABELS.items()))
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=list(OUTGOING_LABELS.items()))
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField()
    signed = models.OneToOneField(
        SignedDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing"
    )
    notation = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    issued_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followers",
        verbose_name=_("văn bản gốc"),
    )
    relation = models.CharField(_("quan hệ"), max_length=16, choices=list(RELATION_LABELS.items()), blank=True)
    # Set on an issued original when its replacement, correction or recall is issued: a mark, never an edit.
    marked = models.CharField(_("đánh dấu"), max_length=16, choices=list(MARK_LABELS.items()), blank=True)
    marked_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("đánh dấu bởi")
    )
    reply_to = models.ForeignKey(
        IncomingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"], name="outgoing_unit_status")]

    def __str__(self) -> str:
        return self.notation or f"Dự thảo: {self.summary[:60]}"

    @property
    def status_label(self) -> str:
        return Outgoing(self.status).label


class OutgoingVersion(AppendOnly):
    """The draft as it stood at each edit: kept, never changed."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.CharField(max_length=500)
    body = models.TextField()
    recipients = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_outgoing_version_number")]


class OutgoingComment(AppendOnly):
    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="comments")
    version = models.PositiveIntegerField()
    text = models.TextField()
    at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]


class OutgoingEvent(AppendOnly):
    document = models.ForeignKey(OutgoingDocument, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=32)
    at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
