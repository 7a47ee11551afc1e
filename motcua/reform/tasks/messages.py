"""What a task's change tells those concerned, through the notifications outbox (sent after the commit)."""

from motcua.core.formatting import format_date
from motcua.notifications.services import queue_email
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import memberships_on
from motcua.reform.models import Task

from .lifecycle import ACTION_LABELS, Action

# Who hears of each action: the lead unit's leaders, or Văn phòng UBND tỉnh.
TO_TRACKERS = frozenset({Action.ASK_COMPLETION, Action.EXTEND})
TO_LEAD = frozenset({Action.CREATE, Action.CONFIRM, Action.RETURN, Action.DECIDE_EXTENSION, Action.POSTPONE,
                     Action.RESUME, Action.CANCEL})  # fmt: skip


def leaders_of(task: Task) -> list[User]:
    ids = memberships_on().filter(unit_id=task.lead_unit_id, role=Role.LEADER).values_list("user", flat=True)
    return list(User.objects.filter(pk__in=ids))


def trackers() -> list[User]:
    ids = memberships_on().filter(role=Role.DIRECTIVE_TRACKER).values_list("user", flat=True)
    return list(User.objects.filter(pk__in=ids))


def tell_lead_unit(task: Task, action: Action, reason: str = "") -> None:
    _send(leaders_of(task), task, action, reason)


def tell(task: Task, action: Action, reason: str = "") -> None:
    if action in TO_TRACKERS:
        _send(trackers(), task, action, reason)
    elif action in TO_LEAD:
        _send(leaders_of(task), task, action, reason)


def tell_due(task: Task, overdue: bool) -> None:
    """The watch's message: the task is near its deadline, or past it."""
    what = "đã quá hạn" if overdue else "sắp đến hạn"
    people = leaders_of(task) + (trackers() if overdue else [])
    _send(people, task, None, "", subject=f"Nhiệm vụ {what}: {task.content[:80]}")


def _send(people: list[User], task: Task, action: Action | None, reason: str, subject: str = "") -> None:
    deadline = task.extended_on or task.deadline_on
    subject = subject or f"{ACTION_LABELS[action] if action else ''}: {task.content[:80]}"
    body = (
        f"{subject}\nĐơn vị chủ trì: {task.lead_unit.name}.\n"
        f"Hạn hoàn thành: {format_date(deadline) if deadline else 'không hạn'}.\n"
        f"Trạng thái: {task.status_label}.{chr(10) + 'Lý do: ' + reason if reason else ''}"
    )
    for person in {p.pk: p for p in people}.values():
        queue_email(person.email, subject, body, reference=f"task:{task.pk}")
