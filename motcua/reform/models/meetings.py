"""Review meetings: the meeting, its agenda, bridge points, files, events and conclusion notice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit
from motcua.reform.meetings.lifecycle import ACTION_LABELS, FORM_LABELS, KIND_LABELS, STATUS_CHOICES, Status

from .tasks import Directive


class Meeting(models.Model):
    """A meeting organised by the province; its status is set by `meetings.services` alone."""

    kind = models.CharField(_("loại cuộc họp"), max_length=24, choices=list(KIND_LABELS.items()))
    title = models.CharField(_("tên cuộc họp"), max_length=300)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("chủ trì")
    )
    form = models.CharField(_("hình thức"), max_length=16, choices=list(FORM_LABELS.items()))
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    video_link = models.URLField(_("đường dẫn họp trực tuyến"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=STATUS_CHOICES)
    attendance_locks_at = models.DateTimeField(_("khóa số liệu điểm cầu lúc"))
    minutes = models.TextField(_("biên bản"), blank=True)
    minutes_drafted_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("duyệt biên bản lúc"), null=True, blank=True)
    organised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        indexes = [models.Index(fields=["-starts_at"], name="meetings_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung"), max_length=500)
    presenter_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị trình bày")
    )

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="one_agenda_item_per_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title[:60]}"


class BridgePoint(models.Model):
    """A bridge point (điểm cầu): its host alone enters its counts, until the meeting's attendance lock."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="bridge_points")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    place = models.CharField(_("địa điểm"), max_length=300)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người phụ trách")
    )
    invited = models.PositiveIntegerField(_("số đại biểu được mời"), null=True, blank=True)
    present = models.PositiveIntegerField(_("số đại biểu có mặt"), null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="one_bridge_point_per_unit"),
            models.CheckConstraint(condition=Q(present__lte=models.F("invited")), name="present_at_most_invited"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} @ {self.place[:40]}"


class MeetingEvent(models.Model):
    """What happened to a meeting: appended, never edited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=24, choices=list(ACTION_LABELS.items()))
    status_after = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    bridge_point = models.ForeignKey(BridgePoint, null=True, blank=True, on_delete=models.PROTECT)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["meeting", "sequence"]
        constraints = [models.UniqueConstraint(fields=["meeting", "sequence"], name="one_meeting_event_per_sequence")]

    def __str__(self) -> str:
        return f"{self.meeting_id} #{self.sequence} {self.action}"


class MeetingFile(models.Model):
    """A tham luận of an agenda item, or a document of the meeting, stored under its SHA-256."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="files")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="files")
    event = models.ForeignKey(MeetingEvent, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("tệp"), upload_to="reform/meetings/", max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class ConclusionNotice(models.Model):
    """The thông báo kết luận: its numbered conclusions are the tasks of its directive (source: kết luận cuộc họp)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="notice")
    number = models.CharField(_("số thông báo"), max_length=100)
    issued_on = models.DateField(_("ngày thông báo"))
    signer_name = models.CharField(_("người ký"), max_length=150)
    form_citation = models.CharField(_("căn cứ thể thức"), max_length=100)  # the setting in force when issued
    directive = models.OneToOneField(Directive, on_delete=models.PROTECT, related_name="meeting_notice")
    entered_at = models.DateTimeField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("thông báo kết luận")
        verbose_name_plural = _("thông báo kết luận")

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"
