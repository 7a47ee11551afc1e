"""Writes to the catalogue: importing national records as versions, publishing drafts, comparing versions."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import Max

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError
from motcua.organizations.models import Unit, UnitType, User

from . import excel, records
from .models import Case, ChannelLimit, Component, Fee, Field, Procedure, ProcedureVersion, Step, VersionStatus
from .records import Problem, ProcedureRecord, RecordsRejected
from .search import search_fold


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_catalogue(name: str, stream: BinaryIO) -> Any:
    """Read a catalogue file, from disk or uploaded: national JSON, or the Excel template filled in by an officer."""
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        try:
            return excel.records_from_workbook(stream)
        except excel.ExcelFormatError as error:
            raise DomainError(str(error)) from error
    if suffix != "json":
        raise DomainError("Chỉ nhận tệp .json hoặc .xlsx.")
    try:
        return json.loads(stream.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(f"Tệp {name} không phải JSON UTF-8 hợp lệ: {error}") from error


def import_catalogue(
    raw: Any,
    *,
    actor: User | None = None,
    publish: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a file's records as new versions, all or nothing; unchanged records create no version."""
    numbered, problems = records.parse_numbered(raw)
    problems += _check_against_database(numbered)
    parsed = [record for _position, record in numbered]
    if problems:
        raise RecordsRejected(problems)
    report = ImportReport()
    with transaction.atomic():
        for done, record in enumerate(parsed, start=1):
            if _latest_hash(record.code) == record.content_hash():
                report.unchanged.append(record.code)
            else:
                _write_version(record, actor, VersionStatus.PUBLISHED if publish else VersionStatus.DRAFT)
                report.created.append(record.code)
            if progress:
                progress(done, len(parsed))
    return report


def _latest_hash(code: str) -> str | None:
    return (
        ProcedureVersion.objects.filter(procedure__code=code)
        .order_by("-number")
        .values_list("content_hash", flat=True)
        .first()
    )


def _check_against_database(numbered: list[tuple[int, ProcedureRecord]]) -> list[Problem]:
    """Find what only the database can tell: unknown unit codes, and versions that would not follow the last one."""
    problems = []
    parsed = [record for _position, record in numbered]
    known_units = set(
        Unit.objects.filter(code__in={c for r in parsed for c in r.unit_codes()}).values_list("code", flat=True)
    )
    last_starts = dict(
        ProcedureVersion.objects.filter(procedure__code__in=[r.code for r in parsed], status=VersionStatus.PUBLISHED)
        .values_list("procedure__code")
        .annotate(last=Max("effective_from"))
    )
    for position, record in numbered:
        label = f"#{position} ({record.code})"
        for code in sorted(record.unit_codes() - known_units):
            problems.append(Problem(label, "MOTCUA", f"không có đơn vị mã '{code}' trong hệ thống."))
        if record.competent_unit_type and record.competent_unit_type not in UnitType.values:
            problems.append(Problem(label, "MOTCUA.THAMQUYEN.LOAIDONVI", "loại đơn vị không có trong danh mục."))
        last = last_starts.get(record.code)
        if last and record.effective_from <= last and _latest_hash(record.code) != record.content_hash():
            problems.append(
                Problem(
                    label,
                    "MOTCUA.HIEULUCTU",
                    f"phiên bản mới phải có hiệu lực sau phiên bản đang có (từ {last:%d/%m/%Y}).",
                )
            )
    return problems


def _write_version(record: ProcedureRecord, actor: User | None, status: VersionStatus) -> ProcedureVersion:
    procedure, _ = Procedure.objects.get_or_create(code=record.code)
    number = (procedure.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        status=status,
        effective_from=record.effective_from,
        record=records.to_record(record),
        content_hash=record.content_hash(),
        name=record.name,
        level_codes="," + ",".join(map(str, record.levels)) + ",",
        competent_unit=Unit.objects.filter(code=record.competent_unit_code).first(),
        competent_unit_type=record.competent_unit_type,
        online_level=record.online_level,
        is_cross_boundary=record.is_cross_boundary,
        publication_number=record.publication_number,
        published_on=record.publication_date,
        legal_basis_effective_on=max((b.effective_on for b in record.legal_bases if b.effective_on), default=None),
        search_name=search_fold(record.name),
        search_text=search_fold(f"{record.name} {record.keywords} {record.code}"),
        created_at=clock.now(),
        created_by=actor,
    )
    version.fields.set(
        [Field.objects.update_or_create(code=f.code or f.name, defaults={"name": f.name})[0] for f in record.fields]
    )
    cases = {}
    for position, case in enumerate(record.cases):
        cases[case.name] = Case.objects.create(version=version, position=position, name=case.name)
        Component.objects.bulk_create(
            Component(case=cases[case.name], position=i, **_component_fields(c)) for i, c in enumerate(case.components)
        )
        Step.objects.bulk_create(
            Step(
                case=cases[case.name],
                position=i,
                name=s.name,
                unit_ref=s.unit,
                staff_position=s.position,
                hours=s.hours,
            )
            for i, s in enumerate(case.steps)
        )
    for entry in record.limits:
        limit = ChannelLimit.objects.create(
            version=version,
            case=cases.get(entry.case) if entry.case else None,
            channel=entry.channel,
            amount=entry.limit.amount,
            unit=entry.limit.unit,
            description=entry.description,
        )
        Fee.objects.bulk_create(
            Fee(limit=limit, position=i, code=f.code, amount=f.amount, description=f.description)
            for i, f in enumerate(entry.fees)
        )
    if status == VersionStatus.PUBLISHED:
        _close_previous(version)
    return version


def _component_fields(component: records.Component) -> dict[str, Any]:
    return {
        "code": component.code,
        "name": component.name,
        "originals": component.originals,
        "copies": component.copies,
        "template_name": component.template_name,
        "template_url": component.template_url,
        "replacing_result_code": component.replacing_result_code,
        "is_mandatory": component.is_mandatory,
    }


def _close_previous(version: ProcedureVersion) -> None:
    """End the validity of the published version that the new one replaces, the day before it takes effect."""
    previous = (
        ProcedureVersion.objects.filter(procedure=version.procedure, status=VersionStatus.PUBLISHED)
        .exclude(pk=version.pk)
        .order_by("-effective_from")
        .first()
    )
    if previous and (previous.effective_to is None or previous.effective_to >= version.effective_from):
        previous.effective_to = version.effective_from - timedelta(days=1)
        previous.save(update_fields=["effective_to"])


@transaction.atomic
def publish_version(version: ProcedureVersion, *, actor: User | None) -> ProcedureVersion:
    """Publish a draft: from then on it is immutable and dossiers received in its period pin it."""
    locked = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ConflictError("Phiên bản này đã được công bố.")
    last = ProcedureVersion.objects.filter(procedure=locked.procedure, status=VersionStatus.PUBLISHED).aggregate(
        last=Max("effective_from")
    )["last"]
    if last and locked.effective_from <= last:
        raise ConflictError(f"Phiên bản mới phải có hiệu lực sau phiên bản đang có (từ {last:%d/%m/%Y}).")
    ProcedureVersion.objects.filter(pk=locked.pk).update(status=VersionStatus.PUBLISHED)
    locked.status = VersionStatus.PUBLISHED
    _close_previous(locked)
    return locked
