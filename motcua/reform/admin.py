"""The administrator's view of the reform app: directives, tasks, plans, periods, meetings and inspections are
written by the services (each change an event, draws keep their seed, conclusions make tasks), so here they are
read-only; the report outline (đề cương) is the editable template [R]."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import CchcPlan, Directive, Inspection, InspectionPlan, Meeting, ReportOutline, ReportPeriod, Task


class ReadMostly(admin.ModelAdmin[Any]):
    """Shown, searched, never added, edited or deleted here: the services keep the events and projections right."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Directive)
class DirectiveAdmin(ReadMostly):
    list_display = ["source_kind", "source_number", "source_date", "leader_name", "urgency", "entered_at"]
    list_filter = ["source_kind", "urgency"]
    search_fields = ["source_number", "summary", "leader_name"]
    date_hierarchy = "source_date"


@admin.register(Task)
class TaskAdmin(ReadMostly):
    list_display = ["pk", "content", "lead_unit", "status", "percent", "deadline_on", "extended_on"]
    list_filter = ["status"]
    search_fields = ["content"]
    list_select_related = ["lead_unit"]
    raw_id_fields = ["directive", "plan", "lead_unit"]


@admin.register(CchcPlan)
class CchcPlanAdmin(ReadMostly):
    list_display = ["number", "unit", "year", "issued_on", "title"]
    list_filter = ["year"]
    search_fields = ["number", "title", "unit__name"]
    list_select_related = ["unit"]


@admin.register(ReportPeriod)
class ReportPeriodAdmin(ReadMostly):
    """Opened by `reports.services.open_year` from the windows of BNV guidance 581/BNV-CCHC."""

    list_display = ["year", "kind", "level", "cutoff_from", "cutoff_to", "due_on", "closed_at"]
    list_filter = ["year", "kind", "level"]


@admin.register(ReportOutline)
class ReportOutlineAdmin(admin.ModelAdmin[ReportOutline]):
    """The outline reports follow: a change that applies from a day is a new outline; reports pin theirs."""

    list_display = ["name", "effective_from", "source"]

    def has_delete_permission(self, request: HttpRequest, obj: ReportOutline | None = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadMostly):
    list_display = ("title", "kind", "form", "starts_at", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadMostly):
    list_display = ("year", "decision_number", "decision_on", "title")


@admin.register(Inspection)
class InspectionAdmin(ReadMostly):
    list_display = ("unit", "year", "kind", "method", "scheduled_on", "status")
    list_filter = ("year", "kind", "status")
    list_select_related = ("unit",)
