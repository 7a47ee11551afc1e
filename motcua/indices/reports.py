"""The six-month reform review (sơ kết) per unit and for the province: Excel (openpyxl) and PDF (WeasyPrint), and the
trend chart as inline SVG drawn on the server (no script, nothing fetched)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import HTML

from motcua.core import clock
from motcua.core.formatting import format_date, format_number
from motcua.documents.forms import FONT_CONFIG, URL_FETCHER

from .engine import Standing
from .figures import Figures
from .selectors import Board, UnitResult

NO_DATA = "chưa có dữ liệu"
COLUMNS = (
    ("Đơn vị", 38),
    ("Tồn kỳ trước", 11),
    ("Tiếp nhận trong kỳ", 11),
    ("Đã giải quyết trước hạn", 11),
    ("Đã giải quyết đúng hạn", 11),
    ("Đã giải quyết quá hạn", 11),
    ("Đang giải quyết trong hạn", 11),
    ("Đang giải quyết quá hạn", 11),
    ("Tỷ lệ trực tuyến (%)", 11),
    ("Tỷ lệ số hóa (%)", 11),
    ("Mức độ hài lòng (%)", 13),
    ("Điểm 766", 10),
    ("Trên số điểm có dữ liệu", 11),
    ("Xếp loại 766", 11),
)
# On paper the points and the points that could be scored share a cell ("12/36"): the page is narrow.
PDF_COLUMNS = [name for name, _ in COLUMNS if name != "Trên số điểm có dữ liệu"]


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


@dataclass(frozen=True)
class ReportRow:
    """One unit's line of the review: numbers stay numbers until a template or a cell format shows them."""

    name: str
    figures: Figures
    online_pct: Decimal | None
    digitised_pct: Decimal | None
    satisfaction_pct: Decimal | None
    has_satisfaction_data: bool
    points: Decimal
    scored_max: Decimal
    band: str

    def cells(self) -> list[object]:
        f = self.figures
        satisfaction = self.satisfaction_pct if self.has_satisfaction_data else NO_DATA
        return [
            self.name, f.carried_over, f.received, f.ended_early, f.ended_on_time, f.ended_late, f.within,
            f.overdue, self.online_pct, self.digitised_pct, satisfaction, self.points, self.scored_max, self.band,
        ]  # fmt: skip


def _row(result: UnitResult, name: str = "") -> ReportRow:
    f = result.figures
    satisfaction = result.score.result("5.4")
    return ReportRow(
        name or result.unit.name,
        f,
        _share(f.received_online, f.received),
        _share(f.received_digitised, f.received),
        satisfaction.ratio,
        satisfaction.standing != Standing.NO_DATA,
        result.score.points,
        result.score.scored_max,
        result.score.band,
    )


def report_rows(board: Board) -> list[ReportRow]:
    """The unit (province: the whole province) first, then each unit below it in ranking order."""
    return [_row(board.unit, f"Tổng cộng: {board.unit.unit.name}")] + [_row(r) for r in board.ranking]


# -- chart --------------------------------------------------------------------------------------------------------


def trend_svg(board: Board, width: int = 640, height: int = 240) -> SafeString:
    """Bars: dossiers received per month; line: the on-time score (766 indicator 2.1) in percent."""
    months = board.trend
    left, right, top, bottom = 48, 48, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_count = max([f.received for _, f, _ in months] + [1])
    slot = plot_w / max(len(months), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="trend-title"><title id="trend-title">Hồ sơ tiếp nhận và tỷ lệ đúng hạn '
        f"theo tháng</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11">{format_number(top_count)}</text>',
        f'<text x="{left + plot_w + 6}" y="{top + 10}" font-size="11">100%</text>',
        f'<text x="{left + plot_w + 6}" y="{top + plot_h}" font-size="11">0%</text>',
    ]
    points = []
    for index, (month, figures, ratio) in enumerate(months):
        x = left + index * slot
        bar = plot_h * figures.received / top_count
        parts.append(
            f'<rect x="{x + slot * 0.2:.1f}" y="{top + plot_h - bar:.1f}" width="{slot * 0.6:.1f}" height="{bar:.1f}" '
            f'fill="#7fa7d9"><title>{escape(month.label)}: {format_number(figures.received)} hồ sơ</title></rect>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - 14}" text-anchor="middle" font-size="11">'
            f"{escape(month.label)}</text>"
        )
        if ratio is not None:
            points.append((x + slot / 2, top + plot_h - plot_h * float(ratio) / 100, month.label, ratio))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#b3261e" stroke-width="2"/>')
        for x, y, label, ratio in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#b3261e"><title>{escape(label)}: '
                f"{format_number(ratio)}% đúng hạn</title></circle>"
            )
    parts.append(
        f'<text x="{left}" y="{height - 1}" font-size="10" fill="#333">Cột: hồ sơ tiếp nhận · '
        "Đường: tỷ lệ trước hạn, đúng hạn (chỉ tiêu 2.1)</text></svg>"
    )
    return mark_safe("".join(parts))  # noqa: S308 (built here from numbers and escaped labels)


