"""The one writer of dossiers: every status change and hand-over, each checked by the rules and recorded as an event.

Intake lives in `intake`, the step machinery in `steps`, the deadline watch in `watch`; their public names are
re-exported here so that callers keep one façade.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from motcua.catalogue.selectors import case_terms, limit_for
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.text import clean_free_text
from motcua.core.uploads import check_structure
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import current_memberships_of
from motcua.worktime.arithmetic import to_local
from motcua.worktime.selectors import calendar_for

from . import counters, rules, steps
from .events import Outcome, append_event, iso, rule_for
from .filled import checked_correction
from .intake import (
    REFUSAL_KIND_CHOICES,
    Applicant,
    CounterRefusal,
    Filing,
    NotHandledHereError,
    Paper,
    RefusalKind,
    ground_of,
    receive_at_counter,
    refusal_details,
    refusal_of,
    refuse_at_counter,
    set_deadline,
    submit_from_national,
    submit_online,
)
from .letters import StopRequest, apology_issuer, apology_signers, check_extension_length, fee_paid, stop_details
from .lifecycle import PAUSED, Action, Actor, Guard, Status, Transition
from .messages import tell_applicant
from .models import Dossier, DossierRating, OnlinePayment, ResultDocument, ReturnMethod, StepTask
from .processing import Alert, Rating, StepState, suits
from .rules import actors_of
from .steps import assignable_to
from .watch import WatchReport, watch_deadlines

__all__ = [
    "REFUSAL_KIND_CHOICES",
    "Applicant",
    "CounterRefusal",
    "Filing",
    "NotHandledHereError",
    "Outcome",
    "Paper",
    "RefusalKind",
    "StopRequest",
    "WatchReport",
    "actors_of",
    "apology_signers",
    "assignable_to",
    "fee_paid",
    "ground_of",
    "perform_as_system",
    "receive_at_counter",
    "refusal_of",
    "refuse_at_counter",
    "submit_from_national",
    "submit_online",
    "watch_deadlines",
]

# Ways a result goes back to the applicant (DOMAIN.md §1.3(e)); recorded with the return, separately from completion.
# How a result is handed over when it is returned; the applicant chose one when filing (Dossier.return_method).
RETURN_CHANNELS = {
    ReturnMethod.COUNTER.value: "Tại bộ phận một cửa",
    ReturnMethod.POST.value: "Qua dịch vụ bưu chính",
    ReturnMethod.ONLINE.value: "Trực tuyến",
}


@dataclass(frozen=True)
class SupplementRequest:
    component_id: int
    reason: str


@dataclass(frozen=True)
class Evaluation:
    """The applicant's answers to items 10 (convenience) and 11 (overall) of the evaluation set."""

    convenience: Rating
    overall: Rating
    comment: str = ""


@dataclass(frozen=True)
class ResultFile:
    """A result PDF to attach: uploaded by the step that produces it, or generated from the dossier's data."""

    title: str
    pdf: bytes
    template: str = ""  # generated from this published result template ("1.001193 v2"); "" when uploaded

    @property
    def generated(self) -> bool:
        return bool(self.template)


@dataclass(frozen=True)
class Inputs:
    """What some actions need beyond a reason: a person to assign (or to hand the next step to), a new date, a return
    channel, a rating, a result file, a signing passphrase, the signer of a Form 04 apology issued by another unit,
    the request a stop answers."""

    assignee: User | None = None
    new_due_at: datetime | None = None
    signer: User | None = None
    stop: StopRequest | None = None
    return_channel: str = ""
    evaluation: Evaluation | None = None
    result: ResultFile | None = None
    passphrase: str = ""
    correction: tuple[str, str] | None = None  # (the input's path in the tờ khai, its new value as typed)
    extra: dict[str, Any] = field(default_factory=dict)


