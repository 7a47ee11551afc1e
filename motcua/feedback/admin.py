"""The system administrator keeps the competence table (rules), never a case's content."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Competence


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin[Competence]):
    list_display = ["kind", "about_head", "handler", "effective_from", "source"]
    list_filter = ["kind", "handler"]

    def has_delete_permission(self, request: HttpRequest, obj: Competence | None = None) -> bool:
        return False  # a rule that changes gets a new row from the day it applies
