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
