"""Convert national procedure records to and from the Excel workbook that officers fill in.

The workbook has one sheet per list of the record, one row per item, joined back by the procedure code
(MATTHC). Row 1 holds the Vietnamese column titles, row 2 the national field names, data starts at row 3.
Nested lists (cases, channels, time limits) are grouped by an "STT" column so that two groups with the same
case name stay apart; officers may leave STT blank, then rows with the same case name form one group.

This module only converts: the importer validates the records. It reports cells it cannot read (text where a
number is needed, an impossible date, a value outside an enumeration, an unknown sheet or column), all at once.

Known limits of the round trip: a step list holding only one step with a blank name reads back as no step (the
blank row is how an empty group is written); numbers keep 16 significant digits, as openpyxl writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .excel_cells import (
    _CAPTHUCHIEN,
    _CHUCVU,
    _DONVITINH,
    _KENH,
    _MUCDO,
    _REQUIRED,
    _VAITRO,
    CHUCVU_CHOICES,
    DONVITINH_CHOICES,
    CellProblem,
    ExcelFormatError,
    _bool,
    _CellError,
    _code,
    _Column,
    _date,
    _enum,
    _int,
    _is_blank,
    _normalize,
    _number,
    _Problems,
    _read_number,
    _read_text,
    _stt,
    _text,
    _validation,
)

__all__ = [
    "CHUCVU_CHOICES",
    "DONVITINH_CHOICES",
    "CellProblem",
    "ExcelFormatError",
    "records_from_workbook",
    "workbook_from_records",
]

FIRST_DATA_ROW = 3
GUIDE_SHEET = "Hướng dẫn"


@dataclass(frozen=True)
class _Sheet:
    """A sheet of the workbook: its columns, and how records become rows and rows become record fields."""

    name: str
    columns: tuple[_Column, ...]
    rows_of: Callable[[dict[str, Any]], list[dict[str, Any]]]
    fill: Callable[[dict[str, Any], list[_Row]], None]

    def column(self, key: str) -> _Column:
        return next(column for column in self.columns if column.key == key)


@dataclass
class _Row:
    """A data row of a sheet, parsed cell by cell; blank required cells are reported only when used."""

    sheet: _Sheet
    number: int
    raw: dict[str, object]
    values: dict[str, Any]
    problems: _Problems
    unreadable: set[str] = field(default_factory=set)

    def get(self, key: str) -> Any:
        """Return the value of a cell, reporting it when it is required and blank."""
        value = self.values[key]
        if key in self.unreadable:
            return None
        if value is _REQUIRED:
            self.report(key, "Ô này không được để trống.")
            return None
        return value

    def blank(self, keys: Iterable[str]) -> bool:
        """Tell whether all these cells are empty."""
        return all(_is_blank(self.raw[key]) for key in keys)

    def report(self, key: str, message: str) -> None:
        """Record a problem at one cell of this row."""
        column = self.sheet.column(key)
        self.problems.add(self.sheet.name, self.number, column.title, message, self.sheet.columns.index(column) + 1)


def _group(rows: list[_Row], stt_key: str, shared_keys: Sequence[str]) -> list[list[_Row]]:
    """Split rows into groups by STT (or, without STT, by the shared columns), in order of first appearance."""
    groups: dict[Hashable, list[_Row]] = {}
    for row in rows:
        if _is_blank(row.raw[stt_key]):
            key: Hashable = ("same", tuple(_hashable(row.values[k]) for k in shared_keys))
        elif stt_key in row.unreadable:
            key = ("row", row.number)
        else:
            key = ("stt", row.values[stt_key])
        groups.setdefault(key, []).append(row)
    for group in groups.values():
        first = group[0]
        for row in group[1:]:
            # Within an STT group the shared columns may be filled on the first row only, as with merged cells.
            if row.blank(shared_keys):
                row.raw.update({k: first.raw[k] for k in shared_keys})
                row.values.update({k: first.values[k] for k in shared_keys})
                row.unreadable.difference_update(shared_keys)
                continue
            for k in shared_keys:
                if _hashable(row.values[k]) != _hashable(first.values[k]) and k not in row.unreadable:
                    stt = row.sheet.column(stt_key).title
                    row.report(k, f"Cùng {stt} với dòng {first.number} nên phải ghi giống dòng đó (hoặc để trống).")
    return list(groups.values())


def _hashable(value: Any) -> Hashable:
    return (type(value) is float, value) if isinstance(value, int | float) else value


def _items(group: list[_Row], item_keys: Sequence[str]) -> list[_Row]:
    """Return the rows that are items; a lone row with the item columns blank stands for an empty list."""
    return [] if len(group) == 1 and group[0].blank(item_keys) else group


def _pick(row: _Row, keys: Iterable[str], rename: Callable[[str], str] = lambda key: key) -> dict[str, Any]:
    return {rename(key): row.get(key) for key in keys}


def _leaf(key: str) -> str:
    return key.rsplit(".", 1)[-1]


# ---- simple lists: one row per item ---------------------------------------------------------------------------


def _list_sheet(name: str, list_key: str, columns: Sequence[_Column]) -> _Sheet:
    keys = [column.key for column in columns]

    def rows_of(record: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"MATTHC": record.get("MATTHC", ""), **item} for item in record.get(list_key) or []]

    def fill(record: dict[str, Any], rows: list[_Row]) -> None:
        record[list_key] = [_pick(row, keys) for row in rows]

    return _Sheet(name, (_code(), *columns), rows_of, fill)


# ---- Thủ tục: the scalar fields -------------------------------------------------------------------------------

_PROCEDURE_TEXT = ("TENTTHC", "MOTA", "TUKHOA", "YEUCAU", "MOTADOITUONGTHUCHIEN")


def _procedure_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    motcua = record.get("MOTCUA") or {}
    decision = motcua.get("QUYETDINHCONGBO") or {}
    authority = motcua.get("THAMQUYEN") or {}
    row = {key: record.get(key, "") for key in ("MATTHC", *_PROCEDURE_TEXT)}
    row.update(
        {
            "QUYETDINHCONGBO.SO": decision.get("SO", ""),
            "QUYETDINHCONGBO.NGAY": decision.get("NGAY", ""),
            "HIEULUCTU": motcua.get("HIEULUCTU", ""),
            "MUCDO": motcua.get("MUCDO", ""),
            "PHIDIAGIOI": motcua.get("PHIDIAGIOI"),
            "THAMQUYEN.LOAIDONVI": authority.get("LOAIDONVI", ""),
            "THAMQUYEN.MADONVI": authority.get("MADONVI", ""),
        }
    )
    return [row]


def _fill_procedure(record: dict[str, Any], rows: list[_Row]) -> None:
    (row,) = rows
    record.update(_pick(row, _PROCEDURE_TEXT))
    # THAMQUYEN names the competent unit either by kind or by code: only the filled column becomes a key.
    authority = {
        _leaf(key): row.get(key)
        for key in ("THAMQUYEN.LOAIDONVI", "THAMQUYEN.MADONVI")
        if not _is_blank(row.raw[key]) or key in row.unreadable
    }
    record["MOTCUA"].update(
        {
            "QUYETDINHCONGBO": {"SO": row.get("QUYETDINHCONGBO.SO"), "NGAY": row.get("QUYETDINHCONGBO.NGAY")},
            "HIEULUCTU": row.get("HIEULUCTU"),
            "MUCDO": row.get("MUCDO"),
            "PHIDIAGIOI": row.get("PHIDIAGIOI"),
            "THAMQUYEN": authority,
        }
    )


_PROCEDURE = _Sheet(
    "Thủ tục",
    (
        _code(),
        _text("TENTTHC", "Tên thủ tục", 40, wrap=True),
        _text("MOTA", "Mô tả", 40, wrap=True),
        _text("TUKHOA", "Từ khóa", 20),
        _text("YEUCAU", "Yêu cầu, điều kiện", 40, wrap=True),
        _text("MOTADOITUONGTHUCHIEN", "Mô tả đối tượng thực hiện", 30, wrap=True),
        _text("QUYETDINHCONGBO.SO", "Số quyết định công bố", 20),
        _date("QUYETDINHCONGBO.NGAY", "Ngày quyết định công bố"),
        _date("HIEULUCTU", "Hiệu lực từ ngày"),
        _enum("MUCDO", "Mức độ dịch vụ công trực tuyến", 16, _MUCDO),
        _bool("PHIDIAGIOI", "Phi địa giới"),
        _text("THAMQUYEN.LOAIDONVI", "Thẩm quyền: loại đơn vị", 22, hint="điền loại hoặc mã, không cả hai"),
        _text("THAMQUYEN.MADONVI", "Thẩm quyền: mã đơn vị", 18, hint="điền loại hoặc mã, không cả hai"),
    ),
    _procedure_rows,
    _fill_procedure,
)


# ---- Cơ quan: three lists in one sheet, told apart by role ----------------------------------------------------

_AGENCY_LISTS = tuple(choice.value for choice in _VAITRO)


def _agency_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"MATTHC": record.get("MATTHC", ""), "VAITRO": list_key, **item}
        for list_key in _AGENCY_LISTS
        for item in record.get(list_key) or []
    ]


def _fill_agencies(record: dict[str, Any], rows: list[_Row]) -> None:
    for row in rows:
        role = row.get("VAITRO")
        if role is not None:
            record[role].append(_pick(row, ("MADONVI", "TENDONVI")))


_AGENCIES = _Sheet(
    "Cơ quan",
    (
        _code(),
        _enum("VAITRO", "Vai trò", 16, _VAITRO, blank=_REQUIRED),
        _text("MADONVI", "Mã đơn vị", 16),
        _text("TENDONVI", "Tên đơn vị", 40, wrap=True),
    ),
    _agency_rows,
    _fill_agencies,
)


# ---- grouped lists: cases with their items --------------------------------------------------------------------


def _case_sheet(
    name: str,
    path: tuple[str, ...],
    stt: _Column,
    item_list: str,
    item_columns: Sequence[_Column],
    case_title: str = "Trường hợp",
) -> _Sheet:
    """Build a sheet for a list of {TRUONGHOP, <item_list>: [...]}, found at `path` inside the record."""
    item_keys = [column.key for column in item_columns]

    def rows_of(record: dict[str, Any]) -> list[dict[str, Any]]:
        rows = []
        for number, case in enumerate(_at(record, path), start=1):
            base = {"MATTHC": record.get("MATTHC", ""), stt.key: number, "TRUONGHOP": case.get("TRUONGHOP", "")}
            items = case.get(item_list) or []
            rows.extend([{**base, **item} for item in items] or [base])
        return rows

    def fill(record: dict[str, Any], rows: list[_Row]) -> None:
        cases = []
        for group in _group(rows, stt.key, ["TRUONGHOP"]):
            items = [_pick(row, item_keys) for row in _items(group, item_keys)]
            cases.append({"TRUONGHOP": group[0].get("TRUONGHOP"), item_list: items})
        _set(record, path, cases)

    return _Sheet(name, (_code(), stt, _text("TRUONGHOP", case_title, 30, wrap=True), *item_columns), rows_of, fill)


def _at(record: dict[str, Any], path: Sequence[str]) -> list[dict[str, Any]]:
    node: Any = record
    for key in path:
        node = (node or {}).get(key)
    return list(node or [])


def _set(record: dict[str, Any], path: Sequence[str], value: Any) -> None:
    node = record
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


# ---- Thời hạn và phí: channels, their time limits, and the fees of each time limit -----------------------------

_TIME_KEYS = ("STT_THOIGIAN", "THOIGIAN.TRUONGHOP", "THOIGIANGIAIQUYET", "DONVITINH", "THOIGIAN.MOTA")
_FEE_KEYS = ("MAPHILEPHI", "SOTIEN", "DONVI", "PHILEPHI.MOTA")


def _time_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for channel_number, channel in enumerate(record.get("CACHTHUCTHUCHIEN") or [], start=1):
        base = {"MATTHC": record.get("MATTHC", ""), "STT_CACHTHUC": channel_number, "KENH": channel.get("KENH")}
        limits = channel.get("THOIGIAN") or []
        if not limits:
            rows.append(base)
        for limit_number, limit in enumerate(limits, start=1):
            limit_row = {
                **base,
                "STT_THOIGIAN": limit_number,
                "THOIGIAN.TRUONGHOP": limit.get("TRUONGHOP", ""),
                "THOIGIANGIAIQUYET": limit.get("THOIGIANGIAIQUYET"),
                "DONVITINH": limit.get("DONVITINH", ""),
                "THOIGIAN.MOTA": limit.get("MOTA", ""),
            }
            fees = [
                {**limit_row, **{f"PHILEPHI.{k}" if k == "MOTA" else k: v for k, v in fee.items()}}
                for fee in limit.get("PHILEPHI") or []
            ]
            rows.extend(fees or [limit_row])
    return rows


def _fill_times(record: dict[str, Any], rows: list[_Row]) -> None:
    channels = []
    for channel_rows in _group(rows, "STT_CACHTHUC", ["KENH"]):
        limits = []
        limit_rows = _items(channel_rows, (*_TIME_KEYS, *_FEE_KEYS))
        for group in _group(limit_rows, "STT_THOIGIAN", _TIME_KEYS[1:]):
            fees = [_pick(row, _FEE_KEYS, _leaf) for row in _items(group, _FEE_KEYS)]
            limits.append({**_pick(group[0], _TIME_KEYS[1:], _leaf), "PHILEPHI": fees})
        channels.append({"KENH": channel_rows[0].get("KENH"), "THOIGIAN": limits})
    record["CACHTHUCTHUCHIEN"] = channels


_TIMES = _Sheet(
    "Thời hạn và phí",
    (
        _code(),
        _stt("STT_CACHTHUC", "STT cách thức"),
        _enum("KENH", "Kênh (1 trực tiếp, 2 trực tuyến, 3 bưu chính)", 16, _KENH, blank=_REQUIRED, number_format="0"),
        _stt("STT_THOIGIAN", "STT thời hạn"),
        _text("THOIGIAN.TRUONGHOP", "Trường hợp", 30, wrap=True),
        _number("THOIGIANGIAIQUYET", "Thời gian giải quyết"),
        _enum("DONVITINH", "Đơn vị tính", 16, _DONVITINH),
        _text("THOIGIAN.MOTA", "Mô tả thời hạn", 30, wrap=True),
        _text("MAPHILEPHI", "Mã phí, lệ phí", 14),
        _int("SOTIEN", "Số tiền (đồng)", 14, number_format="#,##0"),
        _text("DONVI", "Đơn vị tiền", 12),
        _text("PHILEPHI.MOTA", "Mô tả phí, lệ phí", 30, wrap=True),
    ),
    _time_rows,
    _fill_times,
)


_SHEETS: tuple[_Sheet, ...] = (
    _PROCEDURE,
    _list_sheet(
        "Cấp thực hiện",
        "CAPTHUCHIEN",
        (
            _enum(
                "CAPTHUCHIEN",
                "Cấp thực hiện (0 bộ, 1 tỉnh, 3 xã)",
                16,
                _CAPTHUCHIEN,
                blank=_REQUIRED,
                number_format="0",
            ),
            _text("TENCAP", "Tên cấp", 20),
        ),
    ),
    _list_sheet(
        "Lĩnh vực", "LINHVUCTHUCHIEN", (_text("MALINHVUC", "Mã lĩnh vực", 16), _text("TENLINHVUC", "Tên lĩnh vực", 40))
    ),
    _list_sheet(
        "Đối tượng",
        "DOITUONGTHUCHIEN",
        (_text("MADOITUONG", "Mã đối tượng", 14), _text("TENDOITUONG", "Tên đối tượng", 40)),
    ),
    _list_sheet(
        "Kết quả",
        "KETQUATHUCHIEN",
        (_text("MAKETQUA", "Mã kết quả", 14), _text("TENKETQUA", "Tên kết quả", 40, wrap=True)),
    ),
    _list_sheet(
        "Căn cứ pháp lý",
        "CANCUPHAPLY",
        (
            _text("SOVANBAN", "Số văn bản", 18),
            _text("TENVANBAN", "Tên văn bản", 40, wrap=True),
            _date("NGAYBANHANH", "Ngày ban hành"),
            _date("NGAYHIEULUC", "Ngày hiệu lực"),
            _text("COQUANBANHANH", "Cơ quan ban hành", 24),
        ),
    ),
    _AGENCIES,
    _case_sheet(
        "Trình tự",
        ("TRINHTUTHUCHIEN",),
        _stt("STT_TRUONGHOP", "STT trường hợp"),
        "TRINHTU",
        (_text("TENTRINHTU", "Tên bước", 60, wrap=True),),
    ),
    _case_sheet(
        "Thành phần hồ sơ",
        ("THANHPHANHOSO",),
        _stt("STT_TRUONGHOP", "STT trường hợp"),
        "GIAYTO",
        (
            _text("MAGIAYTO", "Mã giấy tờ", 12),
            _text("TENGIAYTO", "Tên giấy tờ", 40, wrap=True),
            _int("SOBANCHINH", "Số bản chính"),
            _int("SOBANSAO", "Số bản sao"),
            _text("TENMAUDON", "Tên mẫu đơn", 24, wrap=True),
            _text("URL", "Đường dẫn mẫu đơn", 24),
            _text("MA_KQ_THAYTHE", "Mã kết quả thay thế", 16),
            _bool("BATBUOC", "Bắt buộc"),
        ),
    ),
    _TIMES,
    _case_sheet(
        "Quy trình nội bộ",
        ("MOTCUA", "QUYTRINH"),
        _stt("STT_QUYTRINH", "STT quy trình"),
        "BUOC",
        (
            _text("TENBUOC", "Tên bước", 40, wrap=True),
            _Column(
                "DONVI",
                "Đơn vị xử lý",
                16,
                validation=_validation(
                    "list",
                    values=("receiving", "competent"),
                    strict=False,
                    prompt="receiving: bộ phận một cửa; competent: cơ quan có thẩm quyền; hoặc ghi mã đơn vị.",
                ),
                hint="receiving / competent / mã đơn vị",
            ),
            _enum("CHUCVU", "Chức vụ", 22, _CHUCVU),
            _number("SOGIO", "Số giờ"),
        ),
    ),
)
_SHEET_BY_NAME = {_normalize(sheet.name): sheet for sheet in _SHEETS}


def _empty_record(code: str) -> dict[str, Any]:
    """Return a record with every key present, so that empty lists survive the round trip."""
    return {
        "MATTHC": code,
        **dict.fromkeys(_PROCEDURE_TEXT, ""),
        **{
            key: []
            for key in (
                "CAPTHUCHIEN",
                "LINHVUCTHUCHIEN",
                "DOITUONGTHUCHIEN",
                "KETQUATHUCHIEN",
                "CANCUPHAPLY",
                *_AGENCY_LISTS,
                "TRINHTUTHUCHIEN",
                "THANHPHANHOSO",
                "CACHTHUCTHUCHIEN",
            )
        },
        "MOTCUA": {"QUYTRINH": []},
    }


# ---------------------------------------------------------------------------------------------------------------
# Writing


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_KEY_FONT = Font(italic=True, size=9, color="595959")
_KEY_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

_GUIDE = (
    "Hướng dẫn điền bảng tính thủ tục hành chính",
    "",
    "Mỗi trang là một danh sách của thủ tục; mỗi dòng là một mục. Các trang nối với nhau bằng cột Mã thủ tục.",
    "Dòng 1 là tên cột, dòng 2 là tên trường theo chuẩn quốc gia: không sửa, không xóa hai dòng này.",
    "Thứ tự các dòng là thứ tự các mục trong thủ tục.",
    "Ngày ghi dạng dd/mm/yyyy, ví dụ 01/07/2025. Cột có/không ghi “có” hoặc “không”.",
    "Kênh: 1 trực tiếp, 2 trực tuyến, 3 bưu chính. Cấp thực hiện: 0 bộ, 1 tỉnh, 3 xã.",
    "Các dòng cùng STT (trường hợp, cách thức, thời hạn, quy trình) thuộc cùng một nhóm; các cột của nhóm "
    "(trường hợp, kênh, thời gian giải quyết…) chỉ cần ghi ở dòng đầu của nhóm.",
    "Nhóm chưa có mục con (ví dụ thời hạn không có phí): ghi một dòng và để trống các cột của mục con.",
    "Cột Đơn vị xử lý của Quy trình nội bộ: receiving (bộ phận một cửa), competent (cơ quan có thẩm quyền) "
    "hoặc mã đơn vị.",
    "Thẩm quyền: điền loại đơn vị hoặc mã đơn vị, không điền cả hai.",
)


def workbook_from_records(records: list[dict[str, Any]]) -> openpyxl.Workbook:
    """Build the officers' workbook for these records; an empty list gives the blank template."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in _SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        _write_headers(worksheet, sheet)
        for row_number, values in enumerate(
            (row for record in records for row in sheet.rows_of(record)), start=FIRST_DATA_ROW
        ):
            _write_row(worksheet, sheet, row_number, values)
    _write_guide(workbook.create_sheet(GUIDE_SHEET))
    workbook.active = 0
    return workbook


