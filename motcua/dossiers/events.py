"""What every change of a dossier ends with: its rule looked up, and an event appended with the counters updated."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max

from motcua.audit.models import Kind as AuditKind
from motcua.audit.services import record as audit
from motcua.core.errors import ConflictError, NotPermittedError
from motcua.organizations.models import Unit, User
from motcua.worktime.arithmetic import to_local

from . import counters
from .lifecycle import Action, Actor, Status, Transition, TransitionRefused, transition_for
from .models import Dossier, DossierEvent


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
) -> DossierEvent:
    """Append the dossier's next event and count it, in the caller's transaction."""
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
    counters.record(dossier, event)  # the indices' counters change in the same transaction as the event
    # Last, in the same transaction: the audit chain's lock is held from here to the commit, so keep that short.
    change = {"event": event.sequence, "action": rule.action, "status_before": before, "status_after": dossier.status}
    audit(AuditKind.DOSSIER_EVENT, actor=actor, object_type="dossier", object_id=dossier.code, details=change)
    return event


def iso(moment: datetime | None) -> str:
    return to_local(moment).isoformat() if moment is not None else ""