def perform(
    dossier: Dossier,
    action: Action,
    *,
    actor: User,
    reason: str = "",
    supplements: tuple[SupplementRequest, ...] = (),
    inputs: Inputs | None = None,
) -> Outcome:
    """Execute a transition: lock the dossier, run its guards, check the input, run the effect, append the event."""
    inputs = inputs or Inputs()
    try:
        return _perform(dossier, action, actor, reason, supplements, inputs)
    except _Refused as stop:
        if stop.refusal.guard is Guard.MAY_SIGN:
            # The register records every refused signing (ND 30/2020 art. 13), once the work has rolled back.
            rules.signing().refusal_to_sign(actor, dossier, record=True)
        error = NotPermittedError if stop.refusal.code == "not_permitted" else ConflictError
        raise error(stop.refusal.message) from None


def perform_as_system(dossier: Dossier, action: Action, *, reason: str = "", inputs: Inputs | None = None) -> Outcome:
    """Execute a transition no person takes (a payment the platform's signed callback confirmed): the table must name
    the SYSTEM actor for it; the event records no person."""
    inputs = inputs or Inputs()
    try:
        return _perform(dossier, action, None, reason, (), inputs)
    except _Refused as stop:
        error = NotPermittedError if stop.refusal.code == "not_permitted" else ConflictError
        raise error(stop.refusal.message) from None


class _Refused(Exception):
    def __init__(self, refusal: rules.Refusal) -> None:
        self.refusal = refusal


def _perform(
    dossier: Dossier,
    action: Action,
    actor: User | None,
    reason: str,
    supplements: tuple[SupplementRequest, ...],
    inputs: Inputs,
) -> Outcome:
    with transaction.atomic():
        # The dossier's row alone: locking the joined unit too would serialise every transition of a unit, and make
        # the outbox's acknowledgement (which counts against that unit) wait in a cycle with a transition.
        locked = (
            Dossier.objects.select_for_update(of=("self",)).select_related("case", "competent_unit").get(pk=dossier.pk)
        )
        context = rules.context_for(locked, actor) if actor is not None else rules.system_context(locked)
        rule = rule_for(action, Status(locked.status), context.capacities)
        refused = rules.refusal(context, rule)
        if refused is not None:
            raise _Refused(refused)
        reason, supplements, inputs = _cleaned(reason, supplements, inputs)
        _check_input(context, rule, reason, supplements, inputs)
        context.reason = reason
        outcome = _execute(context, rule, reason, supplements, inputs)
        if action is Action.SIGN_RESULT and actor is not None:
            # Signing completes the signing step: the hand-over is its own event, a row of Form 06.
            handed = perform(locked, _hand_over(context), actor=actor, inputs=Inputs(assignee=inputs.assignee))
            outcome = Outcome(handed.dossier, outcome.event)
    return outcome


def _execute(
    context: rules.Context,
    rule: Transition,
    reason: str,
    supplements: tuple[SupplementRequest, ...],
    inputs: Inputs,
) -> Outcome:
    locked, step, now = context.dossier, context.step, context.now
    actor = None if Actor.SYSTEM in context.capacities else context.user
    before = Status(locked.status)
    target = rule.target if rule.target is not None else Status(locked.resume_status or Status.RECEIVED)
    details: dict[str, Any] = dict(inputs.extra)
    if rule.action is Action.ACCEPT:
        locked.received_at = now
        set_deadline(locked, now, limit_for(locked.case, locked.channel))
    if target in PAUSED:
        locked.resume_status, locked.paused_at = before, now
        locked.supplement_rounds += rule.action is Action.REQUEST_SUPPLEMENT
    if before in PAUSED:
        if locked.due_at is not None and locked.paused_at is not None:
            # The remaining working time is preserved across the pause (DOMAIN.md §1.3(c)).
            calendar = calendar_for(locked.competent_unit)
            locked.due_at = calendar.resume(locked.due_at, locked.paused_at, now)
            if locked.original_due_at is not None:  # after a Form 04 extension the statistics date moves too
                locked.original_due_at = calendar.resume(locked.original_due_at, locked.paused_at, now)
            if step is not None and step.due_at is not None:
                step.due_at = min(calendar.resume(step.due_at, locked.paused_at, now), locked.due_at)
                step.save(update_fields=["due_at"])
        locked.resume_status, locked.paused_at, locked.alert_level = None, None, Alert.NONE
    effect = EFFECTS.get(rule.action)
    unit = effect(context, inputs, details) if effect is not None else None
    if target in {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.FINISHED}:
        locked.closed_at = now
        if target is not Status.FINISHED:
            StepTask.objects.filter(dossier=locked, state=StepState.ACTIVE).update(state=StepState.PENDING)
    locked.status = target
    locked.save()
    if unit is None and Actor.RECEIVING_OFFICER in context.capacities:
        unit = locked.receiving_unit
    if unit is None and context.capacities & {Actor.COMPETENT_STAFF, Actor.COMPETENT_LEADER}:
        unit = locked.competent_unit
    items = tuple((item.component_id, item.reason.strip()) for item in supplements)
    event = append_event(locked, rule, before, actor, now, reason, unit=unit, details=details, supplements=items)
    tell_applicant(locked, event)
    return Outcome(locked, event)


