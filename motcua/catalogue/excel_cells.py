"""Cells and columns of the catalogue workbook: how one cell is read and written, and the problems reported."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation

DONVITINH_CHOICES = ("Ngày làm việc", "Ngày", "Giờ làm việc", "Trong ngày")
CHUCVU_CHOICES = {
    "chu_tich": "Chủ tịch",
    "pho_chu_tich": "Phó Chủ tịch",
    "giam_doc": "Giám đốc",
    "pho_giam_doc": "Phó Giám đốc",
    "chanh_van_phong": "Chánh Văn phòng",
    "pho_chanh_van_phong": "Phó Chánh Văn phòng",
    "truong_phong": "Trưởng phòng",
    "pho_truong_phong": "Phó Trưởng phòng",
    "chuyen_vien": "Chuyên viên",
    "cong_chuc_mot_cua": "Công chức một cửa",
    "cong_chuc": "Công chức",
}


# ---------------------------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class CellProblem:
    """One cell (or sheet, or column) that could not be read."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """Render the problem as one Vietnamese line."""
        where = [f"trang “{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f"cột “{self.column}”")
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


class ExcelFormatError(ValueError):
    """The workbook has cells that cannot be converted; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[CellProblem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"Bảng tính có {len(self.problems)} lỗi:\n{lines}")


class _CellError(Exception):
    """A cell value has the wrong type; the message is Vietnamese."""


class _Problems:
    """Collect problems with a sort key so the report follows the workbook's order."""

    def __init__(self) -> None:
        self._items: dict[CellProblem, tuple[int, int, int]] = {}
        self.sheet_order: dict[str, int] = {}

    def add(self, sheet: str, row: int | None, column: str | None, message: str, column_index: int = 0) -> None:
        """Record a problem once."""
        problem = CellProblem(sheet, row, column, message)
        key = (self.sheet_order.get(sheet, -1), row or 0, column_index)
        self._items.setdefault(problem, key)

    def __bool__(self) -> bool:
        return bool(self._items)

    def sorted(self) -> list[CellProblem]:
        """Return the problems in sheet, row, column order."""
        return sorted(self._items, key=self._items.__getitem__)


# ---------------------------------------------------------------------------------------------------------------
# Cell values


# XML cannot carry these characters and parsers turn "\r" into "\n"; Excel's own escape (_xHHHH_) keeps them,
# and a literal "_xHHHH_" in the text gets its underscore escaped so that reading it back is unambiguous.
_ESCAPE_RE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_UNESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DATE_RE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_INT_RE = re.compile(r"[+-]?\d+")
# Officers type money the Vietnamese way ("50.000") or the English way ("50,000").
_GROUPED_INT_RE = re.compile(r"[+-]?\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*")
_DECIMAL_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_TRUE = {"có", "co", "x", "true", "yes", "1"}
_FALSE = {"không", "khong", "false", "no", "0"}


def _escape(text: str) -> str:
    """Escape characters that an XLSX file cannot store."""
    return _ESCAPE_RE.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_", text)


