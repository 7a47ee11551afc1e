"""Who may do what with a report now: every page and the API ask `available_actions`; no screen re-derives a rule.

A unit's officials write its draft, its leader submits it; Sở Nội vụ (reform_officer) returns or accepts it. The
province monitor and Sở Nội vụ read every report; the system administrator keeps the rules and reads none.
"""

from datetime import date

from motcua.core import clock
from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import SERVICE_CENTRE_TYPES, Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import UnitReport

from .lifecycle import ACTION_LABELS, TRANSITIONS, Action, Actor, Facts, Status, refusal
from .windows import Level

Offer = GenericOffer[Action]

NOT_UNIT = "Chỉ cán bộ của đơn vị báo cáo được soạn báo cáo này."
NOT_LEADER = "Chỉ lãnh đạo đơn vị báo cáo được nộp báo cáo."
NOT_REFORM_OFFICE = "Chỉ cán bộ cải cách hành chính của Sở Nội vụ được tiếp nhận hoặc trả lại báo cáo."
NOT_READER = "Chỉ cán bộ của đơn vị báo cáo, Sở Nội vụ và cán bộ giám sát cấp tỉnh được xem báo cáo này."
REFUSALS = {Actor.UNIT_STAFF: NOT_UNIT, Actor.UNIT_LEADER: NOT_LEADER, Actor.REFORM_OFFICER: NOT_REFORM_OFFICE}
READS_ALL = frozenset({Role.REFORM_OFFICER, Role.PROVINCE_MONITOR})


def unit_family(unit: Unit) -> set[int]:
    """The reporting unit and the service centres directly under it (a commune's centre works for the commune)."""
    centres = Unit.objects.filter(parent=unit, type__in=SERVICE_CENTRE_TYPES)
    return {unit.pk, *centres.values_list("pk", flat=True)}


def actors_of(user: User | None, unit: Unit, family: set[int] | None = None) -> set[Actor]:
    """The capacities a person holds on a unit's reports today."""
    if user is None or not user.is_authenticated or user.is_citizen:
        return set()
    posts = posts_of(user)
    if not posts:
        return set()
    family = unit_family(unit) if family is None else family
    held: set[Actor] = set()
    if any(post.unit_id in family and post.role != Role.SYSTEM_ADMIN for post in posts):
        held.add(Actor.UNIT_STAFF)
    if any(post.unit_id == unit.pk and post.role == Role.LEADER for post in posts):
        held.add(Actor.UNIT_LEADER)
    if any(post.role == Role.REFORM_OFFICER for post in posts):
        held.add(Actor.REFORM_OFFICER)
        if unit.type == "provincial_committee":  # the province's own report is drafted and sent by Sở Nội vụ
            held |= {Actor.UNIT_STAFF, Actor.UNIT_LEADER}
    return held


def reads_all(user: User | None) -> bool:
    if user is None or not user.is_authenticated or user.is_citizen:
        return False
    return any(post.role in READS_ALL for post in posts_of(user))


def may_read(user: User | None, unit: Unit) -> bool:
    return reads_all(user) or bool(actors_of(user, unit))


def facts(status: int, period_closed: bool, cutoff_to: date, today: date | None = None) -> Facts:
    return Facts(Status(status), period_closed, cutoff_to, today or clock.today())


def available_actions(report: UnitReport, user: User | None, today: date | None = None) -> list[Offer]:
    """The actions the report's status offers, each with the reason this person may not take it now ("" if they
    may): first who acts, then the report's state (period closed, locked, before the cut-off)."""
    held = actors_of(user, report.unit)
    known = facts(report.status, report.period.closed_at is not None, report.period.cutoff_to, today)
    offered = []
    for t in TRANSITIONS:
        if Status(report.status) not in t.sources and t.action != Action.EDIT:
            continue
        first = next(a for a in (Actor.UNIT_STAFF, Actor.UNIT_LEADER, Actor.REFORM_OFFICER) if a in t.actors)
        reason = "" if held & t.actors else REFUSALS[first]
        reason = reason or refusal(t.action, known)
        offered.append(Offer(t.action, ACTION_LABELS[t.action], reason, t.needs_reason))
    return offered


def allowed(offered: list[Offer]) -> set[Action]:
    return {offer.action for offer in offered if offer.allowed}


def level_of(unit: Unit) -> Level | None:
    """The level a unit reports at, or None if it does not report."""
    return {
        "provincial_committee": Level.PROVINCE,
        "department": Level.DEPARTMENT,
        "commune_committee": Level.COMMUNE,
    }.get(unit.type)
