"""Intake: a dossier received at a counter or submitted online, checked against the catalogue before it exists."""

import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.catalogue.models import Channel, ChannelLimit, Component, Fee, ProcedureVersion
from motcua.catalogue.selectors import CaseTerms, case_terms, versions_in_force
from motcua.core import clock
from motcua.core.errors import DomainError, NotPermittedError
from motcua.core.text import clean_free_text
from motcua.core.validators import validate_citizen_id, validate_phone
from motcua.organizations.models import SERVICE_CENTRE_TYPES, Role, Unit, UnitType, User
from motcua.organizations.selectors import current_memberships_of, is_national_channel
from motcua.worktime.deadlines import LimitUnit, TimeLimit, compute_deadline
from motcua.worktime.selectors import calendar_for

from .codes import generate_code
from .events import Outcome, append_event, rule_for
from .filled import Filled, checked_answers, checked_return, papers_asked
from .lifecycle import Action, Actor, Status, Transition
from .messages import tell_applicant
from .models import ApplicantKind, Dossier, DossierComponent, FeeCollection, NationalFiling, Upload


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


# What people type in their own words; the identifiers (citizen ID, phone) have validators of their own.
FREE_TEXT_FIELDS = (
    "name", "email", "address", "organisation_name", "tax_code", "representative", "owner_name", "owner_address",
)  # fmt: skip


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
    answers: Mapping[str, str] | None = None  # the e-form (tờ khai) as typed, by path; None when filed on paper
    return_method: str = ""  # how the result is returned (ReturnMethod); "" is at the counter
    return_address: str = ""  # for a return by post
    uploads: tuple[int, ...] = ()  # stored scans (Upload rows, checked and hashed) that become the dossier's
    # Filed first elsewhere (the national portal): that moment is the dossier's, and picks the version then in force.
    submitted_at: datetime | None = None
    # Its code there (MaHoSo) and a digest of what was sent: the portal knows the dossier by that code from the first
    # event on, and the same hand-over again finds this dossier.
    national_code: str = ""
    national_fingerprint: str = ""
    vneid_verified: bool = False  # filed online in a session opened through VNeID; ignored at the counter


class RefusalKind(StrEnum):
    """Why a dossier is not received: the two grounds of Form 03 (DOMAIN.md §1.3(a), outcome 3)."""

    NOT_ELIGIBLE = "not_eligible"
    NOT_COMPETENT = "not_competent"

    @property
    def label(self) -> str:
        return REFUSAL_KINDS[self]


REFUSAL_KINDS = {
    RefusalKind.NOT_ELIGIBLE: "Hồ sơ không đủ điều kiện giải quyết",
    RefusalKind.NOT_COMPETENT: "Hồ sơ không thuộc thẩm quyền giải quyết",
}
REFUSAL_KIND_CHOICES = [(kind.value, label) for kind, label in REFUSAL_KINDS.items()]  # forms and the API schema


@dataclass(frozen=True)
class CounterRefusal:
    """What the officer writes when refusing at the counter: the ground, the reason, and where to file instead."""

    kind: str
    reason: str
    guidance: str = ""  # the competent body to file with; required when the ground is competence


