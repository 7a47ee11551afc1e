"""A feedback case (phản ánh, kiến nghị, khiếu nại, tố cáo) and its events; the events are the history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit

from .lifecycle import ACTION_LABELS, KIND_LABELS, STATUS_CHOICES, TOPIC_LABELS, Channel, Status


class FeedbackCase(models.Model):
    """One case, from intake to its conclusion. The sender's identity is seen only by those who handle it."""

    code = models.CharField(_("mã phản ánh"), max_length=32, unique=True)
    tracking_secret = models.CharField(max_length=32)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)  # a double submit files once
    kind = models.CharField(_("loại"), max_length=16, choices=list(KIND_LABELS.items()))
    topic = models.CharField(_("phân loại"), max_length=16, choices=list(TOPIC_LABELS.items()), blank=True)
    channel = models.CharField(_("kênh"), max_length=16, choices=[(c.value, c.name) for c in Channel])
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=STATUS_CHOICES)
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=150, blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    sender_phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    is_anonymous = models.BooleanField(_("ẩn danh"), default=False)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_sent"
    )
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback")
    paper_asked = models.CharField(_("giấy tờ bị yêu cầu thêm"), max_length=300, blank=True)
    reported_official = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_about"
    )
    content = models.TextField(_("nội dung"))
    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="feedback_handled")
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    accept_due_at = models.DateTimeField(_("hạn tiếp nhận"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    concluded_at = models.DateTimeField(_("kết luận lúc"), null=True, blank=True)
    verified = models.BooleanField(_("phản ánh đúng"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [models.Index(fields=["handling_unit", "status", "due_at"], name="feedback_by_unit_due")]

    def __str__(self) -> str:
        return self.code

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class FeedbackEvent(models.Model):
    """What happened to a case: appended, never edited."""

    case = models.ForeignKey(FeedbackCase, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=list(ACTION_LABELS.items()))
    status_after = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["case", "sequence"]
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="one_feedback_event_per_sequence")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.sequence} {self.action}"
