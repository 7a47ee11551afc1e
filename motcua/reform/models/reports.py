"""Periodic CCHC reports: periods with their windows, the outline, each unit's report and its events."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit, User
from motcua.reform.reports.lifecycle import STATUS_CHOICES, STATUS_LABELS, Status
from motcua.reform.reports.windows import KIND_CHOICES, KIND_LABELS, LEVEL_CHOICES, Kind


class ReportPeriod(models.Model):
    """One reporting period at one level: its data window (cut-off) and due date, from `windows.py` when opened."""

    kind = models.CharField(_("loại kỳ"), max_length=16, choices=KIND_CHOICES)
    level = models.CharField(_("cấp báo cáo"), max_length=8, choices=LEVEL_CHOICES)
    year = models.PositiveSmallIntegerField(_("năm"))
    cutoff_from = models.DateField(_("số liệu từ ngày"))
    cutoff_to = models.DateField(_("số liệu đến ngày"))
    due_on = models.DateField(_("hạn nộp"))
    basis = models.CharField(_("căn cứ"), max_length=500)
    opened_at = models.DateTimeField(_("mở lúc"))
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kỳ báo cáo CCHC")
        verbose_name_plural = _("kỳ báo cáo CCHC")
        ordering = ["year", "cutoff_to", "level"]
        constraints = [models.UniqueConstraint(fields=["year", "kind", "level"], name="unique_report_period")]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_level_display()})"

    @property
    def code(self) -> str:
        """The period's address: year and kind (the level follows from the unit)."""
        return f"{self.year}-{self.kind}"

    @property
    def label(self) -> str:
        return f"Báo cáo CCHC {KIND_LABELS[Kind(self.kind)]} năm {self.year}"


class ReportOutline(models.Model):
    """The outline a report follows (đề cương): its sections, editable by the province; a report pins its own."""

    name = models.CharField(_("tên"), max_length=255)
    source = models.CharField(_("nguồn"), max_length=500)
    sections = models.JSONField(_("các mục"), help_text=_("Danh sách mục: key, title, hint."))
    effective_from = models.DateField(_("áp dụng từ"))

    class Meta:
        verbose_name = _("đề cương báo cáo CCHC")
        verbose_name_plural = _("đề cương báo cáo CCHC")
        ordering = ["-effective_from", "-pk"]

    def __str__(self) -> str:
        return self.name


class UnitReport(models.Model):
    """A unit's report for a period: the text of each section, and the figures locked at the cut-off."""

    period = models.ForeignKey(ReportPeriod, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reform_reports")
    outline = models.ForeignKey(ReportOutline, on_delete=models.PROTECT, related_name="reports")
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=STATUS_CHOICES, default=Status.DRAFT)
    sections = models.JSONField(_("nội dung"), default=dict)
    # The figures of the window as computed at the cut-off, with the instant they were computed: never recomputed.
    figures = models.JSONField(_("số liệu đã chốt"), null=True, blank=True)
    figures_at = models.DateTimeField(_("chốt số liệu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    decided_at = models.DateTimeField(_("tiếp nhận hoặc trả lại lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("sửa lần cuối lúc"))

    class Meta:
        verbose_name = _("báo cáo CCHC của đơn vị")
        verbose_name_plural = _("báo cáo CCHC của đơn vị")
        ordering = ["period", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unique_unit_report")]

    def __str__(self) -> str:
        return f"{self.period.label} — {self.unit.name}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]


class ReportEvent(models.Model):
    """An append-only record of each change of a report: who, when, what, and why."""

    report = models.ForeignKey(UnitReport, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=16)
    status_after = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["report", "sequence"]
        constraints = [models.UniqueConstraint(fields=["report", "sequence"], name="unique_report_event")]

    def __str__(self) -> str:
        return f"{self.report_id} #{self.sequence} {self.action}"
