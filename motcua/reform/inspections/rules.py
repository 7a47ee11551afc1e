"""Who may do what with an inspection now: every page and the API ask `available_actions`; no screen re-derives a
rule. The province's team acts on its inspections (its chair concludes and cancels), the inspected unit's leader
sends the self-inspection report; in a self-inspection the inspecting unit's leader chairs and its staff inspect."""

from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import Inspection

from .lifecycle import ACTION_LABELS, TRANSITIONS, Action, Actor, Kind, Status

Offer = GenericOffer[Action]

NOT_TEAM = "Chỉ thành viên đoàn kiểm tra được thực hiện thao tác này."
NOT_CHAIR = "Chỉ trưởng đoàn kiểm tra được thực hiện thao tác này."
NOT_INSPECTED = "Chỉ lãnh đạo đơn vị được kiểm tra được gửi báo cáo tự kiểm tra."
NOT_REFORM_OFFICE = "Chỉ cán bộ cải cách hành chính của Sở Nội vụ được lập kế hoạch và chọn đơn vị kiểm tra đột xuất."
NOT_READER = "Chỉ đoàn kiểm tra, đơn vị liên quan, Sở Nội vụ và cán bộ giám sát cấp tỉnh được xem cuộc kiểm tra."
REFUSALS = {Actor.TEAM: NOT_TEAM, Actor.CHAIR: NOT_CHAIR, Actor.INSPECTED: NOT_INSPECTED}
READS_ALL = frozenset({Role.REFORM_OFFICER, Role.PROVINCE_MONITOR})
SELF_TEAM_ROLES = frozenset({Role.LEADER, Role.SPECIALIST})


def _staff(user: User | None) -> bool:
    return user is not None and user.is_authenticated and not user.is_citizen


def actors_of(user: User | None, inspection: Inspection) -> set[Actor]:
    """The capacities a person holds on an inspection today."""
    if not _staff(user):
        return set()
    assert user is not None
    posts = posts_of(user)
    held: set[Actor] = set()
    if inspection.kind == Kind.SELF:
        for post in posts:
            if post.unit_id == inspection.inspecting_unit_id and post.role in SELF_TEAM_ROLES:
                held.add(Actor.TEAM)
                if post.role == Role.LEADER:
                    held.add(Actor.CHAIR)
    else:
        plan = inspection.plan
        assert plan is not None  # the check constraint: a team's inspection belongs to a plan
        if plan.chair_id == user.pk:
            held |= {Actor.TEAM, Actor.CHAIR}
        elif plan.members.filter(pk=user.pk).exists():
            held.add(Actor.TEAM)
        if any(post.unit_id == inspection.unit_id and post.role == Role.LEADER for post in posts):
            held.add(Actor.INSPECTED)
    return held


def reads_all(user: User | None) -> bool:
    return _staff(user) and any(post.role in READS_ALL for post in posts_of(user))  # type: ignore[arg-type]


def may_read(user: User | None, inspection: Inspection) -> bool:
    """The team, the inspected and inspecting units' officials, Sở Nội vụ and the province monitor."""
    if reads_all(user) or actors_of(user, inspection):
        return True
    if not _staff(user):
        return False
    units = {inspection.unit_id, inspection.inspecting_unit_id}
    return any(post.unit_id in units and post.role != Role.SYSTEM_ADMIN for post in posts_of(user))  # type: ignore[arg-type]


def available_actions(inspection: Inspection, user: User | None) -> list[Offer]:
    """The actions the inspection's status and kind offer, each with the reason this person may not take it now
    ("" if they may)."""
    held = actors_of(user, inspection)
    status, kind = Status(inspection.status), Kind(inspection.kind)
    offered = []
    for t in TRANSITIONS:
        if status not in t.sources or kind not in t.kinds:
            continue
        reason = "" if t.actor in held else REFUSALS[t.actor]
        offered.append(Offer(t.action, ACTION_LABELS[t.action], reason, t.needs_reason))
    return offered


def is_reform_officer(user: User | None) -> bool:
    return _staff(user) and any(post.role == Role.REFORM_OFFICER for post in posts_of(user))  # type: ignore[arg-type]


def allowed(offered: list[Offer]) -> set[Action]:
    return {offer.action for offer in offered if offer.allowed}
