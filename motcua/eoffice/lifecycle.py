"""The lifecycles of incoming and outgoing official documents as data (ND 30/2020/NĐ-CP arts 15, 18, 21-24). Pure.

Incoming (văn bản đến): registered in the body's register → presented to the competent person → assigned (a task of
the reform engine). Outgoing (văn bản đi): draft → submitted for review (head of division) → reviewed → approved
(leader) → signed (number taken) →
issued (văn thư). A replacement, a correction letter (đính chính) and a recall are new
documents linked to an issued original, which is marked when they are issued and never edited.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    PAPER = "paper"  # scanned, with its metadata typed by the clerk
    UPLOAD = "upload"
    EXCHANGE = "exchange"  # Trục liên thông văn bản quốc gia (QĐ 28/2018/QĐ-TTg), not wired yet


CHANNEL_LABELS = {
    Channel.EMAIL: "Thư điện tử",
    Channel.PAPER: "Văn bản giấy (bản quét)",
    Channel.UPLOAD: "Tải lên",
    Channel.EXCHANGE: "Trục liên thông văn bản",
}


class Urgency(StrEnum):
    """ND 30/2020 art. 8 and Phụ lục I: mức độ khẩn."""

    ORDINARY = "thuong"
    URGENT = "khan"
    VERY_URGENT = "thuong_khan"
    FLASH = "hoa_toc"


URGENCY_LABELS = {
    Urgency.ORDINARY: "Thường",
    Urgency.URGENT: "Khẩn",
    Urgency.VERY_URGENT: "Thượng khẩn",
    Urgency.FLASH: "Hỏa tốc",
}


class Integrity(StrEnum):
    """The clerk's check of authenticity and integrity (ND 30/2020 art. 22)."""

    VALID = "valid"  # a digital signature trusted and intact
    INVALID = "invalid"  # "không toàn vẹn": the sender is told
    UNSIGNED = "unsigned"  # an electronic file without a digital signature
    PAPER = "paper"  # a paper original, scanned


INTEGRITY_LABELS = {
    Integrity.VALID: "Chữ ký số hợp lệ, toàn vẹn",
    Integrity.INVALID: "Không toàn vẹn",
    Integrity.UNSIGNED: "Không có chữ ký số",
    Integrity.PAPER: "Bản giấy",
}


class Incoming(IntEnum):
    REGISTERED = 1
    PRESENTED = 2
    ASSIGNED = 3

    @property
    def label(self) -> str:
        return INCOMING_LABELS[self]


INCOMING_LABELS = {
    Incoming.REGISTERED: "Đã vào sổ, chờ trình",
    Incoming.PRESENTED: "Đã trình, chờ giao xử lý",
    Incoming.ASSIGNED: "Đã giao xử lý",
}


class Outgoing(IntEnum):
    DRAFT = 1
    SUBMITTED = 2
    REVIEWED = 3
    APPROVED = 4
    SIGNED = 5
    ISSUED = 6

    @property
    def label(self) -> str:
        return OUTGOING_LABELS[self]


OUTGOING_LABELS = {
    Outgoing.DRAFT: "Dự thảo",
    Outgoing.SUBMITTED: "Chờ trưởng phòng thẩm định",
    Outgoing.REVIEWED: "Chờ lãnh đạo duyệt",
    Outgoing.APPROVED: "Chờ ký ban hành",
    Outgoing.SIGNED: "Đã ký, chờ phát hành",
    Outgoing.ISSUED: "Đã phát hành",
}


class Relation(StrEnum):
    """How a new document stands to an issued original (ND 30/2020 art. 18)."""

    REPLACEMENT = "replacement"  # content errors: a document replacing it
    CORRECTION = "correction"  # form errors: a correction letter (đính chính)
    RECALL = "recall"  # thu hồi


RELATION_LABELS = {
    Relation.REPLACEMENT: "Văn bản thay thế",
    Relation.CORRECTION: "Văn bản đính chính",
    Relation.RECALL: "Văn bản thu hồi",
}
# What the original is marked as once the linked document is issued.
MARK_LABELS = {
    Relation.REPLACEMENT: "Đã bị thay thế",
    Relation.CORRECTION: "Đã được đính chính",
    Relation.RECALL: "Đã bị thu hồi",
}


