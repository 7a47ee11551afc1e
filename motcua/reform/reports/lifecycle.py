"""A unit's periodic report as data: statuses, actions, who may take them, and the guards. Pure.

The unit writes its draft (any of its officials), its leader submits it; Sở Nội vụ (reform_officer) accepts it or
returns it with a reason, and the unit submits again. Once the period is closed nothing changes; a submitted or
accepted report is read-only ("khóa"), its figures are those locked at the cut-off.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum


class Status(IntEnum):
    DRAFT = 1  # Chưa nộp
    SUBMITTED = 2  # Đã nộp
    RETURNED = 3  # Trả lại (with a reason)
    ACCEPTED = 4  # Đã tiếp nhận


STATUS_LABELS = {
    Status.DRAFT: "Chưa nộp",
    Status.SUBMITTED: "Đã nộp",
    Status.RETURNED: "Trả lại",
    Status.ACCEPTED: "Đã tiếp nhận",
}
STATUS_CHOICES = [(int(status), label) for status, label in STATUS_LABELS.items()]
OVERDUE_LABEL = "Quá hạn"
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
IN_HAND = frozenset({Status.SUBMITTED, Status.ACCEPTED})  # the province has it: counted in the consolidation


class Action(StrEnum):
    OPEN = "open"
    EDIT = "edit"
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"
    LOCK = "lock"  # the figures snapshotted at the cut-off


ACTION_LABELS = {
    Action.OPEN: "Mở kỳ báo cáo",
    Action.EDIT: "Soạn báo cáo",
    Action.SUBMIT: "Nộp báo cáo",
    Action.RETURN: "Trả lại",
    Action.ACCEPT: "Tiếp nhận",
    Action.LOCK: "Chốt số liệu",
}


class Actor(StrEnum):
    UNIT_STAFF = "unit_staff"  # an official of the reporting unit
    UNIT_LEADER = "unit_leader"  # its leader
    REFORM_OFFICER = "reform_officer"  # Sở Nội vụ


@dataclass(frozen=True)
class Facts:
    """What the guards read about a report, taken from the row and the clock by the rules module."""

    status: Status
    period_closed: bool
    cutoff_to: date
    today: date


Guard = Callable[[Facts], str]

CLOSED = "Kỳ báo cáo đã đóng; không thay đổi được báo cáo."
LOCKED = "Báo cáo đã nộp nên đã khóa; chỉ sửa được khi Sở Nội vụ trả lại."
BEFORE_CUTOFF = "Chưa hết ngày chốt số liệu ({day}); nộp báo cáo từ ngày hôm sau."


def period_open(facts: Facts) -> str:
    return CLOSED if facts.period_closed else ""


def cutoff_passed(facts: Facts) -> str:
    if facts.today <= facts.cutoff_to:
        return BEFORE_CUTOFF.format(day=facts.cutoff_to.strftime("%d/%m/%Y"))
    return ""


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Actor]
    guards: tuple[Guard, ...] = (period_open,)
    needs_reason: bool = False


TRANSITIONS = (
    Transition(Action.EDIT, EDITABLE, Status.DRAFT, frozenset({Actor.UNIT_STAFF, Actor.UNIT_LEADER})),
    Transition(
        Action.SUBMIT, EDITABLE, Status.SUBMITTED, frozenset({Actor.UNIT_LEADER}), (period_open, cutoff_passed)
    ),
    Transition(
        Action.RETURN,
        frozenset({Status.SUBMITTED}),
        Status.RETURNED,
        frozenset({Actor.REFORM_OFFICER}),
        needs_reason=True,
    ),
    Transition(Action.ACCEPT, frozenset({Status.SUBMITTED}), Status.ACCEPTED, frozenset({Actor.REFORM_OFFICER})),
)
ACTIONS = frozenset(t.action for t in TRANSITIONS)


def transition(action: Action) -> Transition:
    return next(t for t in TRANSITIONS if t.action == action)


def refusal(action: Action, facts: Facts) -> str:
    """Why the report's state refuses the action now, "" when it allows it (who acts is checked apart)."""
    rule = transition(action)
    for guard in rule.guards:
        reason = guard(facts)
        if reason:
            return reason
    if facts.status not in rule.sources:
        if action == Action.EDIT:
            return LOCKED
        return f"Báo cáo đang ở trạng thái «{STATUS_LABELS[facts.status]}»: không thể {ACTION_LABELS[action].lower()}."
    return ""


def is_overdue(status: Status, due_on: date, today: date) -> bool:
    """Quá hạn: not in the province's hands after the due date (returned and not sent again counts too)."""
    return status in EDITABLE and today > due_on


def standing_label(status: Status, due_on: date, today: date) -> str:
    """The status as a list shows it: "Quá hạn" for a draft past its due date, "Trả lại, quá hạn" for a report
    returned and not sent again by then."""
    if not is_overdue(status, due_on, today):
        return STATUS_LABELS[status]
    return f"{STATUS_LABELS[status]}, {OVERDUE_LABEL.lower()}" if status == Status.RETURNED else OVERDUE_LABEL
