"""Reads of the register and of signed documents."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q

from motcua.catalogue.models import ProcedureVersion
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, ResultDocument, StepTask
from motcua.dossiers.processing import StepState, steps_suited_to
from motcua.dossiers.rules import LISTED_RESULTS, LISTED_STEPS, Shared, allowed, available_actions, deputies
from motcua.dossiers.selectors import list_dossiers_for
from motcua.organizations.models import Unit, User
from motcua.organizations.selectors import current_memberships_of, posts_of, sees_every_unit

from .models import DocumentType, IssueSequence, IssuingBody, RegisterEntry, ResultSigning, SignedDocument
from .services import Entitlement, entitlement_for, fields_of, notation


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
    if not sees_every_unit(user):
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


def signable_dossiers_for(user: User) -> list[Dossier]:
    """Return the dossiers whose result this person may sign now: the rules' own answer, nothing else.

    The query narrows to dossiers being processed, with a signing entry, a result, and an active step in one of the
    person's units that their position may do; the dossier rules then decide each (the signing step, its holder, the
    result unsigned, the register).
    """
    suited = Q()
    for unit, _, position in posts_of(user):
        suited |= Q(unit=unit, staff_position__in=sorted(steps_suited_to(position, deputies=deputies())))
    if not suited:
        return []
    # One read with EXISTS and no joins to plan, of the columns the list shows and the rule reads; the versions (few,
    # shared by many rows) and the steps and results are then read by key.
    candidates = (
        list_dossiers_for(user)
        .select_related(None)
        .filter(
            Exists(StepTask.objects.filter(suited, dossier=OuterRef("pk"), state=StepState.ACTIVE)),
            Exists(ResultDocument.objects.filter(dossier=OuterRef("pk"))),
            Exists(ResultSigning.objects.filter(version=OuterRef("version_id"))),
            status=Status.PROCESSING,
        )
        .only(*SHOWN)
        .order_by("due_at", "pk")  # dossiers received together are due together: the older first
        .prefetch_related(
            Prefetch(
                "version",
                ProcedureVersion.objects.select_related("result_signing__document_type").defer(
                    "record", "search_text"
                ),
            ),
            # A step's unit is named only in the hand-over hints, which are not asked here, and its holder only when
            # someone else holds it; names are read on a refusal, which the filter above makes rare.
            Prefetch("steps", StepTask.objects.only(*STEP_FACTS).order_by("position"), to_attr=LISTED_STEPS),
            Prefetch("results", ResultDocument.objects.only(*RESULT_FACTS), to_attr=LISTED_RESULTS),
        )[:SIGNING_LIST_SIZE]
    )
    shared: Shared = {}  # what the candidates have in common (posts, signing entry, the register) is read once
    return [
        d
        for d in candidates
        if Action.SIGN_RESULT in allowed(available_actions(d, user, shared=shared, among=SIGNING))
    ]


SIGNING_LIST_SIZE = 50
# The dossier columns the list shows and the signing rule reads; the rest of a row is never loaded for the list.
SHOWN = (
    *("code", "status", "version", "case", "receiving_unit", "competent_unit", "citizen", "applicant_name"),
    "due_at",
)
STEP_FACTS = ("dossier", "position", "unit", "staff_position", "state", "assignee")
RESULT_FACTS = ("dossier", "created_at", "signature")
SIGNING = frozenset({Action.SIGN_RESULT})


def next_notation(body: IssuingBody, document_type: DocumentType, year: int) -> str:
    """Say which số, ký hiệu a document signed now would take (the number is only taken when it is signed)."""
    last = IssueSequence.objects.filter(body=body, year=year).values_list("last_number", flat=True).first() or 0
    return notation(last + 1, document_type, body)


# The type each one-stop letter of the competent side is registered as (ND 30/2020 art. 7): the Form 04 apology is a
# công văn, the Form 05 stop notice a thông báo; the register decides who signs them and under which block.
LETTER_TYPES = {"04": "cong_van", "05": "thong_bao"}


def letter_block(official: User, unit: Unit, dossier: Dossier, form: str, on: date) -> Entitlement:
    """Decide from the register the block under which an official signs a unit's letter about a dossier on a day.

    The one-stop letters (Form 04 apology, Form 05 stop notice) are the unit's own documents: ND 30/2020 art. 13 gives
    the block (TM. for a collective body, KT. for a deputy acting in the fields assigned to them), as for results.
    """
    body = IssuingBody.objects.select_related("unit").filter(unit=unit).first()
    if body is None:
        return Entitlement(False, None, reason=f"{unit.name} chưa có trong sổ đăng ký thẩm quyền ký.")
    kind = DocumentType.objects.filter(code=LETTER_TYPES[form]).first()
    if kind is None:
        return Entitlement(False, body, reason=f"Danh mục loại văn bản chưa có loại «{LETTER_TYPES[form]}».")
    return entitlement_for(official, body, kind, fields_of(dossier), on)
