"""Form 07 (Sổ theo dõi hồ sơ, TT 03/2025/TT-VPCP Phụ lục I): a unit's register of dossiers for a period, as PDF
and Excel. One row per dossier the unit received; the dates come from the dossier and its events."""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import openpyxl
from django.db.models import Prefetch
from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Border, Font, Side
from weasyprint import HTML

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.core.formatting import format_datetime
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.organizations.models import Unit
from motcua.worktime.arithmetic import status

from .forms import FONT_CONFIG, URL_FETCHER, issuer_name, place_date, superior_line

TITLE = "Sổ theo dõi hồ sơ"
# The longest period one register covers; a year of a busy centre is tens of thousands of rows.
MAX_DAYS = 366
HEADINGS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên tổ chức, cá nhân",
    "Số điện thoại",
    "Cơ quan giải quyết",
    "Ngày, giờ nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển xử lý",
    "Có kết quả",
    "Trả kết quả",
    "Ghi chú",
)


@dataclass(frozen=True)
class RegisterRow:
    code: str
    procedure: str
    applicant: str
    phone: str
    competent: str
    received: str
    due: str
    started: str
    finished: str
    returned: str
    note: str

    def cells(self, number: int) -> tuple[object, ...]:
        return (number, self.code, self.procedure, self.applicant, self.phone, self.competent, self.received,
                self.due, self.started, self.finished, self.returned, self.note)  # fmt: skip


def register_rows(unit: Unit, start: date, end: date) -> list[RegisterRow]:
    """Return the register's rows: dossiers received by the unit from start to end (inclusive), in order."""
    if end < start:
        raise DomainError("Ngày cuối kỳ phải sau ngày đầu kỳ.", field="end")
    if (end - start).days >= MAX_DAYS:
        raise DomainError(f"Một sổ theo dõi không quá {MAX_DAYS} ngày.", field="end")
    lower = datetime.combine(start, time.min, VIETNAM)
    upper = datetime.combine(end + timedelta(days=1), time.min, VIETNAM)
    marks = DossierEvent.objects.filter(action__in=[Action.START, Action.COMPLETE]).order_by("sequence")
    dossiers = (
        Dossier.objects.filter(receiving_unit=unit, received_at__gte=lower, received_at__lt=upper)
        .select_related("version", "competent_unit")
        .defer("version__record", "version__search_text")
        .prefetch_related(Prefetch("events", queryset=marks, to_attr="marks"))
        .order_by("received_at", "code")
    )
    rows = []
    for dossier in dossiers:
        started = next((e.at for e in dossier.marks if e.action == Action.START), None)
        finished = next((e.at for e in dossier.marks if e.action == Action.COMPLETE), None)
        rows.append(
            RegisterRow(
                code=dossier.code,
                procedure=dossier.version.name,
                applicant=dossier.organisation_name or dossier.applicant_name,
                phone=dossier.applicant_phone,
                competent=dossier.competent_unit.name,
                received=_when(dossier.received_at),
                due=_when(dossier.statistics_due_at),
                started=_when(started),
                finished=_when(finished),
                returned=_when(dossier.returned_at),
                note=_note(dossier),
            )
        )
    return rows


def _when(moment: datetime | None) -> str:
    return format_datetime(moment) if moment is not None else ""


def _note(dossier: Dossier) -> str:
    due = dossier.statistics_due_at
    parts = []
    if dossier.closed_at is not None and due is not None and dossier.status in {Status.FINISHED, Status.RETURNED}:
        parts.append(status(dossier.closed_at, due).label)
    elif dossier.status not in {Status.FINISHED, Status.RETURNED}:
        parts.append(Status(dossier.status).label)
    if dossier.original_due_at is not None:
        parts.append(f"Gia hạn đến {format_datetime(dossier.due_at)}" if dossier.due_at else "Gia hạn")
    return "; ".join(parts)


def render_register_pdf(unit: Unit, start: date, end: date, *, issued_at: datetime) -> bytes:
    """Render Form 07 for a unit and period as a landscape A4 PDF."""
    rows = register_rows(unit, start, end)
    html = render_to_string(
        "documents/form_07.html",
        {
            "title": TITLE,
            "superior": superior_line(unit),
            "issuer": issuer_name(unit),
            "issued_on": place_date(issued_at),
            "unit": unit,
            "start": start,
            "end": end,
            "headings": HEADINGS,
            "rows": [row.cells(number) for number, row in enumerate(rows, start=1)],
        },
    )
    pdf: bytes = HTML(string=html, url_fetcher=URL_FETCHER).write_pdf(font_config=FONT_CONFIG)
    return pdf


def render_register_xlsx(unit: Unit, start: date, end: date) -> bytes:
    """Write Form 07 for a unit and period as an Excel workbook, one row per dossier."""
    rows = register_rows(unit, start, end)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "So theo doi"
    sheet.append([f"{TITLE.upper()} — {unit.name}"])
    sheet.append([f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"])
    sheet.append(list(HEADINGS))
    thin = Side(style="thin")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    sheet["A1"].font = Font(bold=True, size=13)
    for number, row in enumerate(rows, start=1):
        sheet.append(list(row.cells(number)))
    for column, width in zip("ABCDEFGHIJKL", (5, 28, 40, 24, 12, 28, 17, 17, 17, 17, 17, 24), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_file(unit: Unit, start: date, end: date, kind: str) -> tuple[bytes, str, str]:
    """Return Form 07 of a unit for a period as (content, content type, file name), as PDF or Excel."""
    if kind == "xlsx":
        body, content_type = render_register_xlsx(unit, start, end), XLSX
    else:
        body, content_type = render_register_pdf(unit, start, end, issued_at=clock.now()), "application/pdf"
    return body, content_type, f"so-theo-doi-{unit.code}-{start}-{end}.{kind}"