class NotHandledHereError(DomainError):
    """This counter may not receive the procedure; `guidance` names where to file, for a refusal (Form 03)."""

    def __init__(self, message: str, *, guidance: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.guidance = guidance


def refusal_details(kind: str, guidance: str, *, kind_required: bool = True) -> dict[str, str]:
    """Check a refusal's ground and guidance; return them as its event keeps them (`DossierEvent.details`).

    DOMAIN.md §1.3(a): a dossier not within the unit's competence is refused with Form 03 and the applicant is guided
    to the competent body, so that ground needs the body's name.
    """
    guidance = guidance.strip()
    if not kind and not kind_required:
        return {"guidance": guidance} if guidance else {}
    if kind not in REFUSAL_KINDS:
        raise DomainError(
            "Cần chọn lý do từ chối: " + " hoặc ".join(f"«{label}»" for label in REFUSAL_KINDS.values()) + ".",
            field="kind",
        )
    if kind == RefusalKind.NOT_COMPETENT and not guidance:
        raise DomainError(
            "Hồ sơ không thuộc thẩm quyền giải quyết: cần ghi tên cơ quan có thẩm quyền để hướng dẫn người nộp "
            "(in trên Mẫu số 03).",
            field="guidance",
        )
    return {"kind": kind, "guidance": guidance} if guidance else {"kind": kind}


def ground_of(details: object) -> RefusalKind | None:
    """Read the ground a refusal event recorded; refusals recorded before grounds were asked for have none."""
    kind = details.get("kind") if isinstance(details, dict) else None
    return RefusalKind(kind) if kind in REFUSAL_KINDS else None


@dataclass(frozen=True)
class RefusalNotice:
    """Why a dossier was not received, as its Form 03 says."""

    reason: str
    ground: str  # the ground's label, or "" when none was recorded
    guidance: str


def refusal_of(dossier: Dossier) -> RefusalNotice | None:
    """Return why a refused dossier was not received; None for a dossier that was not refused."""
    if dossier.status != Status.REFUSED:
        return None
    event = dossier.events.filter(action=Action.REFUSE).order_by("-sequence").first()
    if event is None:
        return None
    ground = ground_of(event.details)
    return RefusalNotice(event.reason, ground.label if ground else "", str(event.details.get("guidance", "")))


def receive_at_counter(filing: Filing, *, officer: User, receiving_unit: Unit) -> Outcome:
    """Receive a complete dossier at a counter (or by post): code, receipt (Form 01) and due instant at once."""
    _check_counter(filing, officer, receiving_unit, "tiếp nhận")
    return _create(filing, Action.RECEIVE, {Actor.RECEIVING_OFFICER}, actor=officer, receiving_unit=receiving_unit)


def refuse_at_counter(filing: Filing, refusal: CounterRefusal, *, officer: User, receiving_unit: Unit) -> Outcome:
    """Refuse a dossier at the counter: a record with its code, refused (status 3), its Form 03 printable at once.

    ND 63/2010 art. 18(5): a refusal gives its reason in writing. Nothing is received: no appointment and no fee; the
    papers handed in are recorded as the officer lists them, and need not be complete.
    """
    _check_counter(filing, officer, receiving_unit, "từ chối tiếp nhận")
    return _create(
        filing,
        Action.REFUSE,
        {Actor.RECEIVING_OFFICER},
        actor=officer,
        receiving_unit=receiving_unit,
        refusal=refusal,
    )


def _check_counter(filing: Filing, officer: User, receiving_unit: Unit, doing: str) -> None:
    if not current_memberships_of(officer).filter(unit=receiving_unit, role=Role.ONE_STOP_OFFICER).exists():
        raise NotPermittedError(f"Chỉ công chức một cửa của đơn vị tiếp nhận mới được {doing} hồ sơ tại đơn vị này.")
    if filing.channel == Channel.ONLINE:
        raise DomainError("Hồ sơ trực tuyến do người nộp gửi qua cổng dịch vụ công.", field="channel")


def submit_online(filing: Filing, *, citizen: User, receiving_unit: Unit) -> Outcome:
    """File a dossier online; it waits (status 1) until a one-stop officer accepts or refuses it."""
    if not citizen.is_citizen:
        raise NotPermittedError("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến.")
    if filing.channel != Channel.ONLINE:
        raise DomainError("Hồ sơ nộp qua cổng phải có kênh trực tuyến.", field="channel")
    return _create(filing, Action.SUBMIT, {Actor.APPLICANT}, actor=citizen, receiving_unit=receiving_unit)


def submit_from_national(filing: Filing, *, channel: User, receiving_unit: Unit) -> Outcome:
    """File a dossier the national portal (DVCQG) took online; it waits (status 1) as if submitted here online.

    The applicant has no account here: the portal's system account files it, and the event names that account.
    """
    if not is_national_channel(channel):
        raise NotPermittedError("Chỉ tài khoản kênh Cổng Dịch vụ công quốc gia mới chuyển hồ sơ từ Cổng về.")
    if filing.channel != Channel.ONLINE:
        raise DomainError("Hồ sơ từ Cổng Dịch vụ công quốc gia phải có kênh trực tuyến.", field="channel")
    if filing.submitted_at is None or not filing.national_code:
        raise DomainError("Cần mã hồ sơ và thời điểm nộp trên Cổng Dịch vụ công quốc gia.", field="submitted_at")
    return _create(filing, Action.SUBMIT, {Actor.APPLICANT}, actor=channel, receiving_unit=receiving_unit)


def _create(
    filing: Filing,
    action: Action,
    actors: set[Actor],
    *,
    actor: User,
    receiving_unit: Unit,
    refusal: CounterRefusal | None = None,
) -> Outcome:
    rule = rule_for(action, None, actors)
    assert rule.target is not None  # creation rules always name their status
    reason, details = _checked_refusal(rule, refusal) if refusal is not None else ("", {})
    version, terms = _in_force(filing.case_id, filing.submitted_at)
    applicant = _validated(filing.applicant)
    filled = checked_answers(terms.case, filing.answers)
    returned = checked_return(version, filing.return_method, filing.return_address)
    papers = _validated_papers(
        _with_form(filing.papers, filled, terms),
        terms.components,
        complete=refusal is None,
        asked=papers_asked(filled.definition if filled else None, filing.answers),
    )
    limit = terms.limit(filing.channel)
    if refusal is None:
        competent = _route(version, receiving_unit, filing.commune_code)
        fee, collection = _checked_fee(filing, limit, required=action is Action.RECEIVE)
    else:
        competent = _deciding_unit(version, receiving_unit, filing.commune_code, details["kind"])
        fee, collection = None, FeeCollection.NONE
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
                citizen=actor if action is Action.SUBMIT and actor.is_citizen else None,
                submitted_at=filing.submitted_at or now,
                received_at=now if action is Action.RECEIVE else None,
                closed_at=now if rule.target is Status.REFUSED else None,
                tracking_secret=secrets.token_urlsafe(12),
                fee=fee,
                fee_collection=collection,
                submission_key=filing.submission_key,
                form=filled.form if filled else None,
                form_data=filled.values if filled else {},
                return_method=returned[0],
                return_address=returned[1],
                is_vneid_verified=filing.vneid_verified and action is Action.SUBMIT,
            )
            if action is Action.RECEIVE:
                set_deadline(dossier, now, limit)
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
            # Before the event, so that its national record lists the scans (TaiLieuNop.TepDinhKem) and names it by
            # the portal's code when it came from there. A second copy of the same hand-over waits on that code's
            # unique index here and fails (IntegrityError), for the caller to answer with the first.
            Upload.objects.filter(pk__in=filing.uploads).update(dossier=dossier, draft=None)
            if filing.national_code:
                NationalFiling.objects.create(
                    dossier=dossier,
                    national_code=filing.national_code,
                    fingerprint=filing.national_fingerprint,
                    received_at=now,
                )
            event = append_event(dossier, rule, None, actor, now, reason, unit=receiving_unit, details=details)
            tell_applicant(dossier, event)
    except IntegrityError:
        # The same form sent twice at once: the second waited on the key's unique index until the first committed.
        if (repeated := _already_received(filing)) is not None:
            return repeated
        raise
    return Outcome(dossier, event)


