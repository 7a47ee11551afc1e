"""CCHC inspections: the yearly plan and its team, each inspection with its findings, conclusion notice and
recommendations (each tracked as a task), the events, and the surprise draws with their seeds."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit, User
from motcua.reform.inspections.lifecycle import (
    FINDING_KIND_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    SEVERITY_LABELS,
    STATUS_CHOICES,
    STATUS_LABELS,
    Status,
)

from .tasks import Task


class InspectionPlan(models.Model):
    """The yearly CCHC inspection plan of UBND tỉnh (kế hoạch kiểm tra): its decision, scope and team."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_on = models.DateField(_("ngày quyết định"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    units = models.ManyToManyField(Unit, related_name="inspection_plans", verbose_name=_("đơn vị được kiểm tra"))
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("trưởng đoàn"))
    members = models.ManyToManyField(User, related_name="inspection_teams", verbose_name=_("thành viên đoàn"))
    entered_at = models.DateTimeField(_("cập nhật lúc"))
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kế hoạch kiểm tra cải cách hành chính")
        verbose_name_plural = _("kế hoạch kiểm tra cải cách hành chính")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.year})"


class Inspection(models.Model):
    """One inspection of one unit: by the plan's team, or a unit's self-inspection of one of its divisions."""

    plan = models.ForeignKey(InspectionPlan, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections")  # fmt: skip
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("đơn vị"))
    # A self-inspection's inspecting unit (the division's parent); None for the province's team.
    inspecting_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại"), max_length=16, choices=list(KIND_LABELS.items()))
    method = models.CharField(_("hình thức"), max_length=16, choices=list(METHOD_LABELS.items()))
    scheduled_on = models.DateField(_("ngày kiểm tra dự kiến"))
    content = models.JSONField(_("nội dung kiểm tra"), default=list)  # keys of lifecycle.CONTENT_GROUPS
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=STATUS_CHOICES)
    self_report = models.TextField(_("báo cáo tự kiểm tra"), blank=True)
    self_reported_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    conclusion_number = models.CharField(_("số thông báo kết luận"), max_length=100, blank=True)
    conclusion_on = models.DateField(_("ngày thông báo kết luận"), null=True, blank=True)
    conclusion_text = models.TextField(_("nội dung kết luận"), blank=True)
    directive = models.ForeignKey(
        "reform.Directive", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the conclusion entered in the task engine
    draw = models.ForeignKey("SurpriseDraw", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections")  # fmt: skip
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("cuộc kiểm tra cải cách hành chính")
        verbose_name_plural = _("cuộc kiểm tra cải cách hành chính")
        ordering = ["scheduled_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="tu_kiem_tra", inspecting_unit__isnull=False, plan__isnull=True)
                | (~Q(kind="tu_kiem_tra") & Q(inspecting_unit__isnull=True, plan__isnull=False)),
                name="inspection_by_team_or_self",
            )
        ]
        indexes = [models.Index(fields=["inspecting_unit", "year"], name="self_inspections_by_year")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} ({self.scheduled_on:%d/%m/%Y})"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]


class InspectionEvent(models.Model):
    """What happened to an inspection: appended, never edited."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=16)
    status_after = models.PositiveSmallIntegerField(choices=STATUS_CHOICES)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["inspection", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "sequence"], name="one_inspection_event_per_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} #{self.sequence} {self.action}"


class Finding(models.Model):
    """A shortcoming the team found, under one content group, with the inspected unit's dossiers behind it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    content_item = models.CharField(_("nội dung"), max_length=32)
    kind = models.CharField(_("loại tồn tại"), max_length=16, choices=list(FINDING_KIND_LABELS.items()))
    severity = models.CharField(_("mức độ"), max_length=16, choices=list(SEVERITY_LABELS.items()))
    description = models.TextField(_("mô tả"))
    dossiers = models.ManyToManyField(Dossier, blank=True, related_name="+", verbose_name=_("hồ sơ liên quan"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("tồn tại, hạn chế")
        verbose_name_plural = _("tồn tại, hạn chế")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class Recommendation(models.Model):
    """A recommendation of the conclusion notice (kiến nghị): one task of the engine, due conclusion + 15 days."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="recommendations")
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung kiến nghị"))
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    due_on = models.DateField(_("hạn khắc phục"))
    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="recommendation")

    class Meta:
        verbose_name = _("kiến nghị sau kiểm tra")
        verbose_name_plural = _("kiến nghị sau kiểm tra")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="one_recommendation_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class SurpriseDraw(models.Model):
    """A random pick of units for surprise inspections, kept so that anyone can replay it: the seed, the eligible
    units in the order they were ranked from, and the units picked."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="draws")
    seed = models.CharField(_("hạt giống ngẫu nhiên"), max_length=64)
    eligible = models.JSONField(_("đơn vị đủ điều kiện"))  # unit codes, sorted
    count = models.PositiveSmallIntegerField(_("số đơn vị chọn"))
    picked = models.JSONField(_("đơn vị được chọn"))  # unit codes, in draw order
    algorithm = models.CharField(max_length=32)  # the ranking rule (`draws.ALGORITHM`), for replay
    drawn_at = models.DateTimeField(_("bốc thăm lúc"))
    drawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lượt chọn ngẫu nhiên kiểm tra đột xuất")
        verbose_name_plural = _("lượt chọn ngẫu nhiên kiểm tra đột xuất")
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.plan} — {', '.join(self.picked)}"
