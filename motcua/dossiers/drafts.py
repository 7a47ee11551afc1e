"""Scans and online submission: drafts saved as the citizen types, scans checked and stored (online and at the
counter), then one submit."""

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.module_loading import import_string

from motcua.catalogue.models import Case, Channel, Component, ProcedureVersion
from motcua.catalogue.selectors import listed_fees
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError
from motcua.core.uploads import CheckedScan, check_structure
from motcua.core.validators import normalise_citizen_id, normalise_phone
from motcua.eforms.selectors import form_for
from motcua.organizations.models import Unit, User

from . import services
from .lifecycle import Action, Actor, Status
from .models import Dossier, Draft, Upload
from .selectors import asked_for

logger = logging.getLogger(__name__)
APPLICANT_FIELDS = ("name", "citizen_id", "phone", "email", "address")


def no_scan(content: bytes) -> None:
    """Accept everything: the default when no virus scanner is configured.

    MOTCUA_VIRUS_SCANNER names a callable taking the file's bytes: it returns to accept them and raises DomainError
    with the reason to refuse them. Any other failure (the scanner down, a time-out) refuses the file too, saying so.
    """


def draft_for(citizen: User, version: ProcedureVersion) -> Draft:
    """Open the citizen's draft for a procedure, prefilled from the account the first time."""
    draft, _ = Draft.objects.get_or_create(
        citizen=citizen,
        version=version,
        defaults={
            "updated_at": clock.now(),
            "fields": {
                "name": citizen.full_name,
                "citizen_id": citizen.citizen_id or "",
                "phone": citizen.phone or "",
                "email": citizen.email,
            },
        },
    )
    return draft


def save_fields(draft: Draft, values: dict[str, str]) -> Draft:
    """Keep what was typed; nothing is validated yet, so nothing is ever refused or lost here."""
    allowed = {*APPLICANT_FIELDS, "case", "commune", "receiving_unit", "return_method", "return_address"}
    draft.fields = {**draft.fields, **{k: v[:500] for k, v in values.items() if k in allowed}}
    draft.updated_at = clock.now()
    draft.save(update_fields=["fields", "updated_at"])
    return draft


def save_answers(draft: Draft, answers: Mapping[str, str]) -> Draft:
    """Keep the tờ khai as typed, by path; checked only on submission, so nothing typed is refused or lost here."""
    draft.answers = {**draft.answers, **{k[:120]: v[:1000] for k, v in answers.items()}}
    draft.updated_at = clock.now()
    draft.save(update_fields=["answers", "updated_at"])
    return draft