def _write_headers(worksheet: Worksheet, sheet: _Sheet) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        title = worksheet.cell(1, index, column.title)
        title.font, title.fill, title.border = _HEADER_FONT, _HEADER_FILL, _BORDER
        title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.hint:
            title.comment = Comment(column.hint, "motcua")
        key = worksheet.cell(2, index, column.key)
        key.font, key.fill, key.border = _KEY_FONT, _KEY_FILL, _BORDER
        key.alignment = Alignment(horizontal="center")
        dimension = worksheet.column_dimensions[letter]
        dimension.width = column.width
        # A column style makes cells the officer types into later keep this format (text stays text).
        dimension.number_format = column.number_format
        if column.wrap:
            dimension.alignment = Alignment(wrap_text=True, vertical="top")
        if column.validation is not None:
            rule = _copy_validation(column.validation)
            rule.add(f"{letter}{FIRST_DATA_ROW}:{letter}1048576")
            worksheet.add_data_validation(rule)
    worksheet.row_dimensions[1].height = 45
    worksheet.freeze_panes = f"B{FIRST_DATA_ROW}"


def _copy_validation(rule: DataValidation) -> DataValidation:
    copy = DataValidation(type=rule.type, operator=rule.operator, formula1=rule.formula1, allow_blank=rule.allow_blank)
    for attribute in ("showErrorMessage", "showInputMessage", "errorTitle", "error", "prompt"):
        setattr(copy, attribute, getattr(rule, attribute))
    return copy


