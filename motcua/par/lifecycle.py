"""The PAR index as data: the closed lists of a criteria set, and a unit's assessment in a round. Pure.

Sources: QĐ 876/QĐ-BNV (2023, the ministries' and provinces' PAR index, whose structure provinces copy for their
departments and communes), DOMAIN-2.md §3. Each province's own list of fields and points is data (`ParIndexSet`),
never code; only the kinds of rules below are fixed.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Level(StrEnum):
    """Who a set scores, after the 2025 reform (two local levels)."""

    DEPARTMENT = "so_nganh"  # cơ quan chuyên môn thuộc UBND tỉnh
    COMMUNE = "xa"  # UBND xã, phường, đặc khu


LEVEL_LABELS = {Level.DEPARTMENT: "Cơ quan thuộc UBND tỉnh", Level.COMMUNE: "UBND xã, phường, đặc khu"}
LEVEL_CHOICES = [(level.value, label) for level, label in LEVEL_LABELS.items()]


class Rule(StrEnum):
    """How a sub-criterion's value becomes points; the list is closed."""

    YES_NO = "co_khong"  # Có: full points; Không: 0
    LINEAR = "tuyen_tinh"  # P = Pmax if R >= T else R * Pmax / T (the 766 formula)
    BANDS = "khoang"  # a value's band gives its points
    COUNT = "dem"  # points per counted item, up to the maximum
    MANUAL = "tu_cham"  # entered by hand within 0..max


RULE_LABELS = {
    Rule.YES_NO: "Có/Không",
    Rule.LINEAR: "Tuyến tính đến ngưỡng",
    Rule.BANDS: "Theo khoảng giá trị",
    Rule.COUNT: "Theo số lượng",
    Rule.MANUAL: "Chấm trực tiếp (0 đến điểm tối đa)",
}
RULE_CHOICES = [(rule.value, label) for rule, label in RULE_LABELS.items()]


class InputType(StrEnum):
    YES_NO = "co_khong"  # Có / Không / Không áp dụng
    NUMBER = "so"
    PERCENT = "ty_le"
    TEXT = "van_ban"


INPUT_LABELS = {
    InputType.YES_NO: "Có / Không / Không áp dụng",
    InputType.NUMBER: "Số",
    InputType.PERCENT: "Tỷ lệ %",
    InputType.TEXT: "Văn bản",
}
INPUT_CHOICES = [(kind.value, label) for kind, label in INPUT_LABELS.items()]


class Method(StrEnum):
    SELF = "tu_danh_gia"
    SURVEY = "dieu_tra_xhh"
    DATA = "du_lieu_motcua"


METHOD_LABELS = {Method.SELF: "Tự đánh giá", Method.SURVEY: "Điều tra xã hội học", Method.DATA: "Dữ liệu motcua"}
METHOD_CHOICES = [(method.value, label) for method, label in METHOD_LABELS.items()]


class Sign(StrEnum):
    """Bonus and negative points (Điểm cộng; Kỷ luật, kỷ cương hành chính) sit beside the ordinary ones."""

    NORMAL = "thuong"
    BONUS = "cong"  # added, outside the set's maximum
    PENALTY = "tru"  # subtracted


SIGN_CHOICES = [(Sign.NORMAL.value, "Điểm thường"), (Sign.BONUS.value, "Điểm cộng"), (Sign.PENALTY.value, "Điểm trừ")]


class NotApplicable(StrEnum):
    """What "Không áp dụng" does to the maximum: unconfirmed [R], so each set says."""

    REDUCE_MAX = "giam_diem_toi_da"  # the item leaves the maximum; the total is scaled back to the set's maximum
    FULL_POINTS = "tinh_du_diem"  # the item counts as fully met


NA_CHOICES = [
    (NotApplicable.REDUCE_MAX.value, "Trừ khỏi điểm tối đa, quy đổi về thang điểm của bộ"),
    (NotApplicable.FULL_POINTS.value, "Tính đủ điểm"),
]
NOT_APPLICABLE_VALUE = "kad"  # the value "Không áp dụng"


