"""Writes of the signing context: checking authority (refusals recorded), issuing numbers, signing, verifying."""

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from asn1crypto import x509
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q

from motcua.catalogue.models import Field
from motcua.core import clock
from motcua.core.errors import DomainError, NotPermittedError
from motcua.core.formatting import format_date
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit, User
from motcua.organizations.selectors import memberships_on

from . import authority, pdf
from .models import (
    DocumentType,
    IssueSequence,
    IssuingBody,
    Refusal,
    RegisterEntry,
    ResultSigning,
    SignedDocument,
)
from .providers import configured_provider


@dataclass(frozen=True)
class Entitlement:
    """The answer of `can_sign`: allowed with the generated block and the entry behind it, or refused with a reason."""

    allowed: bool
    body: IssuingBody | None
    block: tuple[str, ...] = ()
    reason: str = ""
    entry: RegisterEntry | None = None

    @property
    def block_text(self) -> str:
        return " / ".join(self.block)


def body_for(document_type: DocumentType, dossier: Dossier | None, unit: Unit | None) -> IssuingBody:
    """Return the body that issues the document: from the procedure version's rule for a dossier's result."""
    if dossier is not None:
        rule = (
            ResultSigning.objects.select_related("body__unit", "document_type")
            .filter(version=dossier.version_id)
            .first()
        )
        if rule is None:
            raise DomainError(
                f"Thủ tục {dossier.version.name} chưa được khai báo thẩm quyền ký kết quả.", field="dossier"
            )
        if rule.document_type_id != document_type.pk:
            raise DomainError(
                f"Kết quả của thủ tục này là {rule.document_type.name}, không phải {document_type.name}.",
                field="document_type",
            )
        unit = rule.body.unit if rule.body is not None else dossier.competent_unit
    if unit is None:
        raise DomainError("Cần chọn cơ quan ban hành văn bản.", field="unit")
    body = IssuingBody.objects.select_related("unit").filter(unit=unit).first()
    if body is None:
        raise DomainError(f"{unit.name} chưa có trong sổ đăng ký thẩm quyền ký (chế độ làm việc, người đứng đầu).")
    return body


def _grant(entry: RegisterEntry, depth: int = 0) -> authority.Grant:
    parent = entry.delegated_from
    return authority.Grant(
        id=entry.pk,
        mode=authority.Mode(entry.mode),
        title=entry.title,
        valid_from=entry.valid_from,
        valid_to=entry.valid_to,
        decision=entry.decision,
        in_charge=entry.in_charge,
        fields=frozenset(f.code for f in entry.fields.all()),
        document_types=frozenset(d.code for d in entry.document_types.all()),
        parent=_grant(parent, depth + 1) if parent is not None and depth < 3 else None,
    )


def _works_there(official: User, body: IssuingBody, on: date) -> bool:
    # The signer must hold a post in the body or in a unit directly under it (TL. and TUQ. holders head those).
    return memberships_on(on).filter(Q(unit=body.unit) | Q(unit__parent=body.unit), user=official).exists()


def fields_of(dossier: Dossier) -> dict[str, str]:
    """Return the fields (code → name) of the dossier's procedure version, which a deputy's assignment must cover."""
    # By the version's key: loading the version itself would read its whole national record.
    return dict(Field.objects.filter(versions=dossier.version_id).values_list("code", "name"))


def entitlement_for(
    official: User, body: IssuingBody, document_type: DocumentType, fields: Mapping[str, str], on: date
) -> Entitlement:
    """Decide from the register whether the official may sign this body's document of this type, about these fields,
    on this day, and under which block: the one answer behind results and letters alike (ND 30/2020 art. 13)."""
    name = official.full_name or official.username
    if not _works_there(official, body, on):
        reason = f"{name} không công tác tại {body.unit.name} hoặc đơn vị trực thuộc vào ngày {format_date(on)}."
        return Entitlement(False, body, reason=reason)
    entries = {
        e.pk: e
        for e in RegisterEntry.objects.filter(body=body, official=official)
        .select_related("delegated_from")
        .prefetch_related("fields", "document_types", "delegated_from__fields", "delegated_from__document_types")
    }
    request = authority.Request(document_type.code, document_type.name, on, fields)
    rules = authority.Body(body.unit.name, authority.Regime(body.regime), body.collective_name, body.head_title)
    verdict = authority.decide(rules, [_grant(e) for e in entries.values()], request, name)
    entry = entries.get(verdict.grant.id) if verdict.grant is not None else None
    return Entitlement(verdict.allowed, body, verdict.block, verdict.reason, entry)


