"""The blank form (mẫu tờ khai trống) of an e-form definition, to print and fill by hand: PDF and editable DOCX;
and the same form filled with a dossier's checked answers, as a PDF standing for the paper it replaces.

All renderings read one layout built from the definition: the national header (Nghị định 30/2020/NĐ-CP), the form's
number top right, the title in capitals, "Kính gửi", then each section's fields as dotted lines sized by type, the
place-and-date line and the applicant's signature block, and a footer naming the legal text the form comes from.
Paper fields are attachments (the dossier's papers), not lines to fill, and are left out. Filled, each answered line
carries its answer instead of dots (☒ before a chosen box), sections and fields hidden by their condition are left
out, and the closing carries the filing date and the requester's name.
"""

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from motcua.eforms.answers import PERSON_LABELS
from motcua.eforms.definition import Condition, Definition, FieldDef
from motcua.eforms.display import Reader
from motcua.eforms.lists import PickList, pick_lists

# Loading fonts is the slow part of a render: one configuration shared by all renders. Only data: URLs may be
# fetched, so a render never touches the network or the file system whatever the definition holds.
FONT_CONFIG = FontConfiguration()
URL_FETCHER = URLFetcher(allowed_protocols={"data"})

ADDRESS_LABELS = {
    "detail": "Số nhà, đường, thôn, ấp, tổ dân phố",
    "commune": "Xã, phường, đặc khu; tỉnh, thành phố",
}
# A pick-list this short is printed as boxes to tick; a longer one as a line to write the chosen item on.
SHORT_LIST = 4
ID_DIGITS = 12
NUMBERED = re.compile(r"\s*(\d+|[IVXLC]+|[a-zđ])[.)]\s")
DATE_BLANK = "……/……/………"
PLACE_DATE_BLANK = "…………, ngày …… tháng …… năm ……"
REQUESTER_RESULT = "nguoi_yeu_cau_ho_ten"
FOOTNOTE_MARK = "({})"

# DOCX geometry: A4 with the ND 30/2020 margins, text width 210 - 30 - 15 = 165 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TEXT_WIDTH = Mm(165)
FONT_NAME = "Times New Roman"


@dataclass(frozen=True)
class Line:
    """One thing to fill in: a label and its blank, shaped by kind.

    kind: "fill" (dotted to the line's end), "short" (a short dotted stretch), "date" (……/……/………), "boxes" (one box
    per digit), "options" (☐ per option) or "heading" (the label of a compound value whose parts follow).
    """

    label: str
    kind: str
    options: tuple[str, ...] = ()
    note: int = 0  # footnote number of the field's hint, 0 for none
    condition: str = ""  # "Chỉ khai khi …" for a conditional field
    indent: bool = False  # a part of an address or person
    extra: int = 0  # further dotted lines below (long text)
    half: bool = False  # fits in half the width, beside another
    value: str = ""  # the answer as read (filled form); for "options" the chosen option's label

    @property
    def mark(self) -> str:
        return FOOTNOTE_MARK.format(self.note) if self.note else ""

    @property
    def boxes(self) -> tuple[str, ...]:
        """What each digit box holds: nothing on the blank form, the ID's digits on the filled one."""
        return tuple(self.value) if self.value else ("",) * ID_DIGITS

    @property
    def extra_lines(self) -> range:
        return range(self.extra)


@dataclass(frozen=True)
class Section:
    number: str  # "I. ", "II. ", … or "" when the titles carry their own numbers
    title: str
    hint: str
    condition: str
    rows: tuple[tuple[Line, ...], ...]  # each row one line or two half lines


@dataclass(frozen=True)
class Layout:
    title: str
    form_number: str
    legal_basis: str
    confirmed: bool
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = field(default=())  # the fields' hints, numbered from 1
    place_date: str = PLACE_DATE_BLANK  # "Đồng Tháp, ngày 10 tháng 3 năm 2026" on a filled form
    signer: str = ""  # the requester's name under the signature, on a filled form

    @property
    def source_line(self) -> str:
        unconfirmed = "" if self.confirmed else " (chưa đối chiếu văn bản gốc)"
        return f"Mẫu theo {self.legal_basis}{unconfirmed}"