class RoundStatus(IntEnum):
    DRAFT = 1
    OPEN = 2
    PUBLISHED = 3


ROUND_STATUS_LABELS = {
    RoundStatus.DRAFT: "Chưa mở",
    RoundStatus.OPEN: "Đang đánh giá",
    RoundStatus.PUBLISHED: "Đã công bố",
}


class Status(IntEnum):
    """A unit's assessment in a round."""

    DRAFTING = 1  # the unit enters its values and evidence
    APPROVED = 2  # its leader approved the self-assessment report
    SUBMITTED = 3  # sent to the working group
    FINALISED = 4  # the working group's appraisal is final

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFTING: "Đang tự đánh giá",
    Status.APPROVED: "Lãnh đạo đã phê duyệt",
    Status.SUBMITTED: "Đã gửi thẩm định",
    Status.FINALISED: "Đã thẩm định xong",
}
STATUS_CHOICES = [(int(status), label) for status, label in STATUS_LABELS.items()]


class Actor(StrEnum):
    UNIT_STAFF = "unit-staff"  # the unit's officials enter values and evidence
    UNIT_LEADER = "unit-leader"
    REFORM_OFFICE = "reform-office"  # Sở Nội vụ and the working group it chairs


class Action(StrEnum):
    SAVE_ITEM = "save-item"
    APPROVE = "approve"
    SUBMIT = "submit"
    REOPEN = "reopen"
    APPRAISE = "appraise"
    FINALISE = "finalise"
    OPEN_ROUND = "open"
    FEED = "feed"
    PUBLISH = "publish"


ACTION_LABELS = {
    Action.SAVE_ITEM: "Lưu tiêu chí",
    Action.APPROVE: "Phê duyệt báo cáo tự đánh giá",
    Action.SUBMIT: "Gửi thẩm định",
    Action.REOPEN: "Mở lại cho đơn vị",
    Action.APPRAISE: "Thẩm định tiêu chí",
    Action.FINALISE: "Chốt kết quả thẩm định",
    Action.OPEN_ROUND: "Mở đợt đánh giá",
    Action.FEED: "Lấy số liệu từ motcua",
    Action.PUBLISH: "Công bố kết quả",
}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the status stays
    actors: frozenset[Actor]
    needs_reason: bool = False
    in_window: bool = False  # only before the unit's deadline (open_to, or the date it was reopened to)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Action.SAVE_ITEM, frozenset({Status.DRAFTING}), None, frozenset({Actor.UNIT_STAFF, Actor.UNIT_LEADER}),
        in_window=True,
    ),
    Transition(
        Action.APPROVE, frozenset({Status.DRAFTING}), Status.APPROVED, frozenset({Actor.UNIT_LEADER}), in_window=True
    ),
    Transition(
        Action.SUBMIT, frozenset({Status.APPROVED}), Status.SUBMITTED,
        frozenset({Actor.UNIT_STAFF, Actor.UNIT_LEADER}), in_window=True,
    ),
    Transition(
        Action.REOPEN, frozenset({Status.DRAFTING, Status.APPROVED, Status.SUBMITTED}), Status.DRAFTING,
        frozenset({Actor.REFORM_OFFICE}), needs_reason=True,
    ),
    Transition(Action.APPRAISE, frozenset({Status.SUBMITTED}), None, frozenset({Actor.REFORM_OFFICE})),
    Transition(Action.FINALISE, frozenset({Status.SUBMITTED}), Status.FINALISED, frozenset({Actor.REFORM_OFFICE})),
)  # fmt: skip

UNIT_ACTIONS = frozenset(t.action for t in TRANSITIONS)


def transition(action: Action) -> Transition:
    return next(t for t in TRANSITIONS if t.action == action)
