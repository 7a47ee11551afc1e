"""The official calendar as data: the days a cited text makes off or working, and the package's other days.

Pure data and pure functions; the service in `services.py` writes them to the tables that admins then maintain. A day
enters the calendar only with its legal basis (issue 16): the Labour Code's holidays and compensatory days, and the
government decisions cited in DOMAIN.md §7.1 with their number and date. Any other day the `holidays` package yields
(a holiday not in the Labour Code, a swap whose notice nobody has checked) is only a proposal, a working day until an
admin confirms it with the document.
"""

import re
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import holidays

OFF = "off"
WORKING = "working"

# BLLĐ 45/2019/QH14 art. 112 (in force 01/01/2021): the 11 public holidays; art. 111(3): a holiday falling on a weekly
# rest day is compensated on the next working day.
HOLIDAY_BASIS = "Bộ luật Lao động 2019 (45/2019/QH14), Điều 112"
COMPENSATION_BASIS = "Bộ luật Lao động 2019 (45/2019/QH14), Điều 111 khoản 3"
PACKAGE_SOURCE = f"gói holidays {version('holidays')}"

# Art. 112(1) holidays as the package names them in Vietnamese; Tết's five days are those the Prime Minister fixes
# (art. 112(3)), which the package follows. A name not listed here, e.g. "Ngày Văn hóa Việt Nam", is not in art. 112.
ARTICLE_112_NAMES = frozenset(
    {
        "Tết Dương lịch",
        "29 Tết",
        "Giao thừa Tết Nguyên Đán",
        "Tết Nguyên Đán",
        "Mùng hai Tết Nguyên Đán",
        "Mùng ba Tết Nguyên Đán",
        "Mùng bốn Tết Nguyên Đán",
        "Mùng năm Tết Nguyên Đán",
        "Ngày Giỗ Tổ Hùng Vương",
        "Ngày Chiến thắng",
        "Ngày Quốc tế Lao động",
        "Quốc khánh",
    }
)
COMPENSATION_SUFFIX = " (nghỉ bù)"
# The package names the weekday given off in a swap "Ngày nghỉ (thay cho ngày 22/08/2026)".
SWAPPED_FOR = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True)
class CalendarEntry:
    """One day that differs from the Monday-to-Friday week: an off-day or a make-up working day."""

    day: date
    kind: str
    name: str
    legal_basis: str
    note: str = ""


@dataclass(frozen=True)
class Proposal:
    """A day the package computes but no cited text supports: it changes nothing until an admin confirms it."""

    day: date
    kind: str
    name: str
    # The other day of a swap (the weekday off and the Saturday worked are confirmed or rejected together).
    paired_day: date | None = None
    source: str = PACKAGE_SOURCE


# Decisions the package lacks, each with its source (DOMAIN.md §7.1).
CORRECTIONS: tuple[CalendarEntry, ...] = (
    CalendarEntry(
        date(2026, 1, 2),
        OFF,
        "Nghỉ Tết Dương lịch (hoán đổi)",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ",
        "Công chức nghỉ 01–04/01/2026; thứ Sáu 02/01 đổi lấy thứ Bảy 10/01/2026.",
    ),
    CalendarEntry(
        date(2026, 1, 10),
        WORKING,
        "Làm bù cho ngày 02/01/2026",
        "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ",
    ),
)


def entries_for(year: int) -> list[CalendarEntry]:
    """Return the year's off-days and make-up days that a cited text supports, in date order."""
    return _split(year)[0]


def proposals_for(year: int) -> list[Proposal]:
    """Return the year's days the package adds without a cited text, in date order: proposals, not calendar days."""
    return _split(year)[1]


def _basis_of(name: str) -> str | None:
    if name in ARTICLE_112_NAMES:
        return HOLIDAY_BASIS
    if name.endswith(COMPENSATION_SUFFIX) and name.removesuffix(COMPENSATION_SUFFIX) in ARTICLE_112_NAMES:
        return COMPENSATION_BASIS
    return None


def _split(year: int) -> tuple[list[CalendarEntry], list[Proposal]]:
    generated = holidays.country_holidays("VN", years=year, language="vi")
    corrected = {correction.day: correction for correction in CORRECTIONS if correction.day.year == year}
    entries: dict[date, CalendarEntry] = dict(corrected)
    proposals: dict[date, Proposal] = {}
    partners: dict[date, date] = {}
    for day, name in generated.items():
        if swapped := SWAPPED_FOR.search(name):
            worked = date(int(swapped[3]), int(swapped[2]), int(swapped[1]))
            partners[day], partners[worked] = worked, day
    for day, name in generated.items():
        if day in corrected:
            continue
        if basis := _basis_of(name):
            entries[day] = CalendarEntry(day, OFF, name, basis)
        else:
            proposals[day] = Proposal(day, OFF, name, partners.get(day))
    for day in generated.weekend_workdays:
        if day.year == year and day not in corrected:
            name = f"Làm bù cho ngày {partners[day]:%d/%m/%Y}" if day in partners else "Làm bù (hoán đổi)"
            proposals[day] = Proposal(day, WORKING, name, partners.get(day))
    return sorted(entries.values(), key=lambda e: e.day), sorted(proposals.values(), key=lambda p: p.day)
