"""A criteria set to and from the Excel workbook Sở Nội vụ fills in: `motcua par template` and `motcua par import`.

Sheet "Bo chi so": one row per setting (title in column A, value in column B). Sheet "Tieu chi": row 1 the titles,
one row per field ("1"), criterion ("1.1") or sub-criterion ("1.1.1"), the level read from the code. The import is
all or nothing: every error is listed with its sheet and row, and nothing is written while one remains.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO
from zipfile import BadZipFile

import openpyxl
from django.db import transaction
from django.db.models import Max
from openpyxl.utils.exceptions import InvalidFileException

from motcua.core.errors import DomainError

from . import scoring
from .lifecycle import (
    INPUT_LABELS,
    LEVEL_LABELS,
    METHOD_LABELS,
    RULE_LABELS,
    InputType,
    Level,
    Method,
    NotApplicable,
    Rule,
    Sign,
)
from .models import Criterion, Field, ParIndexSet, SubCriterion

SETTINGS_SHEET, ITEMS_SHEET = "Bo chi so", "Tieu chi"
SETTINGS = [
    ("level", "Cấp đánh giá (so_nganh / xa)"),
    ("year", "Năm"),
    ("name", "Tên bộ chỉ số"),
    ("decision_number", "Số quyết định"),
    ("decision_date", "Ngày quyết định (dd/mm/yyyy)"),
    ("max_points", "Điểm tối đa"),
    ("survey_max", "Điểm điều tra XHH tối đa"),
    ("effective_from", "Áp dụng từ (dd/mm/yyyy)"),
    ("effective_to", "Áp dụng đến (dd/mm/yyyy)"),
    ("not_applicable", "Không áp dụng (giam_diem_toi_da / tinh_du_diem)"),
]
COLUMNS = [
    ("code", "Mã"),
    ("name", "Tên"),
    ("max_points", "Điểm tối đa"),
    ("sign", "Loại điểm (thuong / cong / tru)"),
    ("rule", "Cách tính (" + " / ".join(Rule) + ")"),
    ("threshold", "Ngưỡng %"),
    ("bands", "Khoảng điểm (từ:điểm; ...)"),
    ("per_count", "Điểm mỗi đơn vị đếm"),
    ("input_type", "Kiểu nhập (" + " / ".join(InputType) + ")"),
    ("evidence_required", "Cần kiểm chứng (x)"),
    ("method", "Phương pháp (" + " / ".join(Method) + ")"),
    ("indicator", "Chỉ tiêu QĐ 766"),
    ("source", "Căn cứ"),
]
EXAMPLE = [
    ["1", "Công tác chỉ đạo, điều hành cải cách hành chính"],
    ["1.1", "Kế hoạch cải cách hành chính năm"],
    ["1.1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", 1, "thuong", "co_khong", None, None, None, "co_khong", "x",
     "tu_danh_gia", None, "QĐ 876/QĐ-BNV"],
    ["1.1.2", "Tỷ lệ hồ sơ giải quyết đúng hạn", 2, "thuong", "tuyen_tinh", 100, None, None, "ty_le", None,
     "du_lieu_motcua", "2.1", "QĐ 766/QĐ-TTg"],
]  # fmt: skip


TEMPLATE_SETTINGS = {
    "level": Level.COMMUNE.value, "year": 2026, "name": "Bộ chỉ số CCHC UBND cấp xã", "max_points": 100,
    "survey_max": 0, "effective_from": "01/01/2026", "not_applicable": NotApplicable.REDUCE_MAX.value,
}  # fmt: skip


class WorkbookErrors(DomainError):
    """Every error of a workbook, each with its sheet and row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("Tệp có lỗi, chưa nhập gì: " + "; ".join(errors[:50]))
        self.errors = errors


def template(out: BinaryIO) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SETTINGS_SHEET
    for key, title in SETTINGS:
        sheet.append([title, TEMPLATE_SETTINGS.get(key)])
    items = book.create_sheet(ITEMS_SHEET)
    items.append([title for _, title in COLUMNS])
    for row in EXAMPLE:
        items.append(row)
    book.save(out)


@dataclass
class _Read:
    settings: dict[str, Any]
    rows: list[tuple[int, dict[str, Any]]]


def _open(source: BinaryIO) -> _Read:
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise WorkbookErrors(["tệp không phải bảng tính Excel (.xlsx)"]) from None
    missing = [name for name in (SETTINGS_SHEET, ITEMS_SHEET) if name not in book.sheetnames]
    if missing:
        raise WorkbookErrors([f"thiếu trang tính '{name}'" for name in missing])
    values = [row[1] if len(row) > 1 else None for row in book[SETTINGS_SHEET].iter_rows(values_only=True)]
    settings = {key: values[i] if i < len(values) else None for i, (key, _) in enumerate(SETTINGS)}
    rows = []
    for number, row in enumerate(book[ITEMS_SHEET].iter_rows(min_row=2, values_only=True), 2):
        if not any(cell not in (None, "") for cell in row):
            continue
        rows.append((number, {key: row[i] if i < len(row) else None for i, (key, _) in enumerate(COLUMNS)}))
    return _Read(settings, rows)


def _text(value: Any, limit: int) -> str:
    text = "" if value is None else str(value).strip()
    if "\x00" in text or len(text) > limit:
        raise ValueError(f"dài quá {limit} ký tự hoặc có ký tự không hợp lệ")
    return text


