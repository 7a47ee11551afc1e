"""The one writer of meetings: each change locks its meeting (or bridge point), is checked against `rules`, appends
its event and updates the projection in one transaction. The conclusion notice hands its numbered conclusions to the
task engine (`reform.tasks.services.create_directive`, source "kết luận cuộc họp")."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction

from motcua.core import clock
from motcua.core.downloads import SUFFIXES
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.text import checked_text, clean_free_text
from motcua.dossiers.drafts import check_scan
from motcua.organizations.models import Unit, User
from motcua.reform.models import AgendaItem, BridgePoint, ConclusionNotice, Meeting, MeetingEvent, MeetingFile
from motcua.reform.tasks.lifecycle import SourceKind, Urgency
from motcua.reform.tasks.services import TaskDraft, create_directive

from . import rules
from .clocks import attendance_locks_at, notice_form
from .lifecycle import ACTION_LABELS, Action, Form, Kind, Status, transition
from .selectors import is_organiser

MAX_ROWS = 100  # agenda items, bridge points or conclusions of one meeting
MAX_HEADCOUNT = 100_000


@dataclass(frozen=True)
class AgendaDraft:
    title: str
    presenter_unit: Unit


@dataclass(frozen=True)
class BridgePointDraft:
    unit: Unit
    place: str
    host: User


@dataclass(frozen=True)
class Conclusion:
    """One numbered conclusion of the notice: it becomes one task."""

    content: str
    lead_unit: Unit
    co_units: Sequence[Unit] = ()
    deadline: date | None = None  # None: không hạn


@dataclass(frozen=True)
class Inputs:
    """What an action carries: a reason, the minutes' text, the notice, a file."""

    reason: str = ""
    minutes: str = ""
    number: str = ""
    issued_on: date | None = None
    signer_name: str = ""
    conclusions: Sequence[Conclusion] = field(default_factory=tuple)
    file_name: str = ""
    file_content: bytes | None = None
    agenda_item: int | None = None
    agenda: AgendaDraft | None = None  # add-agenda
    bridge_point: BridgePointDraft | None = None  # add-bridge-point


def create_meeting(
    *, by: User, kind: str, title: str, chair: User, form: str, starts_at: datetime, ends_at: datetime,
    video_link: str = "", agenda: Sequence[AgendaDraft] = (), bridge_points: Sequence[BridgePointDraft] = (),
) -> Meeting:  # fmt: skip
    """Schedule a meeting with its agenda and bridge points (a leader of UBND tỉnh or Văn phòng UBND tỉnh)."""
    if not is_organiser(by):
        raise NotPermittedError(rules.NOT_ORGANISER)
    kind, form = _choice(kind, Kind, "kind"), _choice(form, Form, "form")
    title = checked_text(title, "title", 300, required=True, what="tên cuộc họp")
    if ends_at <= starts_at:
        raise DomainError("Thời gian kết thúc phải sau thời gian bắt đầu.", field="ends_at")
    link = _link(video_link)
    if chair.is_citizen or not chair.is_active:
        raise DomainError("Người chủ trì phải là cán bộ, công chức.", field="chair")
    if len(agenda) > MAX_ROWS or len(bridge_points) > MAX_ROWS:
        raise DomainError(f"Tối đa {MAX_ROWS} nội dung và {MAX_ROWS} điểm cầu.", field="agenda")
    points = [
        (p, checked_text(p.place, "bridge_points", 300, required=True, what="địa điểm điểm cầu"))
        for p in bridge_points
    ]
    if len({p.unit.pk for p in bridge_points}) < len(bridge_points):
        raise DomainError("Mỗi đơn vị chỉ có một điểm cầu.", field="bridge_points")
    if any(p.host.is_citizen for p in bridge_points):
        raise DomainError("Người phụ trách điểm cầu phải là cán bộ, công chức.", field="bridge_points")
    items = [(a, checked_text(a.title, "agenda", 500, required=True, what="nội dung chương trình")) for a in agenda]
    now = clock.now()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=kind, title=title, chair=chair, form=form, starts_at=starts_at, ends_at=ends_at, video_link=link,
            status=Status.SCHEDULED, attendance_locks_at=attendance_locks_at(ends_at), organised_by=by, created_at=now,
        )  # fmt: skip
        for position, (item, text) in enumerate(items, start=1):
            AgendaItem.objects.create(
                meeting=meeting, position=position, title=text, presenter_unit=item.presenter_unit
            )
        for point, place in points:
            BridgePoint.objects.create(meeting=meeting, unit=point.unit, place=place, host=point.host)
        _append(meeting, Action.CREATE, by, now, details={"bridge_points": len(points), "agenda": len(items)})
    return meeting