def _checked_refusal(rule: Transition, refusal: CounterRefusal) -> tuple[str, dict[str, str]]:
    reason = refusal.reason.strip()
    if not reason:
        raise DomainError(
            f"Cần ghi rõ lý do khi «{rule.label()}» (Nghị định 63/2010/NĐ-CP, Điều 18 khoản 5).", field="reason"
        )
    return reason, refusal_details(refusal.kind, refusal.guidance)


def _deciding_unit(version: ProcedureVersion, receiving_unit: Unit, commune_code: str, kind: str) -> Unit:
    """Return the unit a counter refusal is counted for: the competent one, or this counter's own unit when it does
    not handle the procedure (it decided that much, and nothing went further)."""
    try:
        return _route(version, receiving_unit, commune_code)
    except DomainError as error:
        if kind == RefusalKind.NOT_COMPETENT:
            return receiving_unit
        if isinstance(error, NotHandledHereError):
            raise DomainError(
                f"{error.message} Đơn vị này không xét điều kiện của hồ sơ: hãy từ chối với lý do "
                f"«{RefusalKind.NOT_COMPETENT.label}» và hướng dẫn nơi nộp.",
                field="kind",
            ) from error
        raise


def _already_received(filing: Filing) -> Outcome | None:
    dossier = Dossier.objects.filter(submission_key=filing.submission_key).first() if filing.submission_key else None
    return None if dossier is None else Outcome(dossier, dossier.events.get(sequence=1), repeated=True)


