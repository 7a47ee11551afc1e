"""The step machinery of the internal process: creating a dossier's steps, activating and finishing them."""

from datetime import datetime
from typing import Any

from motcua.catalogue.models import Step
from motcua.core.errors import DomainError
from motcua.organizations.models import Unit, User
from motcua.organizations.selectors import memberships_on
from motcua.worktime.arithmetic import status as deadline_status
from motcua.worktime.selectors import calendar_for

from .events import iso
from .models import Dossier, StepTask
from .processing import Alert, StepState, suits
from .rules import STAFF_ROLES, deputies


def assignable_to(step: StepTask) -> list[User]:
    """Return the people a step may be assigned to: staff of its unit whose position suits the step."""
    memberships = memberships_on().filter(unit=step.unit_id, role__in=STAFF_ROLES).select_related("user")
    people = {m.user for m in memberships if suits(step.staff_position, m.position, deputies=deputies())}
    return sorted(people, key=str)


def instantiate_steps(dossier: Dossier, now: datetime) -> StepTask | None:
    """Create the pinned case's steps for the dossier, the first one active; return it."""
    template = list(Step.objects.filter(case=dossier.case).order_by("position"))
    units = {"receiving": dossier.receiving_unit, "competent": dossier.competent_unit}
    codes = {s.unit_ref for s in template} - set(units)
    units.update({u.code: u for u in Unit.objects.filter(code__in=codes)})
    missing = codes - set(units)
    if missing:
        raise DomainError(f"Quy trình nội bộ nêu đơn vị không có trong hệ thống: {', '.join(sorted(missing))}.")
    tasks = StepTask.objects.bulk_create(
        StepTask(
            dossier=dossier,
            position=s.position,
            name=s.name,
            unit=units[s.unit_ref],
            staff_position=s.staff_position,
            hours=s.hours,
        )
        for s in template
    )
    if not tasks:
        return None
    activate(tasks[0], dossier, now)
    return tasks[0]


def activate(step: StepTask, dossier: Dossier, now: datetime, assignee: User | None = None) -> None:
    # A step's own allotment runs from the moment it receives the dossier, but never past the dossier's due instant.
    calendar = calendar_for(dossier.competent_unit)
    due = calendar.add_working_hours(now, float(step.hours))
    if dossier.due_at is not None:
        due = min(due, dossier.due_at)
    step.state, step.started_at, step.due_at, step.assignee = StepState.ACTIVE, now, due, assignee
    step.completed_at, step.completed_by, step.alert_level = None, None, Alert.NONE
    step.save()


def finish(step: StepTask, actor: User, now: datetime, details: dict[str, Any]) -> None:
    details.update(step_facts(step, now))
    # Whoever completes an unclaimed step has claimed it: Form 06 names the person who did each step.
    step.assignee = step.assignee or actor
    step.state, step.completed_at, step.completed_by = StepState.DONE, now, actor
    step.save(update_fields=["state", "completed_at", "completed_by", "assignee"])


def step_facts(step: StepTask, now: datetime) -> dict[str, Any]:
    """What Form 06 prints for a step handed over now: where, from when, by when, and how it compares."""
    facts: dict[str, Any] = {
        "step": step.position,
        "step_name": step.name,
        "from_unit": step.unit.code,
        "step_started_at": iso(step.started_at),
        "step_due_at": iso(step.due_at),
        "step_hours": str(step.hours),
    }
    if step.due_at is not None:
        facts["step_result"] = deadline_status(now, step.due_at).value
    return facts