def _unescape(text: str) -> str:
    """Undo `_escape` (also decodes Excel's own escapes, which openpyxl leaves in place)."""
    return _UNESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _normalize(text: str) -> str:
    """Fold a label for comparison: NFC, trimmed, single spaces, case-insensitive."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _shown(value: object) -> str:
    """Render a cell value for an error message."""
    if isinstance(value, datetime | date):
        return _day_text(value)
    text = str(value).strip()
    return f"“{text if len(text) <= 40 else text[:40] + '…'}”"


def _day_text(value: date) -> str:
    # strftime drops the leading zeros of years before 1000 on some platforms.
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_text(value: object, number_format: str) -> str:
    """Read any cell as text, the way Excel displays it."""
    if isinstance(value, str):
        return _unescape(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return _day_text(value)
    if isinstance(value, time | timedelta):
        return str(value)
    raise _CellError("Không đọc được giá trị của ô.")


def _read_code(value: object, number_format: str) -> str:
    """Read a procedure code; spaces around it are typing slips."""
    return _read_text(value, number_format).strip()


def _read_int(value: object, number_format: str) -> int:
    """Read a whole number, from a number cell or from digits typed as text."""
    if isinstance(value, bool | datetime | date | time | timedelta):
        raise _CellError(f"Cần một số nguyên, nhận được {_shown(value)}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _CellError(f"Cần một số nguyên, nhận được số lẻ {value}.")
    text = unicodedata.normalize("NFC", str(value)).strip()
    if _INT_RE.fullmatch(text):
        return int(text)
    if _GROUPED_INT_RE.fullmatch(text):
        return int(re.sub(r"[.,  ]", "", text))
    raise _CellError(f"Cần một số nguyên, nhận được {_shown(value)}.")


def _read_number(value: object, number_format: str) -> int | float:
    """Read a number, keeping whole numbers int unless the cell was formatted with decimals."""
    if isinstance(value, bool | datetime | date | time | timedelta):
        raise _CellError(f"Cần một số, nhận được {_shown(value)}.")
    if isinstance(value, int):
        # XLSX stores 1.0 as "1"; the writer marks whole floats with a decimal format so their type survives.
        return float(value) if "." in number_format else value
    if isinstance(value, float):
        return value
    text = unicodedata.normalize("NFC", str(value)).strip()
    if _INT_RE.fullmatch(text):
        return int(text)
    if _DECIMAL_RE.fullmatch(text):
        return float(text.replace(",", "."))
    raise _CellError(f"Cần một số, nhận được {_shown(value)}.")


def _read_date(value: object, number_format: str) -> str:
    """Read a date typed as dd/mm/yyyy text or entered as an Excel date."""
    if isinstance(value, datetime | date):
        return _day_text(value)
    if isinstance(value, str):
        match = _DATE_RE.fullmatch(value.strip())
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                date(year, month, day)
            except ValueError:
                raise _CellError(f"Ngày {_shown(value)} không có thật trên lịch.") from None
            return f"{day:02d}/{month:02d}/{year:04d}"
    raise _CellError(f"Cần một ngày dạng dd/mm/yyyy (ví dụ 01/07/2025), nhận được {_shown(value)}.")


def _read_bool(value: object, number_format: str) -> bool:
    """Read "có"/"không" (or an Excel TRUE/FALSE)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | str):
        text = _normalize(str(int(value)) if isinstance(value, int | float) and value in (0, 1) else str(value))
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise _CellError(f"Cần điền “có” hoặc “không”, nhận được {_shown(value)}.")


def _write_bool(value: Any) -> Any:
    return value if value is None else ("có" if value else "không")


def _write_text(value: Any) -> Any:
    return _escape(value) if isinstance(value, str) else value


def _write_plain(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class _Choice:
    """One allowed value of an enumeration: what is stored, what the sheet shows, what else officers may type."""

    value: Any
    label: str
    aliases: tuple[str, ...] = ()


def _choice_reader(choices: Sequence[_Choice], describe: str) -> Callable[[object, str], Any]:
    """Build a reader that accepts the stored value, the label or an alias of each choice."""
    lookup: dict[str, Any] = {}
    for choice in choices:
        for name in (str(choice.value), choice.label, *choice.aliases):
            lookup[_normalize(name)] = choice.value

    def read(value: object, number_format: str) -> Any:
        text = value
        if isinstance(value, float) and value.is_integer():
            text = int(value)
        if not isinstance(text, bool) and isinstance(text, int | str) and _normalize(str(text)) in lookup:
            return lookup[_normalize(str(text))]
        raise _CellError(f"Giá trị {_shown(value)} không hợp lệ; chỉ được chọn {describe}.")

    return read


def _choice_writer(choices: Sequence[_Choice]) -> Callable[[Any], Any]:
    labels = {choice.value: choice.label for choice in choices if not isinstance(choice.value, int)}

    def write(value: Any) -> Any:
        return labels.get(value, value) if isinstance(value, str) else value

    return write


def _read_stt(value: object, number_format: str) -> int:
    number = _read_int(value, number_format)
    if number < 1:
        raise _CellError(f"Số thứ tự phải là số nguyên dương, nhận được {number}.")
    return number


# ---------------------------------------------------------------------------------------------------------------
# Columns and sheets


_REQUIRED: Any = object()  # blank value of a column that must be filled whenever its row is used


@dataclass(frozen=True, eq=False)
class _Column:
    """How one field sits in a sheet: titles, width, how to read and write it, Excel validation."""

    key: str
    title: str
    width: int
    read: Callable[[object, str], Any] = _read_text
    write: Callable[[Any], Any] = _write_text
    blank: Any = ""
    number_format: str = "@"
    wrap: bool = False
    validation: DataValidation | None = None
    hint: str = ""


def _validation(
    kind: str, *, values: Sequence[str] = (), minimum: str = "0", strict: bool = True, prompt: str = ""
) -> DataValidation:
    """Make a data validation rule; a non-strict list only suggests values."""
    if kind == "list":
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    else:
        rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=minimum, allow_blank=True)
    rule.showErrorMessage = strict
    rule.errorTitle = "Giá trị không hợp lệ"
    rule.error = prompt or "Giá trị này không được chấp nhận."
    if prompt:
        rule.showInputMessage = True
        rule.prompt = prompt
    return rule


