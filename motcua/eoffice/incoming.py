"""Writes of incoming documents (ND 30/2020/NĐ-CP arts 21-24): check, register, present, assign.

Each action locks its row, checks the rule `rules.refusal_of` gives, appends an event and updates the projections in
one transaction; a refused action changes nothing.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.organizations.models import Role, Unit, User
from motcua.reform.tasks.lifecycle import SourceKind
from motcua.reform.tasks.lifecycle import Urgency as TaskUrgency
from motcua.reform.tasks.services import TaskDraft, create_directive
from motcua.signing import pdf
from motcua.worktime.selectors import calendar_for

from . import inputs, rules
from .lifecycle import Action, Channel, Incoming, Integrity, Urgency
from .models import IncomingDocument, IncomingEvent, IncomingFile, IncomingSequence

# How the document's urgency carries over to the handling task's.
TASK_URGENCY = {
    Urgency.ORDINARY: TaskUrgency.ORDINARY,
    Urgency.URGENT: TaskUrgency.URGENT,
    Urgency.VERY_URGENT: TaskUrgency.FLASH,
    Urgency.FLASH: TaskUrgency.FLASH,
}


@dataclass(frozen=True)
class Received:
    """A file as it arrived: its name and bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Registration:
    document: IncomingDocument
    created: bool  # False: a second copy, pointed to the first registration


@dataclass(frozen=True)
class _Checked:
    name: str
    content: bytes
    sha256: str
    signature_valid: bool | None
    reason: str


def _check_files(files: Sequence[Received]) -> list[_Checked]:
    if len(files) > inputs.MAX_FILES:
        raise DomainError(f"Tối đa {inputs.MAX_FILES} tệp cho một văn bản.", field="files")
    checked = []
    for item in files:
        name = inputs.text(item.name, "files", 255, what="tên tệp")
        if len(item.content) > inputs.MAX_FILE_BYTES:
            raise DomainError(f"Tệp {name} quá lớn.", field="files")
        valid: bool | None = None
        reason = ""
        if item.content.startswith(b"%PDF"):
            result = pdf.validate(item.content)
            if result.is_valid or result.reason != "Tệp không có chữ ký số.":
                valid, reason = result.is_valid, result.reason
        checked.append(_Checked(name, item.content, hashlib.sha256(item.content).hexdigest(), valid, reason[:500]))
    return checked


def _integrity(channel: Channel, files: list[_Checked]) -> tuple[Integrity, str]:
    """Art. 22: authenticity and integrity; a file failing its signature check makes the document "không toàn vẹn"."""
    broken = next((f for f in files if f.signature_valid is False), None)
    if broken is not None:
        return Integrity.INVALID, f"{broken.name}: {broken.reason}"
    if channel == Channel.PAPER:
        return Integrity.PAPER, ""
    signed = next((f for f in files if f.signature_valid), None)
    if signed is not None:
        return Integrity.VALID, f"{signed.name}: {signed.reason}"
    return Integrity.UNSIGNED, ""


def presentation_due(unit: Unit, registered_at: datetime, urgency: Urgency) -> datetime:
    """Art. 24: presented the same day, the next working day at the latest; urgent documents at once (within
    MOTCUA_EOFFICE_URGENT_PRESENTATION_MINUTES working minutes [R])."""
    calendar = calendar_for(unit)
    if urgency != Urgency.ORDINARY:
        return calendar.add_working_minutes(registered_at, settings.MOTCUA_EOFFICE_URGENT_PRESENTATION_MINUTES)
    return calendar.add_working_days(registered_at, 1)


def _next_number(unit: Unit, year: int) -> IncomingSequence:
    """Lock the body's sequence of the year, creating it at 0 on the first registration (from 1 on 1 January)."""
    IncomingSequence.objects.bulk_create([IncomingSequence(unit=unit, year=year)], ignore_conflicts=True)
    return IncomingSequence.objects.select_for_update().get(unit=unit, year=year)


