"""The one writer of dossiers: intake, online submission and every status change, each recorded as an event."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from motcua.catalogue.models import Channel, ChannelLimit, Component, Fee, ProcedureVersion, Step
from motcua.catalogue.selectors import CaseTerms, case_terms, limit_for, versions_in_force
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.validators import validate_citizen_id, validate_phone
from motcua.organizations.models import SERVICE_CENTRE_TYPES, Role, Unit, UnitType, User
from motcua.organizations.selectors import current_memberships_of, memberships_on
from motcua.worktime.arithmetic import WorkCalendar, to_local
from motcua.worktime.arithmetic import status as deadline_status
from motcua.worktime.deadlines import LimitUnit, TimeLimit, compute_deadline
from motcua.worktime.models import CalendarVersion
from motcua.worktime.selectors import calendar_for

from . import counters
from .codes import generate_code
from .lifecycle import PAUSED, RUNNING, Action, Actor, Guard, Status, Transition, TransitionRefused, transition_for
from .messages import tell_applicant, tell_leaders
from .models import (
    ApplicantKind,
    CalendarRecomputation,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierRating,
    FeeCollection,
    ResultDocument,
    StepTask,
    SupplementItem,
)
from .processing import Alert, Rating, StepState, suits

STAFF_ROLES = {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER}
# Ways a result goes back to the applicant (DOMAIN.md §1.3(e)); recorded with the return, separately from completion.
RETURN_CHANNELS = {"counter": "Tại bộ phận một cửa", "post": "Qua dịch vụ bưu chính", "online": "Trực tuyến"}


@dataclass(frozen=True)
class Paper:
    """A component handed in: how many originals and copies, and whether it was scanned."""

    component_id: int
    originals: int = 0
    copies: int = 0
    is_digitised: bool = False


@dataclass(frozen=True)
class Applicant:
    kind: str = ApplicantKind.PERSON
    name: str = ""
    citizen_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    organisation_name: str = ""
    tax_code: str = ""
    representative: str = ""
    owner_name: str = ""
    owner_address: str = ""


@dataclass(frozen=True)
class Filing:
    """What an applicant files: the procedure case, the channel, who they are, their papers, and their commune."""

    case_id: int
    channel: int
    applicant: Applicant
    papers: tuple[Paper, ...] = ()
    commune_code: str = ""  # the applicant's commune, which decides the competent unit of commune-level procedures
    fee_id: int | None = None  # one of the fees the catalogue lists for the case and channel
    fee_collection: str = FeeCollection.NONE
    submission_key: UUID | None = None  # a form's one-time key: sent again, it finds the dossier it made


@dataclass(frozen=True)
class SupplementRequest:
    component_id: int
    reason: str


@dataclass(frozen=True)
class Outcome:
    dossier: Dossier
    event: DossierEvent
    repeated: bool = False  # the submission had already been received: nothing was created this time


@dataclass(frozen=True)
class Evaluation:
    """The applicant's answers to items 10 (convenience) and 11 (overall) of the evaluation set."""

    convenience: Rating
    overall: Rating
    comment: str = ""


@dataclass(frozen=True)
class Inputs:
    """What some actions need beyond a reason: a person to assign, a new date, a return channel, a rating."""

    assignee: User | None = None
    new_due_at: datetime | None = None
    return_channel: str = ""
    evaluation: Evaluation | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def receive_at_counter(filing: Filing, *, officer: User, receiving_unit: Unit) -> Outcome:
    """Receive a complete dossier at a counter (or by post): code, receipt (Form 01) and due instant at once."""
    if not _holds(officer, receiving_unit, {Role.ONE_STOP_OFFICER}):
        raise NotPermittedError("Chỉ công chức một cửa của đơn vị tiếp nhận mới được tiếp nhận hồ sơ tại đơn vị này.")
    if filing.channel == Channel.ONLINE:
        raise DomainError("Hồ sơ trực tuyến do người nộp gửi qua cổng dịch vụ công.", field="channel")
    return _create(filing, Action.RECEIVE, {Actor.RECEIVING_OFFICER}, actor=officer, receiving_unit=receiving_unit)


def submit_online(filing: Filing, *, citizen: User, receiving_unit: Unit) -> Outcome:
    """File a dossier online; it waits (status 1) until a one-stop officer accepts or refuses it."""
    if not citizen.is_citizen:
        raise NotPermittedError("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến.")
    if filing.channel != Channel.ONLINE:
        raise DomainError("Hồ sơ nộp qua cổng phải có kênh trực tuyến.", field="channel")
    return _create(filing, Action.SUBMIT, {Actor.APPLICANT}, actor=citizen, receiving_unit=receiving_unit)


