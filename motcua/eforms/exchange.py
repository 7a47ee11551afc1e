"""The catalogue file with its e-forms: import and export of national records carrying `MOTCUA.BIEUMAU` and
`MOTCUA.MAUKETQUA`.

A record may carry its form definitions (`motcua-eform/1`, docs/eforms.md) in `MOTCUA.BIEUMAU`, a list of
documents, and its result template (`motcua-result/1`) in `MOTCUA.MAUKETQUA`. Importing publishes each against the
procedure version the import created or kept, in the same transaction as the catalogue: a problem anywhere, in a
record, a definition or a template, and nothing is written; every problem is listed in the catalogue's shape (record,
path, message), so the command line and the API report both the same way. Exporting adds, per record, the latest
published definition of each case and the latest template, exactly as stored.

The catalogue (which may not import this app) reads only the MOTCUA keys it knows, so these pass through it.
"""

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from django.db import transaction

from motcua.catalogue import records
from motcua.catalogue.models import ProcedureVersion
from motcua.catalogue.records import Problem, RecordsRejected
from motcua.catalogue.selectors import versions_in_force
from motcua.catalogue.services import ImportReport, import_catalogue
from motcua.core.errors import DomainError
from motcua.organizations.models import User

from .definition import Definition, DefinitionError, parse
from .lists import pick_lists
from .models import FormDefinition, ResultTemplate
from .result_template import parse_result
from .selectors import result_template_for
from .services import publish, publish_result

KEY, RESULT_KEY = "BIEUMAU", "MAUKETQUA"


@dataclass
class FormsImportReport:
    """What an import did: the catalogue's report, the forms ("code «case»") and result templates ("code")
    published or already there."""

    catalogue: ImportReport
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    templates_published: list[str] = field(default_factory=list)
    templates_unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The forms' and templates' part of the import's message, as the command and the admin say it."""
        return (
            f"Đã công bố {len(self.published)} biểu mẫu mới; {len(self.unchanged)} biểu mẫu không đổi; "
            f"{len(self.templates_published)} mẫu kết quả mới; {len(self.templates_unchanged)} mẫu kết quả không đổi."
        )


