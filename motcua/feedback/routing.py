"""Cases across levels, part of the one writer (`services`): a case received above its competent level is handled by
a child case at the competent unit, the parent waiting for it and closing with its answer (Luật Tiếp công dân 2013
art. 26); a case outside a unit's competence, sideways or upward, is forwarded, its clocks restarting there (ND
20/2008 art. 9). Each move is an event that tracking shows: to whom, when, due when."""

from datetime import datetime

from django.db.models import F, Q

from motcua.organizations.models import Unit, User
from motcua.organizations.selectors import agencies_above

from . import records
from .clocks import dues
from .lifecycle import OPEN, Action, Kind, Rating, Status
from .models import FeedbackCase

# The fields a child copies from its parent: the same sender, the same matter.
COPIED = (
    "kind", "topic", "channel", "sender_name", "sender_address", "sender_phone", "sender_email", "is_anonymous",
    "citizen", "subject_unit", "about_head", "dossier", "paper_asked", "reported_official", "decision", "known_on",
    "late_reason", "accused", "follows", "content", "received_at", "instance",
)  # fmt: skip


def is_above(addressed: Unit, competent: Unit) -> bool:
    """Whether a unit is one of the agencies above another (a province's committee above a commune's)."""
    return any(above.pk == addressed.pk for above in agencies_above(competent))


def after_lower(citizen: User | None, phone: str, competent: Unit) -> bool:
    """Whether the same sender's earlier case at the competent unit was answered late or disliked: the citizen went
    up after being failed below."""
    if citizen is None and not phone:
        return False
    same_sender = Q(citizen=citizen) if citizen is not None else Q(sender_phone=phone)
    earlier = FeedbackCase.objects.filter(same_sender, handling_unit=competent)
    late = Q(closed_at__gt=F("due_at"), status=Status.CONCLUDED)
    return earlier.filter(late | Q(rating=Rating.UNSATISFIED)).exists()


def open_child(parent: FeedbackCase, unit: Unit, actor: User | None, at: datetime, reason: str = "") -> FeedbackCase:
    """Give the case to a lower unit: a child case there with its own clocks; the parent waits for it."""
    due = dues(Kind(parent.kind), unit, at, parent.instance)
    child = FeedbackCase.objects.create(
        code=records.new_code(at),
        tracking_secret=parent.tracking_secret,  # the sender follows both with the secret they hold
        status=Status.RECEIVED,
        handling_unit=unit,
        routed_at=at,
        accept_due_at=due.accept_by,
        due_at=due.handle_by,
        parent=parent,
        **{field: getattr(parent, field) for field in COPIED},
    )
    records.append(child, Action.FILE, actor, at, reason=reason, details={"unit": unit.code, "parent": parent.code})
    parent.status, parent.due_at = Status.ACCEPTED, child.due_at
    parent.accepted_at = parent.accepted_at or at
    parent.save(update_fields=["status", "due_at", "accepted_at"])
    details = {"child": child.code, "unit": unit.code, "unit_name": unit.name, "due_at": child.due_at.isoformat()}
    records.append(parent, Action.OPEN_CHILD, actor, at, reason=reason, details=details)
    records.tell_handlers(child)
    return child


def forward(case: FeedbackCase, unit: Unit, at: datetime) -> dict[str, str]:
    """Move the case to the unit competent for it, its clocks restarting there; the event's details."""
    previous = case.handling_unit
    due = dues(Kind(case.kind), unit, at, case.instance)
    case.handling_unit, case.routed_at, case.accepted_at = unit, at, None
    case.accept_due_at, case.due_at = due.accept_by, due.handle_by
    return {"from": previous.code, "unit": unit.code, "unit_name": unit.name, "due_at": case.due_at.isoformat()}


def close_parent(child: FeedbackCase, at: datetime) -> None:
    """A parent waiting for its child closes with the child's answer, as the child concluded it."""
    parent = FeedbackCase.objects.select_for_update().filter(children=child, status__in=OPEN).first()
    if parent is None or parent.children.filter(status__in=OPEN).exclude(pk=child.pk).exists():
        return
    parent.status, parent.verified, parent.conclusion, parent.closed_at = (
        Status.CONCLUDED, child.verified, child.conclusion, at,
    )  # fmt: skip
    parent.save(update_fields=["status", "verified", "conclusion", "closed_at"])
    records.append(parent, Action.CONCLUDE, None, at, reason=child.conclusion, details={"child": child.code})
    records.tell_sender(parent, Action.CONCLUDE)
