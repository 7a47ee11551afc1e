"""The question bank's and the attempt's lifecycles as data: statuses, actions, transitions. Pure.

An item version is drafted, reviewed by another official than its author, approved, and retired when its legal
source is replaced (DOMAIN-2.md §7); an approved version never changes: an edit is a new version. An attempt is
started, then submitted by the candidate or, past its deadline, by the server.
"""

from enum import StrEnum


class Domain(StrEnum):
    """The four domains of An Giang's and Huế's tests of commune officials (DOMAIN-2.md §7)."""

    LAW = "phap_luat"
    DUTIES = "nghiep_vu"
    DIGITAL = "tin_hoc"
    SITUATIONS = "tinh_huong"


DOMAIN_LABELS = {
    Domain.LAW: "Pháp luật chung",
    Domain.DUTIES: "Nghiệp vụ theo vị trí",
    Domain.DIGITAL: "Tin học, kỹ năng số",
    Domain.SITUATIONS: "Xử lý tình huống",
}
DOMAIN_CHOICES = [(domain.value, label) for domain, label in DOMAIN_LABELS.items()]


class Difficulty(StrEnum):
    EASY = "de"
    MEDIUM = "trung_binh"
    HARD = "kho"


DIFFICULTY_LABELS = {Difficulty.EASY: "Dễ", Difficulty.MEDIUM: "Trung bình", Difficulty.HARD: "Khó"}
DIFFICULTY_CHOICES = [(level.value, label) for level, label in DIFFICULTY_LABELS.items()]


class ItemType(StrEnum):
    SINGLE = "mot_dap_an"
    MULTIPLE = "nhieu_dap_an"
    TRUE_FALSE = "dung_sai"


ITEM_TYPE_LABELS = {
    ItemType.SINGLE: "Một đáp án đúng",
    ItemType.MULTIPLE: "Nhiều đáp án đúng",
    ItemType.TRUE_FALSE: "Đúng / Sai",
}
ITEM_TYPE_CHOICES = [(kind.value, label) for kind, label in ITEM_TYPE_LABELS.items()]


class ItemStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    RETIRED = "retired"


ITEM_STATUS_LABELS = {
    ItemStatus.DRAFT: "Dự thảo",
    ItemStatus.IN_REVIEW: "Chờ thẩm định",
    ItemStatus.APPROVED: "Đã duyệt",
    ItemStatus.RETIRED: "Ngừng sử dụng",
}
ITEM_STATUS_CHOICES = [(status.value, label) for status, label in ITEM_STATUS_LABELS.items()]


class ItemAction(StrEnum):
    SUBMIT = "submit"  # the author sends the draft to review
    APPROVE = "approve"  # another official approves it
    RETURN = "return"  # the reviewer sends it back with a reason
    RETIRE = "retire"  # its legal source is replaced, or it proved wrong


ITEM_ACTION_LABELS = {
    ItemAction.SUBMIT: "Gửi thẩm định",
    ItemAction.APPROVE: "Duyệt",
    ItemAction.RETURN: "Trả lại",
    ItemAction.RETIRE: "Ngừng sử dụng",
}
ITEM_TRANSITIONS: dict[tuple[ItemStatus, ItemAction], ItemStatus] = {
    (ItemStatus.DRAFT, ItemAction.SUBMIT): ItemStatus.IN_REVIEW,
    (ItemStatus.IN_REVIEW, ItemAction.APPROVE): ItemStatus.APPROVED,
    (ItemStatus.IN_REVIEW, ItemAction.RETURN): ItemStatus.DRAFT,
    (ItemStatus.APPROVED, ItemAction.RETIRE): ItemStatus.RETIRED,
}
NEEDS_REASON = frozenset({ItemAction.RETURN, ItemAction.RETIRE})


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # candidates may sit their sitting
    CLOSED = "closed"


CAMPAIGN_STATUS_LABELS = {
    CampaignStatus.DRAFT: "Đang chuẩn bị",
    CampaignStatus.OPEN: "Đang tổ chức",
    CampaignStatus.CLOSED: "Đã kết thúc",
}
CAMPAIGN_STATUS_CHOICES = [(status.value, label) for status, label in CAMPAIGN_STATUS_LABELS.items()]


class AttemptStatus(StrEnum):
    STARTED = "started"
    SUBMITTED = "submitted"  # by the candidate
    EXPIRED = "expired"  # submitted by the server at the deadline


ATTEMPT_STATUS_LABELS = {
    AttemptStatus.STARTED: "Đang làm bài",
    AttemptStatus.SUBMITTED: "Đã nộp bài",
    AttemptStatus.EXPIRED: "Hết giờ, hệ thống đã thu bài",
}
ATTEMPT_STATUS_CHOICES = [(status.value, label) for status, label in ATTEMPT_STATUS_LABELS.items()]
