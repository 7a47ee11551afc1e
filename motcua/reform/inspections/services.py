"""The one writer of inspections: the yearly plan, the surprise draws, self-inspections, and each action on an
inspection (lock, check `rules`, append the event, update the row, one transaction). A conclusion enters its
recommendations in the task engine as a directive of source "kết luận kiểm tra"."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.text import checked_text
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import Finding, Inspection, InspectionEvent, InspectionPlan, Recommendation, SurpriseDraw
from motcua.reform.tasks.lifecycle import SourceKind, Urgency
from motcua.reform.tasks.services import TaskDraft, create_directive
from motcua.worktime.selectors import calendar_for

from . import draws, rules
from .lifecycle import (
    ACTION_LABELS,
    CONTENT_GROUPS,
    KEEPS_STATUS,
    Action,
    FindingKind,
    Kind,
    Method,
    Severity,
    Status,
    transition,
)

REMEDY_DAYS = 15  # units report on their remedies within 15 days of the conclusion notice (DOMAIN-2.md §5 [V])
MAX_UNITS = 500
MAX_DOSSIERS = 200
MAX_RECOMMENDATIONS = 100


@dataclass(frozen=True)
class Scheduled:
    """One inspection of the plan: the unit, when, how."""

    unit: Unit
    scheduled_on: date
    method: Method | str = Method.ON_SITE


@dataclass(frozen=True)
class RecommendationDraft:
    text: str
    owner_unit: Unit | None = None  # None: the inspected unit


def remedy_due(conclusion_on: date, unit: Unit | None = None) -> date:
    """The day the recommendations of a conclusion notice are due: its date + 15 days, counted in calendar days or
    in working days on the unit's calendar as the province sets it (unconfirmed [R]: the default is calendar days)."""
    if getattr(settings, "MOTCUA_REFORM_INSPECTION_REMEDY_DAYS", "calendar") == "working":
        start = datetime.combine(conclusion_on, time(12), tzinfo=clock.VIETNAM)
        return calendar_for(unit).add_working_days(start, REMEDY_DAYS).date()
    return conclusion_on + timedelta(days=REMEDY_DAYS)


def create_plan(
    *, year: int, decision_number: str, decision_on: date, title: str, chair: User, members: list[User],
    schedule: list[Scheduled], by: User, content: list[str] | None = None,
) -> InspectionPlan:  # fmt: skip
    """Enter the yearly inspection plan (Sở Nội vụ): its team chaired by a reform officer of Sở Nội vụ, members who
    are inspectors, and one periodic inspection per scheduled unit covering the content groups (all seven unless
    told)."""
    if not rules.is_reform_officer(by):
        raise NotPermittedError(rules.NOT_REFORM_OFFICE)
    if not 2000 <= year <= 2100:
        raise DomainError("Năm kế hoạch không hợp lệ.", field="year")
    if not rules.is_reform_officer(chair):
        raise DomainError("Trưởng đoàn phải là cán bộ cải cách hành chính của Sở Nội vụ.", field="chair")
    if any(Role.INSPECTOR not in {p.role for p in posts_of(m)} for m in members):
        raise DomainError("Thành viên đoàn phải có vai trò kiểm tra công tác cải cách hành chính.", field="members")
    if not schedule or len(schedule) > MAX_UNITS:
        raise DomainError(f"Kế hoạch cần từ 1 đến {MAX_UNITS} đơn vị được kiểm tra.", field="schedule")
    if len({s.unit.pk for s in schedule}) != len(schedule):
        raise DomainError("Mỗi đơn vị chỉ có một lịch kiểm tra định kỳ trong kế hoạch.", field="schedule")
    if any(s.scheduled_on.year != year for s in schedule):
        raise DomainError(f"Lịch kiểm tra phải trong năm {year}.", field="schedule")
    items = _content(content)
    methods = [_choice(s.method, Method, "method") for s in schedule]
    number = checked_text(decision_number, "decision_number", 100, required=True, what="số quyết định")
    name = checked_text(title, "title", 500, required=True, what="tên kế hoạch")
    if InspectionPlan.objects.filter(year=year).exists():
        raise ConflictError(f"Đã có kế hoạch kiểm tra cải cách hành chính năm {year}.", field="year")
    now = clock.now()
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            year=year, decision_number=number, decision_on=decision_on, title=name, chair=chair, entered_at=now,
            entered_by=by,
        )  # fmt: skip
        plan.units.set([s.unit for s in schedule])
        plan.members.set(members)
        for entry, method in zip(schedule, methods, strict=True):
            _new_inspection(plan=plan, unit=entry.unit, kind=Kind.PERIODIC, method=method, on=entry.scheduled_on,
                            content=items, by=by, now=now)  # fmt: skip
    return plan


