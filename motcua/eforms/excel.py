"""The catalogue workbook with its e-forms: three more sheets beside the catalogue's (motcua/catalogue/excel.py).

"Biểu mẫu" holds the definitions (`motcua-eform/1`, docs/eforms.md), one row per field: the form's columns (procedure,
case, title, source …) and the section's columns are repeated on each row, or left blank after the first row of the
form or section; the cross-field rules sit, as JSON, on the first row of the form. "Danh mục" lists the pick-lists the
forms use, for the officer to read: on import it must match the lists the system ships, else it is a problem.
"Mẫu kết quả" holds the result templates (`motcua-result/1`), one row each, a long body continuing on the next rows.

Cells are read and problems reported as the catalogue's sheets do (sheet, row, column), all at once, and a definition
that does not hold is reported at the cells it came from. Export then import gives the documents back exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from zipfile import BadZipFile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from motcua.catalogue import excel as catalogue_excel
from motcua.catalogue.excel import FIRST_DATA_ROW, GUIDE_SHEET, _read_sheet, _Row, _Sheet, _write_headers, _write_row
from motcua.catalogue.excel_cells import (
    _REQUIRED,
    CellProblem,
    ExcelFormatError,
    _bool,
    _CellError,
    _Choice,
    _code,
    _Column,
    _enum,
    _escape,
    _is_blank,
    _normalize,
    _Problems,
    _read_text,
    _text,
)

from .answers import PERSON_TYPES
from .definition import FORMAT, PERSON_PARTS, DefinitionError, parse
from .lists import pick_lists
from .result_template import FORMAT as RESULT_FORMAT

__all__ = ["ExcelFormatError", "records_from_workbook", "workbook_from_records"]

FORMS_SHEET, LISTS_SHEET, RESULTS_SHEET = "Biểu mẫu", "Danh mục", "Mẫu kết quả"
CELL_TEXT = 30_000  # an Excel cell holds 32,767 characters: a longer body continues on the next rows
TYPE_ORDER = ("text", "number", "date", "choice", "id_number", "phone", "email", "address", "person", "paper")
FIELD_KEYS = ("key", "label", "hint", "type", "required", "shown_if", "result", "national")  # the rest: options


def _read_json(value: object, number_format: str) -> Any:
    try:
        return json.loads(_read_text(value, number_format))
    except json.JSONDecodeError as error:
        raise _CellError(f"Không phải JSON hợp lệ (ký tự {error.pos + 1}: {error.msg}).") from None


def _write_json(value: Any) -> Any:
    return None if value in (None, {}, []) else _escape(json.dumps(value, ensure_ascii=False))


def _json(key: str, title: str, blank: Any, hint: str) -> _Column:
    return _Column(key, title, 30, read=_read_json, write=_write_json, blank=blank, wrap=True, hint=hint)


FORM_KEYS = (
    "title",
    "source.form_name",
    "source.form_number",
    "source.legal_basis",
    "source.url",
    "source.confirmed",
    "replaces_paper",
    "rules",
)
SECTION_KEYS = ("section.title", "section.hint", "section.shown_if")
CONDITION_HINT = '{"field": "phần.trường", "equals": giá trị} hoặc {"field": …, "in": [giá trị, …]}; trống: luôn hiện'
FORMS = _Sheet(
    FORMS_SHEET,
    (
        _code(),
        _text("case", "Trường hợp", 24, wrap=True, hint="để trống: biểu mẫu dùng cho mọi trường hợp"),
        _text("title", "Tên biểu mẫu", 30, wrap=True),
        _text("source.form_name", "Tên mẫu đơn", 30, wrap=True),
        _text("source.form_number", "Số mẫu", 18),
        _text("source.legal_basis", "Văn bản ban hành", 30, wrap=True),
        _text("source.url", "URL", 20),
        _bool("source.confirmed", "Đã đối chiếu"),
        _text("replaces_paper", "Giấy tờ thay thế", 14, hint="mã giấy tờ (MAGIAYTO) mà tờ khai thay thế"),
        _json("rules", "Quy tắc (JSON)", [], "danh sách quy tắc liên trường, ở dòng đầu của biểu mẫu"),
        _text("section.key", "Mã phần", 16),
        _text("section.title", "Tên phần", 24, wrap=True),
        _text("section.hint", "Hướng dẫn phần", 24, wrap=True),
        _json("section.shown_if", "Điều kiện phần (JSON)", None, CONDITION_HINT),
        _text("field.key", "Mã trường", 16),
        _text("field.label", "Nhãn", 30, wrap=True),
        _text("field.hint", "Hướng dẫn", 24, wrap=True),
        _enum("field.type", "Loại", 12, tuple(_Choice(t, t) for t in TYPE_ORDER), blank=_REQUIRED),
        _bool("field.required", "Bắt buộc"),
        _json("field.shown_if", "Điều kiện (JSON)", None, CONDITION_HINT),
        _text("field.result", "Biến kết quả", 18),
        _text("field.national", "Trường quốc gia", 18),
        _json("field.options", "Tùy chọn (JSON)", {}, "các khóa riêng của loại trường: max_length, choices, parts …"),
    ),
    lambda record: [],
    lambda record, rows: None,
)
LISTS = _Sheet(
    LISTS_SHEET,
    (
        _Column("list.name", "Tên danh mục", 16, blank=_REQUIRED),
        _text("list.title", "Tiêu đề", 30, wrap=True),
        _text("list.source", "Nguồn", 40, wrap=True),
        _text("item.value", "Giá trị", 12),
        _text("item.label", "Nhãn", 30, wrap=True),
    ),
    lambda record: [],
    lambda record, rows: None,
)
RESULT_KEYS = ("title", "source.legal_basis", "source.confirmed")
RESULTS = _Sheet(
    RESULTS_SHEET,
    (
        _code(),
        _text("title", "Tên giấy tờ kết quả", 30, wrap=True),
        _text("source.legal_basis", "Văn bản quy định mẫu", 40, wrap=True),
        _bool("source.confirmed", "Đã đối chiếu"),
        _Column("body", "Nội dung mẫu", 80, wrap=True, blank=_REQUIRED, hint="HTML: các khối style, heading, content"),
    ),
    lambda record: [],
    lambda record, rows: None,
)
GUIDE = (
    "",
    f"Trang “{FORMS_SHEET}”: mỗi dòng là một trường của tờ khai điện tử; các cột của biểu mẫu và của phần chỉ cần ghi "
    "ở dòng đầu. Quy tắc liên trường ghi dạng JSON ở dòng đầu của biểu mẫu. Định dạng: docs/eforms.md.",
    f"Trang “{LISTS_SHEET}”: các danh mục mà biểu mẫu dùng, để tham khảo; không sửa (danh mục khác danh mục của hệ "
    "thống thì tệp bị từ chối).",
    f"Trang “{RESULTS_SHEET}”: mẫu giấy tờ kết quả của thủ tục (motcua-result/1), một dòng một mẫu; nội dung dài quá "
    "một ô thì ghi tiếp ở các dòng sau, cùng mã thủ tục, các cột khác để trống.",
)


# ---------------------------------------------------------------------------------------------------------------
# Writing


def workbook_from_records(records: list[dict[str, Any]]) -> openpyxl.Workbook:
    """Build the catalogue workbook with the forms the records carry; an empty list gives the blank template."""
    workbook = catalogue_excel.workbook_from_records(records)
    documents = [d for r in records for d in ((r.get("MOTCUA") or {}).get("BIEUMAU") or []) if isinstance(d, dict)]
    templates = [(r.get("MOTCUA") or {}).get("MAUKETQUA") for r in records]
    used = _used_lists(documents)
    lists = [item for name, item in pick_lists().items() if name in used or not records]
    tables = (
        (FORMS, [row for document in documents for row in _form_rows(document)]),
        (LISTS, [{"list.name": p.name, "list.title": p.title, "list.source": p.source, "item.value": value,
                  "item.label": label} for p in lists for value, label in p.items]),
        (RESULTS, [row for template in templates if isinstance(template, dict) for row in _result_rows(template)]),
    )  # fmt: skip
    position = workbook.sheetnames.index(GUIDE_SHEET)
    for offset, (sheet, rows) in enumerate(tables):
        worksheet = workbook.create_sheet(sheet.name, position + offset)
        _write_headers(worksheet, sheet)
        for number, values in enumerate(rows, start=FIRST_DATA_ROW):
            _write_row(worksheet, sheet, number, values)
    guide = workbook[GUIDE_SHEET]
    for line in GUIDE:
        guide.append([line or None])
    return workbook


def _used_lists(documents: list[dict[str, Any]]) -> set[str]:
    """Return the names of the pick-lists the documents use, through choice fields and the parts of persons."""
    used: set[str] = set()
    for field_item in (f for d in documents for s in d.get("sections") or [] for f in s.get("fields") or []):
        if isinstance(field_item.get("choices"), str):
            used.add(field_item["choices"])
        if field_item.get("type") == "person":
            for part in field_item.get("parts") or PERSON_PARTS:
                choices = PERSON_TYPES.get(part, ("", {}))[1].get("choices")
                used |= {choices} if isinstance(choices, str) else set()
    return used


def _form_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    source = document.get("source") or {}
    form = {
        "MATTHC": document.get("procedure", ""),
        "case": document.get("case", ""),
        "title": document.get("title", ""),
        **{f"source.{key}": source.get(key) for key in ("form_name", "form_number", "legal_basis", "url")},
        "source.confirmed": source.get("confirmed"),
        "replaces_paper": document.get("replaces_paper", ""),
    }
    rows: list[dict[str, Any]] = []
    for section in document.get("sections") or [{}]:
        base = {**form, **{f"section.{key}": section.get(key) for key in ("key", "title", "hint", "shown_if")}}
        for item in section.get("fields") or [{}]:
            values = {f"field.{key}": item.get(key) for key in FIELD_KEYS}
            options = {key: value for key, value in item.items() if key not in FIELD_KEYS}
            rows.append({**base, **values, "field.options": options})
    if rows:
        rows[0]["rules"] = document.get("rules", [])
    return rows


def _result_rows(template: dict[str, Any]) -> list[dict[str, Any]]:
    body, source = str(template.get("body") or ""), template.get("source") or {}
    chunks = [body[start : start + CELL_TEXT] for start in range(0, len(body), CELL_TEXT)] or [""]
    first = {
        "title": template.get("title"),
        "source.legal_basis": source.get("legal_basis"),
        "source.confirmed": source.get("confirmed"),
    }
    return [
        {"MATTHC": template.get("procedure", ""), **(first if n == 0 else {}), "body": chunk}
        for n, chunk in enumerate(chunks)
    ]


# ---------------------------------------------------------------------------------------------------------------
# Reading


def records_from_workbook(source: str | Path | BinaryIO) -> list[dict[str, Any]]:
    """Read the workbook back into records, each with its forms in MOTCUA.BIEUMAU; raise ExcelFormatError listing
    every problem of every sheet."""
    try:
        workbook = openpyxl.load_workbook(source, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        message = f"Không mở được tệp: đây không phải bảng tính Excel (.xlsx) hợp lệ ({type(error).__name__})."
        raise ExcelFormatError([CellProblem("", None, None, message)]) from error
    problems = _Problems()
    tables: dict[str, list[_Row]] = {FORMS_SHEET: [], LISTS_SHEET: [], RESULTS_SHEET: []}
    ours = {_normalize(sheet.name): sheet for sheet in (FORMS, LISTS, RESULTS)}
    for position, worksheet in enumerate(list(workbook.worksheets)):
        problems.sheet_order[worksheet.title] = position
        sheet = ours.get(_normalize(worksheet.title))
        if sheet is None:
            continue
        if tables[sheet.name]:
            problems.add(worksheet.title, None, None, f"Trang “{sheet.name}” bị lặp.")
        else:
            tables[sheet.name] = _read_sheet(worksheet, sheet, problems)
        workbook.remove(worksheet)
    catalogue_problems: list[CellProblem] = []
    try:
        records = catalogue_excel.records_from_workbook(_saved(workbook))
    except ExcelFormatError as error:
        records, catalogue_problems = [], error.problems
    by_code = {record["MATTHC"]: record for record in records}
    for code, documents in _forms(tables[FORMS_SHEET], problems, check_codes=set(by_code) if records else None):
        if code in by_code:
            by_code[code]["MOTCUA"]["BIEUMAU"] = documents
    for code, template in _templates(tables[RESULTS_SHEET], check_codes=set(by_code) if records else None):
        if code in by_code:
            by_code[code]["MOTCUA"]["MAUKETQUA"] = template
    _check_lists(tables[LISTS_SHEET])
    if catalogue_problems or problems:
        raise ExcelFormatError([*catalogue_problems, *problems.sorted()])
    return records


def _saved(workbook: openpyxl.Workbook) -> BytesIO:
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


@dataclass
class _Group:
    """Rows that share some columns: the first row gives them; later rows leave them blank or repeat them."""

    rows: list[_Row] = field(default_factory=list)
    children: dict[Any, _Group] = field(default_factory=dict)

    def value(self, key: str) -> Any:
        return self.rows[0].get(key)

    def check_shared(self, keys: tuple[str, ...], what: str) -> None:
        first = self.rows[0]
        for row in self.rows[1:]:
            for key in keys:
                same = _is_blank(row.raw[key]) or key in row.unreadable or row.values[key] == first.values[key]
                if not same:
                    row.report(key, f"Cùng {what} với dòng {first.number} nên phải ghi giống dòng đó (hoặc để trống).")


def _coded(rows: list[_Row], check_codes: set[str] | None) -> Iterator[tuple[str, _Row]]:
    """The rows with their procedure code, reporting a code the "Thủ tục" sheet does not have."""
    for row in rows:
        code = row.get("MATTHC")
        if code is None:
            continue
        if check_codes is not None and code not in check_codes:
            row.report("MATTHC", f"Mã thủ tục “{code}” không có trên trang “Thủ tục”.")
            continue
        yield code, row


def _forms(rows: list[_Row], problems: _Problems, check_codes: set[str] | None) -> list[tuple[str, list[Any]]]:
    """Group the rows into forms (by procedure and case) and sections (by key); build and check each document."""
    forms: dict[tuple[str, str], _Group] = {}
    for code, row in _coded(rows, check_codes):
        form = forms.setdefault((code, row.values["case"]), _Group())
        form.rows.append(row)
        section = "" if row.blank(["section.key"]) else row.values["section.key"]
        form.children.setdefault(section, _Group()).rows.append(row)
    by_code: dict[str, list[Any]] = {}
    for (code, case), form in forms.items():
        form.check_shared(FORM_KEYS, "biểu mẫu")
        document = _document(code, case, form)
        _locate_problems(document, form)
        by_code.setdefault(code, []).append(document)
    return list(by_code.items())


def _templates(rows: list[_Row], check_codes: set[str] | None) -> list[tuple[str, dict[str, Any]]]:
    """Join each procedure's rows into its result template: the first row gives title and source, every row a part
    of the body, in order. The template itself is checked on import, against the forms it reads."""
    templates: dict[str, _Group] = {}
    for code, row in _coded(rows, check_codes):
        templates.setdefault(code, _Group()).rows.append(row)
    built = []
    for code, group in templates.items():
        group.check_shared(RESULT_KEYS, "mẫu kết quả")
        source = {"legal_basis": group.value("source.legal_basis"), "confirmed": group.value("source.confirmed")}
        body = "".join(str(row.get("body") or "") for row in group.rows)
        built.append((code, {"format": RESULT_FORMAT, "procedure": code, "title": group.value("title"),
                             "source": source, "body": body}))  # fmt: skip
    return built


def _document(code: str, case: str, form: _Group) -> dict[str, Any]:
    sections = []
    for key, section in form.children.items():
        section.check_shared(SECTION_KEYS, "phần")
        fields = []
        for row in section.rows:
            if row.blank([c.key for c in FORMS.columns if c.key.startswith("field.")]):
                continue  # a section written without fields
            options = row.get("field.options")
            if not isinstance(options, dict) and "field.options" not in row.unreadable:
                row.report("field.options", "Tùy chọn phải là một đối tượng JSON {…}.")
            options = options if isinstance(options, dict) else {}
            for clash in sorted(set(options) & set(FIELD_KEYS)):
                row.report("field.options", f"Khóa «{clash}» có cột riêng, không ghi trong tùy chọn.")
            item = {k: row.get(f"field.{k}") for k in FIELD_KEYS}
            fields.append({**item, **{k: v for k, v in options.items() if k not in FIELD_KEYS}})
        if key or len(form.children) > 1 or fields:
            sections.append(
                {"key": key, **{k.split(".")[1]: section.value(k) for k in SECTION_KEYS}, "fields": fields}
            )
    return {
        "format": FORMAT,
        "procedure": code,
        "case": case,
        "title": form.value("title"),
        "source": {key: form.value(f"source.{key}") for key in ("form_name", "form_number", "url", "legal_basis",
                                                                 "confirmed")},
        "replaces_paper": form.value("replaces_paper"),
        "sections": sections,
        "rules": form.value("rules"),
    }  # fmt: skip


_FIELD_COLUMNS = {
    "key": "field.key",
    "label": "field.label",
    "type": "field.type",
    "required": "field.required",
    "shown_if": "field.shown_if",
}


def _locate_problems(document: dict[str, Any], form: _Group) -> None:
    """Check the document (papers and cases are checked at import, against the record) and report each problem at
    the cell it comes from."""
    try:
        parse(document, lists=pick_lists())
    except DefinitionError as invalid:
        problems = invalid.problems
    else:
        return
    first = form.rows[0]
    sections = list(form.children.values())
    section_by_key = {s.rows[0].values["section.key"]: s for s in sections}
    for text in problems:
        path = text.partition(": ")[0]
        parts = [*path.split("."), "", ""]
        row, key = first, "MATTHC"  # format, procedure
        if match := re.fullmatch(r"sections\[(\d+)\].*", path):
            row, key = sections[int(match[1])].rows[0], "section.key"
        elif parts[0] == "sections" and parts[1] in section_by_key:
            rows = section_by_key[parts[1]].rows
            index = re.fullmatch(r"fields\[(\d+)\]", parts[2])
            if parts[2] in ("title", "shown_if"):
                row, key = rows[0], f"section.{parts[2]}"
            else:
                row, key = (rows[int(index[1])] if index and int(index[1]) < len(rows) else rows[0]), "field.key"
        elif parts[0] in section_by_key and parts[1]:
            rows = section_by_key[parts[0]].rows
            row = next((r for r in rows if r.values["field.key"] == parts[1]), rows[0])
            key = _FIELD_COLUMNS.get(parts[2], "field.options")
        elif parts[0] == "source":
            key = f"source.{parts[1]}" if f"source.{parts[1]}" in FORM_KEYS else "source.form_name"
        elif parts[0].split("[")[0] in ("title", "replaces_paper", "rules"):
            key = parts[0].split("[")[0]
        if key not in row.unreadable and row.values.get(key) is not _REQUIRED:  # that cell is already reported
            row.report(key, text)


def _check_lists(rows: list[_Row]) -> None:
    """The pick-lists in the workbook are for reading; one that differs from the system's is a problem."""
    shipped = pick_lists()
    groups: dict[str, _Group] = {}
    for row in rows:
        name = row.get("list.name")
        if name is not None:
            groups.setdefault(name, _Group()).rows.append(row)
    for name, group in groups.items():
        group.check_shared(("list.title", "list.source"), "danh mục")
        known = shipped.get(name)
        if known is None:
            group.rows[0].report("list.name", f"Hệ thống không có danh mục “{name}”.")
            continue
        for key, expected in (("list.title", known.title), ("list.source", known.source)):
            if group.value(key) != expected:
                group.rows[0].report(key, f"Khác danh mục của hệ thống: “{expected}”.")
        for index, row in enumerate(group.rows):
            if index >= len(known.items):
                row.report("item.value", "Danh mục của hệ thống không có giá trị này.")
            elif (row.get("item.value"), row.get("item.label")) != known.items[index]:
                value, label = known.items[index]
                expected = f"giá trị thứ {index + 1} là “{value}” – “{label}”"
                row.report("item.value", f"Khác danh mục của hệ thống: {expected}.")
        if len(group.rows) < len(known.items):
            missing = len(known.items) - len(group.rows)
            group.rows[-1].report("item.value", f"Thiếu {missing} giá trị so với danh mục của hệ thống.")