def _hand_over(context: rules.Context) -> Action:
    """Tell which hand-over finishes the current step: within the unit, to another unit, or the last one."""
    step, following = context.step, context.following
    if step is None or following is None:
        return Action.COMPLETE
    return Action.COMPLETE_STEP if following.unit_id == step.unit_id else Action.TRANSFER


def complete_step(dossier: Dossier, *, actor: User, reason: str = "", inputs: Inputs | None = None) -> Outcome:
    """Finish the current step ("Chuyển bước"): within the unit, to another unit, or complete the dossier."""
    return perform(dossier, _hand_over(rules.context_for(dossier, actor)), actor=actor, reason=reason, inputs=inputs)


def record_report(dossier: Dossier, case_code: str) -> None:
    """Record on the dossier that a phản ánh, kiến nghị about it was received (QĐ 766 5.4 counts the dossier), in
    the caller's transaction: the feedback app calls it when it files the case, so both land or neither."""
    locked = Dossier.objects.select_for_update(of=("self",)).select_related("competent_unit").get(pk=dossier.pk)
    status = Status(locked.status)
    rule = rule_for(Action.REPORT, status, {Actor.SYSTEM})
    append_event(locked, rule, status, None, clock.now(), "", unit=locked.competent_unit, details={"case": case_code})


def attach_result(
    dossier: Dossier, *, actor: User, title: str, pdf: bytes, template: str = "", reason: str = ""
) -> ResultDocument:
    """Store a result PDF under its SHA-256; only the holder of the step that produces the result may attach it."""
    outcome = perform(
        dossier,
        Action.ATTACH_RESULT,
        actor=actor,
        reason=reason,
        inputs=Inputs(result=ResultFile(title, pdf, template)),
    )
    return ResultDocument.objects.get(pk=outcome.event.details["result"])


# -- inputs -----------------------------------------------------------------------------------------------------


def _typed(value: str, field: str, *, multiline: bool = True) -> str:
    try:
        return clean_free_text(value, multiline=multiline).strip()
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None


def _cleaned(
    reason: str, supplements: tuple[SupplementRequest, ...], inputs: Inputs
) -> tuple[str, tuple[SupplementRequest, ...], Inputs]:
    """What the officer typed, in NFC and without control or direction characters, before any check reads it: it is
    printed on the forms (02-05) and kept in the events."""
    supplements = tuple(replace(item, reason=_typed(item.reason, "supplements")) for item in supplements)
    changes: dict[str, Any] = {
        "extra": {key: _typed(v, key) if isinstance(v, str) else v for key, v in inputs.extra.items()}
    }
    if inputs.result is not None:
        changes["result"] = replace(inputs.result, title=_typed(inputs.result.title, "title", multiline=False))
    if inputs.evaluation is not None:
        changes["evaluation"] = replace(inputs.evaluation, comment=_typed(inputs.evaluation.comment, "comment"))
    if (stop := inputs.stop) is not None:
        changes["stop"] = replace(
            stop, request=_typed(stop.request, "request"), settlement=_typed(stop.settlement, "settlement")
        )
    return _typed(reason, "reason"), supplements, replace(inputs, **changes)


