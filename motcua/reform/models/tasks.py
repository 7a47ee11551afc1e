"""Directives, annual CCHC plans and their tasks, each task's events and evidence, and the published KPIs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit
from motcua.reform.tasks.lifecycle import (
    ACTION_LABELS,
    LEADER_POSITION_LABELS,
    OPEN,
    SOURCE_LABELS,
    STATUS_CHOICES,
    URGENCY_LABELS,
    Status,
)


class Directive(models.Model):
    """A leader's direction (chỉ đạo) from one source, entered by Văn phòng UBND tỉnh, with its tasks."""

    source_kind = models.CharField(_("nguồn chỉ đạo"), max_length=32, choices=list(SOURCE_LABELS.items()))
    source_number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    source_date = models.DateField(_("ngày văn bản"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("lãnh đạo chỉ đạo"),
    )  # fmt: skip
    leader_name = models.CharField(_("lãnh đạo chỉ đạo"), max_length=150)
    leader_position = models.CharField(
        _("chức vụ"), max_length=8, choices=list(LEADER_POSITION_LABELS.items()), blank=True
    )
    urgency = models.CharField(_("độ khẩn"), max_length=16, choices=list(URGENCY_LABELS.items()))
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    entered_at = models.DateTimeField(_("cập nhật lúc"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry_due_at = models.DateTimeField(_("hạn cập nhật"))  # the entry SLA, from the source date

    class Meta:
        verbose_name = _("chỉ đạo")
        verbose_name_plural = _("chỉ đạo")
        indexes = [models.Index(fields=["-source_date"], name="directives_newest")]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} {self.source_number} ({self.source_date:%d/%m/%Y})"

    @property
    def is_entered_late(self) -> bool:
        return self.entered_at > self.entry_due_at


class CchcPlan(models.Model):
    """A unit's annual CCHC plan (kế hoạch CCHC năm): its items are tasks of the same engine."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cchc_plans", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.CharField(_("số kế hoạch"), max_length=100)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    entered_at = models.DateTimeField(_("cập nhật lúc"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kế hoạch cải cách hành chính năm")
        verbose_name_plural = _("kế hoạch cải cách hành chính năm")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_cchc_plan_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.number} ({self.year})"


class Task(models.Model):
    """One task of a directive or an item of a plan, led by one unit; its status is set by `services` alone."""

    directive = models.ForeignKey(Directive, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    plan = models.ForeignKey(CchcPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    content = models.TextField(_("nội dung nhiệm vụ"))
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="tasks_led", verbose_name=_("đơn vị chủ trì")
    )
    co_units = models.ManyToManyField(Unit, blank=True, related_name="tasks_shared", verbose_name=_("đơn vị phối hợp"))
    expected_product = models.CharField(_("sản phẩm dự kiến"), max_length=500, blank=True)
    target = models.CharField(_("chỉ tiêu"), max_length=300, blank=True)  # a plan item's indicator target
    deadline_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)  # None: không hạn
    extended_on = models.DateField(_("hạn sau gia hạn"), null=True, blank=True)
    original_due_at = models.DateTimeField(null=True, blank=True)  # end of deadline_on on the calendar
    due_at = models.DateTimeField(null=True, blank=True)  # end of the deadline in force (extended or not)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=STATUS_CHOICES)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    document_number = models.CharField(_("số văn bản báo cáo"), max_length=100, blank=True)
    has_product = models.BooleanField(default=False)  # a product file is among its evidence
    assigned_at = models.DateTimeField(_("giao lúc"))
    accepted_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    completion_asked_at = models.DateTimeField(_("đề nghị hoàn thành lúc"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận hoàn thành lúc"), null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("số lần bị trả lại"), default=0)
    extension_asked_on = models.DateField(null=True, blank=True)  # the date asked, while undecided
    extension_reason = models.TextField(blank=True)
    alert_level = models.PositiveSmallIntegerField(default=0)  # `watch.Alert`: what the watch last told

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(directive__isnull=False, plan__isnull=True)
                | Q(directive__isnull=True, plan__isnull=False),
                name="task_of_directive_or_plan",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100"),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "status", "due_at"], name="tasks_by_unit_due"),
            models.Index(fields=["lead_unit", "due_at"], name="tasks_kpi_by_due"),
            models.Index(fields=["lead_unit", "original_due_at"], name="tasks_kpi_by_original_due"),
            # The watch: open tasks not yet flagged overdue, by due instant; it grows with them, not with all tasks.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=[int(s) for s in sorted(OPEN)], alert_level__lt=2, due_at__isnull=False),
                name="tasks_watch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.content[:60]}"

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class TaskEvent(models.Model):
    """What happened to a task: appended, never edited."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=24, choices=list(ACTION_LABELS.items()))
    status_after = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["task", "sequence"]
        constraints = [models.UniqueConstraint(fields=["task", "sequence"], name="one_task_event_per_sequence")]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.sequence} {self.action}"


class TaskEvidence(models.Model):
    """A file sent with a progress report (the product, or evidence), stored under its SHA-256."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="evidence")
    event = models.ForeignKey(TaskEvent, on_delete=models.PROTECT, related_name="evidence")
    is_product = models.BooleanField(_("là sản phẩm"), default=False)
    file = models.FileField(_("tệp"), upload_to="reform/tasks/", max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")

    def __str__(self) -> str:
        return self.original_name


class PeriodKind(models.TextChoices):
    QUARTER = "quy", _("Quý")
    HALF_YEAR = "6thang", _("6 tháng")
    YEAR = "nam", _("Năm")


class KpiSnapshot(models.Model):
    """A unit's task KPIs for a period as published: frozen, never recomputed (Thanh Hóa publishes quarterly,
    half-yearly and yearly results)."""

    period_kind = models.CharField(_("kỳ"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("số kỳ"))  # quarter 1–4, half 1–2, year 1
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    assigned = models.PositiveIntegerField(_("nhiệm vụ đến hạn trong kỳ"))
    done_on_time = models.PositiveIntegerField(_("hoàn thành đúng hạn"))
    done_late = models.PositiveIntegerField(_("hoàn thành quá hạn"))
    overdue_open = models.PositiveIntegerField(_("quá hạn chưa hoàn thành"))
    returned = models.PositiveIntegerField(_("bị trả lại"))
    on_time_percent = models.DecimalField(_("tỷ lệ đúng hạn (%)"), max_digits=5, decimal_places=2)
    published_at = models.DateTimeField(_("công bố lúc"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kết quả thực hiện nhiệm vụ đã công bố")
        verbose_name_plural = _("kết quả thực hiện nhiệm vụ đã công bố")
        constraints = [
            models.UniqueConstraint(fields=["period_kind", "year", "number", "unit"], name="one_kpi_per_period_unit")
        ]

    def __str__(self) -> str:
        return f"{self.period_kind} {self.number}/{self.year} {self.unit_id}"