def perform(
    dossier: Dossier,
    action: Action,
    *,
    actor: User,
    reason: str = "",
    supplements: tuple[SupplementRequest, ...] = (),
    inputs: Inputs | None = None,
) -> Outcome:
    """Execute a transition: lock the dossier, check the rule and its guards, append the event, update the dossier."""
    inputs = inputs or Inputs()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("case", "competent_unit").get(pk=dossier.pk)
        step = _active_step(locked)
        capacities = actors_of(actor, locked, step)
        rule = _rule(action, Status(locked.status), capacities)
        reason = reason.strip()
        _check_guards(rule, locked, reason, supplements)
        now = clock.now()
        _check_processing_guards(rule, locked, step, actor, now, inputs)
        before = Status(locked.status)
        target = rule.target if rule.target is not None else Status(locked.resume_status or Status.RECEIVED)
        details: dict[str, Any] = dict(inputs.extra)
        if action is Action.ACCEPT:
            locked.received_at = now
            _set_deadline(locked, now, limit_for(locked.case, locked.channel))
        if target in PAUSED:
            locked.resume_status, locked.paused_at = before, now
            locked.supplement_rounds += action is Action.REQUEST_SUPPLEMENT
        if before in PAUSED:
            if locked.due_at is not None and locked.paused_at is not None:
                # The remaining working time is preserved across the pause (DOMAIN.md §1.3(c)).
                calendar = calendar_for(locked.competent_unit)
                locked.due_at = calendar.resume(locked.due_at, locked.paused_at, now)
                if step is not None and step.due_at is not None:
                    step.due_at = min(calendar.resume(step.due_at, locked.paused_at, now), locked.due_at)
                    step.save(update_fields=["due_at"])
            locked.resume_status, locked.paused_at, locked.alert_level = None, None, Alert.NONE
        step_unit = _apply_processing(action, locked, step, actor, now, inputs, details)
        if target in {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.FINISHED}:
            locked.closed_at = now
            if target is not Status.FINISHED:
                StepTask.objects.filter(dossier=locked, state=StepState.ACTIVE).update(state=StepState.PENDING)
        locked.status = target
        locked.save()
        unit = step_unit
        if unit is None and Actor.RECEIVING_OFFICER in capacities:
            unit = locked.receiving_unit
        if unit is None and capacities & {Actor.COMPETENT_STAFF, Actor.COMPETENT_LEADER}:
            unit = locked.competent_unit
        event = _append(locked, rule, before, actor, now, reason, unit=unit, details=details)
        SupplementItem.objects.bulk_create(
            SupplementItem(event=event, component_id=item.component_id, reason=item.reason.strip())
            for item in supplements
        )
        tell_applicant(locked, event)
    return Outcome(locked, event)


def complete_step(dossier: Dossier, *, actor: User, reason: str = "") -> Outcome:
    """Finish the current step: hand over within the unit, transfer to another unit, or complete the dossier."""
    step = _active_step(dossier)
    following = _next_step(step) if step is not None else None
    if step is None or following is None:
        action = Action.COMPLETE
    else:
        action = Action.COMPLETE_STEP if following.unit_id == step.unit_id else Action.TRANSFER
    return perform(dossier, action, actor=actor, reason=reason)


def attach_result(dossier: Dossier, *, actor: User, title: str, pdf: bytes, generated: bool = False) -> ResultDocument:
    """Store a result PDF under its SHA-256; only whoever holds the dossier's current step may attach it."""
    if not pdf.startswith(b"%PDF-"):
        raise DomainError("Kết quả giải quyết phải là tệp PDF.", field="file")
    if not title.strip():
        raise DomainError("Cần ghi tên kết quả (ví dụ: Giấy khai sinh).", field="title")
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != Status.PROCESSING or _active_step(locked) is None:
            raise ConflictError("Chỉ đính kèm kết quả khi hồ sơ đang được xử lý.")
        if not holds_current_step(actor, locked):
            raise NotPermittedError("Chỉ người đang xử lý bước hiện tại mới được đính kèm kết quả.")
        digest = hashlib.sha256(pdf).hexdigest()
        document = ResultDocument(
            dossier=locked, title=title.strip(), sha256=digest, is_generated=generated, created_at=clock.now(),
            created_by=actor,
        )  # fmt: skip
        document.file.save(f"{digest}.pdf", ContentFile(pdf), save=False)
        document.save()
    return document


def holds_current_step(user: User, dossier: Dossier) -> bool:
    """Tell whether a person is working on the dossier's current step (its officer, or the holding unit's leader)."""
    step = _active_step(dossier)
    return step is not None and bool(actors_of(user, dossier, step) & {Actor.STEP_OFFICER, Actor.HOLDING_LEADER})


def actors_of(user: User, dossier: Dossier, step: StepTask | None = None) -> set[Actor]:
    """Tell in which capacities a person may act on a dossier (and on its current step, if given)."""
    actors = set()
    if dossier.citizen_id is not None and dossier.citizen_id == user.pk:
        actors.add(Actor.APPLICANT)
    if not user.is_authenticated or user.is_citizen:
        return actors
    memberships = list(current_memberships_of(user).values_list("unit_id", "role", "position"))
    for unit_id, role, position in memberships:
        if unit_id == dossier.receiving_unit_id and role == Role.ONE_STOP_OFFICER:
            actors.add(Actor.RECEIVING_OFFICER)
        if unit_id == dossier.competent_unit_id and role in {Role.SPECIALIST, Role.LEADER}:
            actors.add(Actor.COMPETENT_STAFF)
        if unit_id == dossier.competent_unit_id and role == Role.LEADER:
            actors.add(Actor.COMPETENT_LEADER)
        if step is not None and unit_id == step.unit_id:
            if role in STAFF_ROLES and suits(step.staff_position, position, deputies=_deputies()):
                actors.add(Actor.STEP_OFFICER)
            if role == Role.LEADER:
                actors.add(Actor.HOLDING_LEADER)
    return actors


def _active_step(dossier: Dossier) -> StepTask | None:
    return StepTask.objects.select_related("unit", "assignee").filter(dossier=dossier, state=StepState.ACTIVE).first()


