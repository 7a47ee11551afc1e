"""A dossier handed over by the national portal (DVCQG): checked, its files fetched and checked, then created once.

Order matters: a repeat is recognised by its MaHoSo before anything else is read; the payload is checked against the
catalogue before any file is fetched; every file is fetched and checked before the one transaction that creates the
dossier (status 1) with its event, its files and its MaHoSo. Anything refused leaves nothing behind.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q

from motcua.catalogue.models import Channel, Component, ProcedureVersion
from motcua.catalogue.selectors import CaseTerms, get_version_on, listed_fees, terms_of
from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.dossiers import drafts, services
from motcua.dossiers.models import ApplicantKind, Dossier, FeeCollection, NationalFiling
from motcua.organizations.models import AgencyIdentifier, Unit, User

from . import files
from .payload import NationalDossier, fingerprint, parse, parse_national_code

# Intake names its fields after our forms; the portal's caller reads them under the payload's names.
_PAYLOAD_FIELDS = {
    "applicant.name": "ChuHoSo",
    "applicant.organisation_name": "ChuHoSo",
    "applicant.citizen_id": "SoGiayToChuHoSo",
    "applicant.tax_code": "SoGiayToChuHoSo",
    "applicant.phone": "SoDienThoai",
    "applicant.email": "Email",
    "applicant.address": "DiaChi",
    "papers": "TaiLieuNop",
    "fee": "DanhSachLePhi",
    "fee_collection": "DanhSachLePhi",
    "receiving_unit": "NoiNopHoSo",
    "commune": "NoiNopHoSo",
    "case": "MaTTHC",
    "channel": "KenhThucHien",
    "submitted_at": "NgayNopHoSo",
}
NON_FIELD = "non_field_errors"


@dataclass(frozen=True)
class Received:
    dossier: Dossier
    national_code: str
    created: bool  # False: the same hand-over had already been received


def receive_national(raw: Any, *, channel: User) -> Received:
    """Receive one dossier from the national portal; the same MaHoSo and content again finds the first one.

    Raises ValidationError (per payload field) for what is wrong with the payload, ConflictError for a MaHoSo
    already received with other content.
    """
    national_code = parse_national_code(raw)
    digest = fingerprint(raw)
    if (known := _known(national_code, digest)) is not None:
        return known
    dossier = parse(raw)
    filing, receiving_unit, components = _resolved(dossier)
    scans = _fetched(dossier, components)
    try:
        outcome = drafts.submit_national(
            filing,
            channel=channel,
            receiving_unit=receiving_unit,
            national_code=national_code,
            fingerprint=digest,
            scans=scans,
        )
    except IntegrityError:
        # The same MaHoSo handed over alongside, committed first: answer as it was answered.
        if (known := _known(national_code, digest)) is not None:
            return known
        raise
    except ValidationError as error:
        raise ValidationError(
            {_PAYLOAD_FIELDS.get(key, key): messages for key, messages in error.message_dict.items()}
        ) from error
    except (ConflictError, NotPermittedError):
        raise
    except DomainError as error:
        raise ValidationError({_PAYLOAD_FIELDS.get(error.field or "", NON_FIELD): [error.message]}) from error
    return Received(outcome.dossier, national_code, created=True)


def _known(national_code: str, digest: str) -> Received | None:
    known = NationalFiling.objects.select_related("dossier").filter(national_code=national_code).first()
    if known is None:
        return None
    if known.fingerprint != digest:
        raise ConflictError(
            f"Mã hồ sơ {national_code} đã được nhận (hồ sơ {known.dossier.code}) với nội dung khác; "
            "không nhận lại với nội dung thay đổi."
        )
    return Received(known.dossier, national_code, created=False)


def _resolved(dossier: NationalDossier) -> tuple[services.Filing, Unit, dict[str, Component]]:
    """Find the version in force on the filing day, the case, the fee and the receiving unit; refuse what is not."""
    errors: dict[str, list[str]] = {}
    day = dossier.submitted_at.astimezone(clock.VIETNAM).date()
    version = _version(dossier.procedure_code, day)
    if version is None:
        message = f"Không có thủ tục mã {dossier.procedure_code} có hiệu lực vào ngày {day:%d/%m/%Y}."
        raise ValidationError({"MaTTHC": [message]})
    cases = terms_of(version.pk)
    if not cases:
        raise ValidationError({"MaTTHC": [f"Thủ tục mã {dossier.procedure_code} chưa công bố thành phần hồ sơ."]})
    terms = _case(dossier, cases, errors)
    components = {c.code: c for c in terms.components}
    for document in dossier.documents:
        if document.component_code and document.component_code not in components:
            errors.setdefault(f"TaiLieuNop[{document.index}].MaThanhPhanHoSo", []).append(
                f"Giấy tờ mã {document.component_code} không thuộc thành phần hồ sơ đã công bố của thủ tục."
            )
    fee_id, collection = _fee(dossier, terms, errors)
    receiving_unit = _receiving_unit(dossier.place, day, errors)
    if errors or receiving_unit is None:
        raise ValidationError(errors)
    codes = dict.fromkeys(d.component_code for d in dossier.documents)  # each paper once, in the payload's order
    applicant = services.Applicant(
        kind=ApplicantKind.ORGANISATION if dossier.organisation else ApplicantKind.PERSON,
        name=dossier.owner,
        citizen_id="" if dossier.organisation else dossier.id_number,
        organisation_name=dossier.owner if dossier.organisation else "",
        tax_code=dossier.id_number if dossier.organisation else "",
        phone=dossier.phone,
        email=dossier.email,
        address=dossier.address,
    )
    filing = services.Filing(
        terms.case.pk,
        Channel.ONLINE,
        applicant,
        tuple(services.Paper(components[code].pk, is_digitised=True) for code in codes),
        fee_id=fee_id,
        fee_collection=collection,
        submitted_at=dossier.submitted_at,
    )
    return filing, receiving_unit, components


def _version(code: str, day: date) -> ProcedureVersion | None:
    """The version in force on the day; a long code (national code + publishing agency's identifier) as its bare
    national code too (DOMAIN.md §6: `1.002835.000.00.00.H56`)."""
    version = get_version_on(code, day)
    bare = ".".join(code.split(".")[:2])
    return version if version is not None or bare == code else get_version_on(bare, day)


def _case(dossier: NationalDossier, cases: tuple[CaseTerms, ...], errors: dict[str, list[str]]) -> CaseTerms:
    """The case named by TruongHop (its position), else the first whose papers include every paper sent."""
    if dossier.case_index is not None:
        if 0 <= dossier.case_index < len(cases):
            return cases[dossier.case_index]
        errors["TruongHop"] = [f"Thủ tục chỉ có {len(cases)} trường hợp (đánh số từ 0)."]
        return cases[0]
    sent = {d.component_code for d in dossier.documents}
    return next((t for t in cases if sent <= {c.code for c in t.components}), cases[0])


def _fee(dossier: NationalDossier, terms: CaseTerms, errors: dict[str, list[str]]) -> tuple[int | None, str]:
    """Match each fee line with a fee the catalogue lists online, by code or else by amount; keep the first charged.

    Charging beyond the published list is a requirement outside the law (ND 63/2010 art. 18(6)). The portal collects
    online fees when the dossier is filed [R], so a charged fee is taken as collected before.
    """
    offered = listed_fees(terms.case, Channel.ONLINE)
    chosen = None
    for line in dossier.fees:
        fee = next((f for f in offered if line.code and f.code == line.code), None)
        fee = fee or next((f for f in offered if f.amount == line.amount), None)
        if fee is None or fee.amount != line.amount:
            errors.setdefault(f"DanhSachLePhi[{line.index}]", []).append(
                f"Khoản {line.amount:,} đồng".replace(",", ".")
                + " không có trong danh mục phí, lệ phí đã công bố của thủ tục cho kênh trực tuyến."
            )
        elif chosen is None or (chosen.amount == 0 < fee.amount):
            chosen = fee
    if chosen is None:
        return None, FeeCollection.NONE
    return chosen.pk, FeeCollection.BEFORE if chosen.amount else FeeCollection.NONE


def _receiving_unit(place: str, day: date, errors: dict[str, list[str]]) -> Unit | None:
    """Where the applicant filed: NoiNopHoSo as our unit code or an agency identifier, else the configured unit."""
    code = place or settings.MOTCUA_DVCQG_RECEIVING_UNIT
    by_identifier = AgencyIdentifier.objects.filter(code=code, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    unit = (
        Unit.objects.filter(Q(code=code) | Q(pk__in=by_identifier.values("unit_id"))).select_related("parent").first()
        if code
        else None
    )
    if unit is None:
        errors["NoiNopHoSo"] = [
            f"Không có đơn vị tiếp nhận mã {code} trong tỉnh."
            if code
            else "Cần nơi nộp hồ sơ (NoiNopHoSo): mã đơn vị hoặc mã định danh điện tử của đơn vị tiếp nhận."
        ]
    return unit


def _fetched(dossier: NationalDossier, components: dict[str, Component]) -> list[drafts.NationalScan]:
    """Fetch and check every file (size, type, structure, virus) before anything is written; report each failure."""
    errors: dict[str, list[str]] = {}
    scans = []
    for document in dossier.documents:
        try:
            scan = drafts.check_scan(files.fetch(document.url))
        except DomainError as error:
            errors[f"TaiLieuNop[{document.index}].DuongDanTaiTepTin"] = [f"«{document.name}»: {error.message}"]
            continue
        scans.append(drafts.NationalScan(components[document.component_code], document.name, scan))
    if errors:
        raise ValidationError(errors)
    return scans