def evaluate(
    official: User,
    document_type: DocumentType,
    dossier: Dossier | None = None,
    on: date | None = None,
    *,
    unit: Unit | None = None,
) -> Entitlement:
    """Decide from the register whether the official may sign, without recording anything."""
    body = body_for(document_type, dossier, unit)
    fields = fields_of(dossier) if dossier is not None else {}
    return entitlement_for(official, body, document_type, fields, on or clock.today())


def can_sign(
    official: User,
    document_type: DocumentType,
    dossier: Dossier | None = None,
    on: date | None = None,
    *,
    unit: Unit | None = None,
) -> Entitlement:
    """Say whether the official may sign this document on this day; every refusal is recorded.

    ND 30/2020 art. 13: the block is generated from the register entry that entitles the signer, never typed.
    """
    on = on or clock.today()
    try:
        result = evaluate(official, document_type, dossier, on, unit=unit)
    except DomainError as error:
        result = Entitlement(False, None, reason=error.message)
    if not result.allowed:
        _refuse(official, result, document_type, dossier, on, result.reason, unit=unit)
    return result


def take_number(body: IssuingBody, year: int) -> int:
    """Take the body's next number for the year (ND 30/2020 art. 15: from 01 on 1 January, unique in the year)."""
    sequence, _created = IssueSequence.objects.get_or_create(body=body, year=year)
    IssueSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db(fields=["last_number"])
    return sequence.last_number


def notation(number: int, document_type: DocumentType, body: IssuingBody, year: int | None = None) -> str:
    """Write số, ký hiệu as in ND 30/2020 Phụ lục I: "05/QĐ-UBND"; a công văn has no type abbreviation. A legal
    normative document carries its year after the number, "26/2015/QĐ-UBND" (Luật Ban hành VBQPPL 2015)."""
    symbol = f"{document_type.abbreviation}-{body.symbol}" if document_type.abbreviation else body.symbol
    return f"{number:02d}/{year}/{symbol}" if year is not None else f"{number:02d}/{symbol}"


def certificate_holder_mismatch(certificate: x509.Certificate, official: User, on: date) -> str:
    """Say why a certificate cannot carry this official's signature, or return "" when it can."""
    subject = certificate.subject.native
    holder = str(subject.get("common_name", ""))
    uid = str(subject.get("user_id", ""))
    expected = official.full_name or official.username
    if holder.casefold() != expected.casefold() or (uid and uid != official.username):
        return f"Chứng thư số cấp cho «{holder}», không phải cho người ký {expected}: không được dùng để ký."
    valid = certificate["tbs_certificate"]["validity"]
    if not (valid["not_before"].native.date() <= on <= valid["not_after"].native.date()):
        return f"Chứng thư số của {expected} không còn hiệu lực vào ngày {format_date(on)}."
    return ""


def public_subject(certificate: x509.Certificate) -> str:
    """Describe a certificate for the public page: holder, organisation, issuer; never the account name (UID)."""
    subject, issuer = certificate.subject.native, certificate.issuer.native
    holder = ", ".join(str(subject[key]) for key in ("common_name", "organization_name") if key in subject)
    return f"{holder}; cấp bởi {issuer.get('common_name', certificate.issuer.human_friendly)}"