def blank_pdf(definition: Definition) -> bytes:
    """Render the definition's blank form as an A4 PDF."""
    return _pdf(layout(definition))


def filled_pdf(definition: Definition, values: Mapping[str, Any], reader: Reader, *, filed_on: str = "") -> bytes:
    """Render the form filled with checked answers (`Dossier.form_data`) as an A4 PDF.

    `filed_on` is the whole place-and-date line ("Đồng Tháp, ngày 10 tháng 3 năm 2026"); without it the line stays
    dotted. Unanswered visible fields stay dotted; parts hidden by their condition are left out.
    """
    return _pdf(layout(definition, reader.lists, values=values, reader=reader, filed_on=filed_on))


def _pdf(form: Layout) -> bytes:
    html = render_to_string("eforms/blank.html", {"form": form})
    pdf: bytes = HTML(string=html, url_fetcher=URL_FETCHER).write_pdf(font_config=FONT_CONFIG)
    return pdf


def blank_docx(definition: Definition) -> bytes:
    """Render the definition's blank form as a DOCX an officer can edit (Times New Roman 13 pt, A4)."""
    form = layout(definition)
    document = Document()
    _page_setup(document)
    _header(document, form)
    for section in form.sections:
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.keep_with_next = True
        heading.add_run(f"{section.number}{section.title}").bold = True
        if section.condition:
            _italic(document.add_paragraph(), section.condition).paragraph_format.keep_with_next = True
        if section.hint:
            _italic(document.add_paragraph(), section.hint).paragraph_format.keep_with_next = True
        for row in section.rows:
            _docx_row(document, row)
    _closing(document, form)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the layout ------------------------------------------------------------------------------------------------


class _Answers:
    """A dossier's checked answers as the filled form prints them."""

    def __init__(self, values: Mapping[str, Any], reader: Reader) -> None:
        self.values, self.reader = values, reader

    def shown(self, condition: Condition | None) -> bool:
        """Whether a part is shown: its controlling answer is one of the condition's values."""
        if condition is None:
            return True
        section, _, rest = condition.path.partition(".")
        key, *parts = rest.split(".")
        value = self.values.get(f"{section}.{key}")
        for part in parts:
            value = value.get(part) if isinstance(value, Mapping) else None
        return value is not None and any(str(value) == str(v) for v in condition.values)

    def text(self, f: FieldDef) -> str:
        return self.reader.text(f.type, f.options, self.values.get(f.path))

    def parts(self, f: FieldDef) -> dict[str, str]:
        value = self.values.get(f.path)
        if not isinstance(value, Mapping):
            return {}
        if f.type == "address":
            commune = str(value.get("commune") or "")
            return {"detail": str(value.get("detail") or ""), "commune": self.reader.place(commune) if commune else ""}
        return self.reader.person(value, f.parts)

    def requester(self, definition: Definition) -> str:
        """The requester's name: the field the result templates know as such, else the first section's ho_ten."""
        first = definition.sections[0].fields if definition.sections else ()
        named = [f for f in definition.fields() if f.result == REQUESTER_RESULT]
        for f in named + [f for f in first if f.key == "ho_ten"]:
            value = self.values.get(f.path)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""


def layout(
    definition: Definition,
    lists: Mapping[str, PickList] | None = None,
    *,
    values: Mapping[str, Any] | None = None,
    reader: Reader | None = None,
    filed_on: str = "",
) -> Layout:
    """Lay out the definition's printable parts: sections without a field to fill (only papers) are left out.

    With `values` (and the `reader` to say them) the layout is the filled form's: answers in place of the dots,
    parts hidden by their condition left out, and no "Chỉ khai khi" lines.
    """
    lists = pick_lists() if lists is None else lists
    if values is not None and reader is None:
        raise ValueError("A filled form needs a reader to say its answers.")
    answers = _Answers(values, reader) if values is not None and reader is not None else None
    notes: list[str] = []
    sections: list[Section] = []
    # Titles numbered as on the official form ("1. Người sử dụng đất …") are printed as they are, unnumbered ones
    # beside them being their sub-parts; otherwise the sections are numbered I, II, …
    numbered = any(NUMBERED.match(section.title) for section in definition.sections)
    for section in definition.sections:
        if answers is not None and not answers.shown(section.shown_if):
            continue
        lines: list[Line] = []
        for f in section.fields:
            if f.type == "paper":
                continue
            lines.extend(_lines(f, section.title, notes, definition, lists, answers))
        if not lines:
            continue
        condition = "" if answers is not None else _condition_text(section.shown_if, definition, lists)
        number = "" if numbered else f"{_roman(len(sections) + 1)}. "
        sections.append(Section(number, section.title, section.hint, condition, tuple(_pairs(lines))))
    return Layout(
        title=definition.title,
        form_number=str(definition.source.get("form_number") or ""),
        legal_basis=str(definition.source.get("legal_basis") or ""),
        confirmed=definition.source.get("confirmed") is True,
        sections=tuple(sections),
        notes=tuple(notes),
        place_date=(filed_on.strip() if answers is not None else "") or PLACE_DATE_BLANK,
        signer=answers.requester(definition) if answers is not None else "",
    )


