"""Reporting periods: a month, a quarter, six months (sơ kết), a year, or any span of days."""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from motcua.core import clock
from motcua.core.errors import DomainError

KINDS = {
    "thang": "Tháng",
    "quy": "Quý",
    "6thang": "6 tháng",
    "nam": "Năm",
    "tuy-chon": "Tùy chọn",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @property
    def as_of(self) -> date:
        """The reporting date: the period's end, or today while the period is still running."""
        return min(self.end, clock.today())

    def months(self) -> list["Period"]:
        """The calendar months the period touches, each cut to the period."""
        out, day = [], self.start
        while day <= self.end:
            last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            out.append(Period(day, min(last, self.end), f"{day:%m/%Y}"))
            day = last + timedelta(days=1)
        return out


def period_of(kind: str, year: int, number: int = 1) -> Period:
    """Build a standard period: month `number`, quarter `number`, half `number`, or the whole year."""
    if not 2000 <= year <= 2100:
        raise DomainError("Năm báo cáo không hợp lệ.", field="year")
    spans = {"thang": (12, 1), "quy": (4, 3), "6thang": (2, 6), "nam": (1, 12)}
    if kind not in spans:
        raise DomainError("Loại kỳ báo cáo không hợp lệ.", field="kind")
    count, months = spans[kind]
    if not 1 <= number <= count:
        raise DomainError(f"Số thứ tự kỳ phải từ 1 đến {count}.", field="number")
    first = (number - 1) * months + 1
    last = first + months - 1
    start = date(year, first, 1)
    end = date(year, last, calendar.monthrange(year, last)[1])
    if kind == "thang":
        label = f"Tháng {number:02d}/{year}"
    elif kind == "quy":
        label = f"Quý {('I', 'II', 'III', 'IV')[number - 1]} năm {year}"
    elif kind == "6thang":
        label = f"{'6 tháng đầu năm' if number == 1 else '6 tháng cuối năm'} {year}"
    else:
        label = f"Năm {year}"
    return Period(start, end, label)


def custom_period(start: date, end: date) -> Period:
    if end < start:
        raise DomainError("Ngày kết thúc kỳ phải sau hoặc bằng ngày bắt đầu.", field="to")
    if (end - start).days > 366 * 5:
        raise DomainError("Kỳ báo cáo dài nhất 5 năm.", field="to")
    return Period(start, end, "Kỳ tùy chọn")


def parse_day(value: str, field: str) -> date:
    """Read dd/mm/yyyy (screens) or yyyy-mm-dd (API)."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise DomainError(f"Ngày «{value}» không hợp lệ; hãy nhập dạng dd/mm/yyyy.", field=field)


def current_half() -> Period:
    today = clock.today()
    return period_of("6thang", today.year, 1 if today.month <= 6 else 2)


def period_from(params: Mapping[str, str]) -> Period:
    """Read a period from a query: `from`/`to` (API) or `tu`/`den` (screens), or `ky`, `nam`, `so`; by default the
    current half-year, the sơ kết period."""
    start, end = params.get("from") or params.get("tu"), params.get("to") or params.get("den")
    if start or end:
        if not (start and end):
            raise DomainError("Cần cả ngày bắt đầu và ngày kết thúc kỳ.", field="to" if start else "from")
        return custom_period(parse_day(start, "from"), parse_day(end, "to"))
    kind = params.get("ky")
    if not kind:
        return current_half()
    try:
        year, number = int(params.get("nam") or clock.today().year), int(params.get("so") or 1)
    except ValueError as error:
        raise DomainError("Năm và số thứ tự kỳ phải là số.", field="nam") from error
    return period_of(kind, year, number)
