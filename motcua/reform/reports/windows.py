"""The report periods and their data windows, as versioned data with their source. Pure.

BNV guidance 581/BNV-CCHC (DOMAIN-2.md §4): quarterly, six-month and annual CCHC reports are due to the ministry on the
20th of the period's last month, on data from 15/12 of the previous year (Quý I, 6 tháng, Năm) or 15/06 (Quý III) to
the 14th of that month. Provinces ask departments and communes for theirs earlier: the day is a setting
(`MOTCUA_REFORM_REPORT_UNIT_DUE_DAY`, default the 15th [R: typically the 10th-15th, unconfirmed]).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    Q1 = "quy-1"
    HALF = "6-thang"
    Q3 = "quy-3"
    YEAR = "nam"


KIND_LABELS = {Kind.Q1: "Quý I", Kind.HALF: "6 tháng", Kind.Q3: "Quý III", Kind.YEAR: "Năm"}
KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]


class Level(StrEnum):
    """Who reports to whom: the province to the ministry, departments and communes to the province."""

    PROVINCE = "tinh"
    DEPARTMENT = "so"
    COMMUNE = "xa"


LEVEL_LABELS = {
    Level.PROVINCE: "UBND tỉnh báo cáo Bộ Nội vụ",
    Level.DEPARTMENT: "Sở, ban, ngành báo cáo UBND tỉnh",
    Level.COMMUNE: "UBND cấp xã báo cáo UBND tỉnh",
}
LEVEL_CHOICES = [(level.value, label) for level, label in LEVEL_LABELS.items()]


@dataclass(frozen=True)
class Rule:
    """One kind's window: from (month, day) of the report's year plus `from_year_offset`, to (month, day), due in
    `due_month` of the report's year."""

    kind: Kind
    from_month: int
    from_day: int
    from_year_offset: int
    to_month: int
    to_day: int
    due_month: int


@dataclass(frozen=True)
class WindowSet:
    """A version of the windows, chosen by the report's year."""

    code: str
    first_year: int
    source: str
    ministry_due_day: int
    rules: tuple[Rule, ...]

    def rule(self, kind: Kind) -> Rule:
        return next(r for r in self.rules if r.kind == kind)


WINDOW_SETS = (
    WindowSet(
        code="581-BNV-CCHC",
        first_year=2020,
        source="Công văn 581/BNV-CCHC của Bộ Nội vụ hướng dẫn thực hiện chế độ báo cáo cải cách hành chính định kỳ",
        ministry_due_day=20,
        rules=(
            Rule(Kind.Q1, 12, 15, -1, 3, 14, 3),
            Rule(Kind.HALF, 12, 15, -1, 6, 14, 6),
            Rule(Kind.Q3, 6, 15, 0, 9, 14, 9),
            Rule(Kind.YEAR, 12, 15, -1, 12, 14, 12),
        ),
    ),
)


@dataclass(frozen=True)
class Window:
    kind: Kind
    level: Level
    year: int
    cutoff_from: date
    cutoff_to: date
    due_on: date
    basis: str


def window_set_for(year: int) -> WindowSet:
    """The newest version in force for a report year."""
    found = [s for s in WINDOW_SETS if s.first_year <= year]
    if not found:
        raise ValueError(f"no report windows for {year}")
    return max(found, key=lambda s: s.first_year)


def window(kind: Kind, level: Level, year: int, unit_due_day: int) -> Window:
    """The data window and due date of one period at one level."""
    rules = window_set_for(year)
    rule = rules.rule(kind)
    start = date(year + rule.from_year_offset, rule.from_month, rule.from_day)
    end = date(year, rule.to_month, rule.to_day)
    due_day = rules.ministry_due_day if level == Level.PROVINCE else unit_due_day
    basis = rules.source
    if level != Level.PROVINCE:
        basis += f"; hạn nộp của sở, ngành, xã là ngày {due_day} theo cấu hình của tỉnh"
    return Window(kind, level, year, start, end, date(year, rule.due_month, due_day), basis)


def windows_of(year: int, unit_due_day: int) -> list[Window]:
    """Every period of a year, at every level."""
    return [window(kind, level, year, unit_due_day) for kind in Kind for level in Level]