def draw_surprise(
    plan: InspectionPlan, *, count: int, scheduled_on: date, by: User, method: Method | str = Method.ON_SITE,
    seed: str | None = None,
) -> SurpriseDraw:  # fmt: skip
    """Pick `count` units at random among the plan's units for surprise inspections (Sở Nội vụ); the seed and the
    eligible list are kept so that the draw can be replayed (`replay`)."""
    if not rules.is_reform_officer(by):
        raise NotPermittedError(rules.NOT_REFORM_OFFICE)
    kind_method = _choice(method, Method, "method")
    if scheduled_on.year != plan.year:
        raise DomainError(f"Lịch kiểm tra phải trong năm {plan.year}.", field="scheduled_on")
    with transaction.atomic():
        locked = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        already = set(locked.inspections.filter(kind=Kind.SURPRISE).values_list("unit__code", flat=True))
        eligible = sorted(set(locked.units.values_list("code", flat=True)) - already)
        if not 0 < count <= len(eligible):
            raise DomainError(f"Chọn từ 1 đến {len(eligible)} đơn vị.", field="count")
        used_seed = seed or draws.new_seed()
        picked = draws.pick(used_seed, eligible, count)
        now = clock.now()
        draw = SurpriseDraw.objects.create(
            plan=locked, seed=used_seed, eligible=eligible, count=count, picked=picked, algorithm=draws.ALGORITHM,
            drawn_at=now, drawn_by=by,
        )  # fmt: skip
        units = {u.code: u for u in Unit.objects.filter(code__in=picked)}
        for code in picked:
            _new_inspection(plan=locked, unit=units[code], kind=Kind.SURPRISE, method=kind_method, on=scheduled_on,
                            content=list(CONTENT_GROUPS), by=by, now=now, draw=draw)  # fmt: skip
    return draw


def replay(draw: SurpriseDraw) -> list[str]:
    """The pick a draw's seed gives on its eligible list: equal to `draw.picked` when nothing was tampered with."""
    if draw.algorithm != draws.ALGORITHM:
        raise DomainError("Không còn hỗ trợ cách chọn ngẫu nhiên của lượt này.", field="algorithm")
    return draws.pick(draw.seed, list(draw.eligible), draw.count)


def schedule_self_inspection(
    *, division: Unit, scheduled_on: date, by: User, method: Method | str = Method.ON_SITE,
    content: list[str] | None = None,
) -> Inspection:  # fmt: skip
    """Schedule a unit's self-inspection of one of its divisions (the unit's leader)."""
    parent = division.parent
    if parent is None or not any(p.unit_id == parent.pk and p.role == Role.LEADER for p in posts_of(by)):
        raise NotPermittedError("Chỉ lãnh đạo đơn vị cấp trên trực tiếp được tự kiểm tra đơn vị này.")
    items, kind_method = _content(content), _choice(method, Method, "method")
    with transaction.atomic():
        return _new_inspection(plan=None, unit=division, kind=Kind.SELF, method=kind_method, on=scheduled_on,
                               content=items, by=by, now=clock.now(), inspecting_unit=parent)  # fmt: skip