def _decimal(value: Any, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValueError("bắt buộc")
        return None
    return scoring.number(str(value))


def _day(value: Any, *, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value in (None, ""):
        if required:
            raise ValueError("bắt buộc")
        return None
    try:
        return datetime.strptime(str(value).strip(), "%d/%m/%Y").date()  # noqa: DTZ007 (a date, no time)
    except ValueError:
        raise ValueError("ngày phải viết dd/mm/yyyy") from None


def _name(value: Any) -> str:
    text = _text(value, 300)
    if not text:
        raise ValueError("bắt buộc")
    return text


def _check_settings(raw: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    titles = dict(SETTINGS)
    checks: dict[str, Callable[[Any], Any]] = {
        "level": lambda v: Level(_text(v, 20)),
        "year": lambda v: int(_decimal(v, required=True) or 0),
        "name": _name,
        "decision_number": lambda v: _text(v, 60),
        "decision_date": _day,
        "max_points": lambda v: _decimal(v) or Decimal(100),
        "survey_max": lambda v: _decimal(v) or Decimal(0),
        "effective_from": lambda v: _day(v, required=True),
        "effective_to": _day,
        "not_applicable": lambda v: NotApplicable(_text(v, 30) or NotApplicable.REDUCE_MAX),
    }
    for row, (key, _) in enumerate(SETTINGS, 1):
        try:
            out[key] = checks[key](raw.get(key))
        except (ValueError, DomainError) as bad:
            errors.append(f"trang '{SETTINGS_SHEET}', dòng {row} ({titles[key]}): {_reason(bad)}")
    if not errors and not 2000 <= out["year"] <= 2100:
        errors.append(f"trang '{SETTINGS_SHEET}', dòng 2 (Năm): năm không hợp lệ")
    return out


def _reason(bad: Exception) -> str:
    if isinstance(bad, DomainError):
        return bad.message
    text = str(bad)
    return text if text and "is not a valid" not in text else "giá trị không thuộc danh mục"


def _check_row(number: int, raw: dict[str, Any], codes: set[str], errors: list[str]) -> dict[str, Any] | None:
    where = f"trang '{ITEMS_SHEET}', dòng {number}"
    try:
        code = _text(raw["code"], 20)
        parts = code.split(".")
        if not code or not all(part.isdigit() for part in parts) or len(parts) > 3:
            raise ValueError("mã phải dạng 1, 1.1 hoặc 1.1.1")
        if code in codes:
            raise ValueError(f"mã {code} bị trùng")
        parent = ".".join(parts[:-1])
        if parent and parent not in codes:
            raise ValueError(f"mã cấp trên {parent} chưa có ở dòng trước")
        name = _text(raw["name"], 1000)
        if not name:
            raise ValueError("thiếu tên")
        codes.add(code)
        if len(parts) < 3:
            return {"code": code, "name": name}
        row = {
            "code": code, "name": name, "max_points": _decimal(raw["max_points"], required=True),
            "sign": Sign(_text(raw["sign"], 10) or Sign.NORMAL), "rule": Rule(_text(raw["rule"], 20)),
            "threshold": _decimal(raw["threshold"]), "bands": _text(raw["bands"], 300),
            "per_count": _decimal(raw["per_count"]), "input_type": InputType(_text(raw["input_type"], 20)),
            "evidence_required": _text(raw["evidence_required"], 5).lower() in ("x", "có", "co"),
            "method": Method(_text(raw["method"], 20)), "indicator": _text(raw["indicator"], 10),
            "source": _text(raw["source"], 500),
        }  # fmt: skip
        scoring.parse_bands(str(row["bands"]))
        if row["rule"] == Rule.LINEAR and not row["threshold"]:
            raise ValueError("cách tính tuyến tính cần ngưỡng")
        if row["rule"] == Rule.BANDS and not row["bands"]:
            raise ValueError("cách tính theo khoảng cần khoảng điểm")
        if row["rule"] == Rule.COUNT and not row["per_count"]:
            raise ValueError("cách tính theo số lượng cần điểm mỗi đơn vị đếm")
        if row["method"] == Method.DATA and not row["indicator"]:
            raise ValueError("tiêu chí lấy dữ liệu motcua phải nêu chỉ tiêu QĐ 766")
        return row
    except (ValueError, DomainError) as bad:
        errors.append(f"{where}: {_reason(bad)}")
        return None


def import_set(source: BinaryIO) -> ParIndexSet:
    """Read a workbook into a new, unpublished version of the set for its level and year; all or nothing."""
    read = _open(source)
    errors: list[str] = []
    settings = _check_settings(read.settings, errors)
    codes: set[str] = set()
    rows = [(number, _check_row(number, raw, codes, errors)) for number, raw in read.rows]
    if not rows:
        errors.append(f"trang '{ITEMS_SHEET}': chưa có tiêu chí nào")
    if errors:
        raise WorkbookErrors(errors)
    with transaction.atomic():
        latest = ParIndexSet.objects.filter(level=settings["level"], year=settings["year"]).aggregate(v=Max("version"))
        index_set = ParIndexSet.objects.create(version=(latest["v"] or 0) + 1, **settings)
        fields: dict[str, Field] = {}
        criteria: dict[str, Criterion] = {}
        for order, (_, row) in enumerate(rows):
            assert row is not None
            depth = row["code"].count(".")
            if depth == 0:
                fields[row["code"]] = Field.objects.create(index_set=index_set, order=order, **row)
            elif depth == 1:
                field = fields[row["code"].rsplit(".", 1)[0]]
                criteria[row["code"]] = Criterion.objects.create(index_set=index_set, field=field, order=order, **row)
            else:
                criterion = criteria[row["code"].rsplit(".", 1)[0]]
                SubCriterion.objects.create(index_set=index_set, criterion=criterion, order=order, **row)
    return index_set


LABELS = {"levels": LEVEL_LABELS, "rules": RULE_LABELS, "inputs": INPUT_LABELS, "methods": METHOD_LABELS}
