"""The one writer of directives, plans and tasks: each change locks its task, is checked against `rules`, appends
its event and updates the task's projection in one transaction; messages leave through the notifications outbox."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from motcua.core import clock
from motcua.core.downloads import SUFFIXES
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.text import checked_text, clean_free_text
from motcua.core.uploads import CheckedScan
from motcua.dossiers.drafts import check_scan
from motcua.organizations.models import Unit, User
from motcua.reform.models import CchcPlan, Directive, Task, TaskEvent, TaskEvidence
from motcua.worktime.selectors import calendar_for

from . import messages, rules
from .clocks import due_at, entry_due
from .lifecycle import ACTION_LABELS, SOURCE_LABELS, Action, LeaderPosition, SourceKind, Status, Urgency, transition
from .lifecycle import resumed_status as _resumed
from .selectors import is_tracker

Checked = tuple[str, CheckedScan, bool]  # a file's name, its checked content, whether it is the product
MAX_TASKS = 200
# Sources whose author another part of the product checks before entering them (`create_directive(entry_checked=)`).
ENTERED_ELSEWHERE = frozenset({SourceKind.INSPECTION_CONCLUSION, SourceKind.NOTE_ON_DOCUMENT})
MAX_FILES = 5


@dataclass(frozen=True)
class TaskDraft:
    """One task as the directive gives it; a plan item also states its target (chỉ tiêu)."""

    content: str
    lead_unit: Unit
    co_units: Sequence[Unit] = ()
    deadline: date | None = None  # None: không hạn
    expected_product: str = ""
    target: str = ""


@dataclass(frozen=True)
class Evidence:
    """A file sent with a progress report: (name, content), the product of the task or evidence of the work."""

    name: str
    content: bytes
    is_product: bool = False


@dataclass(frozen=True)
class Inputs:
    """What an action carries: a reason, a progress report, an extension asked or decided."""

    reason: str = ""
    percent: int | None = None
    text: str = ""
    document_number: str = ""
    files: Sequence[Evidence] = field(default_factory=tuple)
    new_deadline: date | None = None
    approve: bool | None = None


def create_directive(
    *,
    source_kind: SourceKind | str,
    source_number: str,
    source_date: date,
    leader_name: str,
    urgency: Urgency | str,
    by: User,
    tasks: list[TaskDraft],
    leader_position: LeaderPosition | str = "",
    leader: User | None = None,
    summary: str = "",
    entry_checked: bool = False,
) -> Directive:
    """Enter a directive and its tasks (Văn phòng UBND tỉnh), each task with its first event; the entry is measured
    against its SLA from the source date. Meeting conclusions and inspection recommendations arrive here too.

    `entry_checked`: the caller has checked who enters it — an inspection's conclusion by the team's chair, an
    instruction written on a document (ý kiến chỉ đạo trên văn bản) by a leader eOffice found competent. Only those
    sources may be entered by someone other than Văn phòng UBND tỉnh."""
    if not (is_tracker(by) or (entry_checked and source_kind in ENTERED_ELSEWHERE)):
        raise NotPermittedError(rules.NOT_TRACKER)
    kind, level = _choice(source_kind, SourceKind, "source_kind"), _choice(urgency, Urgency, "urgency")
    position = _choice(leader_position, LeaderPosition, "leader_position") if leader_position else ""
    number = checked_text(
        source_number, "source_number", 100, required=kind != SourceKind.NOTE_ON_DOCUMENT, what="số, ký hiệu"
    )
    name = checked_text(leader_name or (leader.full_name if leader else ""), "leader_name", 150, required=True,
                 what="lãnh đạo chỉ đạo")  # fmt: skip
    about = checked_text(summary, "summary", 500, required=False, what="trích yếu")
    now = clock.now()
    if source_date > now.astimezone(clock.VIETNAM).date():
        raise DomainError("Ngày văn bản không thể sau hôm nay.", field="source_date")
    tasks = _check_drafts(tasks)
    with transaction.atomic():
        directive = Directive.objects.create(
            source_kind=kind, source_number=number, source_date=source_date, leader=leader, leader_name=name,
            leader_position=position, urgency=level, summary=about, entered_at=now, entered_by=by,
            entry_due_at=entry_due(calendar_for(None), source_date, Urgency(level), len(tasks)),
        )  # fmt: skip
        for index, draft in enumerate(tasks, start=1):
            _new_task(draft, index, by, now, directive=directive)
    return directive


def create_plan(
    *, unit: Unit, year: int, number: str, issued_on: date, title: str, by: User, items: list[TaskDraft]
) -> CchcPlan:
    """Enter a unit's annual CCHC plan, its items as tasks of the same engine (Văn phòng UBND tỉnh)."""
    if not is_tracker(by):
        raise NotPermittedError(rules.NOT_TRACKER)
    if not 2000 <= year <= 2100:
        raise DomainError("Năm kế hoạch không hợp lệ.", field="year")
    if CchcPlan.objects.filter(unit=unit, year=year).exists():
        raise ConflictError(f"{unit.name} đã có kế hoạch cải cách hành chính năm {year}.", field="year")
    number = checked_text(number, "number", 100, required=True, what="số kế hoạch")
    title = checked_text(title, "title", 500, required=True, what="tên kế hoạch")
    items = _check_drafts(items)
    now = clock.now()
    with transaction.atomic():
        plan = CchcPlan.objects.create(
            unit=unit, year=year, number=number, issued_on=issued_on, title=title, entered_at=now, entered_by=by
        )
        for index, draft in enumerate(items, start=1):
            _new_task(draft, index, by, now, plan=plan)
    return plan