def _new_inspection(*, plan: InspectionPlan | None, unit: Unit, kind: Kind, method: str, on: date,
                    content: list[str], by: User, now: datetime, **more: Any) -> Inspection:  # fmt: skip
    inspection = Inspection.objects.create(
        plan=plan, unit=unit, year=on.year, kind=kind, method=method, scheduled_on=on, content=content,
        status=Status.PLANNED, created_at=now, **more,
    )  # fmt: skip
    _append(inspection, Action.CREATE, by, now, details={"kind": kind.value, "method": method})
    return inspection


@dataclass(frozen=True)
class Inputs:
    """What an action carries: the self-inspection report, a finding, the conclusion notice, a reason."""

    reason: str = ""
    text: str = ""
    content_item: str = ""
    finding_kind: str = FindingKind.OTHER
    severity: str = Severity.MINOR
    dossier_codes: tuple[str, ...] = ()
    conclusion_number: str = ""
    conclusion_on: date | None = None
    recommendations: tuple[RecommendationDraft, ...] = ()


def act(inspection: Inspection, action: Action, *, actor: User, inputs: Inputs | None = None) -> Inspection:
    """Take an action on an inspection as `rules.available_actions` offers it now; refused with its reason,
    nothing saved. Returns the inspection as it now stands."""
    given = inputs or Inputs()
    with transaction.atomic():
        locked = (
            Inspection.objects.select_for_update(of=("self",)).select_related("plan", "unit").get(pk=inspection.pk)
        )
        offer = next((o for o in rules.available_actions(locked, actor) if o.action == action), None)
        rule = transition(action, Status(locked.status), Kind(locked.kind))
        if offer is None or rule is None:
            raise ConflictError(
                f"Cuộc kiểm tra đang ở trạng thái «{locked.status_label}»: không thể {ACTION_LABELS[action].lower()}."
            )
        if offer.refusal:
            raise NotPermittedError(offer.refusal)
        reason = checked_text(given.reason, "reason", 2_000, required=rule.needs_reason, what="lý do")
        now = clock.now()
        details = _apply(locked, action, given, actor, now)
        if action not in KEEPS_STATUS:
            locked.status = rule.target
        locked.save()
        _append(locked, action, actor, now, reason=reason, details=details)
    return locked


def _apply(inspection: Inspection, action: Action, given: Inputs, actor: User, now: datetime) -> dict[str, Any]:
    """Update the inspection for the action and return its event's details; refusals raise before any write."""
    if action == Action.SELF_REPORT:
        inspection.self_report = checked_text(given.text, "text", 20_000, required=True, what="báo cáo tự kiểm tra")
        inspection.self_reported_at = now
        return {"length": len(inspection.self_report)}
    if action == Action.START:
        inspection.started_at = now
    elif action == Action.ADD_FINDING:
        return _add_finding(inspection, given, actor, now)
    elif action == Action.CONCLUDE:
        return _conclude(inspection, given, actor)
    return {}


def _add_finding(inspection: Inspection, given: Inputs, actor: User, now: datetime) -> dict[str, Any]:
    if given.content_item not in inspection.content:
        raise DomainError("Chọn một nội dung thuộc phạm vi cuộc kiểm tra.", field="content_item")
    kind, severity = _choice(given.finding_kind, FindingKind, "kind"), _choice(given.severity, Severity, "severity")
    description = checked_text(given.text, "text", 4_000, required=True, what="mô tả tồn tại")
    codes = list(dict.fromkeys(given.dossier_codes))
    if len(codes) > MAX_DOSSIERS:
        raise DomainError(f"Liên kết tối đa {MAX_DOSSIERS} hồ sơ.", field="dossiers")
    dossiers = list(Dossier.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {d.code for d in dossiers})
    if missing:
        raise DomainError(f"Không có hồ sơ mã {missing[0][:40]}.", field="dossiers")
    # Only the inspected unit's dossiers: received at its one-stop desk or decided by it (a commune's centre counts).
    own = {inspection.unit_id, *Unit.objects.filter(parent=inspection.unit_id).values_list("pk", flat=True)}
    foreign = [d.code for d in dossiers if d.receiving_unit_id not in own and d.competent_unit_id not in own]
    if foreign:
        raise DomainError(f"Hồ sơ {foreign[0]} không thuộc đơn vị được kiểm tra.", field="dossiers")
    finding = Finding.objects.create(
        inspection=inspection, content_item=given.content_item, kind=kind, severity=severity,
        description=description, recorded_at=now, recorded_by=actor,
    )  # fmt: skip
    finding.dossiers.set(dossiers)
    return {"finding": finding.pk, "dossiers": codes}


