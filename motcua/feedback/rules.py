"""Who may do what with a case now: every page and the API ask `offers`; no screen re-derives a rule."""

from dataclasses import dataclass

from motcua.organizations.models import Role, User
from motcua.organizations.selectors import posts_of

from .lifecycle import ACTION_LABELS, TRANSITIONS, Action, Actor, Status
from .models import FeedbackCase

NOT_HANDLER = "Chỉ lãnh đạo đơn vị được giao xử lý hoặc cán bộ giám sát cấp tỉnh được xử lý phản ánh này."
REPORTED = "Ông/bà là cán bộ bị phản ánh nên không được xử lý hay kết luận phản ánh này."


@dataclass(frozen=True)
class Offer:
    action: Action
    label: str
    refusal: str
    needs_reason: bool

    @property
    def allowed(self) -> bool:
        return not self.refusal


def actors_of(user: User, case: FeedbackCase) -> set[Actor]:
    """The capacities a person holds on a case. The official reported holds none, whatever their post: a leader
    reported is replaced by the province monitor. The system admin keeps the rules, never reads a case."""
    if not user.is_authenticated or user.is_citizen or user.pk == case.reported_official_id:
        return set()
    posts = posts_of(user)
    leads = any(post.unit_id == case.handling_unit_id and post.role == Role.LEADER for post in posts)
    watches = any(post.role == Role.PROVINCE_MONITOR for post in posts)
    return {Actor.HANDLER} if leads or watches else set()


def may_read(user: User, case: FeedbackCase) -> bool:
    return bool(actors_of(user, case))


def offers(case: FeedbackCase, user: User) -> list[Offer]:
    """The actions the case's status allows, each with the reason this person may not take it ("" when they may)."""
    capacities = actors_of(user, case)
    refusal = "" if capacities else (REPORTED if user.pk == case.reported_official_id else NOT_HANDLER)
    return [
        Offer(t.action, ACTION_LABELS[t.action], "" if capacities & t.actors else refusal, t.needs_reason)
        for t in TRANSITIONS
        if Status(case.status) in t.sources and t.action != Action.FILE
    ]


def allowed(offered: list[Offer]) -> set[Action]:
    return {offer.action for offer in offered if offer.allowed}