def enter_attendance(point: BridgePoint, *, by: User, invited: object, present: object) -> BridgePoint:
    """A bridge point's host enters its invited and present counts; anyone else, or after the lock: refused, nothing
    saved."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=point.meeting_id)
        locked = BridgePoint.objects.select_for_update(of=("self",)).get(pk=point.pk)
        locked.meeting = meeting
        refusal = rules.attendance_refusal(locked, by)
        if refusal is None:
            raise ConflictError(f"Cuộc họp đang ở trạng thái «{meeting.status_label}»: không thể nhập số đại biểu.")
        if refusal in rules.REFUSALS_OF_PERSON:
            raise NotPermittedError(refusal)
        if refusal:
            raise DomainError(refusal, field="present")
        invited_n, present_n = _count(invited, "invited"), _count(present, "present")
        if present_n > invited_n:
            raise DomainError("Số đại biểu có mặt không thể lớn hơn số được mời.", field="present")
        now = clock.now()
        before = {"invited": locked.invited, "present": locked.present}
        locked.invited, locked.present, locked.entered_at = invited_n, present_n, now
        locked.save(update_fields=["invited", "present", "entered_at"])
        _append(meeting, Action.ATTENDANCE, by, now, point=locked,
                details={"invited": invited_n, "present": present_n, "before": before})  # fmt: skip
    return locked


def act(meeting: Meeting, action: Action, *, actor: User, inputs: Inputs | None = None) -> Meeting:
    """Take a meeting action as `rules.available_actions` allows it now; refused with its reason, nothing changed."""
    given = inputs or Inputs()
    scan = check_scan(given.file_content) if action == Action.ATTACH and given.file_content is not None else None
    with transaction.atomic():
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("chair").get(pk=meeting.pk)
        rule = transition(action, Status(locked.status))
        refusal = rules.refusal_of(locked, actor, action)
        if rule is None or refusal is None or action in (Action.CREATE, Action.ATTENDANCE):
            raise ConflictError(
                f"Cuộc họp đang ở trạng thái «{locked.status_label}»: không thể {ACTION_LABELS[action].lower()}."
            )
        if refusal in rules.REFUSALS_OF_PERSON:
            raise NotPermittedError(refusal)
        if refusal:
            raise DomainError(refusal)
        reason = checked_text(given.reason, "reason", 2_000, required=rule.needs_reason, what="lý do")
        now = clock.now()
        details: dict[str, object] = {}
        if action == Action.DRAFT_MINUTES:
            locked.minutes = checked_text(given.minutes, "minutes", 50_000, required=True, what="nội dung biên bản")
            locked.minutes_drafted_at = now
            details = {"sha256": hashlib.sha256(locked.minutes.encode()).hexdigest()}
        elif action == Action.APPROVE_MINUTES:
            locked.minutes_approved_at = now
            details = {"sha256": hashlib.sha256(locked.minutes.encode()).hexdigest()}
        elif action == Action.ISSUE_NOTICE:
            details = _issue_notice(locked, given, actor, now)
        elif action in (Action.ADD_AGENDA, Action.ADD_BRIDGE_POINT):
            details = _add_row(locked, action, given)
        elif action == Action.ATTACH:
            if scan is None:
                raise DomainError("Chọn tệp đính kèm.", field="file")
            item = _agenda_item(locked, given.agenda_item)
        if rule.target is not None:
            locked.status = rule.target
        locked.save()
        event = _append(locked, action, actor, now, reason=reason, details=details)
        if action == Action.ATTACH and scan is not None:
            _store(locked, item, event, given.file_name, scan.content, scan.content_type, now)
    return locked


def _add_row(meeting: Meeting, action: Action, given: Inputs) -> dict[str, object]:
    """One more agenda item or bridge point of a meeting that is still only scheduled (the meeting row is locked)."""
    if action == Action.ADD_AGENDA:
        if given.agenda is None:
            raise DomainError("Nhập nội dung chương trình và đơn vị trình bày.", field="agenda")
        title = checked_text(given.agenda.title, "agenda", 500, required=True, what="nội dung chương trình")
        position = meeting.agenda.count() + 1
        if position > MAX_ROWS:
            raise DomainError(f"Tối đa {MAX_ROWS} nội dung chương trình.", field="agenda")
        item = AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, presenter_unit=given.agenda.presenter_unit
        )
        return {"agenda_item": item.pk, "position": position}
    draft = given.bridge_point
    if draft is None:
        raise DomainError("Nhập đơn vị, địa điểm và người phụ trách điểm cầu.", field="bridge_points")
    if draft.host.is_citizen or not draft.host.is_active:
        raise DomainError("Người phụ trách điểm cầu phải là cán bộ, công chức.", field="bridge_points")
    place = checked_text(draft.place, "bridge_points", 300, required=True, what="địa điểm điểm cầu")
    if meeting.bridge_points.count() >= MAX_ROWS:
        raise DomainError(f"Tối đa {MAX_ROWS} điểm cầu.", field="bridge_points")
    if meeting.bridge_points.filter(unit=draft.unit).exists():
        raise DomainError("Mỗi đơn vị chỉ có một điểm cầu.", field="bridge_points")
    point = BridgePoint.objects.create(meeting=meeting, unit=draft.unit, place=place, host=draft.host)
    return {"bridge_point": point.pk, "unit": draft.unit.code, "host": draft.host.username}


def _issue_notice(meeting: Meeting, given: Inputs, by: User, now: datetime) -> dict[str, object]:
    number = checked_text(given.number, "number", 100, required=True, what="số thông báo")
    signer = checked_text(given.signer_name, "signer_name", 150, required=True, what="người ký")
    if given.issued_on is None:
        raise DomainError("Nhập ngày thông báo theo dạng dd/mm/yyyy.", field="issued_on")
    if given.issued_on < meeting.starts_at.astimezone(clock.VIETNAM).date():
        raise DomainError("Ngày thông báo không thể trước ngày họp.", field="issued_on")
    if not given.conclusions:
        raise DomainError("Nhập ít nhất một kết luận.", field="conclusions")
    if len(given.conclusions) > MAX_ROWS:
        raise DomainError(f"Tối đa {MAX_ROWS} kết luận.", field="conclusions")
    directive = create_directive(
        source_kind=SourceKind.MEETING_CONCLUSION, source_number=number, source_date=given.issued_on,
        leader_name=meeting.chair.full_name or meeting.chair.username, leader=meeting.chair, urgency=Urgency.ORDINARY,
        summary=f"Thông báo kết luận: {meeting.title}"[:500], by=by,
        tasks=[TaskDraft(c.content, c.lead_unit, tuple(c.co_units), c.deadline) for c in given.conclusions],
    )  # fmt: skip
    notice = ConclusionNotice.objects.create(
        meeting=meeting, number=number, issued_on=given.issued_on, signer_name=signer, form_citation=notice_form(),
        directive=directive, entered_at=now, entered_by=by,
    )  # fmt: skip
    return {"notice": notice.pk, "directive": directive.pk, "conclusions": len(given.conclusions)}


def _agenda_item(meeting: Meeting, item_id: int | None) -> AgendaItem | None:
    if item_id is None:
        return None
    found = meeting.agenda.filter(pk=item_id).first() if 0 < item_id < 2**31 else None
    if found is None:
        raise DomainError("Không có nội dung chương trình này trong cuộc họp.", field="agenda_item")
    return found


def _store(meeting: Meeting, item: AgendaItem | None, event: MeetingEvent, name: str, content: bytes,
           content_type: str, at: datetime) -> MeetingFile:  # fmt: skip
    try:
        shown = clean_free_text(name or "tep").strip()[:200] or "tep"
    except ValidationError:
        shown = "tep"
    digest = hashlib.sha256(content).hexdigest()
    return MeetingFile.objects.create(
        meeting=meeting, agenda_item=item, event=event, original_name=shown, content_type=content_type,
        file=ContentFile(content, name=f"{digest}{SUFFIXES.get(content_type, ('',))[0]}"), size=len(content),
        sha256=digest, uploaded_at=at,
    )  # fmt: skip


def _append(meeting: Meeting, action: Action, actor: User, at: datetime, *, point: BridgePoint | None = None,
            reason: str = "", details: object = None) -> MeetingEvent:  # fmt: skip
    last = 0 if action == Action.CREATE else meeting.events.count()
    return MeetingEvent.objects.create(
        meeting=meeting, sequence=last + 1, action=action, status_after=meeting.status, bridge_point=point,
        actor=actor, at=at, reason=reason, details=details or {},
    )  # fmt: skip


def _count(value: object, key: str) -> int:
    """A head count typed or sent: a whole number from 0 to `MAX_HEADCOUNT`."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        value = int(value.strip()) if value.strip().isdigit() and len(value.strip()) <= 6 else None
    if not isinstance(value, int) or not 0 <= value <= MAX_HEADCOUNT:
        raise DomainError(f"Nhập số nguyên từ 0 đến {MAX_HEADCOUNT:,}.".replace(",", "."), field=key)
    return value


def _link(value: str) -> str:
    link = checked_text(value, "video_link", 500, required=False, what="đường dẫn")
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            raise DomainError(
                "Đường dẫn họp trực tuyến không hợp lệ (bắt đầu bằng https://).", field="video_link"
            ) from None
    return link


def _choice(value: object, kind: type, key: str) -> str:
    try:
        return str(kind(value).value)
    except ValueError:
        raise DomainError("Giá trị không hợp lệ.", field=key) from None
