"""A review meeting (hội nghị, cuộc họp) as data: kinds, forms, statuses, actions and who takes them. Pure.

The province's leaders or Văn phòng UBND tỉnh organise the meeting (sơ kết 6 tháng, tổng kết năm, giao ban) with its
bridge points (điểm cầu); each point's host enters its own invited and present counts until the lock (`clocks.py`);
the minutes (biên bản) are drafted by the organisers and approved by the chair; then Văn phòng UBND tỉnh issues the
conclusion notice (thông báo kết luận), whose numbered conclusions become tasks (DOMAIN-2.md §6, §8). The guards that
need the row (the host, the lock, the start) are in `rules.py`.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Kind(StrEnum):
    HALF_YEAR_REVIEW = "so_ket_6_thang"
    YEAR_REVIEW = "tong_ket_nam"
    BRIEFING = "giao_ban"


KIND_LABELS = {
    Kind.HALF_YEAR_REVIEW: "Sơ kết 6 tháng",
    Kind.YEAR_REVIEW: "Tổng kết năm",
    Kind.BRIEFING: "Giao ban",
}
KIND_CHOICES = list(KIND_LABELS.items())


class Form(StrEnum):
    IN_PERSON = "truc_tiep"
    ONLINE = "truc_tuyen"


FORM_LABELS = {Form.IN_PERSON: "Trực tiếp", Form.ONLINE: "Trực tuyến"}


class Status(IntEnum):
    SCHEDULED = 1  # Đã lên lịch
    MINUTES_DRAFTED = 2  # Đã có dự thảo biên bản
    MINUTES_APPROVED = 3  # Biên bản đã được chủ trì duyệt
    CONCLUDED = 4  # Đã ban hành thông báo kết luận
    CANCELLED = 5  # Hủy

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.SCHEDULED: "Đã lên lịch",
    Status.MINUTES_DRAFTED: "Đã có dự thảo biên bản",
    Status.MINUTES_APPROVED: "Biên bản đã được duyệt",
    Status.CONCLUDED: "Đã ban hành thông báo kết luận",
    Status.CANCELLED: "Đã hủy",
}
STATUS_CHOICES = [(int(status), label) for status, label in STATUS_LABELS.items()]


class Action(StrEnum):
    CREATE = "create"
    ATTACH = "attach"  # a tham luận file of an agenda item, or a document of the meeting
    ATTENDANCE = "attendance"  # a bridge point's host enters its invited and present counts
    DRAFT_MINUTES = "draft-minutes"
    APPROVE_MINUTES = "approve-minutes"
    ISSUE_NOTICE = "issue-notice"
    CANCEL = "cancel"
    ADD_AGENDA = "add-agenda"  # one more agenda item while the meeting is still only scheduled
    ADD_BRIDGE_POINT = "add-bridge-point"  # one more bridge point while the meeting is still only scheduled


ACTION_LABELS = {
    Action.CREATE: "Lên lịch cuộc họp",
    Action.ATTACH: "Đính kèm tài liệu",
    Action.ATTENDANCE: "Nhập số đại biểu tại điểm cầu",
    Action.DRAFT_MINUTES: "Soạn biên bản",
    Action.APPROVE_MINUTES: "Duyệt biên bản",
    Action.ISSUE_NOTICE: "Ban hành thông báo kết luận",
    Action.CANCEL: "Hủy cuộc họp",
    Action.ADD_AGENDA: "Thêm nội dung chương trình",
    Action.ADD_BRIDGE_POINT: "Thêm điểm cầu",
}


class Actor(StrEnum):
    ORGANISER = "organiser"  # a leader of UBND tỉnh, or Văn phòng UBND tỉnh (directive_tracker)
    TRACKER = "tracker"  # Văn phòng UBND tỉnh alone: the notice's conclusions enter its task engine
    CHAIR = "chair"  # the person chairing this meeting
    HOST = "host"  # the host of a bridge point of this meeting (their own point only)


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status | None]
    target: Status | None  # None: the status stays
    actor: Actor
    needs_reason: bool = False


_HELD_OR_NOT = frozenset({Status.SCHEDULED, Status.MINUTES_DRAFTED, Status.MINUTES_APPROVED, Status.CONCLUDED})
TRANSITIONS = (
    Transition(Action.CREATE, frozenset({None}), Status.SCHEDULED, Actor.ORGANISER),
    Transition(Action.ATTACH, frozenset({Status.SCHEDULED, Status.MINUTES_DRAFTED}), None, Actor.ORGANISER),
    Transition(Action.ATTENDANCE, _HELD_OR_NOT, None, Actor.HOST),
    Transition(
        Action.DRAFT_MINUTES,
        frozenset({Status.SCHEDULED, Status.MINUTES_DRAFTED}),
        Status.MINUTES_DRAFTED,
        Actor.ORGANISER,
    ),
    Transition(Action.APPROVE_MINUTES, frozenset({Status.MINUTES_DRAFTED}), Status.MINUTES_APPROVED, Actor.CHAIR),
    Transition(Action.ISSUE_NOTICE, frozenset({Status.MINUTES_APPROVED}), Status.CONCLUDED, Actor.TRACKER),
    Transition(Action.CANCEL, frozenset({Status.SCHEDULED}), Status.CANCELLED, Actor.ORGANISER, True),
    Transition(Action.ADD_AGENDA, frozenset({Status.SCHEDULED}), None, Actor.ORGANISER),
    Transition(Action.ADD_BRIDGE_POINT, frozenset({Status.SCHEDULED}), None, Actor.ORGANISER),
)


def transition(action: Action, status: Status | None) -> Transition | None:
    return next((t for t in TRANSITIONS if t.action == action and status in t.sources), None)