def _next_step(step: StepTask) -> StepTask | None:
    return StepTask.objects.filter(dossier_id=step.dossier_id, position__gt=step.position).order_by("position").first()


def _previous_step(step: StepTask) -> StepTask | None:
    return (
        StepTask.objects.filter(dossier_id=step.dossier_id, position__lt=step.position).order_by("-position").first()
    )


def _suitable_member(user: User, step: StepTask) -> bool:
    memberships = current_memberships_of(user).filter(unit_id=step.unit_id, role__in=STAFF_ROLES)
    positions = memberships.values_list("position", flat=True)
    return any(suits(step.staff_position, position, deputies=_deputies()) for position in positions)


def assignable_to(step: StepTask) -> list[User]:
    """Return the people a step may be assigned to: staff of its unit whose position suits the step."""
    memberships = memberships_on().filter(unit=step.unit_id, role__in=STAFF_ROLES).select_related("user")
    people = {m.user for m in memberships if suits(step.staff_position, m.position, deputies=_deputies())}
    return sorted(people, key=str)


def _deputies() -> bool:
    return bool(settings.MOTCUA_DEPUTY_MAY_ACT_FOR_HEAD)


def _check_processing_guards(
    rule: Transition, dossier: Dossier, step: StepTask | None, actor: User, now: datetime, inputs: Inputs
) -> None:
    guards = set(rule.guards)
    if rule.action in {Action.CLAIM, Action.ASSIGN} and step is None:
        raise ConflictError("Hồ sơ không có bước nào đang chờ xử lý.")
    if Guard.STEP_IN_HAND in guards and step is not None:
        if step.assignee_id is not None and step.assignee_id != actor.pk:
            raise NotPermittedError(f"Bước «{step.name}» đã được giao cho {step.assignee}; chỉ người đó xử lý.")
        if rule.action is Action.CLAIM and step.assignee_id == actor.pk:
            raise ConflictError(f"Bạn đã nhận xử lý bước «{step.name}».")
    following = _next_step(step) if step is not None else None
    if Guard.NEXT_STEP_HERE in guards and (following is None or following.unit_id != step.unit_id):  # type: ignore[union-attr]
        raise ConflictError(_hand_over_hint(step, following))
    if Guard.NEXT_STEP_ELSEWHERE in guards and (following is None or following.unit_id == step.unit_id):  # type: ignore[union-attr]
        raise ConflictError(_hand_over_hint(step, following))
    if Guard.LAST_STEP in guards and following is not None:
        raise ConflictError(
            f"Chưa thể hoàn thành hồ sơ: sau bước «{step.name}» còn bước «{following.name}»; "  # type: ignore[union-attr]
            "không được bỏ qua bước của quy trình nội bộ."
        )
    if Guard.HAS_PREVIOUS_STEP in guards and (step is None or _previous_step(step) is None):
        raise ConflictError("Đây là bước đầu tiên của quy trình; không có bước trước để trả lại.")
    if Guard.RESULT_ATTACHED in guards and not dossier.results.exists():
        raise ConflictError("Cần đính kèm kết quả giải quyết (tệp PDF) trước khi hoàn thành hồ sơ.")
    if Guard.NO_RESULT in guards and dossier.results.exists():
        raise ConflictError("Hồ sơ đã có kết quả giải quyết nên không thể dừng giải quyết (Mẫu số 05).")
    if Guard.EXTENSION_ONCE in guards and dossier.original_due_at is not None:
        raise ConflictError(
            "Hồ sơ đã được xin lỗi và hẹn lại ngày trả kết quả một lần; việc hẹn lại chỉ được thực hiện một lần "
            "(Nghị định 61/2018/NĐ-CP, Điều 12)."
        )
    if Guard.BEFORE_D_MINUS_ONE in guards:
        _check_extension(dossier, now, inputs)
    if rule.action is Action.ASSIGN:
        if inputs.assignee is None:
            raise DomainError("Cần chọn người được phân công.", field="assignee")
        if not _suitable_member(inputs.assignee, step):  # type: ignore[arg-type]
            raise DomainError(
                f"{inputs.assignee} không thuộc {step.unit} hoặc không giữ chức vụ phù hợp với bước «{step.name}».",  # type: ignore[union-attr]
                field="assignee",
            )
    if rule.action is Action.RETURN_RESULT and inputs.return_channel not in RETURN_CHANNELS:
        raise DomainError(
            "Cần chọn hình thức trả kết quả: " + ", ".join(RETURN_CHANNELS.values()) + ".", field="return_channel"
        )
    if rule.action is Action.RATE:
        if inputs.evaluation is None:
            raise DomainError("Cần chọn mức độ hài lòng.", field="overall")
        if DossierRating.objects.filter(dossier=dossier).exists():
            raise ConflictError("Hồ sơ này đã được đánh giá.")


def _hand_over_hint(step: StepTask | None, following: StepTask | None) -> str:
    if step is None:
        return "Hồ sơ không có bước nào đang chờ xử lý."
    if following is None:
        return f"«{step.name}» là bước cuối: dùng thao tác «Hoàn thành giải quyết»."
    if following.unit_id == step.unit_id:
        return f"Bước tiếp theo «{following.name}» cùng đơn vị: dùng thao tác «Hoàn thành bước»."
    return f"Bước tiếp theo «{following.name}» ở {following.unit}: dùng thao tác «Chuyển liên thông»."