def _lines(
    f: FieldDef,
    section_title: str,
    notes: list[str],
    definition: Definition,
    lists: Mapping[str, PickList],
    answers: _Answers | None = None,
) -> Iterator[Line]:
    if answers is not None and not answers.shown(f.shown_if):
        return
    note = 0
    if f.hint:
        notes.append(f.hint)
        note = len(notes)
    condition = "" if answers is not None else _condition_text(f.shown_if, definition, lists)
    if f.type in {"person", "address"}:
        labels = PERSON_LABELS if f.type == "person" else ADDRESS_LABELS
        said = answers.parts(f) if answers is not None else {}
        # A section holding just this person ("Người mẹ" / "Người mẹ") does not repeat its name above the parts.
        alone = f.label.strip().casefold() == section_title.strip().casefold()
        if not alone or note or condition:
            yield Line(f.label, "heading", note=note, condition=condition)
        parts = ("detail", "commune") if f.type == "address" else f.parts  # as an address is written
        for part in parts:
            yield _answered(_part(part, labels[part], indent=not alone, lists=lists), said.get(part, ""))
        return
    yield _answered(_single(f, note, condition, lists), answers.text(f) if answers is not None else "")


def _answered(line: Line, value: str) -> Line:
    """The line carrying its answer; an answer the line's blank cannot hold is written out instead."""
    if not value:
        return line
    kind = line.kind
    if (kind == "options" and value not in line.options) or (
        kind == "boxes" and not (value.isdigit() and len(value) == ID_DIGITS)
    ):
        kind = "fill"
    return replace(line, kind=kind, value=value, extra=0)


def _single(f: FieldDef, note: int, condition: str, lists: Mapping[str, PickList]) -> Line:
    label, kind = f.label, f.type
    if kind == "date":
        return Line(label, "date", note=note, condition=condition, half=not condition)
    if kind == "id_number":
        return Line(label, "boxes", note=note, condition=condition)
    if kind == "number":
        return Line(label, "short", note=note, condition=condition, half=not condition)
    if kind == "choice":
        options = _choice_labels(f.options.get("choices"), lists)
        inline = not isinstance(f.options.get("choices"), str)
        # An inline list is the form's own boxes; a named pick-list only when short (else, or unknown: a line).
        if options and (inline or len(options) <= SHORT_LIST):
            short = len(options) <= SHORT_LIST and sum(len(o) + 4 for o in options) + len(label) <= 40
            return Line(label, "options", options, note=note, condition=condition, half=short and not condition)
        return Line(label, "fill", note=note, condition=condition, half=not condition)
    if kind == "phone":
        return Line(label, "fill", note=note, condition=condition, half=not condition)
    if kind == "text":
        long = bool(f.options.get("multiline")) or int(f.options.get("max_length") or 0) > 200
        return Line(label, "fill", note=note, condition=condition, extra=2 if long else 0)
    return Line(label, "fill", note=note, condition=condition)


def _part(part: str, label: str, *, indent: bool, lists: Mapping[str, PickList]) -> Line:
    if part == "ngay_sinh":
        return Line(label, "date", indent=indent, half=True)
    if part == "so_dinh_danh":
        return Line(label, "boxes", indent=indent)
    if part in {"gioi_tinh", "dan_toc", "quoc_tich"}:
        pick = lists.get(part)
        if pick is not None and len(pick.items) <= SHORT_LIST:
            return Line(label, "options", tuple(name for _, name in pick.items), indent=indent, half=True)
        return Line(label, "fill", indent=indent, half=True)
    return Line(label, "fill", indent=indent)


