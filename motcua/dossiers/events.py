"""What every change of a dossier ends with: its rule looked up, and an event appended with the counters updated."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max

from motcua.audit.models import Kind as AuditKind
from motcua.audit.services import record as audit
from motcua.core.errors import ConflictError, NotPermittedError
from motcua.organizations.models import Unit, User
from motcua.outbox.services import publish
from motcua.worktime.arithmetic import to_local

from . import counters
from .lifecycle import Action, Actor, Status, Transition, TransitionRefused, transition_for
from .models import Dossier, DossierEvent, SupplementItem
from .national import sync_record


@dataclass(frozen=True)
class Outcome:
    dossier: Dossier
    event: DossierEvent
    repeated: bool = False  # the submission had already been received: nothing was created this time


def rule_for(action: Action, status: Status | None, actors: set[Actor]) -> Transition:
    """Return the table's rule, or raise the domain error that says why it does not apply."""
    try:
        return transition_for(action, status, actors)
    except TransitionRefused as refused:
        error = NotPermittedError if refused.code == "not_permitted" else ConflictError
        raise error(refused.message) from refused


def append_event(
    dossier: Dossier,
    rule: Transition,
    before: Status | None,
    actor: User | None,
    at: datetime,
    reason: str,
    unit: Unit | None = None,
    details: dict[str, Any] | None = None,
    supplements: tuple[tuple[int, str], ...] = (),
) -> DossierEvent:
    """Append the dossier's next event, count it and queue its messages, in the caller's transaction.

    `supplements` are the (component, reason) pairs a Form 02 request names: they belong to the event.
    """
    # A dossier's first event needs no look-up: it is created in the same transaction.
    last = 0 if before is None else dossier.events.aggregate(last=Max("sequence"))["last"] or 0
    event = DossierEvent.objects.create(
        dossier=dossier,
        sequence=last + 1,
        action=rule.action,
        status_before=before,
        status_after=dossier.status,
        actor=actor,
        unit=unit,
        at=at,
        # Statistics count against the original date even after a Form 04 extension (DOMAIN.md §1.3(d)).
        due_at=dossier.statistics_due_at,
        reason=reason,
        form=rule.form,
        details=details or {},
    )
    SupplementItem.objects.bulk_create(
        SupplementItem(event=event, component_id=component, reason=why) for component, why in supplements
    )
    counters.record(dossier, event)  # the indices' counters change in the same transaction as the event
    _publish(dossier, event)
    # Last, in the same transaction: the audit chain's lock is held from here to the commit, so keep that short.
    change = {"event": event.sequence, "action": rule.action, "status_before": before, "status_after": dossier.status}
    audit(AuditKind.DOSSIER_EVENT, actor=actor, object_type="dossier", object_id=dossier.code, details=change)
    return event


def _publish(dossier: Dossier, event: DossierEvent) -> None:
    """Queue the event for the national portal (the whole record, DOMAIN.md §2) and for subscribed systems."""
    summary = {
        "code": dossier.code,
        "sequence": event.sequence,
        "action": event.action,
        "status": dossier.status,
        "status_label": Status(dossier.status).label,
        "procedure": dossier.version.procedure.code,
        "receiving_unit": dossier.receiving_unit.code,
        "competent_unit": dossier.competent_unit.code,
        "due_at": iso(dossier.statistics_due_at) or None,
    }
    topic = f"dossier.{event.action}"
    publish(
        "dossier", dossier.code, event.sequence, topic, at=event.at, national=sync_record(dossier), summary=summary
    )


def iso(moment: datetime | None) -> str:
    return to_local(moment).isoformat() if moment is not None else ""