def _check_extension(dossier: Dossier, now: datetime, inputs: Inputs) -> None:
    """Form 04 rules (DOMAIN.md §1.3(d)): by D-1 at the latest, and to a later date than the current one."""
    if dossier.due_at is None:
        raise ConflictError("Hồ sơ chưa có ngày hẹn trả.")
    calendar = calendar_for(dossier.competent_unit)
    last_day = calendar.d_minus_one(dossier.due_at)
    if to_local(now).date() > last_day:
        raise ConflictError(
            f"Đã quá thời hạn xin lỗi và gia hạn: phải thực hiện chậm nhất ngày {last_day:%d/%m/%Y}, "
            "một ngày làm việc trước ngày hẹn trả."
        )
    if inputs.new_due_at is None:
        raise DomainError("Cần ghi ngày hẹn trả mới.", field="new_due_at")
    if inputs.new_due_at <= dossier.due_at:
        raise DomainError("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.", field="new_due_at")
    if not calendar.is_working_day(to_local(inputs.new_due_at).date()):
        raise DomainError("Ngày hẹn trả mới phải là ngày làm việc.", field="new_due_at")


def _apply_processing(
    action: Action,
    dossier: Dossier,
    step: StepTask | None,
    actor: User,
    now: datetime,
    inputs: Inputs,
    details: dict[str, Any],
) -> Unit | None:
    """Carry out what a processing action does to the steps and the dossier; return the unit the event is at."""
    if action is Action.START:
        first = _instantiate_steps(dossier, now)
        if first is not None:
            details.update(to_unit=first.unit.code, to_step=first.name, step=first.position)
        return None
    if action is Action.EXTEND:
        dossier.original_due_at, dossier.due_at = dossier.due_at, inputs.new_due_at
        dossier.alert_level = Alert.NONE  # the apology is made: the watch now follows the new date
        details.update(original_due_at=_iso(dossier.original_due_at), new_due_at=_iso(dossier.due_at))
        return dossier.competent_unit
    if action is Action.RETURN_RESULT:
        dossier.returned_at = now
        details["channel"] = inputs.return_channel
        return dossier.receiving_unit
    if action is Action.RATE:
        evaluation = inputs.evaluation
        assert evaluation is not None  # checked by the guards
        DossierRating.objects.create(
            dossier=dossier,
            convenience=evaluation.convenience,
            overall=evaluation.overall,
            comment=evaluation.comment.strip(),
            at=now,
        )
        details.update(convenience=int(evaluation.convenience), overall=int(evaluation.overall))
        return dossier.receiving_unit
    if step is None:
        return None
    if action is Action.CLAIM:
        step.assignee = actor
        step.save(update_fields=["assignee"])
        details.update(step=step.position, step_name=step.name, assignee=actor.username)
        return step.unit
    if action is Action.ASSIGN:
        step.assignee = inputs.assignee
        step.save(update_fields=["assignee"])
        details.update(step=step.position, step_name=step.name, assignee=inputs.assignee.username)  # type: ignore[union-attr]
        return step.unit
    if action in {Action.COMPLETE_STEP, Action.TRANSFER, Action.COMPLETE}:
        _finish(step, actor, now, details)
        following = _next_step(step)
        if following is not None:
            _activate(following, dossier, now)
            details.update(to_unit=following.unit.code, to_step=following.name, to_step_due_at=_iso(following.due_at))
        return step.unit
    if action is Action.RETURN_STEP:
        previous = _previous_step(step)
        assert previous is not None  # checked by the guards
        details.update(_step_facts(step, now), to_unit=previous.unit.code, to_step=previous.name)
        step.state, step.started_at, step.due_at, step.assignee, step.alert_level = (
            StepState.PENDING,
            None,
            None,
            None,
            0,
        )
        step.save()
        _activate(previous, dossier, now, assignee=previous.completed_by)
        return step.unit
    return step.unit if action is Action.REQUEST_PAYMENT else None


def _instantiate_steps(dossier: Dossier, now: datetime) -> StepTask | None:
    """Create the pinned case's steps for the dossier, the first one active; return it."""
    template = list(Step.objects.filter(case=dossier.case).order_by("position"))
    units = {"receiving": dossier.receiving_unit, "competent": dossier.competent_unit}
    codes = {s.unit_ref for s in template} - set(units)
    units.update({u.code: u for u in Unit.objects.filter(code__in=codes)})
    missing = codes - set(units)
    if missing:
        raise DomainError(f"Quy trình nội bộ nêu đơn vị không có trong hệ thống: {', '.join(sorted(missing))}.")
    tasks = StepTask.objects.bulk_create(
        StepTask(
            dossier=dossier,
            position=s.position,
            name=s.name,
            unit=units[s.unit_ref],
            staff_position=s.staff_position,
            hours=s.hours,
        )
        for s in template
    )
    if not tasks:
        return None
    _activate(tasks[0], dossier, now)
    return tasks[0]


def _activate(step: StepTask, dossier: Dossier, now: datetime, assignee: User | None = None) -> None:
    # A step's own allotment runs from the moment it receives the dossier, but never past the dossier's due instant.
    calendar = calendar_for(dossier.competent_unit)
    due = calendar.add_working_hours(now, float(step.hours))
    if dossier.due_at is not None:
        due = min(due, dossier.due_at)
    step.state, step.started_at, step.due_at, step.assignee = StepState.ACTIVE, now, due, assignee
    step.completed_at, step.completed_by, step.alert_level = None, None, Alert.NONE
    step.save()


