"""What the two letters of the competent side record: the Form 04 apology and extension, the Form 05 stop notice.

Who issues the apology, the longest extension a province allows, the request a stop answers and what becomes of the
fees already paid are checked here when the action is taken; `documents.forms` prints what the event recorded, with
the signature block the signing register gives (ND 30/2020 art. 13).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q

from motcua.core.errors import DomainError
from motcua.core.formatting import format_date, format_datetime, format_vnd
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import current_memberships_of, memberships_on
from motcua.worktime.arithmetic import WorkCalendar, to_local
from motcua.worktime.selectors import calendar_for

from .lifecycle import Action
from .models import Dossier, FeeCollection, StepTask
from .processing import StepState


@dataclass(frozen=True)
class StopRequest:
    """Form 05: the request the stop answers, and how the fees already paid are settled (DOMAIN-2.md §2.1).

    `refund` is the amount in đồng given back of the fee paid at reception; `settlement` says how the amounts paid
    are settled (given back where and how, or kept and why).
    """

    request: str
    requested_on: date | None
    refund: int | None = None
    settlement: str = ""


# -- Form 04 --------------------------------------------------------------------------------------------------------


def delaying_step(
    dossier: Dossier, steps: list[StepTask], now: datetime, calendar: WorkCalendar | None = None
) -> StepTask | None:
    """Return the step most over its allotted time, in working time; None when no step has overrun.

    In a multi-unit process the unit that caused the delay issues the apology (issue 16; the rule of ND 61/2018 on
    late dossiers, its ND 118/2025 article not confirmed [R]). With no step over its time, the competent unit asks for
    the extension itself. A list passes the competent unit's calendar it has already read.
    """
    calendar = calendar or calendar_for(dossier.competent_unit)
    overruns = []
    for step in steps:
        if step.due_at is None or step.state == StepState.PENDING:
            continue
        ended = step.completed_at if step.state == StepState.DONE and step.completed_at else now
        overrun = calendar.working_minutes_between(step.due_at, ended)
        if overrun > 0:
            overruns.append((overrun, -step.position, step))
    return max(overruns, key=lambda found: found[:2])[2] if overruns else None


def apology_signers(dossier: Dossier, steps: list[StepTask], now: datetime) -> tuple[Unit, list[User]]:
    """Return the unit that would issue the apology now and its leaders, the signers a screen offers."""
    step = delaying_step(dossier, steps, now)
    unit: Unit = step.unit if step is not None else dossier.competent_unit
    posts = memberships_on(to_local(now).date()).filter(Q(unit=unit) | Q(unit__parent=unit), role=Role.LEADER)
    people = User.objects.filter(pk__in=posts.values("user")).order_by("full_name", "username")
    return unit, list(people)


def apology_issuer(
    dossier: Dossier, steps: list[StepTask], now: datetime, actor: User, signer: User | None
) -> dict[str, Any]:
    """Say who issues the apology and who signs it; refuse a signer who does not work in the issuing unit, or whom
    the signing register does not let sign its công văn about this dossier today (ND 30/2020 art. 13)."""
    step = delaying_step(dossier, steps, now)
    unit: Unit = step.unit if step is not None else dossier.competent_unit
    person = signer or actor
    if not current_memberships_of(person).filter(Q(unit=unit) | Q(unit__parent=unit)).exists():
        if step is not None and signer is None:
            message = (
                f"Hồ sơ chậm tại bước «{step.name}» của {unit.name}: văn bản xin lỗi do {unit.name} ban hành, "
                f"cần chọn người ký của {unit.name}."
            )
        else:
            message = f"{person} không công tác tại {unit.name}, đơn vị ban hành văn bản xin lỗi."
        raise DomainError(message, field="signer")
    refused = _register_refusal(person, unit, dossier, to_local(now).date())
    if refused:
        raise DomainError(refused, field="signer")
    facts = {"issuing_unit": unit.code, "signer": person.username}
    if step is not None and unit.pk != dossier.competent_unit_id:
        facts["delayed_step"] = step.name
    return facts


def _register_refusal(person: User, unit: Unit, dossier: Dossier, on: date) -> str:
    # The rules read this module for their guards; the signing policy they hold is asked once a signer is known.
    from .rules import letter_refusal

    return letter_refusal(person, unit, dossier, "04", on)


def check_extension_length(dossier: Dossier, new_due_at: datetime) -> None:
    """Refuse an extension longer than the configured maximum (MOTCUA_MAX_EXTENSION_WORKING_DAYS) [R]."""
    most = settings.MOTCUA_MAX_EXTENSION_WORKING_DAYS
    if most is None or dossier.due_at is None:
        return
    latest = calendar_for(dossier.competent_unit).add_working_days(dossier.due_at, most)
    if to_local(new_due_at) > to_local(latest):
        raise DomainError(
            f"Chỉ được gia hạn tối đa {most} ngày làm việc sau ngày hẹn trả hiện tại: ngày hẹn trả mới chậm nhất là "
            f"{format_datetime(latest)}.",
            field="new_due_at",
        )


# -- Form 05 --------------------------------------------------------------------------------------------------------


def fee_paid(dossier: Dossier) -> int:
    """Return the fee, in đồng, the applicant paid at reception (thu trước); a fee collected with the result is not."""
    if dossier.fee is None or dossier.fee_collection != FeeCollection.BEFORE:
        return 0
    return int(dossier.fee.amount)


def stop_details(dossier: Dossier, stop: StopRequest | None, today: date) -> dict[str, Any]:
    """Check the request a stop answers and the settlement of what was paid; return what the event records."""
    if stop is None or not stop.request.strip():
        raise DomainError(
            "Cần ghi đề nghị dẫn đến việc dừng giải quyết (ai đề nghị, bằng văn bản nào) để lập Mẫu số 05.",
            field="request",
        )
    submitted = to_local(dossier.submitted_at).date()
    if stop.requested_on is None or not submitted <= stop.requested_on <= today:
        raise DomainError(
            f"Ngày đề nghị phải từ ngày nộp hồ sơ ({format_date(submitted)}) đến hôm nay ({format_date(today)}).",
            field="requested_on",
        )
    paid = fee_paid(dossier)
    obligations = dossier.events.filter(action=Action.CONFIRM_PAYMENT).exists()
    settlement = stop.settlement.strip()
    if paid and (stop.refund is None or not 0 <= stop.refund <= paid):
        raise DomainError(
            f"Cần ghi số tiền hoàn trả, từ 0 đến {format_vnd(paid)} phí, lệ phí người nộp đã nộp.", field="refund"
        )
    if (paid or obligations) and not settlement:
        raise DomainError(
            "Cần ghi cách xử lý khoản phí, lệ phí, nghĩa vụ tài chính đã nộp (hoàn trả ở đâu, bằng cách nào, hoặc vì "
            "sao không hoàn trả).",
            field="settlement",
        )
    return {
        "request": stop.request.strip(),
        "requested_on": stop.requested_on.isoformat(),
        "fee_paid": paid,
        "refund": stop.refund if paid else 0,
        "obligations_paid": obligations,
        "settlement": settlement,
    }