def _pairs(lines: Iterable[Line]) -> Iterator[tuple[Line, ...]]:
    """Put two consecutive half lines of the same level on one row, as paper forms do."""
    waiting: Line | None = None
    for line in lines:
        line = replace(line, half=line.half and _fits_half(line))
        if waiting is not None:
            if line.half and line.indent == waiting.indent:
                yield (waiting, line)
                waiting = None
                continue
            yield (waiting,)
            waiting = None
        if line.half:
            waiting = line
        else:
            yield (line,)
    if waiting is not None:
        yield (waiting,)


def _fits_half(line: Line) -> bool:
    """Whether label and blank fit on one line in half the text width (about 34 characters of 13 pt serif)."""
    blank = {"date": len(DATE_BLANK), "short": 8, "fill": 10}.get(line.kind, 0)
    if line.value and line.kind != "options":
        blank = len(line.value)
    if line.kind == "options":
        blank = sum(len(option) + 3 for option in line.options)
    return len(line.label) + len(line.mark) + 2 + blank <= 34


def _choice_labels(choices: Any, lists: Mapping[str, PickList]) -> tuple[str, ...]:
    if isinstance(choices, str):
        pick = lists.get(choices)
        return tuple(name for _, name in pick.items) if pick else ()
    return tuple(str(c.get("label", "")) for c in choices or () if isinstance(c, dict))


def _condition_text(condition: Condition | None, definition: Definition, lists: Mapping[str, PickList]) -> str:
    """Say when a conditional part is filled in: "Chỉ khai khi «Khai thông tin người cha» là «Có»"."""
    if condition is None:
        return ""
    controlling = definition.field(condition.path)
    if controlling is None:
        return ""
    part = condition.path.split(".")[2] if condition.path.count(".") >= 2 else ""
    label = controlling.label
    labels: dict[str, str] = {}
    if part:
        label = f"{PERSON_LABELS.get(part) or ADDRESS_LABELS.get(part) or part} ({controlling.label})"
        pick = lists.get(part)
        labels = dict(pick.items) if pick else {}
    elif controlling.type == "choice":
        choices = controlling.options.get("choices")
        if isinstance(choices, str):
            pick = lists.get(choices)
            labels = dict(pick.items) if pick else {}
        else:
            labels = {str(c.get("value")): str(c.get("label")) for c in choices or () if isinstance(c, dict)}
    values = " hoặc ".join(f"«{labels.get(str(v), str(v))}»" for v in condition.values)
    return f"Chỉ khai khi «{label}» là {values}."


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, letters in numerals:
        while number >= value:
            text += letters
            number -= value
    return text


# --- DOCX -------------------------------------------------------------------------------------------------------


def _page_setup(document: Any) -> None:
    page = document.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = PAGE_WIDTH, PAGE_HEIGHT
    page.top_margin, page.bottom_margin = Mm(20), Mm(20)
    page.left_margin, page.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT_NAME)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.15


