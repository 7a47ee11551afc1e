"""The administrator sees the criteria sets and rounds; a set published by its decision is read-only (the database
refuses edits too: a correction is a new version), and neither is ever deleted (rounds and assessments name them).
Publishing, opening, feeding and ranking are Sở Nội vụ's, on its pages: the admin never changes a status."""

from django.contrib import admin
from django.http import HttpRequest

from .models import ParIndexSet, Round


@admin.register(ParIndexSet)
class ParIndexSetAdmin(admin.ModelAdmin[ParIndexSet]):
    list_display = ["name", "level", "year", "version", "decision_number", "decision_date", "published_at"]
    list_filter = ["level", "year"]
    readonly_fields = ["published_at"]

    def has_change_permission(self, request: HttpRequest, obj: ParIndexSet | None = None) -> bool:
        if obj is not None and obj.published_at is not None:
            return False  # frozen by its decision
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ParIndexSet | None = None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin[Round]):
    list_display = ["__str__", "year", "open_from", "open_to", "appraisal_deadline", "status", "decision_number"]
    list_filter = ["year", "status"]
    readonly_fields = ["status", "decision_number", "published_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created by Sở Nội vụ (services.create_round checks the set is published)

    def has_change_permission(self, request: HttpRequest, obj: Round | None = None) -> bool:
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Round | None = None) -> bool:
        return False
