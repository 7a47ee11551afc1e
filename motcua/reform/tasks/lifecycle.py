"""A directive's task as data: statuses, actions, who may take them, and the time state. Pure.

QĐ 42/2014/QĐ-TTg (tracking the tasks the Government assigns) as the provinces apply it (Bình Thuận QĐ 26/2015/QĐ-UBND,
Thanh Hóa 2025–26, DOMAIN-2.md §6): the lead unit accepts the task, reports its progress, and asks for completion
only at 100 %; Văn phòng UBND tỉnh confirms it or returns it ("Thực hiện lại", counted as not completed), decides
extensions, postpones and cancels. The guards that need the row (percent, product, deadline) are in `rules.py`.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class SourceKind(StrEnum):
    DOCUMENT = "van_ban"
    MEETING_CONCLUSION = "ket_luan_hop"
    NOTE_ON_DOCUMENT = "y_kien_chi_dao"
    WORK_PROGRAMME = "chuong_trinh_cong_tac"
    INSPECTION_CONCLUSION = "ket_luan_kiem_tra"


SOURCE_LABELS = {
    SourceKind.DOCUMENT: "Văn bản",
    SourceKind.MEETING_CONCLUSION: "Kết luận cuộc họp",
    SourceKind.NOTE_ON_DOCUMENT: "Ý kiến chỉ đạo trên văn bản",
    SourceKind.WORK_PROGRAMME: "Chương trình công tác",
    SourceKind.INSPECTION_CONCLUSION: "Kết luận kiểm tra",
}


class Urgency(StrEnum):
    FLASH = "hoa_toc"
    URGENT = "khan"
    ORDINARY = "thuong"


URGENCY_LABELS = {Urgency.FLASH: "Hỏa tốc", Urgency.URGENT: "Khẩn", Urgency.ORDINARY: "Thường"}


class LeaderPosition(StrEnum):
    CHAIRMAN = "ct"
    VICE_CHAIRMAN = "pct"


LEADER_POSITION_LABELS = {LeaderPosition.CHAIRMAN: "Chủ tịch", LeaderPosition.VICE_CHAIRMAN: "Phó Chủ tịch"}


class Status(IntEnum):
    NEW = 1  # Chưa nhận
    IN_PROGRESS = 2  # Đang thực hiện
    AWAITING_CONFIRMATION = 3  # Chờ xác nhận
    DONE = 4  # Hoàn thành (đúng hạn / quá hạn: `TimeState`)
    REDO = 5  # Thực hiện lại: returned by Văn phòng UBND tỉnh, counted as not completed
    POSTPONED = 6  # Tạm hoãn
    CANCELLED = 7  # Hủy

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NEW: "Chưa nhận",
    Status.IN_PROGRESS: "Đang thực hiện",
    Status.AWAITING_CONFIRMATION: "Chờ xác nhận",
    Status.DONE: "Hoàn thành",
    Status.REDO: "Thực hiện lại",
    Status.POSTPONED: "Tạm hoãn",
    Status.CANCELLED: "Hủy",
}
STATUS_CHOICES = [(int(status), label) for status, label in STATUS_LABELS.items()]
# Open: the deadline runs (the watch reads these); a postponed task's clock stands still.
OPEN = frozenset({Status.NEW, Status.IN_PROGRESS, Status.AWAITING_CONFIRMATION, Status.REDO})
WORKING = frozenset({Status.IN_PROGRESS, Status.REDO})


class TimeState(StrEnum):
    """Where an open task stands against its deadline, or how a completed one finished (derived, never stored)."""

    ON_TRACK = "trong_han"
    NEAR_DUE = "sap_han"
    OVERDUE = "qua_han"
    NO_DEADLINE = "khong_han"
    DONE_ON_TIME = "dung_han"
    DONE_LATE = "hoan_thanh_qua_han"


TIME_STATE_LABELS = {
    TimeState.ON_TRACK: "Trong hạn",
    TimeState.NEAR_DUE: "Sắp đến hạn",
    TimeState.OVERDUE: "Quá hạn",
    TimeState.NO_DEADLINE: "Không hạn",
    TimeState.DONE_ON_TIME: "Đúng hạn",
    TimeState.DONE_LATE: "Quá hạn",
}


class Action(StrEnum):
    CREATE = "create"
    ACCEPT = "accept"
    REPORT = "report"
    ASK_COMPLETION = "ask-completion"
    CONFIRM = "confirm"
    RETURN = "return"
    EXTEND = "extend"  # the lead unit asks for a later deadline
    DECIDE_EXTENSION = "decide-extension"  # the assigning office grants or refuses it
    POSTPONE = "postpone"
    RESUME = "resume"
    CANCEL = "cancel"


ACTION_LABELS = {
    Action.CREATE: "Giao nhiệm vụ",
    Action.ACCEPT: "Nhận nhiệm vụ",
    Action.REPORT: "Báo cáo tiến độ",
    Action.ASK_COMPLETION: "Đề nghị xác nhận hoàn thành",
    Action.CONFIRM: "Xác nhận hoàn thành",
    Action.RETURN: "Trả lại, yêu cầu thực hiện lại",
    Action.EXTEND: "Đề nghị gia hạn",
    Action.DECIDE_EXTENSION: "Quyết định gia hạn",
    Action.POSTPONE: "Tạm hoãn",
    Action.RESUME: "Tiếp tục thực hiện",
    Action.CANCEL: "Hủy nhiệm vụ",
}


class Actor(StrEnum):
    LEAD = "lead"  # a leader or specialist of the lead unit
    TRACKER = "tracker"  # Văn phòng UBND tỉnh (role directive_tracker)


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status | None]
    target: Status | None  # None: the status stays (RESUME: back to where the task was, see `resumed_status`)
    actor: Actor
    needs_reason: bool = False


_BEFORE_DONE = frozenset({Status.NEW, Status.IN_PROGRESS, Status.REDO})
TRANSITIONS = (
    Transition(Action.CREATE, frozenset({None}), Status.NEW, Actor.TRACKER),
    Transition(Action.ACCEPT, frozenset({Status.NEW}), Status.IN_PROGRESS, Actor.LEAD),
    Transition(Action.REPORT, WORKING, None, Actor.LEAD),
    Transition(Action.ASK_COMPLETION, WORKING, Status.AWAITING_CONFIRMATION, Actor.LEAD),
    Transition(Action.CONFIRM, frozenset({Status.AWAITING_CONFIRMATION}), Status.DONE, Actor.TRACKER),
    # Thanh Hóa: a late, wrong or incomplete update is returned, redone and counted as not completed.
    Transition(Action.RETURN, frozenset({Status.AWAITING_CONFIRMATION}), Status.REDO, Actor.TRACKER, True),
    Transition(Action.EXTEND, _BEFORE_DONE, None, Actor.LEAD, True),
    Transition(Action.DECIDE_EXTENSION, _BEFORE_DONE, None, Actor.TRACKER),
    Transition(Action.POSTPONE, OPEN, Status.POSTPONED, Actor.TRACKER, True),
    Transition(Action.RESUME, frozenset({Status.POSTPONED}), None, Actor.TRACKER),
    Transition(Action.CANCEL, OPEN | {Status.POSTPONED}, Status.CANCELLED, Actor.TRACKER, True),
)


def transition(action: Action, status: Status | None) -> Transition | None:
    return next((t for t in TRANSITIONS if t.action == action and status in t.sources), None)


def resumed_status(accepted: bool) -> Status:
    """A postponed task goes back to work, or to its acceptance if the unit had not accepted it."""
    return Status.IN_PROGRESS if accepted else Status.NEW


LEAD_ACTIONS = frozenset(t.action for t in TRANSITIONS if t.actor == Actor.LEAD)
TRACKER_ACTIONS = frozenset(t.action for t in TRANSITIONS if t.actor == Actor.TRACKER) - {Action.CREATE}
