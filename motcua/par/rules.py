"""Who may do what with a unit's assessment now: every page and the API ask `offers`; no screen re-derives a rule."""

from motcua.core import clock
from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import posts_of

from .lifecycle import ACTION_LABELS, TRANSITIONS, Action, Actor, RoundStatus, Status
from .models import Assessment

Offer = GenericOffer[Action]

NOT_YOURS = "Chỉ cán bộ của đơn vị được đánh giá, lãnh đạo đơn vị hoặc Sở Nội vụ được thực hiện thao tác này."
LEADER_ONLY = "Chỉ lãnh đạo đơn vị được phê duyệt báo cáo tự đánh giá."
OFFICE_ONLY = "Chỉ Sở Nội vụ (tổ công tác thẩm định) được thực hiện thao tác này."
NOT_OPEN = "Đợt đánh giá chưa mở."
LOCKED = "Đã hết hạn tự đánh giá ({deadline}); chỉ Sở Nội vụ được mở lại cho đơn vị."
WRONG_STATUS = "Thao tác không phù hợp với trạng thái hiện tại ({status})."
STAFF_ROLES = frozenset({Role.LEADER, Role.SPECIALIST, Role.ONE_STOP_OFFICER})


def is_reform_office(user: User) -> bool:
    """Sở Nội vụ's CCHC officers, who chair the working group and manage the rounds."""
    if not user.is_authenticated or user.is_citizen:
        return False
    return any(post.role == Role.REFORM_OFFICER for post in posts_of(user))


def reads_all(user: User) -> bool:
    """Sở Nội vụ manages and the province monitor reads every unit's assessment."""
    if not user.is_authenticated or user.is_citizen:
        return False
    return any(post.role in (Role.REFORM_OFFICER, Role.PROVINCE_MONITOR) for post in posts_of(user))


def actors_of(user: User, assessment: Assessment) -> set[Actor]:
    if not user.is_authenticated or user.is_citizen:
        return set()
    capacities = set()
    for post in posts_of(user):
        if post.unit_id == assessment.unit_id and post.role in STAFF_ROLES:
            capacities.add(Actor.UNIT_STAFF)
            if post.role == Role.LEADER:
                capacities.add(Actor.UNIT_LEADER)
        if post.role == Role.REFORM_OFFICER:
            capacities.add(Actor.REFORM_OFFICE)
    return capacities


def may_read(user: User, assessment: Assessment) -> bool:
    return reads_all(user) or bool(actors_of(user, assessment))


def in_window(assessment: Assessment) -> bool:
    """Before the unit's deadline on the server clock: at `open_to` (or the reopened date) everything locks."""
    return assessment.round.open_from <= clock.now() < assessment.deadline


def offers(assessment: Assessment, user: User) -> list[Offer]:
    """The actions the status allows, each with the reason this person may not take it ("" when they may)."""
    capacities = actors_of(user, assessment)
    status = Status(assessment.status)
    offered = []
    for t in TRANSITIONS:
        if status not in t.sources:
            continue
        refusal = ""
        if not capacities & t.actors:
            refusal = {Action.APPROVE: LEADER_ONLY}.get(
                t.action, OFFICE_ONLY if t.actors == {Actor.REFORM_OFFICE} else NOT_YOURS
            )
        elif assessment.round.status != RoundStatus.OPEN:
            refusal = NOT_OPEN
        elif t.in_window and not in_window(assessment):
            local = assessment.deadline.astimezone(clock.VIETNAM)
            refusal = LOCKED.format(deadline=f"{local:%H:%M %d/%m/%Y}")
        offered.append(Offer(t.action, ACTION_LABELS[t.action], refusal, t.needs_reason))
    return offered


def refusal_for(assessment: Assessment, user: User, action: Action) -> str:
    """Why this person may not take the action now ("" when they may)."""
    offer = next((o for o in offers(assessment, user) if o.action == action), None)
    if offer is None:
        return WRONG_STATUS.format(status=Status(assessment.status).label)
    return offer.refusal
