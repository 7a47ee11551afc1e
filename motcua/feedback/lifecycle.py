"""The feedback case's lifecycle as data: statuses, actions, who may act, the legal clocks' stages. Pure.

A case is a phản ánh, kiến nghị (ND 20/2008), a khiếu nại (Luật 02/2011/QH13) or a tố cáo (Luật 25/2018/QH14); one
intake, then each kind its own clock (`clocks.py`) and intake requirements (`services.py`): received → accepted
(tiếp nhận xử lý; thụ lý for a complaint or denunciation) → concluded (verified or not), or refused; a complaint or
denunciation may be withdrawn; the sender rates the answer. The report "cán bộ yêu cầu giấy tờ không có trong danh
mục" (ND 63/2010 art. 18(6) forbids asking for a paper the procedure does not list) is a PAKN about conduct.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Kind(StrEnum):
    PAKN = "pakn"  # phản ánh, kiến nghị (ND 20/2008)
    COMPLAINT = "khieu_nai"  # Luật Khiếu nại 02/2011/QH13
    DENUNCIATION = "to_cao"  # Luật Tố cáo 25/2018/QH14


KIND_LABELS = {Kind.PAKN: "Phản ánh, kiến nghị", Kind.COMPLAINT: "Khiếu nại", Kind.DENUNCIATION: "Tố cáo"}


class Topic(StrEnum):
    """QĐ 766 5.1's two classes of PAKN (DOMAIN-2.md §2.2)."""

    REGULATION = "quy_dinh"  # về quy định, chính sách, TTHC
    CONDUCT = "hanh_vi"  # về hành vi, thái độ của cán bộ, công chức


TOPIC_LABELS = {
    Topic.REGULATION: "Về quy định, chính sách, thủ tục hành chính",
    Topic.CONDUCT: "Về hành vi của cán bộ",
}
TOPIC_CHOICES = [(topic.value, label) for topic, label in TOPIC_LABELS.items()]


class Channel(StrEnum):
    PORTAL = "portal"
    COUNTER = "counter"
    PHONE = "phone"  # on the published number only, written down by staff (ND 20/2008 art. 7)


class Status(IntEnum):
    RECEIVED = 1  # Chờ tiếp nhận xử lý
    ACCEPTED = 2  # Đang xử lý
    REFUSED = 3  # Không tiếp nhận (ND 20/2008 art. 9: the requirements are not met)
    CONCLUDED = 4  # Đã có kết luận
    WITHDRAWN = 5  # Đã rút (Luật Khiếu nại art. 10; Luật Tố cáo art. 33)
    WAITING_INFO = 6  # Chờ người gửi bổ sung thông tin (DOMAIN-2.md §2.2 "PA chờ bổ sung")

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.RECEIVED: "Chờ tiếp nhận xử lý",
    Status.ACCEPTED: "Đang xử lý",
    Status.REFUSED: "Không tiếp nhận",
    Status.CONCLUDED: "Đã có kết luận",
    Status.WITHDRAWN: "Người gửi đã rút",
    Status.WAITING_INFO: "Chờ người gửi bổ sung thông tin",
}
STATUS_CHOICES = [(int(status), label) for status, label in STATUS_LABELS.items()]
OPEN = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.WAITING_INFO})


class Action(StrEnum):
    FILE = "file"
    ACCEPT = "accept"
    REFUSE = "refuse"
    CONCLUDE = "conclude"
    WITHDRAW = "withdraw"
    RATE = "rate"
    PUBLISH = "publish"
    FORWARD = "forward"
    OPEN_CHILD = "open-child"
    EXTEND = "extend"
    SIGN = "sign"
    CLASSIFY = "classify"
    REQUEST_INFO = "request-info"
    SUPPLY_INFO = "supply-info"


ACTION_LABELS = {
    Action.FILE: "Gửi phản ánh",
    Action.ACCEPT: "Tiếp nhận xử lý",
    Action.REFUSE: "Không tiếp nhận",
    Action.CONCLUDE: "Kết luận",
    Action.WITHDRAW: "Rút đơn",
    Action.RATE: "Đánh giá kết quả",
    Action.PUBLISH: "Công khai kết quả",
    Action.FORWARD: "Chuyển cơ quan có thẩm quyền",
    Action.OPEN_CHILD: "Giao cấp dưới giải quyết",
    Action.EXTEND: "Gia hạn giải quyết",
    Action.SIGN: "Ký văn bản trả lời",
    Action.CLASSIFY: "Phân loại lại",
    Action.REQUEST_INFO: "Đề nghị người gửi bổ sung thông tin",
    Action.SUPPLY_INFO: "Bổ sung thông tin",
}