def read_file(name: str, stream: BinaryIO) -> Any:
    """Read a catalogue file with its forms: national JSON, or the workbook with its "Biểu mẫu" sheet."""
    if name.lower().endswith(".xlsx"):
        from .excel import ExcelFormatError, records_from_workbook  # openpyxl only when a workbook is read

        try:
            return records_from_workbook(stream)
        except ExcelFormatError as error:
            raise DomainError(str(error)) from error
    if not name.lower().endswith(".json"):
        raise DomainError("Chỉ nhận tệp .json hoặc .xlsx.")
    try:
        return json.loads(stream.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(f"Tệp {name} không phải JSON UTF-8 hợp lệ: {error}") from error


def import_with_forms(
    data: Any,
    *,
    actor: User | None = None,
    publish_versions: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> FormsImportReport:
    """Import a catalogue file and publish the forms and result templates its records carry, all or nothing.

    Raises RecordsRejected listing every problem of the records, their definitions and their templates.
    """
    carried = _carried(data)
    problems = [problem for label, raw, extension in carried for problem in _check(label, raw, extension)]
    with transaction.atomic():
        try:
            report = FormsImportReport(
                import_catalogue(data, actor=actor, publish=publish_versions, progress=progress)
            )
        except RecordsRejected as rejected:
            raise RecordsRejected(rejected.problems + problems) from rejected
        if problems:
            raise RecordsRejected(problems)
        for label, raw, extension in carried:
            version = _imported_version(str(raw["MATTHC"]).strip())
            problems += _publish_carried(label, version, extension, actor, report)
        if problems:
            raise RecordsRejected(problems)
    return report


def _publish_carried(
    label: str, version: ProcedureVersion, extension: dict[str, Any], actor: User | None, report: FormsImportReport
) -> list[Problem]:
    """Publish a record's forms, then its result template (checked against the variables those forms fill)."""
    problems = []
    for index, document in enumerate(extension.get(KEY) or []):
        before = set(FormDefinition.objects.filter(version=version).values_list("pk", flat=True))
        try:
            form = publish(document, version=version, by=actor)
        except DomainError as refused:
            problems.append(Problem(label, f"MOTCUA.{KEY}[{index}]", refused.message))
            continue
        name = f"{version.procedure.code} «{form.case_name}»" if form.case_name else version.procedure.code
        (report.unchanged if form.pk in before else report.published).append(name)
    if extension.get(RESULT_KEY) is not None and not problems:
        before = set(ResultTemplate.objects.filter(version=version).values_list("pk", flat=True))
        try:
            template = publish_result(extension[RESULT_KEY], version=version, by=actor)
        except DomainError as refused:
            return [Problem(label, f"MOTCUA.{RESULT_KEY}", refused.message)]
        done = report.templates_unchanged if template.pk in before else report.templates_published
        done.append(version.procedure.code)
    return problems


def _imported_version(code: str) -> ProcedureVersion:
    """Return the version the import created or kept: the procedure's latest, as the catalogue compares against."""
    version = ProcedureVersion.objects.filter(procedure__code=code).select_related("procedure").order_by("-number")
    return version.first()  # type: ignore[return-value]  # the import has just created or kept it


def _carried(data: Any) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Return (label, raw record, MOTCUA) for each record carrying forms or a result template, labelled as the
    catalogue labels them."""
    raws = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(raws, list):
        return []
    carried = []
    for position, raw in enumerate(raws, start=1):
        extension = raw.get("MOTCUA") if isinstance(raw, dict) else None
        if not isinstance(extension, dict) or (extension.get(KEY) is None and extension.get(RESULT_KEY) is None):
            continue
        code = raw.get("MATTHC")
        label = f"#{position}" + (f" ({code})" if isinstance(code, str) and code else "")  # as records.parse_record
        carried.append((label, raw, extension))
    return carried


def _check(label: str, raw: dict[str, Any], extension: dict[str, Any]) -> list[Problem]:
    """Check a record's definitions and result template against the record itself: its code, its cases and their
    papers, the variables its forms fill."""
    documents = extension.get(KEY) or []
    if not isinstance(documents, list):
        return [Problem(label, f"MOTCUA.{KEY}", "phải là danh sách các biểu mẫu (motcua-eform/1).")]
    cases = {
        str(case.get("TRUONGHOP") or "").strip(): {
            str(paper.get("MAGIAYTO") or "").strip() for paper in case.get("GIAYTO") or [] if isinstance(paper, dict)
        }
        for case in raw.get("THANHPHANHOSO") or []
        if isinstance(case, dict)
    }
    code = str(raw.get("MATTHC") or "").strip()
    problems: list[Problem] = []
    definitions: list[Definition] = []
    seen: set[str] = set()
    for index, document in enumerate(documents):
        where = f"MOTCUA.{KEY}[{index}]"
        if not isinstance(document, dict):
            problems.append(Problem(label, where, "mỗi biểu mẫu phải là một đối tượng JSON."))
            continue
        if document.get("procedure") != code:
            problems.append(Problem(label, f"{where}.procedure", f"biểu mẫu phải thuộc thủ tục {code}."))
        case = str(document.get("case") or "")
        if case and case not in cases:
            problems.append(Problem(label, f"{where}.case", f"thủ tục không có trường hợp «{case}»."))
        if case in seen:
            problems.append(Problem(label, f"{where}.case", "trường hợp này đã có biểu mẫu khác trong tệp."))
        seen.add(case)
        # An unknown case is reported once: its papers are then not checked.
        papers = (cases.get(case) if case else set().union(*cases.values())) if cases else None
        try:
            definitions.append(parse(document, lists=pick_lists(), papers=papers))
        except DefinitionError as invalid:
            problems += _located(label, where, invalid)
    if extension.get(RESULT_KEY) is not None:
        problems += _check_result(label, code, extension[RESULT_KEY], definitions if documents else None)
    return problems


def _check_result(label: str, code: str, document: Any, definitions: list[Definition] | None) -> list[Problem]:
    """Check a record's result template; the variables are those of the forms it carries (when it carries none,
    publishing checks them against the forms already published)."""
    where = f"MOTCUA.{RESULT_KEY}"
    if isinstance(document, dict) and document.get("procedure") != code:
        return [Problem(label, f"{where}.procedure", f"mẫu kết quả phải thuộc thủ tục {code}.")]
    variables = None
    if definitions is not None:
        variables = {field.result for definition in definitions for field in definition.fields() if field.result}
    try:
        parse_result(document, variables=variables)
    except DefinitionError as invalid:
        return _located(label, where, invalid)
    return []


def _located(label: str, where: str, invalid: DefinitionError) -> list[Problem]:
    """Each "path: message" of a refused document as a problem at that path inside the record."""
    located = []
    for text in invalid.problems:
        path, _, message = text.partition(": ")
        located.append(Problem(label, f"{where}.{path}", message) if message else Problem(label, where, text))
    return located


def latest_forms(version: ProcedureVersion) -> list[FormDefinition]:
    """Return the latest published definition of each case of a version ("" first, then the record's case order)."""
    names = version.cases.order_by("position").values_list("name", flat=True)
    order = {"": -1} | {name: position for position, name in enumerate(names)}
    latest: dict[str, FormDefinition] = {}
    for form in FormDefinition.objects.filter(version=version).order_by("case_name", "-number"):
        latest.setdefault(form.case_name, form)
    return sorted(latest.values(), key=lambda form: order.get(form.case_name, len(order)))


def export_with_forms(on: date | None = None) -> list[dict[str, Any]]:
    """Return the records of the versions in force on a day, each with its latest definitions in MOTCUA.BIEUMAU and
    its latest result template in MOTCUA.MAUKETQUA.

    A record without a form or template is exported exactly as the catalogue exports it (no BIEUMAU, MAUKETQUA).
    """
    exported = []
    for version in versions_in_force(on).select_related("procedure").order_by("procedure__code"):
        record = copy.deepcopy(version.record)
        forms, template = latest_forms(version), result_template_for(version.pk)
        if forms:
            record.setdefault("MOTCUA", {})[KEY] = [copy.deepcopy(form.document) for form in forms]
        if template is not None:
            record.setdefault("MOTCUA", {})[RESULT_KEY] = copy.deepcopy(template.document)
        exported.append(record)
    return exported


def export_document(on: date | None = None) -> dict[str, Any]:
    """Return the JSON export: the national format's document with the forms inside the records."""
    return {"format": records.FORMAT, "procedures": export_with_forms(on)}
