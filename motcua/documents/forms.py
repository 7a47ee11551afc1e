"""Render the one-stop-shop forms 01-06 of Thông tư 03/2025/TT-VPCP (Phụ lục I) as printable A4 PDFs.

Layout follows Nghị định 30/2020/NĐ-CP (national header on the right, issuing unit on the left, place and date,
title in bold capitals, signature blocks); the fields of Form 01 follow DOMAIN.md §1.4. Every form carries a QR code
to the dossier's public tracking page.
"""

from dataclasses import dataclass
from datetime import date, datetime

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from motcua.catalogue.models import Channel, ChannelLimit, Fee
from motcua.catalogue.selectors import limit_for
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.core.formatting import format_date, format_datetime, format_vnd
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import ApplicantKind, Dossier, DossierEvent
from motcua.dossiers.services import RefusalKind, ground_of
from motcua.organizations.models import DIVISION_TYPES, Unit, User
from motcua.signing.selectors import letter_block
from motcua.worktime.arithmetic import DeadlineStatus, format_due_slip
from motcua.worktime.deadlines import LimitUnit

FORMS = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}
# The hand-overs that make the rows of Form 06 (DOMAIN.md §1.3(b)): who gave the dossier, who received it, and how
# the step that ended compares with its allotted time.
HAND_OVERS = (
    Action.START,
    Action.COMPLETE_STEP,
    Action.TRANSFER,
    Action.RETURN_STEP,
    Action.COMPLETE,
    Action.RETURN_RESULT,
)

# The form set printed here is Thông tư 03/2025/TT-VPCP, Phụ lục I, in force from 15/09/2025 (DOMAIN.md §0). Dossiers
# received before then fell under Thông tư 01/2018/TT-VPCP, whose forms have other numbers and titles (its Form 05 is
# the process control sheet); that set is not provided, and the forms of such a dossier say so.
FORM_SET = "Thông tư 03/2025/TT-VPCP"
FORM_SET_FROM = date(2025, 9, 15)
EARLIER_FORM_SET = "Thông tư 01/2018/TT-VPCP"

# Loading fonts is the slow part of a render; one configuration shared by all renders keeps each one fast.
FONT_CONFIG = FontConfiguration()
# The templates reference nothing external; allowing only data: URLs guarantees a render never touches the network
# or the file system, whatever ends up in the HTML.
URL_FETCHER = URLFetcher(allowed_protocols={"data"})
# Administrative prose abbreviates the committee's name in the superior-body line, e.g. "UBND PHƯỜNG MỸ THO".
ABBREVIATIONS = (("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"))


def render_form(dossier: Dossier, number: str) -> bytes:
    """Render a form (01-06) for a dossier as an A4 PDF, or raise DomainError if the form does not apply."""
    builders = {
        "01": _receipt,
        "02": _supplement_request,
        "03": _refusal,
        "04": _apology,
        "05": _stop_notice,
        "06": _process_control,
    }
    if number not in builders:
        known = ", ".join(f"{key} ({name})" for key, name in FORMS.items())
        raise DomainError(f"Không có biểu mẫu số «{number}»; các mẫu hiện có: {known}.", field="number")
    specific = builders[number](dossier)  # raises first when the form does not apply
    context = {**_common(dossier, number), **specific}
    html = render_to_string(f"documents/form_{number}.html", context)
    # Without a target, write_pdf returns the document's bytes.
    pdf: bytes = HTML(string=html, url_fetcher=URL_FETCHER).write_pdf(font_config=FONT_CONFIG)
    return pdf


def form_of(code: str, number: str) -> bytes:
    """Render a form of the dossier with this code: the e-mail attachment renderer (MOTCUA_ATTACHMENT_RENDERERS)."""
    return render_form(Dossier.objects.select_related("version", "case").get(code=code), number)


@dataclass(frozen=True)
class Signature:
    """A signature block: its title in capitals and the name printed under the space left for signing."""

    title: str
    name: str = ""
    hint: str = "(Ký và ghi rõ họ tên)"


