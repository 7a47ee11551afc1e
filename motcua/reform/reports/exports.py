"""A report as files: OpenDocument text (written with the standard library: no library for it is locked), PDF
(WeasyPrint) and the Excel appendix (openpyxl). Always in Vietnamese: an administrative document.

Numbers are written 1.000.000 and dates dd/mm/yyyy whatever the page's language.
"""

import zipfile
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import HTML

from motcua.core import clock
from motcua.core.formatting import format_date, format_datetime, format_number
from motcua.documents.forms import FONT_CONFIG, URL_FETCHER

from .drafts import LABELS, online_share
from .outline import FIGURES_SECTION
from .selectors import Consolidation, ReportView

CONTENT_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _number(value: int) -> str:
    return format_number(value, language="vi")


def _rows(values: dict[str, int]) -> list[tuple[str, str]]:
    return [(label, _number(values.get(key, 0))) for key, label in LABELS.items()]


def _computed_at(view: ReportView) -> str:
    return format_datetime(datetime.fromisoformat(view.computed_at))


def file_name(view: ReportView, fmt: str) -> str:
    return f"bao-cao-cchc-{view.report.period.code}-{view.report.unit.code}.{fmt}"


def render(view: ReportView, fmt: str) -> bytes:
    return {"odt": odt, "pdf": pdf, "xlsx": xlsx}[fmt](view)


# -- PDF ----------------------------------------------------------------------------------------------------------


def pdf(view: ReportView) -> bytes:
    with translation.override("vi"):
        context = {
            "r": view.report, "v": view, "rows": _rows(view.values), "online_share": online_share(view.values),
            "after": _rows(view.after_cutoff) if view.after_cutoff else None, "figures_section": FIGURES_SECTION,
            "computed_at": _computed_at(view), "now": format_datetime(clock.now()),
        }  # fmt: skip
        html = render_to_string("reform/report.html", context)
    data: bytes = HTML(string=html, url_fetcher=URL_FETCHER).write_pdf(font_config=FONT_CONFIG)
    return data


# -- OpenDocument text ----------------------------------------------------------------------------------------------

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_NS}><office:styles>'
    '<style:default-style style:family="paragraph"><style:text-properties style:font-name="Times New Roman" '
    'fo:font-size="13pt"/></style:default-style>'
    '<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>'
    '<style:text-properties fo:font-weight="bold" fo:font-size="14pt"/></style:style>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    "</office:styles></office:document-styles>"
)


def _p(text: str, style: str = "") -> str:
    lines = escape(text).split("\n")
    body = "<text:line-break/>".join(lines)
    return f'<text:p text:style-name="{style}">{body}</text:p>' if style else f"<text:p>{body}</text:p>"


def _table(name: str, rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<table:table-row><table:table-cell>{_p(label)}</table:table-cell>"
        f'<table:table-cell office:value-type="string">{_p(value)}</table:table-cell></table:table-row>'
        for label, value in [("Chỉ tiêu", "Số lượng"), *rows]
    )
    columns = '<table:table-column table:number-columns-repeated="2"/>'
    return f'<table:table table:name="{name}">{columns}{cells}</table:table>'