def _conclude(inspection: Inspection, given: Inputs, actor: User) -> dict[str, Any]:
    number = checked_text(
        given.conclusion_number, "conclusion_number", 100, required=True, what="số thông báo kết luận"
    )
    on = given.conclusion_on
    if on is None:
        raise DomainError("Nhập ngày thông báo kết luận.", field="conclusion_on")
    if on > clock.today():
        raise DomainError("Ngày thông báo kết luận không thể sau hôm nay.", field="conclusion_on")
    if inspection.started_at and on < inspection.started_at.astimezone(clock.VIETNAM).date():
        raise DomainError("Ngày thông báo kết luận không thể trước ngày bắt đầu kiểm tra.", field="conclusion_on")
    drafts = given.recommendations
    if len(drafts) > MAX_RECOMMENDATIONS:
        raise DomainError(f"Tối đa {MAX_RECOMMENDATIONS} kiến nghị.", field="recommendations")
    text = checked_text(given.text, "text", 20_000, required=False, what="nội dung kết luận")
    inspection.conclusion_number, inspection.conclusion_on, inspection.conclusion_text = number, on, text
    if not drafts:
        return {"number": number, "recommendations": 0}
    owners = [draft.owner_unit or inspection.unit for draft in drafts]
    tasks = [
        TaskDraft(content=checked_text(d.text, "recommendations", 4_000, required=True, what="nội dung kiến nghị"),
                  lead_unit=owner, deadline=remedy_due(on, owner), expected_product="Báo cáo kết quả khắc phục")
        for d, owner in zip(drafts, owners, strict=True)
    ]  # fmt: skip
    directive = create_directive(
        source_kind=SourceKind.INSPECTION_CONCLUSION, source_number=number, source_date=on,
        leader_name=actor.full_name or actor.username, urgency=Urgency.ORDINARY, by=actor, tasks=tasks,
        summary=f"Kết luận kiểm tra công tác CCHC tại {inspection.unit.name}"[:500], entry_checked=True,
    )  # fmt: skip
    inspection.directive = directive
    for position, task in enumerate(directive.tasks.order_by("position"), start=1):
        assert task.deadline_on is not None  # every recommendation was given its due date above
        Recommendation.objects.create(inspection=inspection, position=position, text=task.content,
                                      owner_unit=task.lead_unit, due_on=task.deadline_on, task=task)  # fmt: skip
    return {"number": number, "directive": directive.pk, "recommendations": len(tasks)}


def _append(inspection: Inspection, action: Action, actor: User | None, at: datetime, *, reason: str = "",
            details: dict[str, Any] | None = None) -> InspectionEvent:  # fmt: skip
    last = 0 if action == Action.CREATE else inspection.events.count()
    return InspectionEvent.objects.create(
        inspection=inspection, sequence=last + 1, action=action.value, status_after=inspection.status, actor=actor,
        at=at, reason=reason, details=details or {},
    )  # fmt: skip


def _content(content: list[str] | None) -> list[str]:
    items = list(CONTENT_GROUPS) if content is None else list(dict.fromkeys(content))
    if not items or any(item not in CONTENT_GROUPS for item in items):
        raise DomainError("Chọn nội dung kiểm tra trong 7 nhóm nhiệm vụ cải cách hành chính.", field="content")
    return items


def _choice(value: object, kind: type, key: str) -> str:
    try:
        return str(kind(value).value)
    except ValueError:
        raise DomainError("Giá trị không hợp lệ.", field=key) from None