def _common(dossier: Dossier, number: str) -> dict[str, object]:
    # Forms 04 and 05 are the competent agency's letters; the others are issued by the one-stop desk.
    unit = dossier.competent_unit if number in {"04", "05"} else dossier.receiving_unit
    return {
        "number": number,
        "title": FORMS[number],
        "dossier": dossier,
        "superior": superior_line(unit),
        "issuer": issuer_name(unit),
        "qr": _qr_svg(dossier.tracking_url()),
        "is_organisation": dossier.applicant_kind == ApplicantKind.ORGANISATION,
        "procedure": dossier.version.name,
        "case_name": dossier.case.name,
        "form_set_notice": form_set_notice(dossier, number),
    }


def form_set_notice(dossier: Dossier, number: str = "") -> str:
    """Say plainly that a dossier received before Circular 03/2025 took effect gets that circular's forms only."""
    received = dossier.received_at or dossier.submitted_at
    if received.astimezone(VIETNAM).date() >= FORM_SET_FROM:
        return ""
    printed = f" Bản này in theo Mẫu số {number} của {FORM_SET}." if number else ""
    return (
        f"Hồ sơ tiếp nhận ngày {format_date(received.astimezone(VIETNAM).date())}, trước ngày {FORM_SET} có hiệu lực "
        f"({format_date(FORM_SET_FROM)}); biểu mẫu áp dụng khi đó theo {EARLIER_FORM_SET}, có số và tên khác. Hệ "
        f"thống chỉ cung cấp bộ biểu mẫu theo {FORM_SET}.{printed}"
    )


def _receipt(dossier: Dossier) -> dict[str, object]:
    event = _latest(dossier, Action.RECEIVE, Action.ACCEPT)
    if event is None or dossier.received_at is None or dossier.due_at is None:
        raise DomainError(
            "Hồ sơ chưa được tiếp nhận nên chưa có Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu số 01).",
            field="number",
        )
    limit = limit_for(dossier.case, dossier.channel)
    papers = dossier.components.select_related("component").order_by("component__position")
    owner_differs = bool(dossier.owner_name) and dossier.owner_name.strip() != dossier.applicant_name.strip()
    return {
        "event": event,
        "issued_on": place_date(event.at),
        "papers": papers,
        "time_limit": _time_limit(limit),
        "fees": _fees(dossier, limit),
        "received_at": format_datetime(dossier.received_at),
        "due_slip": format_due_slip(dossier.due_at),
        "owner_differs": owner_differs,
        "channel": Channel(dossier.channel).label,
        "signatures": [
            Signature("NGƯỜI NỘP HỒ SƠ", dossier.applicant_name if dossier.channel != Channel.ONLINE else ""),
            Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", _name(event)),
        ],
    }


def _supplement_request(dossier: Dossier) -> dict[str, object]:
    event = _latest(dossier, Action.REQUEST_SUPPLEMENT)
    if event is None:
        raise DomainError(
            "Hồ sơ chưa có yêu cầu bổ sung, hoàn thiện nên không lập được Phiếu yêu cầu bổ sung (Mẫu số 02).",
            field="number",
        )
    items = event.supplement_items.select_related("component").order_by("component__position", "pk")
    rounds = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT, sequence__lte=event.sequence).count()
    return {
        "event": event,
        "issued_on": place_date(event.at),
        "filed_on": _long_date(dossier.received_at or dossier.submitted_at),
        "items": items,
        "round": rounds,
        "signatures": [Signature("NGƯỜI HƯỚNG DẪN", _name(event))],
    }


