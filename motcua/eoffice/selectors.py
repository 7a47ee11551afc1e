"""Access-scoped reads of the registers: a person sees the documents of the bodies they work in, nothing else."""

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from motcua.core import clock
from motcua.organizations.models import User
from motcua.worktime.selectors import calendar_for

from .models import IncomingDocument, OutgoingDocument
from .rules import body_units


def incoming_for(user: User) -> QuerySet[IncomingDocument]:
    return IncomingDocument.objects.filter(unit_id__in=body_units(user)).select_related("document_type", "unit")


def outgoing_for(user: User) -> QuerySet[OutgoingDocument]:
    return OutgoingDocument.objects.filter(unit_id__in=body_units(user)).select_related(
        "document_type", "unit", "drafter"
    )


def presentation_flag(document: IncomingDocument, now: datetime | None = None) -> str:
    """ "overdue", "near_due" or "" for a document not yet presented (art. 24 clocks, flagged like dossiers)."""
    if document.presented_at is not None or document.assignee_id is not None:
        return ""
    moment = now or clock.now()
    if moment > document.presentation_due_at:
        return "overdue"
    calendar = calendar_for(document.unit)
    if calendar.is_near_due(moment, document.presentation_due_at, settings.MOTCUA_EOFFICE_NEAR_DUE_MINUTES):
        return "near_due"
    return ""


FLAG_LABELS = {"overdue": "Quá hạn trình", "near_due": "Sắp đến hạn trình", "": ""}