# -- Excel --------------------------------------------------------------------------------------------------------

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def excel(board: Board) -> bytes:
    """The review as a formatted workbook: summary per unit, 766 scores, monthly trend."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sơ kết"
    title = f"BÁO CÁO SƠ KẾT CÔNG TÁC GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH - {board.unit.unit.name.upper()}"
    _title(sheet, title, board, len(COLUMNS))
    _table(sheet, 5, [c for c, _ in COLUMNS], [row.cells() for row in report_rows(board)])
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    scores = book.create_sheet("Chỉ số 766")
    _title(scores, "KẾT QUẢ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766/QĐ-TTg)", board, 8)
    score = board.unit.score
    rows: list[list[object]] = [
        [
            f"{r.group.number}. {r.group.name}",
            r.indicator.code,
            r.indicator.name,
            float(r.indicator.max_points),
            r.numerator,
            r.denominator,
            float(r.ratio) if r.ratio is not None else None,
            float(r.points) if r.points is not None else r.standing_label,
        ]
        for r in score.results
    ]
    rows.append(["Tổng điểm các chỉ tiêu có dữ liệu", "", "", score.scored_max, None, None, None, score.points])
    rows.append(["Điểm quy đổi thang 100 và xếp loại", "", score.band or "chưa đủ dữ liệu để xếp loại", None, None,
                 None, score.percent, None])  # fmt: skip
    _table(scores, 5, ["Nhóm", "Mã", "Chỉ tiêu", "Điểm tối đa", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm"], rows)
    for letter, width in zip("ABCDEFGH", (30, 7, 50, 11, 10, 10, 10, 16), strict=True):
        scores.column_dimensions[letter].width = width
    notes = (
        f"Bộ chỉ số áp dụng: phiên bản {score.version.code}; nguồn: {score.version.legal_source}.",
        f"Xếp loại: {score.version.bands_source}.",
        score.version.ranking_note,
    )
    for offset, note in enumerate(notes, start=len(rows) + 7):
        scores.cell(row=offset, column=1, value=note)
    trend = book.create_sheet("Theo tháng")
    _title(trend, "DIỄN BIẾN THEO THÁNG", board, 6)
    _table(
        trend,
        5,
        ["Tháng", "Tiếp nhận", "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn 2.1 (%)"],
        [[m.label, f.received, f.ended_early, f.ended_on_time, f.ended_late, float(r) if r is not None else None]
         for m, f, r in board.trend],
    )  # fmt: skip
    for letter in "ABCDEF":
        trend.column_dimensions[letter].width = 16
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _title(ws: Worksheet, title: str, board: Board, span: int) -> None:
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=span)
    period = board.period
    ws.cell(row=2, column=1, value=f"Kỳ báo cáo: {period.label} (từ {format_date(period.start)} đến "
            f"{format_date(period.end)}); số liệu đến hết ngày {format_date(period.as_of)}")  # fmt: skip
    ws.cell(row=3, column=1, value=f"Lập lúc {clock.now():%H:%M %d/%m/%Y} từ số liệu của hệ thống một cửa điện tử")


def _table(ws: Worksheet, first_row: int, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    for column, text in enumerate(header, start=1):
        cell = ws.cell(row=first_row, column=column, value=text)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=first_row + offset, column=column, value=value)
            cell.border = BOX
            # Numbers stay numbers; the reader's Excel shows them with its own separators (1.234,56 in Vietnamese).
            if isinstance(value, float):
                cell.number_format = "#,##0.00"
            elif isinstance(value, Decimal):
                cell.value, cell.number_format = float(value), "#,##0.00"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
        if offset == 1:
            for column in range(1, len(values) + 1):
                ws.cell(row=first_row + offset, column=column).font = BOLD
    ws.freeze_panes = ws.cell(row=first_row + 1, column=2)


# -- PDF ----------------------------------------------------------------------------------------------------------


def pdf(board: Board) -> bytes:
    """Render the review as a PDF, in Vietnamese whatever the page's language: it is an administrative document."""
    with translation.override("vi"):
        context = {
            "board": board,
            "rows": report_rows(board),
            "chart": trend_svg(board),
            "columns": PDF_COLUMNS,
            "now": clock.now(),
        }
        html = render_to_string("indices/report.html", context)
    data: bytes = HTML(string=html, url_fetcher=URL_FETCHER).write_pdf(font_config=FONT_CONFIG)
    return data