def _header(document: Any, form: Layout) -> None:
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = number.add_run(form.form_number)
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    nation = _centred(document.add_paragraph(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    nation.paragraph_format.space_after = Pt(0)
    motto = _centred(document.add_paragraph(), "Độc lập - Tự do - Hạnh phúc", bold=True)
    motto.paragraph_format.space_after = Pt(0)
    _centred(document.add_paragraph(), "―" * 14)
    title = _centred(document.add_paragraph(), form.title.upper(), bold=True, size=14)
    title.paragraph_format.space_before, title.paragraph_format.space_after = Pt(12), Pt(6)
    to = document.add_paragraph()
    to.paragraph_format.left_indent = Mm(25)
    to.paragraph_format.space_after = Pt(6)
    to.add_run("Kính gửi: ")
    _leader(to, TEXT_WIDTH)


def _docx_row(document: Any, row: tuple[Line, ...]) -> None:
    if row[0].kind == "boxes":
        _docx_boxes(document, row[0])
    elif len(row) == 1:
        _docx_line(document.add_paragraph(), row[0], TEXT_WIDTH)
    else:
        # Two half lines side by side: a borderless two-cell table, each cell dotted to its own end.
        table = _table(document, [Mm(82), Mm(82)])
        for cell, line in zip(table.rows[0].cells, row, strict=True):
            _docx_line(cell.paragraphs[0], line, Mm(78))
    for line in row:
        indent = Mm(6) if line.indent else Mm(0)
        if line.condition:
            _italic(document.add_paragraph(), line.condition).paragraph_format.left_indent = indent
        for _ in line.extra_lines:
            extra = document.add_paragraph()
            extra.paragraph_format.left_indent = indent
            _leader(extra, TEXT_WIDTH)


def _docx_line(paragraph: Paragraph, line: Line, width: Any) -> None:
    """Write a line's label and blank; tab stops are measured from the margin (or cell edge), not the indent."""
    if line.indent:
        paragraph.paragraph_format.left_indent = Mm(6)
    paragraph.add_run(line.label)
    if line.mark:
        paragraph.add_run(line.mark).font.superscript = True
    if line.kind == "heading":
        paragraph.add_run(":")
        paragraph.paragraph_format.keep_with_next = True
        return
    paragraph.add_run(": ")
    if line.kind == "date":
        paragraph.add_run(DATE_BLANK)
    elif line.kind == "options":
        paragraph.add_run("    ".join(f"☐ {option}" for option in line.options))
    elif line.kind == "short":
        paragraph.add_run("……………")
    else:
        _leader(paragraph, width)


def _docx_boxes(document: Any, line: Line) -> None:
    """Label then twelve boxes, one per digit: a one-row table, the label cell without borders."""
    label_width = Mm(70)
    table = _table(document, [label_width] + [Mm(7)] * ID_DIGITS)
    cells = table.rows[0].cells
    label = cells[0].paragraphs[0]
    label.add_run(line.label)
    if line.mark:
        label.add_run(line.mark).font.superscript = True
    label.add_run(":")
    if line.indent:
        label.paragraph_format.left_indent = Mm(6)
    for cell in cells[1:]:
        _borders(cell, "single")
    _borders(cells[0], "nil")
    for cell in cells:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(4)
    if line.condition:
        _italic(document.add_paragraph(), line.condition)


def _table(document: Any, widths: list[Any]) -> Any:
    """A one-row table with fixed column widths, set on both the grid (LibreOffice) and the cells (Word)."""
    table = document.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = width
        cell.width = width
    return table


def _borders(cell: _Cell, kind: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), kind)
        if kind != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.append(borders)


def _closing(document: Any, form: Layout) -> None:
    table = _table(document, [Mm(75), Mm(90)])
    right = table.rows[0].cells[1]
    place = right.paragraphs[0]
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(12)
    place.add_run(PLACE_DATE_BLANK).italic = True
    _centred(right.add_paragraph(), "NGƯỜI YÊU CẦU", bold=True).paragraph_format.space_after = Pt(0)
    hint = right.add_paragraph()
    hint.alignment = WD_ALIGN_PARAGRAPH.CENTER
    hint.add_run("(Ký, ghi rõ họ, chữ đệm, tên)").italic = True
    for _ in range(4):
        right.add_paragraph()
    _centred(right.add_paragraph(), "…………………………………………")
    if form.notes:
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(12)
        heading.add_run("Ghi chú:").bold = True
        for number, note in enumerate(form.notes, start=1):
            paragraph = document.add_paragraph()
            paragraph.add_run(FOOTNOTE_MARK.format(number) + " ")
            paragraph.add_run(note)
            for run in paragraph.runs:
                run.font.size = Pt(11)
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = footer.add_run(form.source_line)
    run.italic, run.font.size = True, Pt(10)


def _centred(paragraph: Paragraph, text: str, *, bold: bool = False, size: int = 0) -> Paragraph:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def _italic(paragraph: Paragraph, text: str) -> Paragraph:
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(12)
    return paragraph


def _leader(paragraph: Paragraph, stop: Any) -> None:
    """Dots from here to `stop`: a right tab with a dot leader, which Word and LibreOffice keep editable."""
    paragraph.paragraph_format.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    paragraph.add_run("\t")
