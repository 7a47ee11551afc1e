"""Publishing form definitions: checked in full against the procedure version's papers, numbered, never edited."""

import hashlib
import json
from typing import Any

from django.db import transaction

from motcua.catalogue.models import Component, ProcedureVersion
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.organizations.models import User

from .definition import Definition, DefinitionError, parse
from .lists import pick_lists
from .models import FormDefinition


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
    content = json.dumps(document, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(content.encode()).hexdigest()
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
