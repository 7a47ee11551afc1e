"""Reads of the register and of signed documents."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from motcua.core import clock
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import list_dossiers_for
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import current_memberships_of, roles_of

from .models import IssuingBody, RegisterEntry, SignedDocument


def get_signed_document(public_id: str | uuid.UUID) -> SignedDocument | None:
    """Return the signed document a QR code points to; a malformed id finds nothing."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return (
        SignedDocument.objects.select_related("body__unit", "document_type", "official", "entry")
        .filter(public_id=key)
        .first()
    )


@dataclass(frozen=True)
class RegisterView:
    body: IssuingBody
    entries: list[tuple[RegisterEntry, bool]]  # (entry, in force today)


def register_for(user: User, on: date | None = None) -> list[RegisterView]:
    """Return the register of the bodies an official works in (or under); monitors and admins see every body."""
    on = on or clock.today()
    bodies = IssuingBody.objects.select_related("unit").order_by("unit__code")
    if not roles_of(user) & {Role.PROVINCE_MONITOR, Role.SYSTEM_ADMIN}:
        units = list(current_memberships_of(user).values_list("unit", "unit__parent"))
        ids = {unit for pair in units for unit in pair if unit is not None}
        bodies = bodies.filter(unit__in=ids)
    entries = (
        RegisterEntry.objects.filter(body__in=bodies)
        .select_related("official", "delegated_from__official")
        .prefetch_related("fields", "document_types")
        .order_by("body", "mode", "valid_from")
    )
    by_body: dict[int, list[tuple[RegisterEntry, bool]]] = {}
    for entry in entries:
        current = entry.valid_from <= on and (entry.valid_to is None or on <= entry.valid_to)
        by_body.setdefault(entry.body_id, []).append((entry, current))
    return [RegisterView(body, by_body.get(body.pk, [])) for body in bodies]


def signable_dossiers_for(user: User) -> QuerySet[Dossier]:
    """Return the dossiers the official can see whose procedure version says how its result is signed."""
    return (
        list_dossiers_for(user)
        .filter(Q(version__result_signing__isnull=False))
        .select_related("version__result_signing__document_type")
        .order_by("-submitted_at")
    )