def _refusal(dossier: Dossier) -> dict[str, object]:
    event = _latest(dossier, Action.REFUSE)
    if event is None:
        raise DomainError(
            "Hồ sơ không bị từ chối tiếp nhận nên không lập được Phiếu từ chối tiếp nhận giải quyết hồ sơ "
            "(Mẫu số 03).",
            field="number",
        )
    details = event.details if isinstance(event.details, dict) else {}
    kind = ground_of(details)  # printed when the officer gave one; older refusals have none
    return {
        "event": event,
        "issued_on": place_date(event.at),
        "filed_on": _long_date(dossier.submitted_at),
        "kind": kind.label if kind else "",
        "not_competent": kind is RefusalKind.NOT_COMPETENT,
        "guidance": str(details.get("guidance", "")).strip(),
        "signatures": [Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", _name(event))],
    }


def _apology(dossier: Dossier) -> dict[str, object]:
    event = _latest(dossier, Action.EXTEND)
    if event is None:
        raise DomainError(
            "Hồ sơ chưa được xin lỗi và gia hạn nên chưa có Văn bản xin lỗi và đề nghị gia hạn (Mẫu số 04).",
            field="number",
        )
    details = event.details
    # The dates as the letter gave them: the dossier's own dates move with later pauses and calendar changes.
    original_due = datetime.fromisoformat(details["original_due_at"])
    # The unit that caused the delay issues the apology; extensions recorded before it was named were the competent
    # unit's.
    issuer = Unit.objects.filter(code=details.get("issuing_unit", "")).first() or dossier.competent_unit
    return {
        "event": event,
        "issued_on": place_date(event.at),
        "filed_on": _long_date(dossier.received_at or dossier.submitted_at),
        "original_due": format_due_slip(original_due),
        "new_due": format_due_slip(datetime.fromisoformat(details["new_due_at"])),
        "issuing_unit": issuer,
        "delayed_step": details.get("delayed_step", ""),
        "superior": superior_line(issuer),
        "issuer": issuer_name(issuer),
        "signatures": [_letter_signature(dossier, event, issuer, "04")],
    }


def _stop_notice(dossier: Dossier) -> dict[str, object]:
    event = _latest(dossier, Action.STOP)
    if event is None:
        raise DomainError(
            "Hồ sơ không bị dừng giải quyết nên không lập được Thông báo dừng giải quyết hồ sơ (Mẫu số 05).",
            field="number",
        )
    stage = dossier.events.filter(sequence__lt=event.sequence, details__has_key="to_step").order_by("-sequence")
    last = stage.first()
    details = event.details
    requested_on = details.get("requested_on")
    paid, refund = int(details.get("fee_paid", 0)), int(details.get("refund", 0))
    return {
        "event": event,
        "issued_on": place_date(event.at),
        "filed_on": _long_date(dossier.received_at or dossier.submitted_at),
        "stage": last.details["to_step"] if last is not None else "",
        "request": details.get("request", ""),
        "requested_on": format_date(date.fromisoformat(requested_on)) if requested_on else "",
        "fee_paid": format_vnd(paid) if paid else "",
        "refund": format_vnd(refund) if paid else "",
        "obligations_paid": bool(details.get("obligations_paid")),
        "settlement": details.get("settlement", ""),
        "signatures": [_letter_signature(dossier, event, dossier.competent_unit, "05")],
    }


def _letter_signature(dossier: Dossier, event: DossierEvent, unit: Unit, number: str) -> Signature:
    """Build a letter's block from the signing register on the event's day (ND 30/2020 art. 13), or refuse."""
    username = event.details.get("signer", "")
    signer = User.objects.filter(username=username).first() if username else event.actor
    if signer is None:
        raise DomainError(f"Không xác định được người ký Mẫu số {number}.", field="number")
    on = event.at.astimezone(VIETNAM).date()
    verdict = letter_block(signer, unit, dossier, number, on)
    if not verdict.allowed:
        raise DomainError(
            f"Không lập được khối chữ ký của Mẫu số {number} theo sổ đăng ký thẩm quyền ký: {verdict.reason}",
            field="number",
        )
    *lines, name = verdict.block
    return Signature("\n".join(lines), name, hint="(Ký, ghi rõ họ tên và đóng dấu)")


@dataclass(frozen=True)
class ControlRow:
    """One row of Form 06: the unit, the hand-over instant, giver and receiver, and the step's result."""

    unit: str
    given_at: str
    giver: str
    receiver: str
    result: str
    note: str


def _process_control(dossier: Dossier) -> dict[str, object]:
    events = list(
        dossier.events.select_related("actor", "unit")
        .filter(action__in=[str(a) for a in HAND_OVERS])
        .order_by("sequence")
    )
    if not events:
        raise DomainError(
            "Hồ sơ chưa được chuyển xử lý nên chưa có Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu số 06).",
            field="number",
        )
    codes = {e.details.get("to_unit") for e in events} | {e.details.get("from_unit") for e in events}
    names = dict(Unit.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    rows = []
    for event in events:
        details = event.details
        giver_unit = names.get(details.get("from_unit", ""), event.unit.name if event.unit else "")
        if event.action == Action.RETURN_RESULT:
            receiver = f"Người nộp hồ sơ ({_RETURN_CHANNELS.get(details.get('channel', ''), '')})"
        elif event.action == Action.COMPLETE:
            receiver = f"{dossier.receiving_unit.name} (trả kết quả)"
        else:
            receiver = names.get(details.get("to_unit", ""), "")
            if details.get("to_step"):
                receiver = f"{receiver} — {details['to_step']}"
        result = details.get("step_result", "")
        rows.append(
            ControlRow(
                unit=giver_unit,
                given_at=format_datetime(event.at),
                giver=f"{_name(event)}" + (f" — {details['step_name']}" if details.get("step_name") else ""),
                receiver=receiver,
                result=DeadlineStatus(result).label if result else "",
                note=event.reason if event.action == Action.RETURN_STEP else "",
            )
        )
    due = dossier.statistics_due_at
    return {
        "issued_on": place_date(events[0].at),
        "rows": rows,
        "received": format_datetime(dossier.received_at) if dossier.received_at else "",
        "due": format_datetime(due) if due else "",
        "extended": format_datetime(dossier.due_at) if dossier.original_due_at and dossier.due_at else "",
        "signatures": [],
    }


_RETURN_CHANNELS = {"counter": "tại bộ phận một cửa", "post": "qua bưu chính", "online": "trực tuyến"}


def _latest(dossier: Dossier, *actions: Action) -> DossierEvent | None:
    events = dossier.events.select_related("actor").filter(action__in=[str(a) for a in actions])
    return events.order_by("-sequence").first()


def _name(event: DossierEvent) -> str:
    return str(event.actor) if event.actor is not None else ""


def superior_line(unit: Unit) -> str:
    # A committee heads its own division: the division is not a superior body and is not printed above it.
    parent = unit.parent
    if parent is None or parent.type in DIVISION_TYPES:
        return ""
    name = parent.name
    for long, short in ABBREVIATIONS:
        name = name.replace(long, short)
    return name.upper()


def issuer_name(unit: Unit) -> str:
    # The place already named in the superior line is not repeated: "UBND PHƯỜNG MỸ THO / TRUNG TÂM PHỤC VỤ HÀNH
    # CHÍNH CÔNG" rather than "... CÔNG PHƯỜNG MỸ THO".
    name = unit.name
    parent = unit.parent
    if parent is not None and parent.type not in DIVISION_TYPES:
        own, theirs = name.split(), parent.name.split()
        shared = 0
        while shared < min(len(own), len(theirs)) - 1 and own[-1 - shared] == theirs[-1 - shared]:
            shared += 1
        if shared >= 2:
            name = " ".join(own[:-shared])
    return name.upper()


def _province_name() -> str:
    province = Unit.objects.filter(code=settings.MOTCUA_PROVINCE_CODE).first()
    return (province.short_name or province.name) if province else ""


def _long_date(moment: datetime) -> str:
    # Nghị định 30/2020/NĐ-CP, Phụ lục I: a zero before days below 10 and before months 1 and 2 only.
    local = moment.astimezone(VIETNAM)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    return f"ngày {local.day:02d} tháng {month} năm {local.year}"


def place_date(moment: datetime) -> str:
    return f"{_province_name()}, {_long_date(moment)}"


def _time_limit(limit: ChannelLimit | None) -> str:
    if limit is None:
        return "Theo quy định của thủ tục"
    unit = LimitUnit(limit.unit)
    if unit is LimitUnit.SAME_DAY:
        return "Trong ngày làm việc"
    amount = f"{float(limit.amount):g}".replace(".", ",")
    return f"{amount} {unit.label}"


def _fees(dossier: Dossier, limit: ChannelLimit | None) -> str:
    # The fee chosen at intake with its collection mode; before one is chosen (online), the catalogue's list.
    if dossier.fee is not None:
        return f"{_fee_text(dossier.fee)} ({dossier.get_fee_collection_display().lower()})"
    return "; ".join(_fee_text(fee) for fee in limit.fees.all()) if limit else ""


def _fee_text(fee: Fee) -> str:
    description = fee.description.strip()
    if fee.amount == 0:
        return description or "Không thu"
    return f"{description}: {format_vnd(fee.amount)}" if description else format_vnd(fee.amount)


def _qr_svg(url: str) -> SafeString:
    # segno builds the SVG from the URL alone (no markup from user input), and omitsize lets CSS set the printed size.
    svg = segno.make(url, error="m").svg_inline(scale=3, omitsize=True)
    return mark_safe(svg)  # noqa: S308