def _check_input(
    context: rules.Context,
    rule: Transition,
    reason: str,
    supplements: tuple[SupplementRequest, ...],
    inputs: Inputs,
) -> None:
    """Check what the person typed for this action; a DomainError names the field at fault."""
    if Guard.REASON_REQUIRED in rule.guards and not reason:
        raise DomainError(
            f"Cần ghi rõ lý do khi «{rule.label()}» (Nghị định 63/2010/NĐ-CP, Điều 18 khoản 5).", field="reason"
        )
    if Guard.ITEMS_FROM_CASE in rule.guards:
        _check_supplements(context, supplements)
    check = INPUT_CHECKS.get(rule.action)
    if check is not None:
        check(context, inputs, reason)


def _check_supplements(context: rules.Context, supplements: tuple[SupplementRequest, ...]) -> None:
    if not supplements:
        raise DomainError("Phiếu yêu cầu bổ sung phải nêu đủ một lần các giấy tờ cần bổ sung.", field="supplements")
    dossier = context.dossier
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


def _suitable(user: User, step: StepTask) -> bool:
    positions = current_memberships_of(user).filter(unit_id=step.unit_id, role__in=rules.STAFF_ROLES)
    return any(
        suits(step.staff_position, p, deputies=rules.deputies()) for p in positions.values_list("position", flat=True)
    )


def _check_assignee(context: rules.Context, inputs: Inputs, reason: str) -> None:
    step = context.step
    assert step is not None  # the STEP_ACTIVE guard ran
    if inputs.assignee is None:
        raise DomainError("Cần chọn người được phân công.", field="assignee")
    if not _suitable(inputs.assignee, step):
        raise DomainError(
            f"{inputs.assignee} không thuộc {step.unit} hoặc không giữ chức vụ phù hợp với bước «{step.name}».",
            field="assignee",
        )


def _check_next_handler(context: rules.Context, inputs: Inputs, reason: str) -> None:
    following = context.following
    if inputs.assignee is not None and following is not None and not _suitable(inputs.assignee, following):
        raise DomainError(
            f"{inputs.assignee} không thể nhận bước «{following.name}» tại {following.unit}.", field="assignee"
        )


def _check_extension(context: rules.Context, inputs: Inputs, reason: str) -> None:
    """Form 04 (DOMAIN.md §1.3(d)): a later date than the current one, on a working day, within the configured
    maximum, and a signer of the unit that caused the delay."""
    dossier = context.dossier
    assert dossier.due_at is not None  # the BEFORE_D_MINUS_ONE guard ran
    if inputs.new_due_at is None:
        raise DomainError("Cần ghi ngày hẹn trả mới.", field="new_due_at")
    if inputs.new_due_at <= dossier.due_at:
        raise DomainError("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.", field="new_due_at")
    if not calendar_for(dossier.competent_unit).is_working_day(to_local(inputs.new_due_at).date()):
        raise DomainError("Ngày hẹn trả mới phải là ngày làm việc.", field="new_due_at")
    check_extension_length(dossier, inputs.new_due_at)
    apology_issuer(dossier, context.steps, context.now, context.user, inputs.signer)


def _check_stop(context: rules.Context, inputs: Inputs, reason: str) -> None:
    stop_details(context.dossier, inputs.stop, to_local(context.now).date())


def _check_return(context: rules.Context, inputs: Inputs, reason: str) -> None:
    if inputs.return_channel not in RETURN_CHANNELS:
        raise DomainError(
            "Cần chọn hình thức trả kết quả: " + ", ".join(RETURN_CHANNELS.values()) + ".", field="return_channel"
        )


def _check_refusal(context: rules.Context, inputs: Inputs, reason: str) -> None:
    # Online refusals made before the ground was asked for keep working: the ground is checked when given.
    refusal_details(inputs.extra.get("kind", ""), inputs.extra.get("guidance", ""), kind_required=False)


def _check_rating(context: rules.Context, inputs: Inputs, reason: str) -> None:
    if inputs.evaluation is None:
        raise DomainError("Cần chọn mức độ hài lòng.", field="overall")