def _finish(step: StepTask, actor: User, now: datetime, details: dict[str, Any]) -> None:
    details.update(_step_facts(step, now))
    step.state, step.completed_at, step.completed_by = StepState.DONE, now, actor
    step.save(update_fields=["state", "completed_at", "completed_by"])


def _step_facts(step: StepTask, now: datetime) -> dict[str, Any]:
    """What Form 06 prints for a step handed over now: where, from when, by when, and how it compares."""
    facts: dict[str, Any] = {
        "step": step.position,
        "step_name": step.name,
        "from_unit": step.unit.code,
        "step_started_at": _iso(step.started_at),
        "step_due_at": _iso(step.due_at),
        "step_hours": str(step.hours),
    }
    if step.due_at is not None:
        facts["step_result"] = deadline_status(now, step.due_at).value
    return facts


def _iso(moment: datetime | None) -> str:
    return to_local(moment).isoformat() if moment is not None else ""


def _holds(user: User, unit: Unit, roles: set[Role]) -> bool:
    return current_memberships_of(user).filter(unit=unit, role__in=roles).exists()


def _rule(action: Action, status: Status | None, actors: set[Actor]) -> Transition:
    try:
        return transition_for(action, status, actors)
    except TransitionRefused as refused:
        error = NotPermittedError if refused.code == "not_permitted" else ConflictError
        raise error(refused.message) from refused


def _check_guards(rule: Transition, dossier: Dossier, reason: str, supplements: tuple[SupplementRequest, ...]) -> None:
    if Guard.REASON_REQUIRED in rule.guards and not reason:
        raise DomainError(
            f"Cần ghi rõ lý do khi «{rule.label()}» (Nghị định 63/2010/NĐ-CP, Điều 18 khoản 5).", field="reason"
        )
    if Guard.ITEMS_FROM_CASE in rule.guards:
        if not supplements:
            raise DomainError(
                "Phiếu yêu cầu bổ sung phải nêu đủ một lần các giấy tờ cần bổ sung.", field="supplements"
            )
        allowed = {component.pk for component in case_terms(dossier.version_id, dossier.case_id).components}
        if any(item.component_id not in allowed for item in supplements):
            raise DomainError(
                "Chỉ được yêu cầu bổ sung giấy tờ có trong thành phần hồ sơ đã công bố của thủ tục "
                "(Nghị định 63/2010/NĐ-CP, Điều 18 khoản 6).",
                field="supplements",
            )
        if any(not item.reason.strip() for item in supplements):
            raise DomainError("Mỗi giấy tờ cần bổ sung phải có lý do.", field="supplements")
        if len({item.component_id for item in supplements}) != len(supplements):
            raise DomainError("Mỗi giấy tờ chỉ nêu một lần trong phiếu.", field="supplements")
    limit = settings.MOTCUA_MAX_SUPPLEMENT_ROUNDS
    if Guard.SUPPLEMENT_ROUNDS in rule.guards and dossier.supplement_rounds >= limit:
        raise ConflictError(
            f"Hồ sơ đã được yêu cầu bổ sung {dossier.supplement_rounds} lần; không được yêu cầu quá {limit} lần "
            "(Nghị định 63/2010/NĐ-CP, Điều 20 khoản 4). Hãy giải quyết hồ sơ; nếu không đủ điều kiện, từ chối "
            "tiếp nhận (Mẫu 03) khi hồ sơ chưa được tiếp nhận, hoặc đề nghị lãnh đạo đơn vị dừng giải quyết (Mẫu 05) "
            "nêu rõ lý do."
        )


def _create(filing: Filing, action: Action, actors: set[Actor], *, actor: User, receiving_unit: Unit) -> Outcome:
    rule = _rule(action, None, actors)
    assert rule.target is not None  # creation rules always name their status
    version, terms = _in_force(filing.case_id)
    applicant = _validated(filing.applicant)
    papers = _validated_papers(filing.papers, terms.components)
    competent = _route(version, receiving_unit, filing.commune_code)
    limit = terms.limit(filing.channel)
    fee, collection = _checked_fee(filing, limit, required=action is Action.RECEIVE)
    if (repeated := _already_received(filing)) is not None:
        return repeated
    try:
        with transaction.atomic():
            now = clock.now()
            dossier = Dossier(
                version=version,
                case=terms.case,
                channel=filing.channel,
                status=rule.target,
                receiving_unit=receiving_unit,
                competent_unit=competent,
                applicant_kind=applicant.kind,
                applicant_name=applicant.name,
                applicant_citizen_id=applicant.citizen_id,
                applicant_phone=applicant.phone,
                applicant_email=applicant.email,
                applicant_address=applicant.address,
                organisation_name=applicant.organisation_name,
                tax_code=applicant.tax_code,
                representative=applicant.representative,
                owner_name=applicant.owner_name,
                owner_address=applicant.owner_address,
                citizen=actor if action is Action.SUBMIT else None,
                submitted_at=now,
                received_at=now if action is Action.RECEIVE else None,
                tracking_secret=secrets.token_urlsafe(12),
                fee=fee,
                fee_collection=collection,
                submission_key=filing.submission_key,
            )
            if action is Action.RECEIVE:
                _set_deadline(dossier, now, limit)
            # Numbered last: the unit's daily sequence stays locked until commit, so keep that moment short.
            dossier.code = generate_code(receiving_unit, now.astimezone(clock.VIETNAM).date())
            dossier.save()
            DossierComponent.objects.bulk_create(
                DossierComponent(
                    dossier=dossier,
                    component_id=paper.component_id,
                    originals=paper.originals,
                    copies=paper.copies,
                    is_digitised=paper.is_digitised,
                )
                for paper in papers
            )
            event = _append(dossier, rule, None, actor, now, "", unit=receiving_unit)
            tell_applicant(dossier, event)
    except IntegrityError:
        # The same form sent twice at once: the second waited on the key's unique index until the first committed.
        if (repeated := _already_received(filing)) is not None:
            return repeated
        raise
    return Outcome(dossier, event)