class Action(StrEnum):
    REGISTER = "register"
    PRESENT = "present"
    ASSIGN = "assign"
    EDIT = "edit"
    COMMENT = "comment"
    SUBMIT = "submit"
    REVIEW = "review"
    APPROVE = "approve"
    RETURN = "return"
    SIGN = "sign"
    ISSUE = "issue"
    MARK = "mark"


ACTION_LABELS = {
    Action.REGISTER: "Vào sổ văn bản đến",
    Action.PRESENT: "Trình lãnh đạo",
    Action.ASSIGN: "Giao xử lý",
    Action.EDIT: "Sửa dự thảo",
    Action.COMMENT: "Góp ý",
    Action.SUBMIT: "Trình thẩm định",
    Action.REVIEW: "Thẩm định",
    Action.APPROVE: "Duyệt",
    Action.RETURN: "Trả lại dự thảo",
    Action.SIGN: "Ký ban hành",
    Action.ISSUE: "Phát hành",
    Action.MARK: "Đánh dấu văn bản gốc",
}


class Actor(StrEnum):
    CLERK = "clerk"  # văn thư of the body
    LEADER = "leader"  # the body's leader: assigns, approves, signs per the register
    DRAFTER = "drafter"  # the specialist who drafted this document
    REVIEWER = "reviewer"  # a head of division of the body
    MEMBER = "member"  # anyone working in the body


@dataclass(frozen=True)
class Transition:
    source: int
    target: int
    actors: frozenset[Actor]
    needs_reason: bool = False


def _t(source: int, target: int, *actors: Actor, needs_reason: bool = False) -> Transition:
    return Transition(source, target, frozenset(actors), needs_reason)


INCOMING_TRANSITIONS: dict[Action, tuple[Transition, ...]] = {
    Action.PRESENT: (_t(Incoming.REGISTERED, Incoming.PRESENTED, Actor.CLERK),),
    # Art. 24: only registered documents are handled; the leader records the assignee, instruction and deadline.
    Action.ASSIGN: (
        _t(Incoming.PRESENTED, Incoming.ASSIGNED, Actor.LEADER),
        _t(Incoming.REGISTERED, Incoming.ASSIGNED, Actor.LEADER),
    ),
}

OUTGOING_TRANSITIONS: dict[Action, tuple[Transition, ...]] = {
    Action.EDIT: (_t(Outgoing.DRAFT, Outgoing.DRAFT, Actor.DRAFTER),),
    Action.SUBMIT: (_t(Outgoing.DRAFT, Outgoing.SUBMITTED, Actor.DRAFTER),),
    Action.REVIEW: (_t(Outgoing.SUBMITTED, Outgoing.REVIEWED, Actor.REVIEWER),),
    Action.APPROVE: (_t(Outgoing.REVIEWED, Outgoing.APPROVED, Actor.LEADER),),
    Action.RETURN: (
        _t(Outgoing.SUBMITTED, Outgoing.DRAFT, Actor.REVIEWER, needs_reason=True),
        _t(Outgoing.REVIEWED, Outgoing.DRAFT, Actor.LEADER, needs_reason=True),
        _t(Outgoing.APPROVED, Outgoing.DRAFT, Actor.LEADER, needs_reason=True),
    ),
    # Who signs is the register's answer (signing.services.can_sign), asked by the service: any leader may try.
    Action.SIGN: (_t(Outgoing.APPROVED, Outgoing.SIGNED, Actor.LEADER),),
    Action.ISSUE: (_t(Outgoing.SIGNED, Outgoing.ISSUED, Actor.CLERK),),
}
COMMENTABLE = frozenset({Outgoing.DRAFT, Outgoing.SUBMITTED, Outgoing.REVIEWED, Outgoing.APPROVED})


def transition(table: dict[Action, tuple[Transition, ...]], action: Action, status: int) -> Transition | None:
    return next((t for t in table.get(action, ()) if t.source == status), None)
