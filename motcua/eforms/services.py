"""Publishing form definitions and result templates: checked in full against the procedure version, numbered, never
edited."""

import hashlib
import json
from typing import Any

from django.db import transaction
from django.template import TemplateSyntaxError, engines

from motcua.catalogue.models import Component, ProcedureVersion
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.organizations.models import User

from .definition import Definition, DefinitionError, parse
from .lists import pick_lists
from .models import FormDefinition, ResultTemplate
from .result_template import ResultTemplateDef, parse_result
from .selectors import definition_of


def checked(document: Any, version: ProcedureVersion) -> tuple[Definition, str]:
    """Check a definition against a procedure version; return it parsed, with the name of the case it is for.

    Refused as a whole, with every problem listed, when the definition is invalid, has no source, names a paper the
    procedure does not list, or a case the version does not have.
    """
    if not isinstance(document, dict) or document.get("procedure") != version.procedure.code:
        raise DomainError(f"Biểu mẫu không thuộc thủ tục {version.procedure.code}.", field="procedure")
    cases = {case.name: case for case in version.cases.all()}
    case_name = str(document.get("case") or "")
    if case_name and case_name not in cases:
        raise DomainError(f"Thủ tục không có trường hợp «{case_name}».", field="case")
    chosen = [cases[case_name]] if case_name else list(cases.values())
    papers = set(Component.objects.filter(case__in=chosen).values_list("code", flat=True))
    try:
        return parse(document, lists=pick_lists(), papers=papers), case_name
    except DefinitionError as invalid:
        raise DomainError("Biểu mẫu không hợp lệ: " + "; ".join(invalid.problems), field="document") from invalid


def publish(document: Any, *, version: ProcedureVersion, by: User | None = None) -> FormDefinition:
    """Publish a definition for a procedure version (checked as `checked` says); the same content again returns the
    version already published."""
    definition, case_name = checked(document, version)
    digest = _digest(document)
    with transaction.atomic():
        # One publisher at a time per version: the numbers stay consecutive.
        ProcedureVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").first()
        latest = FormDefinition.objects.filter(version=version, case_name=case_name).order_by("-number").first()
        if latest is not None and latest.content_hash == digest:
            return latest
        return FormDefinition.objects.create(
            version=version,
            case_name=case_name,
            number=(latest.number + 1) if latest else 1,
            title=definition.title,
            document=document,
            content_hash=digest,
            form_number=str(definition.source["form_number"])[:100],
            legal_basis=str(definition.source["legal_basis"])[:500],
            published_at=clock.now(),
            published_by=by,
        )


def result_variables_of(version: ProcedureVersion) -> set[str]:
    """Return the result variables the version's published tờ khai fill (any case, any version of the form)."""
    forms = FormDefinition.objects.filter(version=version).only("document", "content_hash")
    return {field.result for form in forms for field in definition_of(form).fields() if field.result}


def checked_result(document: Any, version: ProcedureVersion, variables: set[str] | None = None) -> ResultTemplateDef:
    """Check a result template against a procedure version and the variables its tờ khai fill (by default the
    published ones); refused as a whole, with every problem listed."""
    if not isinstance(document, dict) or document.get("procedure") != version.procedure.code:
        raise DomainError(f"Mẫu kết quả không thuộc thủ tục {version.procedure.code}.", field="procedure")
    variables = result_variables_of(version) if variables is None else variables
    if not variables:
        refusal = "Thủ tục chưa có tờ khai điện tử điền biến nào: mẫu kết quả không có dữ liệu để điền."
        raise DomainError(refusal, field="document")
    try:
        template = parse_result(document, variables=variables)
        engines["django"].from_string(template.body)
    except DefinitionError as invalid:
        raise DomainError("Mẫu kết quả không hợp lệ: " + "; ".join(invalid.problems), field="document") from invalid
    except TemplateSyntaxError as invalid:
        raise DomainError(f"Mẫu kết quả không hợp lệ: body: {invalid}", field="document") from invalid
    return template


def publish_result(document: Any, *, version: ProcedureVersion, by: User | None = None) -> ResultTemplate:
    """Publish a result template for a procedure version (checked as `checked_result` says); the same content again
    returns the version already published."""
    template = checked_result(document, version)
    digest = _digest(document)
    with transaction.atomic():
        ProcedureVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").first()
        latest = ResultTemplate.objects.filter(version=version).order_by("-number").first()
        if latest is not None and latest.content_hash == digest:
            return latest
        return ResultTemplate.objects.create(
            version=version,
            number=(latest.number + 1) if latest else 1,
            title=template.title,
            document=document,
            content_hash=digest,
            legal_basis=template.legal_basis[:500],
            published_at=clock.now(),
            published_by=by,
        )


def _digest(document: Any) -> str:
    return hashlib.sha256(json.dumps(document, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
