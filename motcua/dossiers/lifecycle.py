"""The dossier lifecycle as data: national statuses (DVCQG codes 1-10) and the transitions between them.

Pure: no Django. `services.perform` is the one place that executes a transition; it looks the rule up here, checks
who may act, runs the guards named here, and records an event. DOMAIN.md §1.3 and §1.6 give the sources.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Status(IntEnum):
    SUBMITTED = 1  # Mới đăng ký: submitted online, not yet accepted
    RECEIVED = 2  # Được tiếp nhận
    REFUSED = 3  # Không được tiếp nhận (Form 03)
    PROCESSING = 4  # Đang xử lý
    SUPPLEMENT_REQUESTED = 5  # Yêu cầu bổ sung giấy tờ (Form 02); the clock is paused
    PAYMENT_REQUESTED = 6  # Yêu cầu thực hiện nghĩa vụ tài chính; the clock is paused
    WITHDRAWN = 7  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8  # Dừng xử lý (Form 05)
    FINISHED = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.SUBMITTED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.FINISHED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}
# Statuses whose time does not count against the deadline (QĐ 766 statistics group "dừng").
PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED})
# Dossiers someone still has to act on: the officers' work queue.
OPEN = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, *PAUSED})


class Action(StrEnum):
    SUBMIT = "submit"
    RECEIVE = "receive"
    ACCEPT = "accept"
    REFUSE = "refuse"
    START = "start"
    REQUEST_SUPPLEMENT = "request-supplement"
    SUBMIT_SUPPLEMENT = "submit-supplement"
    WITHDRAW = "withdraw"


class Actor(StrEnum):
    """Who acts, relative to the dossier: its applicant, or an official of its receiving or competent unit."""

    APPLICANT = "applicant"
    RECEIVING_OFFICER = "receiving_officer"  # one-stop officer of the receiving unit
    COMPETENT_STAFF = "competent_staff"  # specialist or leader of the competent unit


class Guard(StrEnum):
    REASON_REQUIRED = "reason_required"
    ITEMS_FROM_CASE = "items_from_case"  # Form 02 names only components of the pinned case (ND 63/2010 art. 18(6))
    SUPPLEMENT_ROUNDS = "supplement_rounds"  # ND 63/2010 art. 20(4): no more than two trips to supplement [R]


RESUME = None  # a transition back to the status the dossier had before its pause


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status | None]  # None: the dossier does not exist yet
    target: Status | None
    actors: frozenset[Actor]
    guards: tuple[Guard, ...] = ()
    form: str = ""  # the Circular 03/2025 form issued with it

    def label(self) -> str:
        return ACTION_LABELS[self.action]


def _t(
    action: Action, sources: set[Status | None], target: Status | None, actors: set[Actor], *rest: object
) -> Transition:
    guards = tuple(g for g in rest if isinstance(g, Guard))
    form = next((f for f in rest if isinstance(f, str) and not isinstance(f, Guard)), "")
    return Transition(action, frozenset(sources), target, frozenset(actors), guards, form)


APPLICANT, OFFICER, STAFF = Actor.APPLICANT, Actor.RECEIVING_OFFICER, Actor.COMPETENT_STAFF
S = Status
TRANSITIONS: tuple[Transition, ...] = (
    _t(Action.SUBMIT, {None}, S.SUBMITTED, {APPLICANT}),
    _t(Action.RECEIVE, {None}, S.RECEIVED, {OFFICER}, "01"),
    _t(Action.ACCEPT, {S.SUBMITTED}, S.RECEIVED, {OFFICER}, "01"),
    _t(Action.REFUSE, {S.SUBMITTED}, S.REFUSED, {OFFICER}, Guard.REASON_REQUIRED, "03"),
    _t(Action.START, {S.RECEIVED}, S.PROCESSING, {OFFICER, STAFF}),
    _t(
        Action.REQUEST_SUPPLEMENT,
        {S.SUBMITTED, S.RECEIVED, S.PROCESSING},
        S.SUPPLEMENT_REQUESTED,
        {OFFICER},
        Guard.REASON_REQUIRED,
        Guard.ITEMS_FROM_CASE,
        Guard.SUPPLEMENT_ROUNDS,
        "02",
    ),
    _t(Action.SUBMIT_SUPPLEMENT, {S.SUPPLEMENT_REQUESTED}, RESUME, {APPLICANT, OFFICER}),
    _t(
        Action.WITHDRAW,
        {S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED},
        S.WITHDRAWN,
        {APPLICANT, OFFICER},
        Guard.REASON_REQUIRED,
    ),
)
ACTION_LABELS = {
    Action.SUBMIT: "Nộp hồ sơ trực tuyến",
    Action.RECEIVE: "Tiếp nhận hồ sơ tại quầy",
    Action.ACCEPT: "Tiếp nhận hồ sơ trực tuyến",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.START: "Chuyển xử lý",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    Action.SUBMIT_SUPPLEMENT: "Nộp bổ sung hồ sơ",
    Action.WITHDRAW: "Rút hồ sơ theo yêu cầu của người nộp",
}


class TransitionRefused(Exception):
    """The action is not possible now; `message` says why in Vietnamese."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def transition_for(action: Action, status: Status | None, actors: set[Actor]) -> Transition:
    """Return the rule for an action in a status by one of these actors, or say why it is not allowed."""
    rule = next((t for t in TRANSITIONS if t.action == action and status in t.sources), None)
    if rule is None:
        where = f"hồ sơ đang ở trạng thái «{status.label}»" if status else "hồ sơ chưa tồn tại"
        raise TransitionRefused(f"Không thể «{ACTION_LABELS[action]}» khi {where}.", "invalid_transition")
    if not rule.actors & actors:
        raise TransitionRefused(f"Bạn không có quyền «{ACTION_LABELS[action]}» đối với hồ sơ này.", "not_permitted")
    return rule


def available(status: Status | None, actors: set[Actor]) -> list[Transition]:
    """Return the transitions these actors may take from a status, in table order."""
    return [t for t in TRANSITIONS if status in t.sources and t.actors & actors]
