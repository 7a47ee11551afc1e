"""Who may do what with a meeting now: every page and the API ask `available_actions` (and, for one bridge point,
`attendance_refusal`); no screen re-derives a rule."""

from motcua.core import clock
from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import User
from motcua.reform.models import BridgePoint, Meeting
from motcua.reform.tasks.selectors import is_tracker as _is_tracker

from .lifecycle import ACTION_LABELS, TRANSITIONS, Action, Actor, Status
from .selectors import is_organiser

Offer = GenericOffer[Action]

NOT_ORGANISER = "Chỉ lãnh đạo UBND tỉnh hoặc Văn phòng UBND tỉnh được thực hiện thao tác này."
NOT_TRACKER = "Chỉ Văn phòng UBND tỉnh (theo dõi chỉ đạo, nhiệm vụ) được ban hành thông báo kết luận."
NOT_CHAIR = "Chỉ người chủ trì cuộc họp được duyệt biên bản."
NOT_HOST = "Chỉ người phụ trách điểm cầu được nhập số đại biểu của điểm cầu đó."
NOT_STARTED = "Cuộc họp chưa diễn ra."
LOCKED = "Đã khóa số liệu điểm cầu từ {at}: quá 1 ngày làm việc sau cuộc họp."
REFUSALS_OF_PERSON = frozenset({NOT_ORGANISER, NOT_TRACKER, NOT_CHAIR, NOT_HOST})


def actors_of(user: User | None, meeting: Meeting) -> set[Actor]:
    if user is None or not user.is_authenticated or user.is_citizen:
        return set()
    capacities = set()
    if is_organiser(user):
        capacities.add(Actor.ORGANISER)
    if _is_tracker(user):
        capacities.add(Actor.TRACKER)
    if meeting.chair_id == user.pk:
        capacities.add(Actor.CHAIR)
    if meeting.bridge_points.filter(host=user).exists():
        capacities.add(Actor.HOST)
    return capacities


_NOT = {Actor.ORGANISER: NOT_ORGANISER, Actor.TRACKER: NOT_TRACKER, Actor.CHAIR: NOT_CHAIR, Actor.HOST: NOT_HOST}


def available_actions(meeting: Meeting, user: User | None) -> list[Offer]:
    """The actions the meeting's status allows, with why this person may not take it now ("" if allowed)."""
    capacities = actors_of(user, meeting)
    offered = []
    for t in TRANSITIONS:
        if t.action == Action.CREATE or Status(meeting.status) not in t.sources:
            continue
        reason = "" if t.actor in capacities else _NOT[t.actor]
        offered.append(Offer(t.action, ACTION_LABELS[t.action], reason or _guard(meeting, t.action), t.needs_reason))
    return offered


def _guard(meeting: Meeting, action: Action) -> str:
    now = clock.now()
    if action in (Action.ATTENDANCE, Action.DRAFT_MINUTES) and now < meeting.starts_at:
        return NOT_STARTED
    if action == Action.ATTENDANCE and now > meeting.attendance_locks_at:
        return LOCKED.format(at=f"{meeting.attendance_locks_at.astimezone(clock.VIETNAM):%H:%M %d/%m/%Y}")
    return ""


def refusal_of(meeting: Meeting, user: User | None, action: Action) -> str | None:
    """The reason an action is refused now, "" when allowed, None when the status does not offer it at all."""
    return next((o.refusal for o in available_actions(meeting, user) if o.action == action), None)


def attendance_refusal(point: BridgePoint, user: User | None) -> str | None:
    """Why this person may not enter this bridge point's counts now ("" if they may; None: not at this status)."""
    refusal = refusal_of(point.meeting, user, Action.ATTENDANCE)
    if refusal is None:
        return None
    if user is None or point.host_id != user.pk:
        return NOT_HOST
    return refusal


def allowed(offered: list[Offer]) -> set[Action]:
    return {offer.action for offer in offered if offer.allowed}
