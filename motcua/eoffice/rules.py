"""Who may do what with an official document now: pages and the API ask `available_actions`; nothing re-derives it.

Outside a body's members nobody sees its documents (the system administrator keeps the rules, never reads them).
Drafters are specialists, reviewers heads of division, signers whom the signing register allows (asked at signing).
"""

from functools import lru_cache

from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import Position, Role, Unit, User
from motcua.organizations.selectors import posts_of

from .lifecycle import (
    ACTION_LABELS,
    COMMENTABLE,
    INCOMING_TRANSITIONS,
    OUTGOING_TRANSITIONS,
    Action,
    Actor,
    Incoming,
    Outgoing,
    Relation,
    Transition,
    transition,
)
from .models import IncomingDocument, OutgoingDocument

Offer = GenericOffer[Action]

NOT_MEMBER = "Chỉ cán bộ của cơ quan mới xem và xử lý văn bản của cơ quan."
NOT_CLERK = "Chỉ văn thư của cơ quan được vào sổ, trình và phát hành văn bản."
NOT_LEADER = "Chỉ lãnh đạo cơ quan được giao xử lý, duyệt và ký văn bản."
NOT_DRAFTER = "Chỉ người soạn thảo được sửa và trình dự thảo."
NOT_REVIEWER = "Chỉ trưởng phòng, phó trưởng phòng của cơ quan được thẩm định dự thảo."
NOT_DRAFTING = "Cơ quan không có chuyên viên nào là ông/bà: chỉ chuyên viên, trưởng phòng soạn thảo văn bản đi."
FROZEN = "Văn bản đang ở trạng thái «{status}»: không thể {action}."
REVIEWERS = frozenset({Position.HEAD_OF_DIVISION, Position.DEPUTY_HEAD_OF_DIVISION})
DRAFTING_ROLES = frozenset({Role.SPECIALIST, Role.LEADER, Role.CLERK})


@lru_cache(maxsize=1024)
def _parent_of(unit_id: int) -> int | None:
    # Units rarely move; a post in a division counts for the body above it.
    return Unit.objects.filter(pk=unit_id).values_list("parent_id", flat=True).first()


def body_posts(user: User, unit_id: int) -> list[tuple[str, str]]:
    """The (role, position) pairs a person holds today in the body or a unit directly under it."""
    if not user.is_authenticated or user.is_citizen:
        return []
    return [(p.role, p.position) for p in posts_of(user) if p.unit_id == unit_id or _parent_of(p.unit_id) == unit_id]


def body_units(user: User) -> set[int]:
    """The bodies whose documents a person sees: where they hold a post, and the body above a division."""
    if not user.is_authenticated or user.is_citizen:
        return set()
    units = set()
    for post in posts_of(user):
        units.add(post.unit_id)
        parent = _parent_of(post.unit_id)
        if parent is not None:
            units.add(parent)
    return units


def actors_of(user: User, unit_id: int, drafter_id: int | None = None) -> set[Actor]:
    posts = body_posts(user, unit_id)
    if not posts:
        return set()
    actors = {Actor.MEMBER}
    roles = {role for role, _position in posts}
    if Role.CLERK in roles:
        actors.add(Actor.CLERK)
    if Role.LEADER in roles:
        actors.add(Actor.LEADER)
    if any(position in REVIEWERS for _role, position in posts):
        actors.add(Actor.REVIEWER)
    if drafter_id is not None and user.pk == drafter_id:
        actors.add(Actor.DRAFTER)
    return actors


def may_read(user: User, document: IncomingDocument | OutgoingDocument) -> bool:
    return bool(body_posts(user, document.unit_id))


def may_register(user: User, unit_id: int) -> bool:
    return Actor.CLERK in actors_of(user, unit_id)


def may_draft(user: User, unit_id: int) -> bool:
    return any(role in DRAFTING_ROLES for role, _position in body_posts(user, unit_id))


def follow_up_refusal(document: OutgoingDocument) -> str:
    """Why an issued document cannot be replaced, corrected or recalled now (ND 30/2020), or "" when it can: only an
    issued document, and only once — the first replacement, correction or recall marks it."""
    if document.status != Outgoing.ISSUED:
        return "Chỉ thay thế, đính chính, thu hồi văn bản đã phát hành của cơ quan."
    if document.marked:
        return f"Văn bản {document.notation} đã được {document.get_marked_display().lower()}."
    return ""


def follow_ups(document: OutgoingDocument, user: User) -> list[Relation]:
    """The follow-up documents this person may start from an issued one now (its body's drafters)."""
    if follow_up_refusal(document) or not may_draft(user, document.unit_id):
        return []
    return list(Relation)


_REFUSALS = {
    Actor.CLERK: NOT_CLERK,
    Actor.LEADER: NOT_LEADER,
    Actor.DRAFTER: NOT_DRAFTER,
    Actor.REVIEWER: NOT_REVIEWER,
}


def _offer(action: Action, status_label: str, rule: Transition | None, actors: set[Actor]) -> Offer:
    label = ACTION_LABELS[action]
    if rule is None:
        return Offer(action, label, FROZEN.format(status=status_label, action=label.lower()))
    if not actors & rule.actors:
        first = sorted(rule.actors)[0]
        return Offer(action, label, _REFUSALS.get(first, NOT_MEMBER))
    return Offer(action, label, "", rule.needs_reason)


def incoming_offers(document: IncomingDocument, user: User) -> list[Offer]:
    actors = actors_of(user, document.unit_id)
    status = Incoming(document.status)
    return [
        _offer(action, status.label, transition(INCOMING_TRANSITIONS, action, status), actors)
        for action in INCOMING_TRANSITIONS
    ]


def outgoing_offers(document: OutgoingDocument, user: User) -> list[Offer]:
    actors = actors_of(user, document.unit_id, document.drafter_id)
    status = Outgoing(document.status)
    offers = [
        _offer(action, status.label, transition(OUTGOING_TRANSITIONS, action, status), actors)
        for action in OUTGOING_TRANSITIONS
    ]
    comment = ACTION_LABELS[Action.COMMENT]
    if status not in COMMENTABLE:
        offers.append(Offer(Action.COMMENT, comment, FROZEN.format(status=status.label, action=comment.lower())))
    else:
        offers.append(Offer(Action.COMMENT, comment, "" if actors else NOT_MEMBER))
    return offers


def available_actions(document: IncomingDocument | OutgoingDocument, user: User) -> list[Offer]:
    """The actions this person may take on the document now; refused ones carry their Vietnamese reason."""
    if not may_read(user, document):
        return []
    if isinstance(document, IncomingDocument):
        return incoming_offers(document, user)
    return outgoing_offers(document, user)


def refusal_of(document: IncomingDocument | OutgoingDocument, user: User, action: Action) -> str | None:
    """The reason an action is refused ("" when allowed); None when the action does not exist for this kind."""
    if not may_read(user, document):
        return NOT_MEMBER
    offer = next((o for o in available_actions(document, user) if o.action == action), None)
    return None if offer is None else offer.refusal