def _text(key: str, title: str, width: int = 20, *, wrap: bool = False, hint: str = "") -> _Column:
    return _Column(key, title, width, wrap=wrap, hint=hint)


def _code(title: str = "Mã thủ tục") -> _Column:
    return _Column("MATTHC", title, 14, read=_read_code, blank=_REQUIRED)


def _int(key: str, title: str, width: int = 12, *, number_format: str = "0") -> _Column:
    return _Column(
        key,
        title,
        width,
        read=_read_int,
        write=_write_plain,
        blank=_REQUIRED,
        number_format=number_format,
        validation=_validation("whole", prompt="Nhập một số nguyên không âm."),
    )


def _number(key: str, title: str, width: int = 12) -> _Column:
    return _Column(
        key,
        title,
        width,
        read=_read_number,
        write=_write_plain,
        blank=_REQUIRED,
        number_format="General",
        validation=_validation("decimal", prompt="Nhập một số, có thể có phần lẻ (ví dụ 0,5)."),
    )


def _stt(key: str, title: str) -> _Column:
    return _Column(
        key,
        title,
        10,
        read=_read_stt,
        write=_write_plain,
        blank=None,
        number_format="0",
        validation=_validation("whole", minimum="1", prompt="Các dòng cùng số thứ tự thuộc cùng một nhóm."),
        hint="Số thứ tự nhóm, để trống thì gộp theo trường hợp",
    )


def _date(key: str, title: str) -> _Column:
    return _Column(key, title, 14, read=_read_date, hint="dd/mm/yyyy")


def _bool(key: str, title: str) -> _Column:
    return _Column(
        key,
        title,
        11,
        read=_read_bool,
        write=_write_bool,
        blank=_REQUIRED,
        validation=_validation("list", values=("có", "không"), prompt="Chọn “có” hoặc “không”."),
        hint="có / không",
    )


def _enum(
    key: str, title: str, width: int, choices: Sequence[_Choice], *, blank: Any = "", number_format: str = "@"
) -> _Column:
    labels = [choice.label for choice in choices]
    describe = ", ".join(f"“{label}”" for label in labels)
    return _Column(
        key,
        title,
        width,
        read=_choice_reader(choices, describe),
        write=_choice_writer(choices),
        blank=blank,
        number_format=number_format,
        validation=_validation("list", values=labels, prompt=f"Chọn một trong: {', '.join(labels)}."),
        hint=" / ".join(labels) if len(" / ".join(labels)) <= 60 else "chọn từ danh sách",
    )


_KENH = (
    _Choice(1, "1", ("trực tiếp",)),
    _Choice(2, "2", ("trực tuyến",)),
    _Choice(3, "3", ("bưu chính", "dịch vụ bưu chính")),
)
_CAPTHUCHIEN = (
    _Choice(0, "0", ("bộ", "cấp bộ")),
    _Choice(1, "1", ("tỉnh", "cấp tỉnh")),
    _Choice(3, "3", ("xã", "cấp xã")),
)
_MUCDO = (_Choice("toan_trinh", "toan_trinh", ("toàn trình",)), _Choice("mot_phan", "mot_phan", ("một phần",)))
_CHUCVU = tuple(_Choice(code, code, (label,)) for code, label in CHUCVU_CHOICES.items())
_DONVITINH = tuple(_Choice(unit, unit) for unit in DONVITINH_CHOICES)
_VAITRO = (
    _Choice("COQUANTHUCHIEN", "Thực hiện", ("THUCHIEN",)),
    _Choice("COQUANCOTHAMQUYEN", "Có thẩm quyền", ("COTHAMQUYEN",)),
    _Choice("COQUANPHOIHOP", "Phối hợp", ("PHOIHOP",)),
)