def _check_drafts(drafts: list[TaskDraft]) -> list[TaskDraft]:
    """The drafts with their text cleaned, or the first refusal."""
    if not drafts:
        raise DomainError("Nhập ít nhất một nhiệm vụ.", field="tasks")
    if len(drafts) > MAX_TASKS:
        raise DomainError(f"Tối đa {MAX_TASKS} nhiệm vụ trong một lần nhập.", field="tasks")
    cleaned = []
    for draft in drafts:
        if draft.lead_unit in draft.co_units:
            raise DomainError("Đơn vị chủ trì không đồng thời là đơn vị phối hợp.", field="co_units")
        cleaned.append(
            replace(
                draft,
                content=checked_text(draft.content, "content", 4_000, required=True, what="nội dung nhiệm vụ"),
                expected_product=checked_text(
                    draft.expected_product, "expected_product", 500, required=False, what="sản phẩm"
                ),
                target=checked_text(draft.target, "target", 300, required=False, what="chỉ tiêu"),
            )
        )
    return cleaned


def _new_task(draft: TaskDraft, position: int, by: User, now: datetime, **owner: object) -> Task:
    due = due_at(calendar_for(draft.lead_unit), draft.deadline)
    task = Task.objects.create(
        position=position, content=draft.content, lead_unit=draft.lead_unit, expected_product=draft.expected_product,
        target=draft.target, deadline_on=draft.deadline,
        original_due_at=due, due_at=due, status=Status.NEW, assigned_at=now, **owner,
    )  # fmt: skip
    if draft.co_units:
        task.co_units.set(draft.co_units)
    _append(task, Action.CREATE, by, now, details={"deadline": draft.deadline.isoformat() if draft.deadline else None})
    messages.tell_lead_unit(task, Action.CREATE)
    return task


def act(task: Task, action: Action, *, actor: User, inputs: Inputs | None = None) -> Task:
    """Take an action on a task as `rules.available_actions` allows it now; refused with its reason, nothing changed.
    Returns the task as it now stands."""
    given = inputs or Inputs()
    files = _checked_files(given.files) if action == Action.REPORT else []  # before the lock: parsing is slow
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)
        rule = transition(action, Status(locked.status))
        refusal = rules.refusal_of(locked, actor, action)
        if rule is None or refusal is None:
            raise ConflictError(
                f"Nhiệm vụ đang ở trạng thái «{locked.status_label}»: không thể {ACTION_LABELS[action].lower()}."
            )
        if refusal in (rules.NOT_LEAD, rules.NOT_TRACKER):
            raise NotPermittedError(refusal)
        if refusal:
            raise DomainError(refusal, field=_GUARDED_FIELDS.get(action))
        reason = checked_text(given.reason, "reason", 2_000, required=rule.needs_reason, what="lý do")
        now = clock.now()
        details = _apply(locked, action, given, now, files, reason)
        if rule.target is not None:
            locked.status = rule.target
        locked.save()
        event = _append(locked, action, actor, now, reason=reason, details=details)
        for name, scan, is_product in files:
            _store(locked, event, name, scan, is_product, now)
        messages.tell(locked, action, reason)
    return locked


_GUARDED_FIELDS = {Action.ASK_COMPLETION: "percent", Action.EXTEND: "new_deadline"}