def _write_row(worksheet: Worksheet, sheet: _Sheet, row_number: int, values: dict[str, Any]) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        value = column.write(values.get(column.key))
        if value is None or value == "":
            continue
        cell = worksheet.cell(row_number, index, value)
        if isinstance(value, str):
            # Text starting with "=" is text here, not a formula.
            cell.data_type = "s"
        cell.number_format = column.number_format
        if isinstance(value, float) and value.is_integer() and column.read is _read_number:
            cell.number_format = "0.0"
        if column.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_guide(worksheet: Worksheet) -> None:
    worksheet.column_dimensions["A"].width = 120
    for row_number, line in enumerate(_GUIDE, start=1):
        cell = worksheet.cell(row_number, 1, line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    worksheet["A1"].font = Font(bold=True, size=14)


# ---------------------------------------------------------------------------------------------------------------
# Reading


def records_from_workbook(source: str | Path | BinaryIO) -> list[dict[str, Any]]:
    """Read the officers' workbook back into records, or raise ExcelFormatError listing every problem."""
    try:
        workbook = openpyxl.load_workbook(source, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        message = f"Không mở được tệp: đây không phải bảng tính Excel (.xlsx) hợp lệ ({type(error).__name__})."
        raise ExcelFormatError([CellProblem("", None, None, message)]) from error

    problems = _Problems()
    tables: dict[str, list[_Row]] = {}
    for position, worksheet in enumerate(workbook.worksheets):
        problems.sheet_order[worksheet.title] = position
        name = _normalize(worksheet.title)
        if name == _normalize(GUIDE_SHEET):
            continue
        sheet = _SHEET_BY_NAME.get(name)
        if sheet is None:
            known = ", ".join(f"“{sheet.name}”" for sheet in _SHEETS)
            problems.add(worksheet.title, None, None, f"Trang tính không được hỗ trợ; chỉ dùng các trang {known}.")
        elif sheet.name in tables:
            problems.add(worksheet.title, None, None, f"Trang “{sheet.name}” bị lặp.")
        else:
            tables[sheet.name] = _read_sheet(worksheet, sheet, problems)
    if _PROCEDURE.name not in tables:
        problems.add(_PROCEDURE.name, None, None, "Thiếu trang “Thủ tục”, nơi liệt kê các thủ tục.")

    records = _assemble(tables, problems)
    if problems:
        raise ExcelFormatError(problems.sorted())
    return records


def _read_sheet(worksheet: Worksheet, sheet: _Sheet, problems: _Problems) -> list[_Row]:
    """Map the header to the sheet's columns and parse every non-blank row."""
    merged = _merged_values(worksheet)
    width = worksheet.max_column
    titles = [_normalize(str(worksheet.cell(1, i).value or "")) for i in range(1, width + 1)]
    keys = [_normalize(str(worksheet.cell(2, i).value or "")) for i in range(1, width + 1)]
    by_key = {_normalize(column.key): column for column in sheet.columns}
    by_title = {_normalize(column.title): column for column in sheet.columns}
    # Row 2 carries the national field names; if an officer deleted it, data starts right under the titles.
    has_key_row = any(key in by_key for key in keys)
    first_row = FIRST_DATA_ROW if has_key_row else FIRST_DATA_ROW - 1

    found: dict[int, _Column] = {}
    untitled: list[int] = []
    for index in range(1, width + 1):
        key, title = keys[index - 1] if has_key_row else "", titles[index - 1]
        column = by_key.get(key) or by_title.get(title) or by_key.get(title)
        header = str(worksheet.cell(1, index).value or worksheet.cell(2, index).value or "").strip()
        if column is None:
            if key or title:
                problems.add(sheet.name, 1, header, "Cột không được hỗ trợ; hãy xóa cột này hoặc sửa lại tên cột.")
            else:
                untitled.append(index)
        elif column in found.values():
            problems.add(sheet.name, 1, column.title, "Cột bị lặp.", sheet.columns.index(column) + 1)
        else:
            found[index] = column
    missing = [column for column in sheet.columns if column not in found.values()]
    for column in missing:
        message = f"Thiếu cột “{column.title}” ({column.key})."
        problems.add(sheet.name, 1, column.title, message, sheet.columns.index(column) + 1)

    rows: list[_Row] = []
    reported_untitled: set[int] = set()
    for row_number in range(first_row, worksheet.max_row + 1):
        cells = {index: merged.get((row_number, index)) or _cell(worksheet, row_number, index) for index in found}
        for index in untitled:
            if index not in reported_untitled and not _is_blank(worksheet.cell(row_number, index).value):
                reported_untitled.add(index)
                letter = get_column_letter(index)
                problems.add(sheet.name, row_number, letter, "Cột có dữ liệu nhưng không có tên cột ở dòng 1.")
        if all(_is_blank(cell[0]) for cell in cells.values()):
            continue
        row = _Row(sheet, row_number, {}, {}, problems)
        for index, column in found.items():
            value, number_format = cells[index]
            row.raw[column.key] = value
            if _is_blank(value) and not (column.read is _read_text and isinstance(value, str)):
                row.values[column.key] = column.blank
                continue
            try:
                row.values[column.key] = column.read(value, number_format)
            except _CellError as error:
                row.values[column.key] = None
                row.unreadable.add(column.key)
                row.report(column.key, str(error))
        for column in missing:
            # Already reported once for the sheet; do not repeat it on every row.
            row.raw[column.key] = None
            row.values[column.key] = column.blank
            row.unreadable.add(column.key)
        rows.append(row)
    return rows


def _cell(worksheet: Worksheet, row: int, column: int) -> tuple[object, str]:
    cell = worksheet.cell(row, column)
    return cell.value, str(cell.number_format)


def _merged_values(worksheet: Worksheet) -> dict[tuple[int, int], tuple[object, str]]:
    """Give every cell of a merged range the value of its top-left cell, as the officer sees it."""
    values: dict[tuple[int, int], tuple[object, str]] = {}
    for merged in worksheet.merged_cells.ranges:
        top_left = worksheet.cell(merged.min_row, merged.min_col)
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values[(row, col)] = (top_left.value, top_left.number_format)
    return values


def _assemble(tables: dict[str, list[_Row]], problems: _Problems) -> list[dict[str, Any]]:
    """Build the records from the Thủ tục sheet and attach each other sheet's rows by procedure code."""
    records: dict[str, dict[str, Any]] = {}
    first_rows: dict[str, int] = {}
    for row in tables.get(_PROCEDURE.name, []):
        code = row.get("MATTHC")
        if code is None:
            continue
        if code in records:
            row.report("MATTHC", f"Mã thủ tục “{code}” đã có ở dòng {first_rows[code]}.")
            continue
        first_rows[code] = row.number
        records[code] = _empty_record(code)
        _PROCEDURE.fill(records[code], [row])

    for sheet in _SHEETS[1:]:
        by_code: dict[str, list[_Row]] = {}
        for row in tables.get(sheet.name, []):
            code = row.get("MATTHC")
            if code is None:
                continue
            if code not in records:
                row.report("MATTHC", f"Mã thủ tục “{code}” không có trên trang “{_PROCEDURE.name}”.")
                continue
            by_code.setdefault(code, []).append(row)
        for code, rows in by_code.items():
            sheet.fill(records[code], rows)
    return list(records.values())
