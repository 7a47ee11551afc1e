"""An inspection of CCHC work (kiểm tra công tác cải cách hành chính) as data: its kinds, methods, content groups,
statuses, actions and who may take them. Pure.

The yearly plan of UBND tỉnh (DOMAIN-2.md §5, the 2025 model of 34 units): a team chaired by Sở Nội vụ inspects the
seven CCHC task groups on site, through reports or online, plus surprise picks drawn at random; each department and
commune also inspects its own divisions. The team starts, records findings and its chair issues the conclusion
notice (thông báo kết luận kiểm tra), whose recommendations become tracked tasks.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Kind(StrEnum):
    PERIODIC = "dinh_ky"
    SURPRISE = "dot_xuat"
    SELF = "tu_kiem_tra"


KIND_LABELS = {Kind.PERIODIC: "Định kỳ", Kind.SURPRISE: "Đột xuất", Kind.SELF: "Tự kiểm tra"}


class Method(StrEnum):
    ON_SITE = "truc_tiep"
    BY_REPORT = "qua_bao_cao"
    ONLINE = "truc_tuyen"


METHOD_LABELS = {Method.ON_SITE: "Trực tiếp", Method.BY_REPORT: "Qua báo cáo", Method.ONLINE: "Trực tuyến"}

# The seven CCHC task groups an inspection covers. Source: UBND tỉnh's 2025 inspection plan for 34 units, as reported
# at tracuuquyhoach.com "se-kiem-tra-cai-cach-hanh-chinh-tai-34-don-vi-dia-phuong" (DOMAIN-2.md §5) [V].
CONTENT_SOURCE = "Kế hoạch kiểm tra công tác cải cách hành chính năm 2025 của UBND tỉnh (7 nhiệm vụ)"
CONTENT_GROUPS = {
    "chi_dao": "Công tác chỉ đạo, điều hành cải cách hành chính",
    "the_che": "Cải cách thể chế",
    "tthc": "Cải cách thủ tục hành chính",
    "bo_may": "Cải cách tổ chức bộ máy",
    "cong_vu": "Cải cách chế độ công vụ",
    "tai_chinh": "Cải cách tài chính công",
    "chinh_quyen_so": "Xây dựng chính quyền điện tử, chính quyền số",
}


class FindingKind(StrEnum):
    LATE = "tre_han"  # dossiers returned after their due date
    EXTRA_PAPERS = "them_giay_to"  # papers asked beyond the procedure's list
    OTHER = "khac"


FINDING_KIND_LABELS = {
    FindingKind.LATE: "Hồ sơ trễ hạn",
    FindingKind.EXTRA_PAPERS: "Yêu cầu thêm giấy tờ ngoài quy định",
    FindingKind.OTHER: "Tồn tại, hạn chế khác",
}


class Severity(StrEnum):
    MINOR = "nhe"
    MAJOR = "nghiem_trong"


SEVERITY_LABELS = {Severity.MINOR: "Cần khắc phục", Severity.MAJOR: "Nghiêm trọng"}


class Status(IntEnum):
    PLANNED = 1  # Theo kế hoạch: not started
    IN_PROGRESS = 2  # Đang kiểm tra
    CONCLUDED = 3  # Đã kết luận
    CANCELLED = 4  # Hủy


STATUS_LABELS = {
    Status.PLANNED: "Theo kế hoạch",
    Status.IN_PROGRESS: "Đang kiểm tra",
    Status.CONCLUDED: "Đã kết luận",
    Status.CANCELLED: "Hủy",
}
STATUS_CHOICES = [(int(status), label) for status, label in STATUS_LABELS.items()]


class Action(StrEnum):
    CREATE = "create"
    SELF_REPORT = "self-report"
    START = "start"
    ADD_FINDING = "add-finding"
    CONCLUDE = "conclude"
    CANCEL = "cancel"


ACTION_LABELS = {
    Action.CREATE: "Lập kế hoạch",
    Action.SELF_REPORT: "Gửi báo cáo tự kiểm tra",
    Action.START: "Bắt đầu kiểm tra",
    Action.ADD_FINDING: "Ghi nhận tồn tại",
    Action.CONCLUDE: "Ban hành thông báo kết luận",
    Action.CANCEL: "Hủy cuộc kiểm tra",
}


class Actor(StrEnum):
    TEAM = "team"  # a member of the team (the chair included); a self-inspection's: the inspecting unit's staff
    CHAIR = "chair"  # the team's chair (Sở Nội vụ); a self-inspection's: the inspecting unit's leader
    INSPECTED = "inspected"  # the inspected unit's leader


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    actor: Actor
    needs_reason: bool = False
    kinds: frozenset[Kind] = frozenset(Kind)


OPEN = frozenset({Status.PLANNED, Status.IN_PROGRESS})
TRANSITIONS = (
    # The inspected unit prepares its self-inspection report before the team comes (DOMAIN-2.md §5, "procedure").
    Transition(
        Action.SELF_REPORT, OPEN, Status.PLANNED, Actor.INSPECTED, kinds=frozenset({Kind.PERIODIC, Kind.SURPRISE})
    ),
    Transition(Action.START, frozenset({Status.PLANNED}), Status.IN_PROGRESS, Actor.TEAM),
    Transition(Action.ADD_FINDING, frozenset({Status.IN_PROGRESS}), Status.IN_PROGRESS, Actor.TEAM),
    Transition(Action.CONCLUDE, frozenset({Status.IN_PROGRESS}), Status.CONCLUDED, Actor.CHAIR),
    Transition(Action.CANCEL, frozenset({Status.PLANNED}), Status.CANCELLED, Actor.CHAIR, needs_reason=True),
)
ACTIONS = frozenset(t.action for t in TRANSITIONS)
KEEPS_STATUS = frozenset({Action.SELF_REPORT, Action.ADD_FINDING})


def transition(action: Action, status: Status, kind: Kind) -> Transition | None:
    """The transition an action takes from a status for an inspection of a kind, or None if it offers none."""
    return next(
        (t for t in TRANSITIONS if t.action == action and status in t.sources and kind in t.kinds),
        None,
    )


KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]
FINDING_KIND_CHOICES = [(kind.value, label) for kind, label in FINDING_KIND_LABELS.items()]