def register(
    *,
    by: User,
    unit: Unit,
    channel: object,
    sender: object,
    sender_notation: object,
    sender_date: object,
    document_type: object,
    summary: object,
    urgency: object,
    pages: object,
    files: Sequence[Received] = (),
) -> Registration:
    """Register an incoming document in the body's register, or point a second copy to the first registration."""
    if not rules.may_register(by, unit.pk):
        raise NotPermittedError(rules.NOT_CLERK)
    kind = inputs.choice(channel, Channel, "channel", "nguồn văn bản")
    name = inputs.text(sender, "sender", 255, what="nơi gửi")
    notation = inputs.text(sender_notation, "sender_notation", 80, what="số, ký hiệu")
    dated = inputs.day(sender_date, "sender_date", "ngày văn bản")
    assert dated is not None
    if dated > clock.today():
        raise DomainError("Ngày văn bản không thể sau hôm nay.", field="sender_date")
    typed = inputs.document_type(document_type)
    about = inputs.text(summary, "summary", 500, what="trích yếu")
    level = inputs.choice(urgency, Urgency, "urgency", "độ khẩn")
    page_count = inputs.count(pages, "pages", "số trang", 1, 10_000)
    if kind != Channel.PAPER and not files:
        raise DomainError("Văn bản điện tử cần kèm tệp.", field="files")
    checked = _check_files(files)  # before the lock: validating signatures is slow
    integrity, reason = _integrity(kind, checked)
    now = clock.now()
    year = now.astimezone(clock.VIETNAM).year
    key = " ".join(name.split()).casefold()
    with transaction.atomic():
        sequence = _next_number(unit, year)  # registrations of one body queue here
        first = (
            IncomingDocument.objects.select_for_update(of=("self",))
            .filter(unit=unit, sender_key=key, sender_notation=notation, sender_date=dated)
            .first()
        )
        if first is not None:
            first.copies_received += 1
            first.save(update_fields=["copies_received"])
            IncomingEvent.objects.create(
                document=first, action="duplicate", at=now, by=by, details={"channel": kind.value}
            )
            return Registration(first, created=False)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        electronic = kind != Channel.PAPER
        document = IncomingDocument.objects.create(
            unit=unit,
            year=year,
            number=sequence.last_number,
            channel=kind,
            sender=name,
            sender_key=key,
            sender_notation=notation,
            sender_date=dated,
            document_type=typed,
            summary=about,
            urgency=level,
            pages=page_count,
            integrity=integrity,
            integrity_reason=reason[:500],
            status=Incoming.REGISTERED,
            registered_at=now,
            registered_by=by,
            receipt_confirmed_at=now if electronic else None,
            presentation_due_at=presentation_due(unit, now, level),
        )
        for item in checked:
            stored = IncomingFile(
                document=document,
                name=item.name,
                size=len(item.content),
                sha256=item.sha256,
                signature_valid=item.signature_valid,
                signature_reason=item.reason,
            )
            stored.content.save(item.name, ContentFile(item.content), save=False)
            stored.save()
        IncomingEvent.objects.create(
            document=document,
            action=Action.REGISTER,
            at=now,
            by=by,
            details={"number": document.number, "integrity": integrity.value},
        )
        if electronic:
            # Art. 22: receipt of an electronic document is confirmed to the sender the same day through the system.
            IncomingEvent.objects.create(document=document, action="confirm_receipt", at=now, by=by)
    return Registration(document, created=True)


def _locked(document: IncomingDocument, by: User, action: Action) -> IncomingDocument:
    locked = IncomingDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    refusal = rules.refusal_of(locked, by, action)
    if refusal in (rules.NOT_MEMBER, rules.NOT_CLERK, rules.NOT_LEADER):
        raise NotPermittedError(refusal)
    if refusal:
        raise ConflictError(refusal)
    return locked


def _leader_of(user: User, unit_id: int) -> bool:
    return any(role == Role.LEADER for role, _position in rules.body_posts(user, unit_id))


def present(document: IncomingDocument, *, by: User, to: User | None) -> IncomingDocument:
    """Present the document to the body's competent leader (art. 24)."""
    with transaction.atomic():
        locked = _locked(document, by, Action.PRESENT)
        if to is None or not _leader_of(to, locked.unit_id):
            raise DomainError("Chọn lãnh đạo của cơ quan để trình văn bản.", field="to")
        now = clock.now()
        locked.status, locked.presented_at, locked.presented_to = Incoming.PRESENTED, now, to
        locked.save(update_fields=["status", "presented_at", "presented_to"])
        late = now > locked.presentation_due_at
        IncomingEvent.objects.create(
            document=locked, action=Action.PRESENT, at=now, by=by, details={"to": to.pk, "late": late}
        )
    return locked


def assign(
    document: IncomingDocument,
    *,
    by: User,
    assignee: User | None,
    co_handlers: Sequence[User] = (),
    instruction: object = "",
    deadline: object = None,
) -> IncomingDocument:
    """The leader records the assignee, co-handlers, instruction and deadline; handling becomes a reform task."""
    with transaction.atomic():
        locked = _locked(document, by, Action.ASSIGN)
        if assignee is None:
            raise DomainError("Chọn người xử lý chính.", field="assignee")
        if not rules.body_posts(assignee, locked.unit_id):
            raise DomainError("Người xử lý chính phải là cán bộ của cơ quan.", field="assignee")
        helpers = list(dict.fromkeys(co_handlers))
        if assignee in helpers:
            raise DomainError("Người xử lý chính không đồng thời là người phối hợp.", field="co_handlers")
        if any(not rules.body_posts(helper, locked.unit_id) for helper in helpers):
            raise DomainError("Người phối hợp phải là cán bộ của cơ quan.", field="co_handlers")
        note = inputs.text(instruction, "instruction", 2_000, what="ý kiến chỉ đạo", multiline=True)
        due = inputs.day(deadline, "deadline", "hạn xử lý", required=False)
        if due is not None and due < clock.today():
            raise DomainError("Hạn xử lý không thể trước hôm nay.", field="deadline")
        unit = Unit.objects.get(pk=locked.unit_id)
        directive = create_directive(
            source_kind=SourceKind.NOTE_ON_DOCUMENT,
            source_number=locked.sender_notation,
            source_date=locked.sender_date,
            leader_name=by.full_name or by.username,
            leader=by,
            urgency=TASK_URGENCY[Urgency(locked.urgency)],
            by=by,
            summary=locked.summary,
            tasks=[
                TaskDraft(
                    content=f"{note} ({locked.sender_notation}: {locked.summary})"[:2000], lead_unit=unit, deadline=due
                )
            ],
            entry_checked=True,
        )
        locked.status, locked.assignee, locked.instruction = Incoming.ASSIGNED, assignee, note
        locked.deadline, locked.directive = due, directive
        locked.save(update_fields=["status", "assignee", "instruction", "deadline", "directive"])
        locked.co_handlers.set(helpers)
        IncomingEvent.objects.create(
            document=locked,
            action=Action.ASSIGN,
            at=clock.now(),
            by=by,
            details={"assignee": assignee.pk, "co_handlers": [h.pk for h in helpers], "directive": directive.pk},
        )
    return locked