def _already_received(filing: Filing) -> Outcome | None:
    dossier = Dossier.objects.filter(submission_key=filing.submission_key).first() if filing.submission_key else None
    return None if dossier is None else Outcome(dossier, dossier.events.get(sequence=1), repeated=True)


def _in_force(case_id: int) -> tuple[ProcedureVersion, CaseTerms]:
    """Return the version in force that a case belongs to, and the case's terms (papers, limits, fees)."""
    versions = versions_in_force().filter(cases=case_id).defer("record", "search_text")
    version = versions.select_related("competent_unit", "procedure").first()
    if version is None:
        raise DomainError("Trường hợp thủ tục này không có hoặc không còn hiệu lực.", field="case")
    return version, case_terms(version.pk, case_id)


def _validated(applicant: Applicant) -> Applicant:
    errors: dict[str, list[str]] = {}
    if not applicant.name.strip():
        errors["applicant.name"] = ["Cần họ tên người nộp hồ sơ."]
    if applicant.kind == ApplicantKind.ORGANISATION and not (applicant.organisation_name and applicant.tax_code):
        errors["applicant.organisation_name"] = ["Tổ chức cần có tên và mã số thuế."]
    for name, value in (("citizen_id", applicant.citizen_id), ("phone", applicant.phone)):
        if not value:
            continue
        try:
            (validate_citizen_id if name == "citizen_id" else validate_phone)(value)
        except ValidationError as error:
            errors[f"applicant.{name}"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return applicant


def _validated_papers(papers: tuple[Paper, ...], listed: tuple[Component, ...]) -> tuple[Paper, ...]:
    components = {c.pk: c for c in listed}
    if any(paper.component_id not in components for paper in papers):
        raise DomainError(
            "Có giấy tờ không thuộc thành phần hồ sơ của trường hợp này; không được nhận giấy tờ ngoài danh mục.",
            field="papers",
        )
    if len({paper.component_id for paper in papers}) != len(papers):
        raise DomainError("Mỗi thành phần hồ sơ chỉ ghi một lần.", field="papers")
    handed_in = {paper.component_id for paper in papers if paper.originals + paper.copies > 0 or paper.is_digitised}
    missing = [c.name for c in components.values() if c.is_mandatory and c.pk not in handed_in]
    if missing:
        raise DomainError("Còn thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ".", field="papers")
    return papers


def _route(version: ProcedureVersion, receiving_unit: Unit, commune_code: str) -> Unit:
    """Find the competent unit, and check that this counter may receive the procedure (ND 118/2025 art. 1)."""
    if version.competent_unit is not None:
        competent = version.competent_unit
    elif version.competent_unit_type == UnitType.COMMUNE_COMMITTEE:
        commune = commune_code or _commune_of(receiving_unit)
        found = Unit.objects.filter(type=UnitType.COMMUNE_COMMITTEE, parent__code=commune).first()
        if found is None:
            raise DomainError(
                "Cần chọn xã, phường nơi người nộp cư trú để chuyển hồ sơ đúng thẩm quyền.", field="commune"
            )
        competent = found
    else:
        raise DomainError("Thủ tục chưa xác định được cơ quan có thẩm quyền giải quyết.")
    if receiving_unit.province_code != competent.province_code:
        raise DomainError("Đơn vị tiếp nhận và cơ quan giải quyết phải cùng tỉnh.", field="receiving_unit")
    same_place = receiving_unit == competent or receiving_unit.parent_id == competent.pk
    commune_level = competent.type in {UnitType.COMMUNE_COMMITTEE, UnitType.COMMUNE_SERVICE_CENTRE}
    provincial_centre = receiving_unit.type == UnitType.PROVINCIAL_SERVICE_CENTRE and not commune_level
    any_counter = version.is_cross_boundary and receiving_unit.type in SERVICE_CENTRE_TYPES
    if not (any_counter or same_place or provincial_centre):
        raise DomainError(
            f"Thủ tục này không nhận hồ sơ phi địa giới; hãy nộp tại {competent.name} hoặc trung tâm phục vụ nơi đó.",
            field="receiving_unit",
        )
    return competent


def _commune_of(unit: Unit) -> str:
    while unit.type not in {UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE} and unit.parent is not None:
        unit = unit.parent
    return unit.code


def _time_limit(limit: ChannelLimit | None) -> TimeLimit:
    if limit is None:
        raise DomainError("Thủ tục chưa có thời hạn giải quyết cho kênh này.")
    return TimeLimit(float(limit.amount), LimitUnit(limit.unit))


def _set_deadline(dossier: Dossier, start: datetime, limit: ChannelLimit | None) -> None:
    deadline = compute_deadline(calendar_for(dossier.competent_unit), start, _time_limit(limit))
    dossier.due_at, dossier.due_calendar_version = deadline.due_at, deadline.calendar_version


def _checked_fee(filing: Filing, limit: ChannelLimit | None, *, required: bool) -> tuple[Fee | None, str]:
    """Return the fee to charge and when, which can only be one the catalogue lists for the case and channel.

    Fees are part of the published procedure (ND 63/2010 art. 8(2)); charging beyond it is setting a requirement
    outside the law (art. 18(6)). At the counter the officer must say which listed fee applies when one is not free.
    """
    offered = {fee.pk: fee for fee in limit.fees.all()} if limit else {}
    if filing.fee_id is None:
        if required and any(fee.amount > 0 for fee in offered.values()):
            raise DomainError("Cần chọn mức phí, lệ phí áp dụng theo danh mục của thủ tục.", field="fee")
        return None, FeeCollection.NONE
    fee = offered.get(filing.fee_id)
    if fee is None:
        raise DomainError(
            "Mức phí, lệ phí này không có trong danh mục đã công bố của thủ tục; không được thu khoản ngoài danh mục.",
            field="fee",
        )
    if fee.amount == 0:
        return fee, FeeCollection.NONE
    if filing.fee_collection not in {FeeCollection.BEFORE, FeeCollection.AFTER}:
        raise DomainError("Cần ghi rõ thu phí, lệ phí trước hay thu sau khi trả kết quả.", field="fee_collection")
    return fee, filing.fee_collection


# -- the deadline watch and calendar recomputation (run by tasks.watch_deadlines and `motcua deadlines`) -----------


@dataclass(frozen=True)
class WatchReport:
    dossiers_examined: int
    steps_examined: int
    dossiers_flagged: int
    steps_flagged: int
    recomputed: int


def watch_deadlines() -> WatchReport:
    """Flag near-due, D-1 and overdue dossiers and steps, alerting unit leaders; apply calendar changes first.

    Reads only rows whose deadline is within the horizon and not yet flagged overdue (partial indexes on due_at),
    so the work grows with the near-due rows, not with the open dossiers.
    """
    recomputed = recompute_for_calendar_changes()
    now = clock.now()
    calendar = calendar_for(None)
    horizon = max(
        calendar.add_working_minutes(now, settings.MOTCUA_NEAR_DUE_WORKING_MINUTES),
        _end_of_next_working_day(calendar, now),
    )
    window = settings.MOTCUA_NEAR_DUE_WORKING_MINUTES
    calendars: dict[int, WorkCalendar] = {}  # one look-up per unit, not per row

    def calendar_of(unit: Unit) -> WorkCalendar:
        if unit.pk not in calendars:
            calendars[unit.pk] = calendar_for(unit)
        return calendars[unit.pk]

    dossiers_examined = steps_examined = dossiers_flagged = steps_flagged = 0
    with transaction.atomic():
        dossiers = (
            Dossier.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("competent_unit", "version")
            .filter(status__in=sorted(RUNNING), alert_level__lt=Alert.OVERDUE, due_at__lte=horizon)
        )
        for dossier in dossiers:
            dossiers_examined += 1
            level = _dossier_alert(dossier, now, calendar_of(dossier.competent_unit), window)
            if level > dossier.alert_level:
                dossier.alert_level = level
                dossier.save(update_fields=["alert_level"])
                dossiers_flagged += 1
                if level >= Alert.APOLOGY_DUE:
                    tell_leaders(dossier, Alert(level), _leaders_of(dossier.competent_unit))
        steps = (
            StepTask.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit")
            .filter(state=StepState.ACTIVE, alert_level__lt=Alert.OVERDUE, due_at__lte=horizon)
            .filter(dossier__status=Status.PROCESSING)
        )
        for step in steps:
            steps_examined += 1
            assert step.due_at is not None  # active steps always have one
            if step.due_at < now:
                level = Alert.OVERDUE
            elif calendar_of(step.unit).is_near_due(now, step.due_at, window):
                level = Alert.NEAR_DUE
            else:
                continue
            if level > step.alert_level:
                step.alert_level = level
                step.save(update_fields=["alert_level"])
                steps_flagged += 1
    return WatchReport(dossiers_examined, steps_examined, dossiers_flagged, steps_flagged, recomputed)


def _end_of_next_working_day(calendar: WorkCalendar, now: datetime) -> datetime:
    # D-1 reaches dossiers due on the next working day, whatever the hour: their apology is due today.
    next_day = to_local(calendar.add_working_days(now, 1)).date()
    return datetime(next_day.year, next_day.month, next_day.day, tzinfo=clock.VIETNAM) + timedelta(days=1)


def _dossier_alert(dossier: Dossier, now: datetime, calendar: WorkCalendar, window: int) -> Alert:
    """Tell what a running dossier's deadline calls for now (DOMAIN.md §1.3(d))."""
    due = dossier.due_at
    if due is None:
        return Alert.NONE
    if due < now:
        return Alert.OVERDUE
    if dossier.original_due_at is None and to_local(now).date() >= calendar.d_minus_one(due):
        return Alert.APOLOGY_DUE
    return Alert.NEAR_DUE if calendar.is_near_due(now, due, window) else Alert.NONE


def _leaders_of(unit: Unit) -> list[User]:
    return [m.user for m in memberships_on().filter(unit=unit, role=Role.LEADER).select_related("user")]


def recompute_for_calendar_changes() -> int:
    """Recompute due instants of running dossiers and their steps for each calendar version not yet applied.

    ARCHITECTURE.md invariant 4: a calendar change recomputes open dossiers' due dates, each with an event. Only the
    dossiers received before the version and whose period crosses a changed day are read.
    """
    done = CalendarRecomputation.objects.aggregate(last=Max("calendar_version"))["last"] or 0
    changed = 0
    for version in CalendarVersion.objects.filter(pk__gt=done).order_by("pk"):
        dossiers = steps = 0
        if version.first_affected is not None and version.last_affected is not None:
            affected = Dossier.objects.filter(
                status__in=sorted(RUNNING),
                received_at__lt=version.created_at,
                received_at__date__lte=version.last_affected,
                due_at__date__gte=version.first_affected,
                original_due_at__isnull=True,  # a date promised in Form 04 stays as promised
            )
            for dossier in affected.values_list("pk", flat=True):
                moved = _recompute_one(dossier)
                dossiers += moved[0]
                steps += moved[1]
        CalendarRecomputation.objects.create(
            calendar_version=version.pk, at=clock.now(), dossiers=dossiers, steps=steps
        )
        changed += dossiers
    return changed


def _recompute_one(dossier_id: int) -> tuple[int, int]:
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("competent_unit").get(pk=dossier_id)
        if dossier.status not in RUNNING or dossier.received_at is None or dossier.due_at is None:
            return 0, 0
        calendar = calendar_for(dossier.competent_unit)
        pauses = _pauses(dossier)
        limit = _time_limit(limit_for(dossier.case, dossier.channel))
        due = compute_deadline(calendar, dossier.received_at, limit).due_at
        for paused_at, resumed_at in pauses:
            due = calendar.resume(due, paused_at, resumed_at)
        details: dict[str, Any] = {"calendar_version": calendar.version}
        step = _active_step(dossier)
        step_due = None
        if step is not None and step.started_at is not None:
            step_due = calendar.add_working_hours(step.started_at, float(step.hours))
            for paused_at, resumed_at in pauses:
                if paused_at >= step.started_at:
                    step_due = calendar.resume(step_due, paused_at, resumed_at)
            step_due = min(step_due, due)
        dossier_moved = due != dossier.due_at
        step_moved = step is not None and step_due is not None and step_due != step.due_at
        dossier.due_calendar_version = calendar.version
        if not (dossier_moved or step_moved):
            dossier.save(update_fields=["due_calendar_version"])
            return 0, 0
        details.update(old_due_at=_iso(dossier.due_at), new_due_at=_iso(due))
        dossier.due_at = due
        dossier.alert_level = Alert.NONE  # the watch flags it again against the new instant
        dossier.save(update_fields=["due_at", "due_calendar_version", "alert_level"])
        if step_moved:
            assert step is not None
            details.update(step=step.position, old_step_due_at=_iso(step.due_at), new_step_due_at=_iso(step_due))
            step.due_at, step.alert_level = step_due, Alert.NONE
            step.save(update_fields=["due_at", "alert_level"])
        status = Status(dossier.status)
        rule = transition_for(Action.RECOMPUTE_DUE, status, {Actor.SYSTEM})
        _append(dossier, rule, status, None, clock.now(), "", unit=dossier.competent_unit, details=details)
        return 1, int(step_moved)


def _pauses(dossier: Dossier) -> list[tuple[datetime, datetime]]:
    """Return the (paused, resumed) pairs of a dossier's history, read from its events."""
    pairs, paused = [], None
    for before, after, at in dossier.events.order_by("sequence").values_list("status_before", "status_after", "at"):
        if after in PAUSED and before not in PAUSED:
            paused = at
        elif before in PAUSED and after not in PAUSED and paused is not None:
            pairs.append((paused, at))
            paused = None
    return pairs


def _append(
    dossier: Dossier,
    rule: Transition,
    before: Status | None,
    actor: User | None,
    at: datetime,
    reason: str,
    unit: Unit | None = None,
    details: dict[str, Any] | None = None,
) -> DossierEvent:
    # A dossier's first event needs no look-up: it is created in the same transaction.
    last = 0 if before is None else dossier.events.aggregate(last=Max("sequence"))["last"] or 0
    event = DossierEvent.objects.create(
        dossier=dossier,
        sequence=last + 1,
        action=rule.action,
        status_before=before,
        status_after=dossier.status,
        actor=actor,
        unit=unit,
        at=at,
        # Statistics count against the original date even after a Form 04 extension (DOMAIN.md §1.3(d)).
        due_at=dossier.statistics_due_at,
        reason=reason,
        form=rule.form,
        details=details or {},
    )
    counters.record(dossier, event)  # the indices' counters change in the same transaction as the event
    return event


def mark_reviewed(rating: DossierRating, *, leader: User) -> None:
    """Record that a leader of the dossier's unit has looked into an unhappy rating."""
    units = set(current_memberships_of(leader).filter(role=Role.LEADER).values_list("unit", flat=True))
    if not units & {rating.dossier.competent_unit_id, rating.dossier.receiving_unit_id}:
        raise NotPermittedError("Chỉ lãnh đạo đơn vị giải quyết hồ sơ mới xem xét đánh giá này.")
    if rating.reviewed_at is not None:
        raise ConflictError("Đánh giá này đã được xem xét.")
    rating.reviewed_at, rating.reviewed_by = clock.now(), leader
    rating.save(update_fields=["reviewed_at", "reviewed_by"])
