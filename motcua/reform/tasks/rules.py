"""Who may do what with a task now: every page and the API ask `available_actions`; no screen re-derives a rule."""

from motcua.core import clock
from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import Task

from .lifecycle import ACTION_LABELS, TRANSITIONS, Action, Actor, Status

Offer = GenericOffer[Action]

NOT_LEAD = "Chỉ lãnh đạo, chuyên viên của đơn vị chủ trì được thực hiện thao tác này."
NOT_TRACKER = "Chỉ Văn phòng UBND tỉnh (theo dõi chỉ đạo, nhiệm vụ) được thực hiện thao tác này."
BELOW_100 = "Chỉ đề nghị xác nhận hoàn thành khi tiến độ đạt 100 %."
NO_PRODUCT = "Cần có tệp sản phẩm hoặc số văn bản báo cáo kết quả trước khi đề nghị xác nhận hoàn thành."
NO_DEADLINE = "Nhiệm vụ không có hạn hoàn thành nên không cần gia hạn."
PAST_DEADLINE = "Đã quá hạn hoàn thành ({day}); chỉ đề nghị gia hạn trước khi hết hạn."
PENDING = "Đang chờ Văn phòng UBND tỉnh quyết định đề nghị gia hạn trước."
NOTHING_ASKED = "Không có đề nghị gia hạn nào đang chờ quyết định."
LEAD_ROLES = frozenset({Role.LEADER, Role.SPECIALIST})


def actors_of(user: User | None, task: Task) -> set[Actor]:
    """The capacities a person holds on a task: a leader or specialist of its lead unit, or Văn phòng UBND tỉnh."""
    if user is None or not user.is_authenticated or user.is_citizen:
        return set()
    capacities = set()
    for post in posts_of(user):
        if post.role == Role.DIRECTIVE_TRACKER:
            capacities.add(Actor.TRACKER)
        if post.unit_id == task.lead_unit_id and post.role in LEAD_ROLES:
            capacities.add(Actor.LEAD)
    return capacities


def available_actions(task: Task, user: User | None) -> list[Offer]:
    """The actions the task's status allows, each with the reason this person may not take it now ("" if they may)."""
    capacities = actors_of(user, task)
    offered = []
    for t in TRANSITIONS:
        if t.action == Action.CREATE or Status(task.status) not in t.sources:
            continue
        reason = "" if t.actor in capacities else (NOT_LEAD if t.actor == Actor.LEAD else NOT_TRACKER)
        reason = reason or _guard(task, t.action)
        offered.append(Offer(t.action, ACTION_LABELS[t.action], reason, t.needs_reason))
    return offered


def _guard(task: Task, action: Action) -> str:
    """Why the task's own state refuses the action now ("" when it does not)."""
    if action == Action.ASK_COMPLETION:
        if task.percent < 100:
            return BELOW_100
        if not (task.has_product or task.document_number):
            return NO_PRODUCT
    if action == Action.EXTEND:
        if task.due_at is None:
            return NO_DEADLINE
        if clock.now() > task.due_at:
            shown = task.extended_on or task.deadline_on
            return PAST_DEADLINE.format(day=f"{shown:%d/%m/%Y}" if shown else "")
        if task.extension_asked_on is not None:
            return PENDING
    if action == Action.DECIDE_EXTENSION and task.extension_asked_on is None:
        return NOTHING_ASKED
    return ""


def refusal_of(task: Task, user: User | None, action: Action) -> str | None:
    """The reason an action is refused now, "" when allowed, None when the status does not offer it at all."""
    return next((o.refusal for o in available_actions(task, user) if o.action == action), None)


def allowed(offered: list[Offer]) -> set[Action]:
    return {offer.action for offer in offered if offer.allowed}