def _check_result(context: rules.Context, inputs: Inputs, reason: str) -> None:
    result = inputs.result
    if result is None or not result.pdf.startswith(b"%PDF-"):
        raise DomainError("Kết quả giải quyết phải là tệp PDF.", field="file")
    if not result.generated:
        try:  # read as scans are: a result is printed and opened by the applicant
            check_structure(result.pdf)
        except DomainError as refused:
            raise DomainError(refused.message, field="file") from None
    if not result.title.strip():
        raise DomainError("Cần ghi tên kết quả (ví dụ: Giấy khai sinh).", field="title")
    latest = context.latest_result
    if latest is not None and latest.signature is not None and not reason:
        # A signed result is never replaced in place: the correction says why (ND 30/2020 art. 10).
        raise DomainError("Kết quả trước đã được ký số: cần ghi lý do đính chính.", field="reason")


INPUT_CHECKS: dict[Action, Callable[[rules.Context, Inputs, str], None]] = {
    Action.ASSIGN: _check_assignee,
    Action.COMPLETE_STEP: _check_next_handler,
    Action.TRANSFER: _check_next_handler,
    Action.REFUSE: _check_refusal,
    Action.EXTEND: _check_extension,
    Action.STOP: _check_stop,
    Action.RETURN_RESULT: _check_return,
    Action.RATE: _check_rating,
    Action.ATTACH_RESULT: _check_result,
}


# -- effects: what each action does beyond the status, returning the unit its event is recorded at ---------------