class Rating(StrEnum):
    """The sender's view of the answer: QĐ 766 5.3 counts the cases rated "không hài lòng" (DOMAIN-2.md §2.2)."""

    SATISFIED = "hai_long"
    UNSATISFIED = "khong_hai_long"


RATING_LABELS = {Rating.SATISFIED: "Hài lòng", Rating.UNSATISFIED: "Không hài lòng"}
RATING_CHOICES = [(rating.value, label) for rating, label in RATING_LABELS.items()]


class Actor(StrEnum):
    SENDER = "sender"
    HANDLER = "handler"  # a leader of the handling unit, or the province monitor: never the official reported


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status | None]
    target: Status | None  # None: the status stays
    actors: frozenset[Actor]
    needs_reason: bool = False
    kinds: frozenset[Kind] = frozenset(Kind)


TRANSITIONS = (
    Transition(Action.FILE, frozenset({None}), Status.RECEIVED, frozenset({Actor.SENDER})),
    Transition(Action.ACCEPT, frozenset({Status.RECEIVED}), Status.ACCEPTED, frozenset({Actor.HANDLER})),
    Transition(Action.REFUSE, frozenset({Status.RECEIVED}), Status.REFUSED, frozenset({Actor.HANDLER}), True),
    Transition(Action.CONCLUDE, frozenset({Status.ACCEPTED}), Status.CONCLUDED, frozenset({Actor.HANDLER}), True),
    # Withdrawn in writing at any time before the decision (Luật Khiếu nại 2011 art. 10; Luật Tố cáo 2018 art. 33).
    Transition(
        Action.WITHDRAW, OPEN, Status.WITHDRAWN, frozenset({Actor.SENDER}), True, frozenset(Kind) - {Kind.PAKN}
    ),
    Transition(Action.RATE, frozenset({Status.CONCLUDED}), Status.CONCLUDED, frozenset({Actor.SENDER})),
    # A PAKN unclear: the sender is asked for more (the first request due within 5 working days, DOMAIN-2.md §2.2),
    # and answers from the tracking page; whether the wait stops the clock is the rule set's (`pause_for_information`).
    Transition(
        Action.REQUEST_INFO,
        frozenset({Status.RECEIVED, Status.ACCEPTED}),
        Status.WAITING_INFO,
        frozenset({Actor.HANDLER}),
        True,
        frozenset({Kind.PAKN}),
    ),
    Transition(Action.SUPPLY_INFO, frozenset({Status.WAITING_INFO}), Status.ACCEPTED, frozenset({Actor.SENDER}), True),
    # A PAKN's class as the handler finds it (QĐ 766 5.1: về quy định, TTHC or về hành vi của cán bộ).
    Transition(Action.CLASSIFY, OPEN, None, frozenset({Actor.HANDLER}), True, frozenset({Kind.PAKN})),
    # Outside its competence, sideways or upward: forwarded, its clocks restarting there (ND 20/2008 art. 9: within
    # 5 working days). Within a lower unit's competence: that unit handles a child case and the parent waits for it
    # (Luật Tiếp công dân 2013 art. 26).
    Transition(Action.FORWARD, OPEN, Status.RECEIVED, frozenset({Actor.HANDLER}), True),
    Transition(Action.OPEN_CHILD, OPEN, Status.ACCEPTED, frozenset({Actor.HANDLER})),
    # A complex complaint or denunciation: the time limit extended, in writing, as many times as the law allows
    # (`clocks.CaseClock.extensions`: Luật Khiếu nại 2011 art. 28; Luật Tố cáo 2018 art. 30).
    Transition(
        Action.EXTEND,
        frozenset({Status.ACCEPTED}),
        Status.ACCEPTED,
        frozenset({Actor.HANDLER}),
        True,
        frozenset({Kind.COMPLAINT, Kind.DENUNCIATION}),
    ),
    # The answer as the unit's document, signed by whom the register entitles (`answers.sign`, ND 30/2020 art. 13).
    Transition(Action.SIGN, frozenset({Status.CONCLUDED}), Status.CONCLUDED, frozenset({Actor.HANDLER})),
    # The answer published without personal data (ND 20/2008 art. 19); which kinds: `rules.published_kinds`.
    Transition(Action.PUBLISH, frozenset({Status.CONCLUDED}), Status.CONCLUDED, frozenset({Actor.HANDLER})),
)


def transition(action: Action, status: Status | None, kind: Kind) -> Transition | None:
    return next((t for t in TRANSITIONS if t.action == action and status in t.sources and kind in t.kinds), None)


# What the sender does after filing (rate, withdraw, supply information): proved by their account or the secret.
SENDER_ACTIONS = frozenset(t.action for t in TRANSITIONS if Actor.SENDER in t.actors) - {Action.FILE}
