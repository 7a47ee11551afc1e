from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import CalendarDay, CalendarVersion, DayKind, OfficeSchedule


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """Every save and delete goes through the service, so each one is a new calendar version."""

    list_display = ["day", "kind", "name", "legal_basis"]
    list_filter = ["kind", "day"]
    search_fields = ["name", "legal_basis", "note"]
    date_hierarchy = "day"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        version = services.set_calendar_day(
            day=obj.day,
            kind=DayKind(obj.kind),
            name=obj.name,
            legal_basis=obj.legal_basis,
            note=obj.note,
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.info(request, f"Đã tạo phiên bản lịch {version}. Hạn của hồ sơ đang mở sẽ được tính lại.")

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        services.remove_calendar_day(day=obj.day, reason="xóa trong trang quản trị", actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for day in queryset:
            self.delete_model(request, day)


@admin.register(OfficeSchedule)
class OfficeScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: OfficeSchedule, form: Any, change: bool) -> None:
        services.set_office_hours(
            obj.unit,
            morning=(obj.morning_start, obj.morning_end),
            afternoon=(obj.afternoon_start, obj.afternoon_end),
            actor=request.user,  # type: ignore[arg-type]
        )


@admin.register(CalendarVersion)
class CalendarVersionAdmin(admin.ModelAdmin[CalendarVersion]):
    list_display = ["id", "created_at", "actor", "summary", "first_affected", "last_affected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarVersion | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarVersion | None = None) -> bool:
        return False