def _start(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    first = steps.instantiate_steps(context.dossier, context.now)
    if first is not None:
        details.update(to_unit=first.unit.code, to_step=first.name, step=first.position)
    return None


def _extend(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    dossier = context.dossier
    dossier.original_due_at, dossier.due_at = dossier.due_at, inputs.new_due_at
    dossier.alert_level = Alert.NONE  # the apology is made: the watch now follows the new date
    details.update(original_due_at=iso(dossier.original_due_at), new_due_at=iso(dossier.due_at))
    details.update(apology_issuer(dossier, context.steps, context.now, context.user, inputs.signer))
    return dossier.competent_unit


def _stop(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    details.update(stop_details(context.dossier, inputs.stop, to_local(context.now).date()))
    details["signer"] = context.user.username
    return context.dossier.competent_unit


def _refuse(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    extra = inputs.extra
    details.pop("guidance", None)  # written again below as checked, or left out when blank
    details.update(refusal_details(extra.get("kind", ""), extra.get("guidance", ""), kind_required=False))
    return context.dossier.receiving_unit


def _return_result(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    context.dossier.returned_at = context.now
    details["channel"] = inputs.return_channel
    return context.dossier.receiving_unit


def _rate(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    evaluation = inputs.evaluation
    assert evaluation is not None  # checked with the input
    DossierRating.objects.create(
        dossier=context.dossier,
        convenience=evaluation.convenience,
        overall=evaluation.overall,
        comment=evaluation.comment.strip(),
        at=context.now,
    )
    details.update(convenience=int(evaluation.convenience), overall=int(evaluation.overall))
    return context.dossier.receiving_unit


def _claim(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    return _give(context, context.user, details)


def _assign(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    assert inputs.assignee is not None  # checked with the input
    return _give(context, inputs.assignee, details)


def _give(context: rules.Context, person: User, details: dict[str, Any]) -> Any:
    step = context.step
    assert step is not None  # the STEP_ACTIVE guard ran
    step.assignee = person
    step.save(update_fields=["assignee"])
    details.update(step=step.position, step_name=step.name, assignee=person.username)
    return step.unit


def _hand_on(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    step, following = context.step, context.following
    assert step is not None  # the STEP_IN_HAND guard ran
    steps.finish(step, context.user, context.now, details)
    if following is not None:
        steps.activate(following, context.dossier, context.now, assignee=inputs.assignee)
        details.update(to_unit=following.unit.code, to_step=following.name, to_step_due_at=iso(following.due_at))
    return step.unit


def _return_step(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    step, previous = context.step, context.previous
    assert step is not None and previous is not None  # checked by the guards
    details.update(steps.step_facts(step, context.now), to_unit=previous.unit.code, to_step=previous.name)
    step.state, step.started_at, step.due_at, step.assignee, step.alert_level = StepState.PENDING, None, None, None, 0
    step.save()
    steps.activate(previous, context.dossier, context.now, assignee=previous.completed_by)
    return step.unit


def _request_payment(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    return context.step.unit if context.step is not None else None


def _paid_online(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    # Only the platform's confirmation (the system acting) marks the dossier paid online for DVCQG; an official
    # confirming a payment made at the counter leaves the flag as it is.
    if Actor.SYSTEM in context.capacities and details.get(counters.ONLINE_PAYMENT) in OnlinePayment.values:
        context.dossier.online_payment = details[counters.ONLINE_PAYMENT]
    return context.dossier.competent_unit if Actor.SYSTEM in context.capacities else None


def _attach(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    result, step = inputs.result, context.step
    assert result is not None and step is not None  # checked with the input and by the guards
    latest = context.latest_result
    digest = hashlib.sha256(result.pdf).hexdigest()
    document = ResultDocument(
        dossier=context.dossier,
        title=result.title.strip(),
        sha256=digest,
        is_generated=result.generated,
        created_at=context.now,
        created_by=context.user,
        replaces=latest if latest is not None and latest.signature is not None else None,
        reason=context.reason,
    )
    document.file.save(f"{digest}.pdf", ContentFile(result.pdf), save=False)
    document.save()
    details.update(result=document.pk, title=document.title, sha256=digest, generated=result.generated)
    if result.template:
        details["template"] = result.template
    return step.unit


def _correct(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    path, typed = inputs.correction or ("", "")
    correction = checked_correction(context.dossier, path, typed)
    dossier = context.dossier
    dossier.form_corrections = {**dossier.form_corrections, correction.path: correction.value}
    dossier.save(update_fields=["form_corrections"])
    details.update(path=correction.path, before=correction.before, after=correction.after)
    return context.step.unit if context.step is not None else None


def _sign(context: rules.Context, inputs: Inputs, details: dict[str, Any]) -> Any:
    assert context.step is not None  # the SIGNING_STEP guard ran
    signed = rules.signing().sign(context, inputs.passphrase)
    details.update(result=signed.pk, sha256=signed.sha256, signature=str(signed.signature))
    return context.step.unit


EFFECTS: dict[Action, Callable[[rules.Context, Inputs, dict[str, Any]], Any]] = {
    Action.START: _start,
    Action.REFUSE: _refuse,
    Action.EXTEND: _extend,
    Action.STOP: _stop,
    Action.RETURN_RESULT: _return_result,
    Action.RATE: _rate,
    Action.CLAIM: _claim,
    Action.ASSIGN: _assign,
    Action.COMPLETE_STEP: _hand_on,
    Action.TRANSFER: _hand_on,
    Action.COMPLETE: _hand_on,
    Action.RETURN_STEP: _return_step,
    Action.REQUEST_PAYMENT: _request_payment,
    Action.CONFIRM_PAYMENT: _paid_online,
    Action.RECORD_PAYMENT: _paid_online,
    Action.ATTACH_RESULT: _attach,
    Action.CORRECT_FORM: _correct,
    Action.SIGN_RESULT: _sign,
}


def mark_reviewed(rating: DossierRating, *, leader: User) -> None:
    """Record that a leader of the dossier's unit has looked into an unhappy rating."""
    units = set(current_memberships_of(leader).filter(role=Role.LEADER).values_list("unit", flat=True))
    if not units & {rating.dossier.competent_unit_id, rating.dossier.receiving_unit_id}:
        raise NotPermittedError("Chỉ lãnh đạo đơn vị giải quyết hồ sơ mới xem xét đánh giá này.")
    if rating.reviewed_at is not None:
        raise ConflictError("Đánh giá này đã được xem xét.")
    rating.reviewed_at, rating.reviewed_by = clock.now(), leader
    rating.save(update_fields=["reviewed_at", "reviewed_by"])
