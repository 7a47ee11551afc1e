"""Writes to the official calendar and office hours; every change is a new calendar version."""

import re
from datetime import date, time

from django.db import transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotFoundError, NotPermittedError
from motcua.organizations.models import Unit, User

from . import official
from .models import CalendarDay, CalendarProposal, CalendarVersion, DayKind, OfficeSchedule, ProposalStatus
from .selectors import forget_calendars

# A document symbol as Vietnamese texts write it: "12729/VPCP-KGVX", "45/2019/QH14", "6150/TB-BLĐTBXH".
DOCUMENT_NUMBER = re.compile(r"\b\d+(?:/\d{4})?/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*")
DOCUMENT_DATE = re.compile(r"\bngày\s+(\d{1,2})/(\d{1,2})/(\d{4})\b", re.IGNORECASE)
BASIS_EXAMPLE = "Thông báo số 123/TB-VPCP ngày 05/11/2026 của Văn phòng Chính phủ"


class ProposalError(DomainError):
    code = "invalid_calendar_decision"


_DECIDED = {ProposalStatus.CONFIRMED: "đã được xác nhận", ProposalStatus.REJECTED: "đã bị bác bỏ"}


def _new_version(summary: str, days: list[date], actor: User | None) -> CalendarVersion:
    forget_calendars()
    return CalendarVersion.objects.create(
        created_at=clock.now(),
        actor=actor,
        summary=summary[:300],
        first_affected=min(days, default=None),
        last_affected=max(days, default=None),
    )


@transaction.atomic
def seed_official_calendar(years: range, *, actor: User | None = None) -> CalendarVersion | None:
    """Add the days a cited text makes off or working, and propose the package's other days for an admin to decide.

    Rows already there stay as admins set them: a calendar day is never overwritten, and a proposal, pending or
    decided, is never proposed again.
    """
    existing = set(CalendarDay.objects.filter(day__year__in=years).values_list("day", flat=True))
    new = [entry for year in years for entry in official.entries_for(year) if entry.day not in existing]
    proposals = [proposal for year in years for proposal in official.proposals_for(year)]
    proposed = set(CalendarProposal.objects.filter(day__in=[p.day for p in proposals]).values_list("day", flat=True))
    now = clock.now()
    CalendarProposal.objects.bulk_create(
        CalendarProposal(
            day=p.day, kind=p.kind, name=p.name, source=p.source, paired_day=p.paired_day, proposed_at=now
        )
        for p in proposals
        if p.day not in existing and p.day not in proposed
    )
    if not new:
        return None
    # A day a cited text now settles needs no decision any more.
    CalendarProposal.objects.filter(day__in=[e.day for e in new], status=ProposalStatus.PENDING).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(day=e.day, kind=e.kind, name=e.name, legal_basis=e.legal_basis, note=e.note) for e in new
    )
    return _new_version(f"Nạp lịch nghỉ chính thức {years.start}–{years.stop - 1}", [e.day for e in new], actor)


def parse_basis(basis: str) -> tuple[str, date]:
    """Return the number and date of the document a decision cites, or refuse a basis that lacks either."""
    if len(" ".join(basis.split())) > 300:
        raise ProposalError("Căn cứ dài quá 300 ký tự; chỉ ghi loại, số, ngày và cơ quan ban hành.", field="basis")
    number = DOCUMENT_NUMBER.search(basis)
    dated = DOCUMENT_DATE.search(basis)
    if number is None or dated is None:
        raise ProposalError(
            f"Căn cứ phải ghi số và ngày của văn bản, ví dụ: {BASIS_EXAMPLE}.",
            field="basis",
        )
    day, month, year = (int(part) for part in dated.groups())
    try:
        issued_on = date(year, month, day)
    except ValueError as error:
        raise ProposalError(f"Ngày văn bản {dated.group(0)} không có thật.", field="basis") from error
    if issued_on > clock.today():
        raise ProposalError(
            f"Ngày văn bản {issued_on:%d/%m/%Y} ở tương lai; hãy ghi ngày ban hành của văn bản.", field="basis"
        )
    return number.group(0), issued_on


def require_reason(reason: str) -> str:
    """Return the reason for rejecting a proposal, or refuse an empty one."""
    if not reason.strip():
        raise ProposalError("Hãy ghi lý do bác bỏ đề xuất.", field="reason")
    return reason.strip()


