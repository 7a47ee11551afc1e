"""Who may do what with a case now: every page and the API ask `offers`; no screen re-derives a rule."""

from datetime import datetime

from django.conf import settings

from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import posts_of

from .clocks import extended_due
from .lifecycle import ACTION_LABELS, OPEN, TRANSITIONS, Action, Actor, Kind, Status
from .models import FeedbackCase, PublicAnswer

Offer = GenericOffer[Action]

NOT_HANDLER = "Chỉ lãnh đạo đơn vị được giao xử lý hoặc cán bộ giám sát cấp tỉnh được xử lý phản ánh này."
REPORTED = "Ông/bà là cán bộ bị phản ánh nên không được xử lý hay kết luận phản ánh này."
RATED = "Kết quả đã được đánh giá."
PUBLISHED = "Kết quả đã được công khai."
SIGNED = "Văn bản trả lời đã được ký."
EXTENDED = "Đã gia hạn số lần tối đa luật cho phép."
WAITING = "Đang chờ cấp dưới giải quyết ({code}): vụ việc khép lại cùng kết quả của cấp dưới."
SENDER_ONLY = "Chỉ người gửi được đánh giá kết quả hoặc rút đơn."


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


TAKES_IN = frozenset({Role.ONE_STOP_OFFICER, Role.LEADER, Role.PROVINCE_MONITOR})
NOT_AT_DESK = "Chỉ cán bộ Bộ phận Một cửa, lãnh đạo đơn vị và cán bộ giám sát cấp tỉnh tiếp nhận đơn thư."


def desk_of(user: User) -> int | None:
    """The unit where an official takes cases in (at the desk or on the phone), or None if they do not."""
    if not user.is_authenticated or user.is_citizen:
        return None
    return next((post.unit_id for post in posts_of(user) if post.role in TAKES_IN), None)


def published_kinds() -> set[str]:
    """The kinds whose answers are published: PAKN (ND 20/2008 art. 19); complaints and denunciations are not
    unless the province says so (`MOTCUA_FEEDBACK_PUBLISHED_KINDS`)."""
    return set(getattr(settings, "MOTCUA_FEEDBACK_PUBLISHED_KINDS", [Kind.PAKN]))


def offers(case: FeedbackCase, user: User | None, *, as_sender: bool = False) -> list[Offer]:
    """The actions the case's status and kind allow, each with the reason this person may not take it ("" when they
    may). `as_sender`: the caller has proved to be the sender (the account that filed it, or the code and secret)."""
    if as_sender:
        capacities, refusal = {Actor.SENDER}, ""
    else:
        capacities = actors_of(user, case) if user is not None else set()
        reported = user is not None and user.pk == case.reported_official_id
        refusal = "" if capacities else (REPORTED if reported else NOT_HANDLER)
    side = Actor.SENDER if as_sender else Actor.HANDLER
    child = open_child(case)
    offered = []
    for t in TRANSITIONS:
        if Status(case.status) not in t.sources or Kind(case.kind) not in t.kinds or side not in t.actors:
            continue
        if t.action == Action.PUBLISH and case.kind not in published_kinds():
            continue
        reason = "" if capacities & t.actors else refusal
        if t.action == Action.RATE and case.rating:
            reason = RATED
        if t.action == Action.PUBLISH and PublicAnswer.objects.filter(case=case).exists():
            reason = PUBLISHED
        if t.action == Action.SIGN and case.answer_document_id:
            reason = SIGNED
        if t.action == Action.EXTEND and extension_due(case) is None:
            reason = EXTENDED
        if child is not None and side == Actor.HANDLER and not reason:
            reason = WAITING.format(code=child.code)
        offered.append(Offer(t.action, ACTION_LABELS[t.action], reason, t.needs_reason))
    return offered


def extension_due(case: FeedbackCase) -> datetime | None:
    """The case's due instant after one more extension, None when no more is allowed."""
    done = case.events.filter(action=Action.EXTEND).count()
    return extended_due(Kind(case.kind), case.handling_unit, case.received_at, case.due_at, done, case.instance)


def open_child(case: FeedbackCase) -> FeedbackCase | None:
    """The child case a lower unit is handling for this one, while it is open."""
    if case.status not in OPEN:
        return None
    return case.children.filter(status__in=OPEN).first()


def allowed(offered: list[Offer]) -> set[Action]:
    return {offer.action for offer in offered if offer.allowed}