def _in_force(case_id: int, filed_at: datetime | None = None) -> tuple[ProcedureVersion, CaseTerms]:
    """Return the version in force (when filed, today by default) that a case belongs to, and the case's terms."""
    day = filed_at.astimezone(clock.VIETNAM).date() if filed_at else None
    versions = versions_in_force(day).filter(cases=case_id).defer("record", "search_text")
    version = versions.select_related("competent_unit", "procedure").first()
    if version is None:
        raise DomainError("Trường hợp thủ tục này không có hoặc không còn hiệu lực.", field="case")
    return version, case_terms(version.pk, case_id)


def _with_form(papers: tuple[Paper, ...], filled: Filled | None, terms: CaseTerms) -> tuple[Paper, ...]:
    """Count the filled e-form as the tờ khai paper it replaces (handed in electronically)."""
    code = filled.definition.replaces_paper if filled else ""
    component = next((c for c in terms.components if c.code == code), None) if code else None
    if component is None or any(paper.component_id == component.pk for paper in papers):
        return papers
    return (*papers, Paper(component.pk, is_digitised=True))


def _validated(applicant: Applicant) -> Applicant:
    errors: dict[str, list[str]] = {}
    typed = {}
    for name in FREE_TEXT_FIELDS:  # the same checks for the portal, the counter and the API
        try:
            typed[name] = clean_free_text(getattr(applicant, name))
        except ValidationError as error:
            errors[f"applicant.{name}"] = list(error.messages)
    applicant = replace(applicant, **typed)
    if not applicant.name.strip() and "applicant.name" not in errors:
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


def _validated_papers(
    papers: tuple[Paper, ...], listed: tuple[Component, ...], *, complete: bool = True, asked: Collection[str] = ()
) -> tuple[Paper, ...]:
    """Check the papers against the case's components; all the mandatory ones when the dossier is to be received, and
    those the tờ khai's answers ask for (`asked`, by code)."""
    components = {c.pk: c for c in listed}
    if any(paper.component_id not in components for paper in papers):
        raise DomainError(
            "Có giấy tờ không thuộc thành phần hồ sơ của trường hợp này; không được nhận giấy tờ ngoài danh mục.",
            field="papers",
        )
    if len({paper.component_id for paper in papers}) != len(papers):
        raise DomainError("Mỗi thành phần hồ sơ chỉ ghi một lần.", field="papers")
    if not complete:
        return papers
    handed_in = {paper.component_id for paper in papers if paper.originals + paper.copies > 0 or paper.is_digitised}
    missing = [c.name for c in components.values() if (c.is_mandatory or c.code in asked) and c.pk not in handed_in]
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
        raise NotHandledHereError(
            f"Đơn vị tiếp nhận và cơ quan giải quyết phải cùng tỉnh; cơ quan có thẩm quyền là {competent.name}.",
            guidance=competent.name,
            field="receiving_unit",
        )
    same_place = receiving_unit == competent or receiving_unit.parent_id == competent.pk
    commune_level = competent.type in {UnitType.COMMUNE_COMMITTEE, UnitType.COMMUNE_SERVICE_CENTRE}
    provincial_centre = receiving_unit.type == UnitType.PROVINCIAL_SERVICE_CENTRE and not commune_level
    any_counter = version.is_cross_boundary and receiving_unit.type in SERVICE_CENTRE_TYPES
    if not (any_counter or same_place or provincial_centre):
        raise NotHandledHereError(
            f"Thủ tục này không nhận hồ sơ phi địa giới; hãy nộp tại {competent.name} hoặc trung tâm phục vụ nơi đó.",
            guidance=competent.name,
            field="receiving_unit",
        )
    return competent


def _commune_of(unit: Unit) -> str:
    while unit.type not in {UnitType.COMMUNE, UnitType.WARD, UnitType.SPECIAL_ZONE} and unit.parent is not None:
        unit = unit.parent
    return unit.code


def time_limit(limit: ChannelLimit | None) -> TimeLimit:
    if limit is None:
        raise DomainError("Thủ tục chưa có thời hạn giải quyết cho kênh này.")
    return TimeLimit(float(limit.amount), LimitUnit(limit.unit))


def set_deadline(dossier: Dossier, start: datetime, limit: ChannelLimit | None) -> None:
    deadline = compute_deadline(calendar_for(dossier.competent_unit), start, time_limit(limit))
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
