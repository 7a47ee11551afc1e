"""The official calendar table, office hours, and the versions that deadlines record."""

from datetime import date, time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from motcua.organizations.models import Unit


class DayKind(models.TextChoices):
    OFF = "off", _("Ngày nghỉ")
    WORKING = "working", _("Ngày làm bù")


class CalendarDay(models.Model):
    """A day that differs from the Monday-to-Friday week: a holiday, compensatory day or swapped working day."""

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    legal_basis = models.CharField(_("căn cứ"), max_length=300)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm bù")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REJECTED = "rejected", _("Đã bác bỏ")


class CalendarProposal(models.Model):
    """A day off or swap that a package computes but no cited text supports: a working day until an admin decides.

    Confirming it, with the number and date of the document, writes it to the calendar as a new version; rejecting it
    records why. Either way the decision stays, and seeding again never asks twice.
    """

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("nguồn đề xuất"), max_length=100)
    paired_day = models.DateField(_("ngày hoán đổi tương ứng"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("đề xuất lúc"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    document_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do bác bỏ"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    calendar_version = models.ForeignKey(
        "CalendarVersion",
        verbose_name=_("phiên bản lịch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đề xuất ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("đề xuất ngày nghỉ, ngày làm bù chờ xác nhận")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ProposalStatus.PENDING)
                | (models.Q(decided_by__isnull=False) & models.Q(decided_at__isnull=False)),
                name="calendar_proposal_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProposalStatus.CONFIRMED)
                | (~models.Q(document_number="") & models.Q(document_on__isnull=False)),
                name="calendar_proposal_confirmed_with_document",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProposalStatus.REJECTED) | ~models.Q(rejection_reason=""),
                name="calendar_proposal_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name} ({self.get_status_display()})"


class OfficeSchedule(models.Model):
    """Office hours of a province (set on the province unit) or of one unit that works other hours."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="office_schedule"
    )
    morning_start = models.TimeField(_("sáng từ"), default=time(7, 0))
    morning_end = models.TimeField(_("sáng đến"), default=time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), default=time(13, 30))
    afternoon_end = models.TimeField(_("chiều đến"), default=time(17, 0))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="office_hours_in_order",
                violation_error_message=_(
                    "Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc ≤ chiều bắt đầu < chiều kết thúc."
                ),
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.unit}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )


class CalendarVersion(models.Model):
    """A numbered state of the calendar and office hours; every computed deadline records the one it used."""

    created_at = models.DateTimeField(_("lúc"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    summary = models.CharField(_("nội dung thay đổi"), max_length=300)
    first_affected = models.DateField(_("từ ngày bị ảnh hưởng"), null=True, blank=True)
    last_affected = models.DateField(_("đến ngày bị ảnh hưởng"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản lịch")
        verbose_name_plural = _("phiên bản lịch")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"v{self.pk}: {self.summary}"

    def affects(self, start_on: date, due_on: date) -> bool:
        """Tell whether a deadline counted from start_on to due_on crosses a day this version changed."""
        if self.first_affected is None or self.last_affected is None:
            return False
        return start_on <= self.last_affected and self.first_affected <= due_on
