"""Meetings, inspection plans and inspections on the admin site, to look at: their rows are written by the reform
services alone (each change appends its event, draws keep their seed, conclusions make tasks), so nothing is added,
changed or deleted here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Inspection, InspectionPlan, Meeting


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "form", "starts_at", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ("year", "decision_number", "decision_on", "title")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("unit", "year", "kind", "method", "scheduled_on", "status")
    list_filter = ("year", "kind", "status")
    list_select_related = ("unit",)
