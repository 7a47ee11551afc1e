"""The one writer of dossiers: intake, online submission and every status change, each recorded as an event."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from motcua.catalogue.models import Case, Channel, ChannelLimit, Component, Fee
from motcua.catalogue.selectors import limit_for, versions_in_force
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.validators import validate_citizen_id, validate_phone
from motcua.organizations.models import SERVICE_CENTRE_TYPES, Role, Unit, UnitType, User
from motcua.organizations.selectors import current_memberships_of
from motcua.worktime.deadlines import LimitUnit, TimeLimit, compute_deadline
from motcua.worktime.selectors import calendar_for

from . import counters
from .codes import generate_code
from .lifecycle import PAUSED, Action, Actor, Guard, Status, Transition, TransitionRefused, transition_for
from .messages import tell_applicant
from .models import ApplicantKind, Dossier, DossierComponent, DossierEvent, FeeCollection, SupplementItem


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


@dataclass(frozen=True)
class SupplementRequest:
    component_id: int
    reason: str


@dataclass(frozen=True)
class Outcome:
    dossier: Dossier
    event: DossierEvent


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
) -> Outcome:
    """Execute a transition: lock the dossier, check the rule and its guards, append the event, update the dossier."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("case").get(pk=dossier.pk)
        capacities = actors_of(actor, locked)
        rule = _rule(action, Status(locked.status), capacities)
        reason = reason.strip()
        _check_guards(rule, locked, reason, supplements)
        now = clock.now()
        before = Status(locked.status)
        target = rule.target if rule.target is not None else Status(locked.resume_status or Status.RECEIVED)
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
            locked.resume_status, locked.paused_at = None, None
        if target in {Status.REFUSED, Status.WITHDRAWN}:
            locked.closed_at = now
        locked.status = target
        locked.save()
        unit = locked.receiving_unit if Actor.RECEIVING_OFFICER in capacities else None
        if unit is None and Actor.COMPETENT_STAFF in capacities:
            unit = locked.competent_unit
        event = _append(locked, rule, before, actor, now, reason, unit=unit)
        SupplementItem.objects.bulk_create(
            SupplementItem(event=event, component_id=item.component_id, reason=item.reason.strip())
            for item in supplements
        )
        tell_applicant(locked, event)
    return Outcome(locked, event)


def actors_of(user: User, dossier: Dossier) -> set[Actor]:
    """Tell in which capacities a person may act on a dossier."""
    actors = set()
    if dossier.citizen_id is not None and dossier.citizen_id == user.pk:
        actors.add(Actor.APPLICANT)
    if _holds(user, dossier.receiving_unit, {Role.ONE_STOP_OFFICER}):
        actors.add(Actor.RECEIVING_OFFICER)
    if _holds(user, dossier.competent_unit, {Role.SPECIALIST, Role.LEADER}):
        actors.add(Actor.COMPETENT_STAFF)
    return actors


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
        allowed = set(dossier.case.components.values_list("pk", flat=True))
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
            "(Nghị định 63/2010/NĐ-CP, Điều 20 khoản 4). Hãy giải quyết hoặc từ chối bằng văn bản."
        )


def _create(filing: Filing, action: Action, actors: set[Actor], *, actor: User, receiving_unit: Unit) -> Outcome:
    rule = _rule(action, None, actors)
    assert rule.target is not None  # creation rules always name their status
    case = _case_in_force(filing.case_id)
    applicant = _validated(filing.applicant)
    papers = _validated_papers(filing.papers, case)
    competent = _route(case, receiving_unit, filing.commune_code)
    limit = limit_for(case, filing.channel)
    fee, collection = _checked_fee(filing, limit, required=action is Action.RECEIVE)
    with transaction.atomic():
        now = clock.now()
        dossier = Dossier(
            version=case.version,
            case=case,
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
    return Outcome(dossier, event)


def _case_in_force(case_id: int) -> Case:
    case = (
        Case.objects.select_related("version__competent_unit", "version__procedure")
        .filter(pk=case_id, version__in=versions_in_force())
        .first()
    )
    if case is None:
        raise DomainError("Trường hợp thủ tục này không có hoặc không còn hiệu lực.", field="case")
    return case


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


def _validated_papers(papers: tuple[Paper, ...], case: Case) -> tuple[Paper, ...]:
    components = {c.pk: c for c in Component.objects.filter(case=case)}
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


def _route(case: Case, receiving_unit: Unit, commune_code: str) -> Unit:
    """Find the competent unit, and check that this counter may receive the procedure (ND 118/2025 art. 1)."""
    version = case.version
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
    while unit.parent is not None and unit.type not in {UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE}:
        unit = unit.parent
    return unit.code


def _set_deadline(dossier: Dossier, start: datetime, limit: ChannelLimit | None) -> None:
    if limit is None:
        raise DomainError("Thủ tục chưa có thời hạn giải quyết cho kênh này.")
    deadline = compute_deadline(
        calendar_for(dossier.competent_unit), start, TimeLimit(float(limit.amount), LimitUnit(limit.unit))
    )
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


def _append(
    dossier: Dossier,
    rule: Transition,
    before: Status | None,
    actor: User,
    at: datetime,
    reason: str,
    unit: Unit | None = None,
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
        due_at=dossier.due_at,
        reason=reason,
        form=rule.form,
    )
    counters.record(dossier, event)  # the indices' counters change in the same transaction as the event
    return event
