"""Reads of form definitions: the one in force for a case, parsed once per content (a published one never changes)."""

from collections import OrderedDict

from motcua.catalogue.models import Case

from .definition import Definition, parse
from .lists import pick_lists
from .models import FormDefinition, ResultTemplate

PARSED_KEPT = 256
_parsed: "OrderedDict[str, Definition]" = OrderedDict()


def form_for(case: Case) -> FormDefinition | None:
    """Return the latest definition of a case's form: its own, else the one for every case of the version."""
    candidates = FormDefinition.objects.filter(version=case.version_id, case_name__in=[case.name, ""])
    return candidates.order_by("-case_name", "-number").first()


def definition_of(form: FormDefinition) -> Definition:
    """Return a stored definition parsed (it was checked when published), kept by its content: an id may be used
    again after a rolled-back publication, a content hash names one definition."""
    kept = _parsed.get(form.content_hash)
    if kept is None:
        kept = _parsed[form.content_hash] = parse(form.document, lists=pick_lists())
        while len(_parsed) > PARSED_KEPT:
            _parsed.popitem(last=False)
    return kept


def result_template_for(version_id: int) -> ResultTemplate | None:
    """Return the latest published result template of a procedure version, or None when it has none."""
    return ResultTemplate.objects.filter(version=version_id).order_by("-number").first()