def sign_document(
    pdf_bytes: bytes,
    *,
    official: User,
    document_type: DocumentType,
    summary: str,
    unit: Unit | None = None,
    dossier: Dossier | None = None,
    passphrase: str = "",
    supersedes: SignedDocument | None = None,
    correction: str = "",
    year_in_notation: bool = False,
) -> SignedDocument:
    """Check authority, number the document, stamp the generated block with a QR code, sign PAdES and store it.

    The document is issued on the signing day (ND 30/2020 art. 18) and numbered by the system (art. 15). A refused
    signing takes no number and stores nothing.
    """
    at = clock.now()
    on = clock.today()
    entitlement = can_sign(official, document_type, dossier, on, unit=unit)
    if not entitlement.allowed or entitlement.body is None or entitlement.entry is None:
        raise NotPermittedError(entitlement.reason)
    signer = configured_provider().signer_for(official, passphrase)
    certificate = signer.signing_cert
    if certificate is None:
        raise DomainError("Thiết bị ký không trả về chứng thư số của người ký.")
    mismatch = certificate_holder_mismatch(certificate, official, on)
    if mismatch:
        _refuse(official, entitlement, document_type, dossier, on, mismatch)
        raise NotPermittedError(mismatch)
    body = entitlement.body
    public_id = uuid.uuid4()
    with transaction.atomic():
        number = take_number(body, on.year)
        written = notation(number, document_type, body, on.year if year_in_notation else None)
        document = SignedDocument(
            public_id=public_id,
            body=body,
            document_type=document_type,
            year=on.year,
            number=number,
            notation=written,
            summary=summary[:500],
            official=official,
            entry=entitlement.entry,
            block=entitlement.block_text,
            dossier=dossier,
            signed_at=at,
            issued_on=on,
            certificate_subject=public_subject(certificate),
            certificate_sha256=hashlib.sha256(certificate.dump()).hexdigest(),
            supersedes=supersedes,
            correction=correction[:1000],
        )
        stamp = "\n".join([*entitlement.block, f"Số: {written}, ngày {format_date(on)}"])
        signed = pdf.sign_pdf(
            pdf_bytes,
            signer,
            public_id=str(public_id),
            block=stamp,
            url=document.verification_url(),
            reason=f"Ký ban hành văn bản số {written}",
            location=body.unit.name,
            at=at,
        )
        document.sha256 = hashlib.sha256(signed).hexdigest()
        document.pdf.save(f"{public_id}.pdf", ContentFile(signed), save=False)
        document.save()
    return document


def _refuse(
    official: User,
    entitlement: Entitlement,
    document_type: DocumentType,
    dossier: Dossier | None,
    on: date,
    reason: str,
    *,
    unit: Unit | None = None,
) -> None:
    """Record a refused signing: an append-only event, never edited."""
    Refusal.objects.create(
        at=clock.now(),
        official=official,
        unit=entitlement.body.unit if entitlement.body is not None else unit,
        document_type=document_type,
        dossier=dossier,
        entry=entitlement.entry,
        on=on,
        reason=reason,
    )


@dataclass(frozen=True)
class Verification:
    """What the public verification page and API say about a document or an uploaded file."""

    is_valid: bool
    reason: str
    document: SignedDocument | None
    sha256: str
    matches_record: bool = False
    timestamped_at: datetime | None = None


def verify_record(document: SignedDocument) -> Verification:
    """Validate the stored signed file of a document against the trust roots."""
    with document.pdf.open("rb") as stored:
        content = stored.read()
    check = pdf.validate(content)
    intact = hashlib.sha256(content).hexdigest() == document.sha256
    if check.is_valid and not intact:
        return Verification(False, "Tệp lưu trữ không khớp mã băm đã ghi khi ký.", document, check.sha256)
    return Verification(
        check.is_valid,
        check.reason,
        document,
        document.sha256,
        matches_record=intact,
        timestamped_at=check.timestamped_at,
    )


def verify_upload(content: bytes) -> Verification:
    """Check an uploaded PDF: its signature, and whether it is exactly a document this system issued."""
    if len(content) > settings.MOTCUA_MAX_UPLOAD_BYTES:
        raise DomainError("Tệp quá lớn để kiểm tra.", field="file")
    check = pdf.validate(content)
    documents = SignedDocument.objects.select_related("body__unit", "document_type", "official", "entry")
    found = documents.filter(sha256=check.sha256).first()
    traced = _uuid_or_none(check.public_id)
    if found is None and traced is not None:
        # A modified copy still names its record in the signature field: say which document it claims to be.
        found = documents.filter(public_id=traced).first()
    matches = found is not None and found.sha256 == check.sha256
    if check.is_valid and not matches:
        reason = "Chữ ký số hợp lệ nhưng tệp không trùng với văn bản nào do hệ thống này ban hành."
        return Verification(False, reason, found, check.sha256)
    return Verification(
        check.is_valid, check.reason, found, check.sha256, matches_record=matches, timestamped_at=check.timestamped_at
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