def _apply(
    task: Task, action: Action, given: Inputs, now: datetime, files: list[Checked], reason: str
) -> dict[str, object]:
    """Update the task's projection for the action; return the event's details. Refusals raise before any change."""
    if action == Action.ACCEPT:
        task.accepted_at = now
    elif action == Action.REPORT:
        return _report(task, given, files)
    elif action == Action.ASK_COMPLETION:
        task.completion_asked_at = now
    elif action == Action.CONFIRM:
        task.confirmed_at = now
        on_time = task.due_at is None or (task.completion_asked_at or now) <= task.due_at
        return {"on_time": on_time}
    elif action == Action.RETURN:
        task.returned_count += 1
        task.completion_asked_at = None
    elif action == Action.EXTEND:
        return _ask_extension(task, given, reason)
    elif action == Action.DECIDE_EXTENSION:
        return _decide_extension(task, given)
    elif action == Action.RESUME:
        task.status = _resumed(task.accepted_at is not None)
    return {}


def _report(task: Task, given: Inputs, files: list[Checked]) -> dict[str, object]:
    if given.percent is None or not 0 <= given.percent <= 100:
        raise DomainError("Nhập tiến độ từ 0 đến 100 %.", field="percent")
    text = checked_text(given.text, "text", 4_000, required=True, what="nội dung báo cáo")
    number = checked_text(given.document_number, "document_number", 100, required=False, what="số văn bản")
    task.percent = given.percent
    task.document_number = number or task.document_number
    task.has_product = task.has_product or any(is_product for _name, _scan, is_product in files)
    return {"percent": given.percent, "text": text, "document_number": number, "files": len(files)}


def _ask_extension(task: Task, given: Inputs, reason: str) -> dict[str, object]:
    current = task.extended_on or task.deadline_on
    if given.new_deadline is None or current is None or given.new_deadline <= current:
        raise DomainError("Chọn hạn mới sau hạn hiện tại.", field="new_deadline")
    task.extension_asked_on, task.extension_reason = given.new_deadline, reason
    return {"asked": given.new_deadline.isoformat(), "current": current.isoformat()}


def _decide_extension(task: Task, given: Inputs) -> dict[str, object]:
    if given.approve is None:
        raise DomainError("Chọn đồng ý hoặc không đồng ý gia hạn.", field="approve")
    asked = task.extension_asked_on
    assert asked is not None  # the rules offer the decision only while a request waits
    if given.approve:
        task.extended_on = asked
        task.due_at = due_at(calendar_for(task.lead_unit), asked)
        task.alert_level = 0  # the watch looks at it again against the new deadline
    task.extension_asked_on, task.extension_reason = None, ""
    return {"approved": given.approve, "asked": asked.isoformat()}


def _append(
    task: Task, action: Action, actor: User | None, at: datetime, *, reason: str = "", details: object = None
) -> TaskEvent:
    last = 0 if action == Action.CREATE else task.events.count()
    return TaskEvent.objects.create(
        task=task, sequence=last + 1, action=action, status_after=task.status, actor=actor, at=at, reason=reason,
        details=details or {},
    )  # fmt: skip


def _checked_files(files: Sequence[Evidence]) -> list[Checked]:
    if len(files) > MAX_FILES:
        raise DomainError(f"Gửi kèm tối đa {MAX_FILES} tệp.", field="files")
    checked: list[Checked] = []
    for item in files:
        try:
            name = clean_free_text(item.name or "tep").strip()[:200] or "tep"
        except ValidationError:
            name = "tep"
        checked.append((name, check_scan(item.content), item.is_product))
    return checked


def _store(task: Task, event: TaskEvent, name: str, scan: CheckedScan, is_product: bool, at: datetime) -> None:
    content, content_type = scan.content, scan.content_type
    digest = hashlib.sha256(content).hexdigest()
    TaskEvidence.objects.create(
        task=task, event=event, is_product=is_product, original_name=name, content_type=content_type,
        file=ContentFile(content, name=f"{digest}{SUFFIXES.get(content_type, ('',))[0]}"), size=len(content),
        sha256=digest, uploaded_at=at,
    )  # fmt: skip


def _choice(value: object, kind: type, key: str) -> str:
    try:
        return str(kind(value).value)
    except ValueError:
        raise DomainError("Giá trị không hợp lệ.", field=key) from None


def source_label(kind: str) -> str:
    return SOURCE_LABELS[SourceKind(kind)]
