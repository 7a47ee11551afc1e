"""The approved internal process as data: who may do a step, and how its time is counted. Pure: no Django.

DOMAIN.md §1.3(c): each procedure's internal process (quy trình nội bộ) is approved by the provincial chairman, step
by step, with the position that does each step and its allotted working hours, which sum to the legal limit.
"""

from enum import IntEnum

# Professional staff titles are interchangeable for a step at commune and department level [R].
EQUIVALENT_POSITIONS: dict[str, frozenset[str]] = {
    "chuyen_vien": frozenset({"chuyen_vien", "cong_chuc"}),
    "cong_chuc": frozenset({"cong_chuc", "chuyen_vien"}),
}
# A deputy acts for the head on delegated matters (ký thay, ND 30/2020 art. 13(1)(b)); whether the internal process
# lets every deputy do the head's step is the province's choice [R], hence settings.MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD.
DEPUTIES = {
    "chu_tich": "pho_chu_tich",
    "giam_doc": "pho_giam_doc",
    "truong_phong": "pho_truong_phong",
    "chanh_van_phong": "pho_chanh_van_phong",
}


def suits(step_position: str, position: str, *, deputies: bool = True) -> bool:
    """Tell whether a person in a position may do a step that calls for a position (Position codes)."""
    if not step_position or position == step_position:
        return True  # a step that names no position is open to every member of its unit
    if position in EQUIVALENT_POSITIONS.get(step_position, frozenset()):
        return True
    # The head may always do the deputy's step; the deputy the head's only where the province allows it.
    head_of = {deputy: head for head, deputy in DEPUTIES.items()}
    return head_of.get(step_position) == position or (deputies and DEPUTIES.get(step_position) == position)


def steps_suited_to(position: str, *, deputies: bool = True) -> frozenset[str]:
    """Return the step positions a person in this position may do: the inverse of `suits`, for a query's filter."""
    found = {"", position, *(step for step, equal in EQUIVALENT_POSITIONS.items() if position in equal)}
    if position in DEPUTIES:
        found.add(DEPUTIES[position])  # the head does the deputy's step
    heads = {deputy: head for head, deputy in DEPUTIES.items()}
    if deputies and position in heads:
        found.add(heads[position])
    return frozenset(found)


class StepState(IntEnum):
    PENDING = 0  # not reached yet
    ACTIVE = 1  # the step holding the dossier
    DONE = 2


class Alert(IntEnum):
    """What the deadline watch last flagged on a dossier or a step; it only ever goes up."""

    NONE = 0
    NEAR_DUE = 1  # sắp đến hạn
    APOLOGY_DUE = 2  # D-1: the last working day before the due date, an apology and extension are required
    OVERDUE = 3


class Rating(IntEnum):
    """The citizen's answer to items 10 and 11 of the TT 01/2018/TT-VPCP evaluation set (DOMAIN.md §1.8)."""

    VERY_SATISFIED = 2  # Rất hài lòng
    SATISFIED = 1  # Hài lòng
    UNSATISFIED = 0  # Không hài lòng

    @property
    def label(self) -> str:
        return RATING_LABELS[self]


RATING_LABELS = {
    Rating.VERY_SATISFIED: "Rất hài lòng",
    Rating.SATISFIED: "Hài lòng",
    Rating.UNSATISFIED: "Không hài lòng",
}


def indicator_points(actual: int, allowed: int) -> int:
    """Score time against its allotment as indicators 1 and 2 of TT 01/2018 do: shorter 2, equal 1, longer 0."""
    if actual < allowed:
        return 2
    return 1 if actual == allowed else 0


def contact_points(contacts: int) -> int:
    """Indicator 3: no extra contact 2, one contact 1, more 0."""
    return 2 if contacts == 0 else 1 if contacts == 1 else 0


def agency_points(agencies_contacted: int) -> int:
    """Indicator 4: the applicant dealt only with the one-stop desk 1 (2 if with no agency at all), else 0."""
    return 2 if agencies_contacted == 0 else 1 if agencies_contacted == 1 else 0