def _pending_with_partner(day: date, actor: User) -> list[CalendarProposal]:
    """Lock the pending proposal of this day and, for a swap, of its other day: they are decided together."""
    if not actor.has_perm("worktime.change_calendarproposal"):
        raise NotPermittedError("Chỉ quản trị hệ thống được xác nhận hoặc bác bỏ đề xuất ngày nghỉ.")
    proposal = CalendarProposal.objects.select_for_update().filter(day=day).first()
    if proposal is None:
        raise NotFoundError(f"Không có đề xuất nào cho ngày {day:%d/%m/%Y}.", field="day")
    if proposal.status != ProposalStatus.PENDING:
        who = str(proposal.decided_by) if proposal.decided_by else ""
        when = proposal.decided_at.astimezone(clock.VIETNAM) if proposal.decided_at else None
        raise ConflictError(
            f"Đề xuất ngày {day:%d/%m/%Y} {_DECIDED[ProposalStatus(proposal.status)]}"
            + (f" lúc {when:%H:%M} ngày {when:%d/%m/%Y}" if when else "")
            + (f" bởi {who}" if who else "")
            + "; không quyết định lại.",
            field="day",
        )
    if proposal.paired_day is None:
        return [proposal]
    partners = CalendarProposal.objects.select_for_update().filter(
        day=proposal.paired_day, status=ProposalStatus.PENDING
    )
    return [proposal, *partners]


@transaction.atomic
def confirm_proposal(day: date, *, basis: str, actor: User) -> CalendarVersion:
    """Write a proposed day (and its swap partner) to the calendar on the cited document, as a new version.

    Open dossiers whose period crosses the day are then recomputed by the deadline watch, as for any calendar change.
    """
    number, issued_on = parse_basis(basis)
    basis = " ".join(basis.split())
    proposals = _pending_with_partner(day, actor)
    now = clock.now()
    for proposal in proposals:
        CalendarDay.objects.update_or_create(
            day=proposal.day,
            defaults={
                "kind": proposal.kind,
                "name": proposal.name,
                "legal_basis": basis,
                "note": f"Đề xuất của {proposal.source}, xác nhận ngày {clock.today():%d/%m/%Y}.",
            },
        )
    days = [proposal.day for proposal in proposals]
    listed = ", ".join(f"{d:%d/%m/%Y}" for d in sorted(days))
    version = _new_version(f"Xác nhận ngày {listed} theo {basis}", days, actor)
    for proposal in proposals:
        proposal.status = ProposalStatus.CONFIRMED
        proposal.legal_basis, proposal.document_number, proposal.document_on = basis, number, issued_on
        proposal.decided_by, proposal.decided_at, proposal.calendar_version = actor, now, version
        proposal.save()
    return version


@transaction.atomic
def reject_proposal(day: date, *, reason: str, actor: User) -> list[CalendarProposal]:
    """Record that a proposed day (and its swap partner) is not in force; the calendar does not change."""
    reason = require_reason(reason)
    proposals = _pending_with_partner(day, actor)
    now = clock.now()
    for proposal in proposals:
        proposal.status, proposal.rejection_reason = ProposalStatus.REJECTED, reason
        proposal.decided_by, proposal.decided_at = actor, now
        proposal.save()
    return proposals


@transaction.atomic
def set_calendar_day(
    *, day: date, kind: DayKind, name: str, legal_basis: str, note: str = "", actor: User | None
) -> CalendarVersion:
    """Declare a day off or a make-up working day (e.g. the Prime Minister's yearly decision) and version it."""
    CalendarDay.objects.update_or_create(
        day=day, defaults={"kind": kind, "name": name, "legal_basis": legal_basis, "note": note}
    )
    return _new_version(f"{DayKind(kind).label} {day:%d/%m/%Y}: {name} ({legal_basis})", [day], actor)


@transaction.atomic
def remove_calendar_day(*, day: date, reason: str, actor: User | None) -> CalendarVersion:
    """Make a day ordinary again (a decision was withdrawn) and version it."""
    CalendarDay.objects.filter(day=day).delete()
    return _new_version(f"Bỏ ngày {day:%d/%m/%Y}: {reason}", [day], actor)


@transaction.atomic
def set_office_hours(
    unit: Unit, *, morning: tuple[time, time], afternoon: tuple[time, time], actor: User | None
) -> CalendarVersion:
    """Set a province's (or one unit's) office hours; deadlines from today on use them."""
    schedule, _ = OfficeSchedule.objects.get_or_create(unit=unit)
    schedule.morning_start, schedule.morning_end = morning
    schedule.afternoon_start, schedule.afternoon_end = afternoon
    schedule.full_clean()
    schedule.save()
    return _new_version(f"Giờ làm việc của {unit}: {schedule}", [clock.today()], actor)
