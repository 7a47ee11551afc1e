"""The official calendar as data: what the `holidays` package computes, and the decisions it does not know.

Pure data and one pure function; the service in `services.py` writes it to the table that admins then maintain.
"""

from dataclasses import dataclass
from datetime import date

import holidays

OFF = "off"
WORKING = "working"

# BLLĐ 45/2019/QH14 art. 112 (in force 01/01/2021): the 11 public holidays; art. 111(3): a holiday falling on a weekly
# rest day is compensated on the next working day.
HOLIDAY_BASIS = "Bộ luật Lao động 2019 (45/2019/QH14), Điều 112"
COMPENSATION_BASIS = "Bộ luật Lao động 2019 (45/2019/QH14), Điều 111 khoản 3"
SWAP_BASIS = "Hoán đổi ngày làm việc theo thông báo của Chính phủ (theo gói holidays; cần đối chiếu văn bản)"


@dataclass(frozen=True)
class CalendarEntry:
    """One day that differs from the Monday-to-Friday week: an off-day or a make-up working day."""

    day: date
    kind: str
    name: str
    legal_basis: str
    note: str = ""


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
    """Return the year's off-days and make-up days: the package's, then the corrections that override them."""
    generated = holidays.country_holidays("VN", years=year, language="vi")
    entries: dict[date, CalendarEntry] = {}
    for day, name in sorted(generated.items()):
        basis = COMPENSATION_BASIS if "nghỉ bù" in name else SWAP_BASIS if "thay cho" in name else HOLIDAY_BASIS
        note = ""
        if "Văn hóa" in name:  # added by a 2026 decision the package follows; its text was not seen [R]
            basis, note = "Ngày Văn hóa Việt Nam (theo gói holidays)", "Chưa đối chiếu văn bản gốc."
        entries[day] = CalendarEntry(day, OFF, name, basis, note)
    for day in sorted(generated.weekend_workdays):
        if day.year == year:
            entries[day] = CalendarEntry(day, WORKING, "Làm bù (hoán đổi ngày làm việc)", SWAP_BASIS)
    for correction in CORRECTIONS:
        if correction.day.year == year:
            entries[correction.day] = correction
    return sorted(entries.values(), key=lambda entry: entry.day)
