"""Reads of form definitions: the one in force for a case, parsed once per process (a published one never changes)."""

from functools import lru_cache

from motcua.catalogue.models import Case

from .definition import Definition, parse
from .lists import pick_lists
from .models import FormDefinition


def form_for(case: Case) -> FormDefinition | None:
    """Return the latest definition of a case's form: its own, else the one for every case of the version."""
    candidates = FormDefinition.objects.filter(version=case.version_id, case_name__in=[case.name, ""])
    return candidates.order_by("-case_name", "-number").first()


@lru_cache(maxsize=512)
def _parsed(pk: int) -> Definition:
    row = FormDefinition.objects.only("document").get(pk=pk)
    return parse(row.document, lists=pick_lists())


def definition_of(form: FormDefinition | int) -> Definition:
    """Return a stored definition (or the one with this id), parsed: it was checked when published."""
    return _parsed(form if isinstance(form, int) else form.pk)
