"""Reads of dossiers scoped to who asks: staff see their units', citizens their own, the public a timeline."""

import hmac
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from motcua.organizations.models import Role, User
from motcua.organizations.selectors import current_memberships_of, roles_of

from .lifecycle import ACTION_LABELS, Action, Status
from .models import Dossier, DossierEvent, SupplementItem


def list_dossiers_for(user: User) -> QuerySet[Dossier]:
    """Return the dossiers a person may see: their own (citizen), their units' (staff), all (monitor, admin)."""
    dossiers = Dossier.objects.select_related("version__procedure", "receiving_unit", "competent_unit", "case")
    if not user.is_authenticated:
        return dossiers.none()
    if user.is_citizen:
        return dossiers.filter(citizen=user)
    if roles_of(user) & {Role.PROVINCE_MONITOR, Role.SYSTEM_ADMIN}:
        return dossiers
    # A list of ids, not a subquery: PostgreSQL then uses the (unit, status, due_at) indexes for each side of the OR.
    units = list(current_memberships_of(user).values_list("unit", flat=True))
    return dossiers.filter(Q(receiving_unit__in=units) | Q(competent_unit__in=units))


def get_dossier_for(user: User, code: str) -> Dossier | None:
    """Return one dossier if the person may see it; None looks the same as a dossier that does not exist."""
    return list_dossiers_for(user).filter(code=code).first()


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    status: str
    unit: str
    form: str


@dataclass(frozen=True)
class PublicView:
    """What anyone holding the receipt may know: never an ID number, an address or an official's name."""

    code: str
    procedure: str
    status: str
    status_code: int
    submitted_at: datetime
    due_at: datetime | None
    is_result_ready: bool
    needed_now: list[dict[str, str]]
    timeline: list[TimelineEntry]


def track(code: str, *, secret: str = "", phone_last4: str = "") -> PublicView | None:
    """Answer a tracking request made with the receipt's secret or the last four digits of the applicant's phone.

    A wrong code and a wrong secret give the same None, so the answer reveals nothing about which codes exist.
    """
    dossier = Dossier.objects.select_related("version").filter(code=code.strip()).first()
    if dossier is None:
        return None
    by_secret = bool(secret) and hmac.compare_digest(secret, dossier.tracking_secret)
    by_phone = len(phone_last4) == 4 and len(dossier.applicant_phone) == 10
    by_phone = by_phone and hmac.compare_digest(phone_last4, dossier.applicant_phone[-4:])
    if not (by_secret or by_phone):
        return None
    events = list(DossierEvent.objects.filter(dossier=dossier).select_related("unit").order_by("sequence"))
    needed: list[dict[str, str]] = []
    if dossier.status == Status.SUPPLEMENT_REQUESTED:
        request = next(e for e in reversed(events) if e.action == Action.REQUEST_SUPPLEMENT)
        items = SupplementItem.objects.filter(event=request).select_related("component")
        needed = [{"paper": item.component.name, "reason": item.reason} for item in items]
    return PublicView(
        code=dossier.code,
        procedure=dossier.version.name,
        status=Status(dossier.status).label,
        status_code=dossier.status,
        submitted_at=dossier.submitted_at,
        due_at=dossier.due_at,
        is_result_ready=dossier.status == Status.FINISHED,
        needed_now=needed,
        timeline=[
            TimelineEntry(
                e.at,
                ACTION_LABELS[Action(e.action)],
                Status(e.status_after).label,
                e.unit.name if e.unit else "",
                e.form,
            )
            for e in events
        ],
    )