def odt(view: ReportView) -> bytes:
    """The report as an .odt a unit opens and finishes in any office suite."""
    r = view.report
    parts = [
        _p(f"{r.period.label.upper()}\n{r.unit.name.upper()}", "Title"),
        _p(f"Số liệu từ ngày {format_date(r.period.cutoff_from)} đến ngày {format_date(r.period.cutoff_to)}; "
           f"hạn nộp {format_date(r.period.due_on)}. Trạng thái: {view.standing}."),
    ]  # fmt: skip
    for section in view.sections:
        parts.append(
            f'<text:h text:outline-level="2" text:style-name="Heading_20_2">{escape(section["title"])}</text:h>'
        )
        parts.append(_p(section["text"] or "(Chưa có nội dung)"))
        if section["key"] == FIGURES_SECTION:
            state = f"đã chốt lúc {_computed_at(view)}" if view.locked else "tạm tính, chưa chốt"
            parts.append(_p(f"Số liệu giải quyết TTHC từ hệ thống một cửa điện tử ({state}):"))
            rows = [*_rows(view.values), ("Tỷ lệ hồ sơ tiếp nhận trực tuyến", online_share(view.values))]
            parts.append(_table("SoLieu", rows))
    if view.after_cutoff:
        parts.append('<text:h text:outline-level="2">Phát sinh sau chốt số liệu (không tính vào báo cáo)</text:h>')
        parts.append(_table("SauChot", _rows(view.after_cutoff)))
    parts.append(_p(f"Căn cứ: {r.period.basis}."))
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS}><office:body><office:text>'
        + "".join(parts)
        + "</office:text></office:body></office:document-content>"
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # OpenDocument: the media type first, stored uncompressed, so the file is recognised by its first bytes.
        archive.writestr(zipfile.ZipInfo("mimetype"), CONTENT_TYPES["odt"], compress_type=zipfile.ZIP_STORED)
        for name, text in (("META-INF/manifest.xml", _MANIFEST), ("styles.xml", _STYLES), ("content.xml", content)):
            archive.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- Excel appendix -------------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DCE6F1")


def xlsx(view: ReportView) -> bytes:
    """Phụ lục số liệu: the locked figures, and what happened after the cut-off on its own sheet."""
    r = view.report
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục số liệu"
    sheet["A1"] = f"PHỤ LỤC SỐ LIỆU – {r.period.label.upper()} – {r.unit.name.upper()}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = (
        f"Số liệu từ ngày {format_date(r.period.cutoff_from)} đến ngày {format_date(r.period.cutoff_to)}; "
        + (f"chốt lúc {_computed_at(view)}" if view.locked else "tạm tính, chưa chốt")
    )
    _write(sheet, 4, [(LABELS[k], v) for k, v in view.values.items() if k in LABELS])
    if view.after_cutoff:
        later = book.create_sheet("Phát sinh sau chốt")
        later["A1"] = "PHÁT SINH SAU CHỐT SỐ LIỆU (không tính vào báo cáo)"
        later["A1"].font = BOLD
        _write(later, 3, [(LABELS[k], v) for k, v in view.after_cutoff.items() if k in LABELS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def consolidation_xlsx(consolidated: Consolidation) -> bytes:
    """The province's appendix: each unit's locked figures as submitted, and the totals."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tổng hợp"
    sheet["A1"] = f"TỔNG HỢP SỐ LIỆU BÁO CÁO CCHC {consolidated.label.upper()}"
    sheet["A1"].font = Font(bold=True, size=13)
    keys = list(LABELS)
    header = ["Đơn vị", "Trạng thái", *LABELS.values()]
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row=3, column=column, value=text)
        cell.font, cell.fill, cell.alignment = BOLD, FILL, Alignment(wrap_text=True)
    row = 4
    for report, standing, _overdue in consolidated.rows:
        values = (report.figures or {}).get("values", {}) if report.figures else {}
        sheet.cell(row=row, column=1, value=report.unit.name)
        sheet.cell(row=row, column=2, value=standing)
        for offset, key in enumerate(keys, start=3):
            cell = sheet.cell(row=row, column=offset, value=values.get(key))
            cell.number_format = "#,##0"
        row += 1
    sheet.cell(row=row, column=1, value="Tổng cộng (báo cáo đã nộp)").font = BOLD
    for offset, key in enumerate(keys, start=3):
        cell = sheet.cell(row=row, column=offset, value=consolidated.totals.get(key, 0))
        cell.font, cell.number_format = BOLD, "#,##0"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _write(ws: Worksheet, first: int, rows: list[tuple[str, int]]) -> None:
    for column, text in enumerate(("Chỉ tiêu", "Số lượng"), start=1):
        cell = ws.cell(row=first, column=column, value=text)
        cell.font, cell.fill = BOLD, FILL
    for offset, (label, value) in enumerate(rows, start=1):
        ws.cell(row=first + offset, column=1, value=label)
        ws.cell(row=first + offset, column=2, value=value).number_format = "#,##0"
    ws.column_dimensions["A"].width = 55
    ws.column_dimensions["B"].width = 14
