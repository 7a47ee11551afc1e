"""Who may do what in the question bank, campaigns and sittings: pages and the API ask here, never re-derive it.

No role is added for this: Sở Nội vụ (reform_officer) keeps the banks and organises campaigns; invigilators are
the people a sitting names; a candidate is the official a campaign calls.
"""

from motcua.core.offers import Offer as GenericOffer
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import roles_of

from .lifecycle import ITEM_ACTION_LABELS, ITEM_TRANSITIONS, NEEDS_REASON, ItemAction, ItemStatus
from .models import Attempt, Candidate, ItemVersion, Sitting

Offer = GenericOffer[ItemAction]

NOT_ORGANISER = "Chỉ Sở Nội vụ (cán bộ cải cách hành chính) được quản lý ngân hàng câu hỏi và đợt kiểm tra."
OWN_ITEM = "Người soạn câu hỏi không được tự thẩm định câu hỏi của mình."
NOT_AUTHOR = "Chỉ người soạn được gửi thẩm định câu hỏi này."
WRONG_STATUS = "Thao tác này không áp dụng cho câu hỏi ở trạng thái hiện tại."


def is_organiser(user: User) -> bool:
    """Tell whether a person keeps the banks and campaigns: Sở Nội vụ's reform officers."""
    return user.is_authenticated and not user.is_citizen and Role.REFORM_OFFICER in roles_of(user)


def item_actions(version: ItemVersion, user: User) -> list[Offer]:
    """The item actions of the version's status, each with why the person may not take it (or "")."""
    offers = []
    for (status, action), _target in ITEM_TRANSITIONS.items():
        if status != version.status:
            continue
        refusal = ""
        if not is_organiser(user):
            refusal = NOT_ORGANISER
        elif action == ItemAction.SUBMIT and version.author_id != user.pk:
            refusal = NOT_AUTHOR
        elif action in (ItemAction.APPROVE, ItemAction.RETURN) and version.author_id == user.pk:
            refusal = OWN_ITEM
        offers.append(Offer(action, ITEM_ACTION_LABELS[action], refusal, action in NEEDS_REASON))
    return offers


def refusal_of(version: ItemVersion, action: ItemAction, user: User) -> str:
    for offer in item_actions(version, user):
        if offer.action == action:
            return offer.refusal
    return WRONG_STATUS if is_organiser(user) else NOT_ORGANISER


def may_edit(version: ItemVersion, user: User) -> bool:
    return is_organiser(user) and version.status == ItemStatus.DRAFT and version.author_id == user.pk


def is_invigilator(user: User, sitting: Sitting) -> bool:
    return user.is_authenticated and sitting.invigilators.filter(pk=user.pk).exists()


def is_candidate(user: User, candidate: Candidate) -> bool:
    return user.is_authenticated and candidate.user_id == user.pk and candidate.is_active


def may_take(user: User, attempt: Attempt) -> bool:
    return is_candidate(user, attempt.candidate)