def check_scan(content: bytes) -> CheckedScan:
    """Return the scan to store, or say in Vietnamese why it is refused (size, type, structure, virus)."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise DomainError(f"Tệp lớn hơn {limit // (1024 * 1024)} MB; hãy quét lại với độ phân giải thấp hơn.")
    checked = check_structure(content)
    try:
        import_string(settings.MOTCUA_VIRUS_SCANNER)(content)
    except DomainError:
        raise
    except Exception as failure:  # an unchecked file is never stored: say so, and keep what the applicant typed
        logger.exception("virus scanner failed")
        raise DomainError(
            "Chưa kiểm tra được virus cho tệp này nên tệp chưa được lưu; vui lòng thử lại sau."
        ) from failure
    return checked


def store_upload(owner: Draft | Dossier, component: Component, name: str, content: bytes, *, by: User) -> Upload:
    """Check a scan by size and content, store it under its SHA-256, and attach it to a draft or a dossier.

    A dossier takes scans while its papers are asked for (the applicant's supplement), and from the one-stop officer
    who has just received it, digitising the papers at the counter; the paper is then marked digitised.
    """
    belongs = (
        component.case_id == owner.case_id
        if isinstance(owner, Dossier)
        else component.case.version_id == owner.version_id
    )
    if not belongs:
        raise DomainError("Giấy tờ này không thuộc thành phần hồ sơ của thủ tục.", field="component")
    if isinstance(owner, Dossier):
        at_counter = owner.status == Status.RECEIVED and Actor.RECEIVING_OFFICER in services.actors_of(by, owner)
        if owner.status != Status.SUPPLEMENT_REQUESTED and not at_counter:
            raise ConflictError(
                "Chỉ đính kèm bản quét khi hồ sơ đang được yêu cầu bổ sung, hoặc khi một cửa vừa tiếp nhận hồ sơ."
            )
    checked = check_scan(content)
    if isinstance(owner, Dossier):
        owner.components.filter(component=component).update(is_digitised=True)
    return _kept(owner, component, name, checked, by=by)


def _kept(owner: Draft | Dossier | None, component: Component, name: str, checked: CheckedScan, *, by: User) -> Upload:
    """Store a checked scan under its SHA-256 (once for the same bytes) and record it for its draft or dossier, or
    for the dossier about to be created (None: `Filing.uploads` names it, so that its first event lists it)."""
    content = checked.content  # an image as encoded again, without its metadata
    digest = hashlib.sha256(content).hexdigest()
    path = f"uploads/{digest[:2]}/{digest}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    return Upload.objects.create(
        component=component,
        draft=owner if isinstance(owner, Draft) else None,
        dossier=owner if isinstance(owner, Dossier) else None,
        file=path,
        sha256=digest,
        content_type=checked.content_type,
        size=len(content),
        original_name=name[:200],
        uploaded_at=clock.now(),
        uploaded_by=by,
    )


def receive_with_scans(
    filing: services.Filing,
    *,
    officer: User,
    receiving_unit: Unit,
    scans: Mapping[Component, tuple[str, bytes]],
) -> services.Outcome:
    """Receive a dossier at the counter with scans of some papers (name, content); a bad scan refuses it all first."""
    for component, (_name, content) in scans.items():
        try:
            check_scan(content)
        except DomainError as error:
            raise DomainError(f"Bản quét «{component.name}»: {error.message}") from error
    with transaction.atomic():
        kept = [_kept(None, paper, name, check_scan(content), by=officer) for paper, (name, content) in scans.items()]
        filing = replace(filing, uploads=tuple(upload.pk for upload in kept))
        outcome = services.receive_at_counter(filing, officer=officer, receiving_unit=receiving_unit)
        if outcome.repeated:  # a form sent twice stores its scans once
            Upload.objects.filter(pk__in=filing.uploads, dossier__isnull=True).delete()
        else:
            digitised = {upload.component_id for upload in kept}
            outcome.dossier.components.filter(component__in=digitised).update(is_digitised=True)
    return outcome


@dataclass(frozen=True)
class NationalScan:
    """A file the national portal holds for a paper, fetched and checked (check_scan) before anything is written."""

    component: Component
    name: str
    scan: CheckedScan


def submit_national(
    filing: services.Filing,
    *,
    channel: User,
    receiving_unit: Unit,
    national_code: str,
    fingerprint: str,
    scans: Sequence[NationalScan],
) -> services.Outcome:
    """Create a dossier handed over by the national portal, with its files and its MaHoSo, in one transaction.

    The files are stored first, so that the dossier's first event, and the national record it queues, lists them.
    A second copy of the same hand-over running alongside waits on the MaHoSo row's unique index and fails there
    (IntegrityError, for the caller to answer with the first one); its rows roll back, and its files, stored under
    their SHA-256, are the first one's.
    """
    with transaction.atomic():
        kept = [_kept(None, item.component, item.name, item.scan, by=channel) for item in scans]
        uploads = tuple(upload.pk for upload in kept)
        filing = replace(filing, uploads=uploads, national_code=national_code, national_fingerprint=fingerprint)
        return services.submit_from_national(filing, channel=channel, receiving_unit=receiving_unit)


def submit_draft(
    draft_id: int, *, citizen: User, fee_id: int | None = None, vneid_verified: bool = False
) -> services.Outcome:
    """Turn the draft into a dossier (status 1) once; a second click finds no draft and creates nothing.

    The fee is pinned as for the counter: one the catalogue lists for the case online (the applicant's choice when
    it lists several), paid before processing or with the result as `MOTCUA_ONLINE_FEE_COLLECTION` says [R].
    `vneid_verified`: the citizen's session was opened through VNeID, which the dossier records for DVCQG.
    """
    with transaction.atomic():
        draft = Draft.objects.select_for_update().filter(pk=draft_id, citizen=citizen).first()
        if draft is None:
            raise ConflictError("Hồ sơ này đã được nộp hoặc không còn bản đang soạn.")
        fields: dict[str, Any] = draft.fields
        case = Case.objects.filter(version=draft.version, position=int(fields.get("case") or 0)).first()
        receiving = Unit.objects.filter(code=fields.get("receiving_unit", "")).first()
        if case is None or receiving is None:
            raise DomainError("Hãy chọn trường hợp và nơi nộp hồ sơ.", field="receiving_unit")
        uploads = list(draft.uploads.filter(component__case=case))
        scanned = {upload.component_id for upload in uploads}
        papers = tuple(services.Paper(component_id, is_digitised=True) for component_id in sorted(scanned))
        typed = {k: str(fields.get(k, "")) for k in APPLICANT_FIELDS}
        # Kept as typed in the draft ("001 099 012 345"); the dossier gets the digits only.
        typed |= {"citizen_id": normalise_citizen_id(typed["citizen_id"]), "phone": normalise_phone(typed["phone"])}
        applicant = services.Applicant(**typed)
        filing = services.Filing(
            case.pk,
            2,
            applicant,
            papers,
            str(fields.get("commune", "")),
            # Online, the e-form is the tờ khai when the case has one (ND 45/2020 art. 9).
            answers=draft.answers if form_for(case) is not None else None,
            return_method=str(fields.get("return_method", "")),
            return_address=str(fields.get("return_address", "")),
            uploads=tuple(upload.pk for upload in uploads),
            fee_id=fee_id if fee_id is not None else _only_fee(case),
            fee_collection=settings.MOTCUA_ONLINE_FEE_COLLECTION,
            vneid_verified=vneid_verified,
        )
        outcome = services.submit_online(filing, citizen=citizen, receiving_unit=receiving)
        draft.delete()
    return outcome


def _only_fee(case: Case) -> int | None:
    paying = [fee for fee in listed_fees(case, Channel.ONLINE) if fee.amount]
    if len(paying) > 1:
        raise DomainError("Hãy chọn mức phí, lệ phí áp dụng cho hồ sơ.", field="fee")
    return paying[0].pk if paying else None


def submit_supplement(dossier: Dossier, *, citizen: User) -> services.Outcome:
    """Hand in a supplement online: a scan of every paper asked for, sent since the request, listed in the event.

    The request named the papers once and in writing (ND 63/2010 art. 18(5)); the clock resumes only when they came.
    """
    request = asked_for(dossier)
    asked = request.items if request else []
    scans = list(dossier.uploads.filter(uploaded_at__gte=request.at).select_related("component")) if request else []
    scanned = {scan.component_id for scan in scans}
    missing = [item.component.name for item in asked if item.component_id not in scanned]
    if missing:
        raise DomainError(
            "Cần tải lên bản quét của giấy tờ được yêu cầu bổ sung: " + "; ".join(missing) + ".", field="papers"
        )
    attachments = [{"component": s.component.code, "name": s.original_name, "sha256": s.sha256} for s in scans]
    inputs = services.Inputs(extra={"attachments": attachments})
    return services.perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=citizen, inputs=inputs)
