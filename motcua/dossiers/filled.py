"""The e-form (tờ khai) filed with a dossier and how its result is returned: checked at intake, then kept as filed.

ND 45/2020 art. 9 files e-dossiers through e-forms; the definition in force for the case is pinned with the answers,
so a later version of the form never changes filed data.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from motcua.catalogue.models import Case, Channel, ChannelLimit, OnlineLevel, ProcedureVersion
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.eforms.answers import as_typed, check, visible
from motcua.eforms.definition import Definition
from motcua.eforms.display import Reader, SectionLines, result_variables, sections
from motcua.eforms.layout import blocks
from motcua.eforms.lists import pick_lists
from motcua.eforms.models import FormDefinition
from motcua.eforms.selectors import definition_of, form_for
from motcua.organizations.models import COMMUNE_LEVEL_TYPES, Unit

from .models import Dossier, ReturnMethod


@dataclass(frozen=True)
class Filled:
    form: FormDefinition
    definition: Definition
    values: dict[str, Any]


def commune_exists(code: str) -> bool:
    return Unit.objects.filter(code=code, type__in=COMMUNE_LEVEL_TYPES).exists()


def place_name(code: str) -> str:
    """Name a commune with its province, as an address line ends: "Xã Mỹ Hiệp, Tỉnh Đồng Tháp"."""
    unit = Unit.objects.filter(code=code).select_related("parent").first() if code else None
    if unit is None:
        return ""
    return f"{unit.name}, {unit.parent.name}" if unit.parent else unit.name


def reader() -> Reader:
    return Reader(pick_lists(), place_name)


def checked_answers(case: Case, answers: Mapping[str, str] | None) -> Filled | None:
    """Check the answers against the case's form; None when none were given or the case has no form.

    Raises ValidationError keyed by `form.<path>`, one message per input, every problem at once.
    """
    if answers is None:
        return None
    form = form_for(case)
    if form is None:
        if answers:
            raise ValidationError({"form": ["Thủ tục này chưa có tờ khai điện tử; hãy nộp tờ khai bằng bản quét."]})
        return None
    definition = definition_of(form)
    result = check(definition, answers, lists=pick_lists(), commune_exists=commune_exists, today=clock.today())
    if not result.valid:
        raise ValidationError({f"form.{path}": [message] for path, message in result.errors.items()})
    return Filled(form, definition, result.values)


def papers_asked(definition: Definition | None, answers: Mapping[str, str] | None) -> set[str]:
    """Return the codes of the papers the tờ khai's answers make required: its shown, required paper fields (the
    authorisation when the requester acts for someone else, the abandoned-child record when there is no mother)."""
    if definition is None or answers is None:
        return set()
    return {str(f.options["paper"]) for f in visible(definition, answers) if f.type == "paper" and f.required}


def return_methods(version: ProcedureVersion) -> list[ReturnMethod]:
    """Say how a procedure may return its result: at the counter always; by post where the procedure lists the
    postal channel; online (the signed e-result) where it is offered online (ND 42/2022 art. 11)."""
    methods = [ReturnMethod.COUNTER]
    if ChannelLimit.objects.filter(version=version, channel=Channel.POST).exists():
        methods.append(ReturnMethod.POST)
    if version.online_level != OnlineLevel.NONE:
        methods.append(ReturnMethod.ONLINE)
    return methods


def checked_return(version: ProcedureVersion, method: str, address: str) -> tuple[str, str]:
    """Check the chosen way of receiving the result; "" keeps the default (at the counter)."""
    if not method:
        return "", ""
    allowed = return_methods(version)
    if method not in allowed:
        labels = ", ".join(str(m.label).lower() for m in allowed)
        raise ValidationError({"return_method": [f"Thủ tục này chỉ trả kết quả theo các hình thức: {labels}."]})
    address = " ".join(address.split())
    if method == ReturnMethod.POST and not address:
        raise ValidationError({"return_address": ["Nhập địa chỉ nhận kết quả qua bưu chính."]})
    if len(address) > 500:
        raise ValidationError({"return_address": ["Địa chỉ nhận kết quả dài tối đa 500 ký tự."]})
    return method, address if method == ReturnMethod.POST else ""


def _definition(dossier: Dossier) -> Definition:
    assert dossier.form is not None  # the callers ask only about dossiers filed with a form
    return definition_of(dossier.form)


def values_of(dossier: Dossier) -> dict[str, Any]:
    """Return the tờ khai's values in force: the applicant's answers with the result step's corrections."""
    return {**dossier.form_data, **dossier.form_corrections}


@dataclass(frozen=True)
class Correction:
    path: str  # the field corrected ("section.field"); a part of it was typed
    value: Any  # its value once corrected
    before: str  # both as read
    after: str


def checked_correction(dossier: Dossier, path: str, typed: str) -> Correction:
    """Check a new value for one input of the filed tờ khai, with the rest of the form as it stands."""
    if dossier.form_id is None:
        raise DomainError("Hồ sơ nộp tờ khai giấy: không có tờ khai điện tử để đính chính.", field="path")
    definition = _definition(dossier)
    field = definition.field(path)
    if field is None or path not in {name for name, _ in correctable(dossier)}:  # an input shown on the filed form
        raise DomainError("Chọn thông tin của tờ khai cần đính chính.", field="path")
    answers = as_typed(definition, values_of(dossier))
    result = check(definition, answers | {path: typed}, lists=pick_lists(), commune_exists=commune_exists,
                   today=clock.today())  # fmt: skip
    if path in result.errors or field.path in result.errors:
        raise DomainError(result.errors.get(path) or result.errors[field.path], field="value")
    if result.errors:  # the correction broke a rule between fields: say which
        raise DomainError(next(iter(result.errors.values())), field="value")
    said = reader()
    before = values_of(dossier).get(field.path)
    after = result.values.get(field.path)
    if before == after:
        raise DomainError("Giá trị mới giống giá trị đang có; không có gì để đính chính.", field="value")
    return Correction(field.path, after, _said(said, field, before), _said(said, field, after))


def _said(said: Reader, field: Any, value: Any) -> str:
    if field.type == "person":
        return "; ".join(text for text in said.person(value or {}, field.parts).values() if text)
    return said.text(field.type, field.options, value)


def correctable(dossier: Dossier) -> list[tuple[str, str]]:
    """Return the inputs of the filed tờ khai a correction may name: (path, "label: value as it stands")."""
    if dossier.form_id is None:
        return []
    definition = _definition(dossier)
    typed = as_typed(definition, values_of(dossier))
    return [
        (field.name, f"{field.label}: {field.value}" if field.value else field.label)
        for block in blocks(definition, typed, {})
        if block.shown
        for field in block.inputs
    ]


def filed_sections(dossier: Dossier) -> list[SectionLines]:
    """Return the dossier's tờ khai as labelled lines, by section, with its corrections; [] when filed on paper."""
    if dossier.form_id is None:
        return []
    return sections(_definition(dossier), values_of(dossier), reader())


def result_values(dossier: Dossier) -> dict[str, Any]:
    """Return what the dossier's result template reads from its tờ khai."""
    if dossier.form_id is None:
        return {}
    return result_variables(_definition(dossier), values_of(dossier), reader())
