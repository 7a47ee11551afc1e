"""Checked answers as people read them: dd/mm/yyyy, choices by label, addresses as one line; pure, no Django."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from motcua.core.formatting import format_date, format_number

from .answers import PERSON_LABELS, PERSON_TYPES
from .definition import Definition, FieldDef
from .lists import PickList


@dataclass(frozen=True)
class Line:
    label: str
    text: str


@dataclass(frozen=True)
class SectionLines:
    key: str
    title: str
    lines: tuple[Line, ...]


class Reader:
    """Say each value as text; `place(code)` names a commune with its province ("Xã A, Tỉnh B")."""

    def __init__(self, lists: Mapping[str, PickList], place: Callable[[str], str]) -> None:
        self.lists, self.place = lists, place

    def text(self, kind: str, options: Mapping[str, Any], value: Any) -> str:
        if value in (None, "", {}):
            return ""
        if kind == "date":
            return format_date(date.fromisoformat(value))
        if kind == "choice":
            choices = options["choices"]
            if isinstance(choices, str):
                return self.lists[choices].label(value) if choices in self.lists else str(value)
            return next((str(c["label"]) for c in choices if str(c["value"]) == str(value)), str(value))
        if kind == "number":
            return format_number(value, language="vi")  # a Vietnamese paper, whatever the page's language
        if kind == "address":
            return ", ".join(part for part in (value.get("detail", ""), self.place(value.get("commune", ""))) if part)
        return str(value)

    def person(self, value: Mapping[str, Any], parts: tuple[str, ...]) -> dict[str, str]:
        return {part: self.text(*PERSON_TYPES[part], value.get(part)) for part in parts}


def sections(definition: Definition, values: Mapping[str, Any], reader: Reader) -> list[SectionLines]:
    """Return each answered section with its lines, in the form's order (the review page, the officer's page)."""
    shown = []
    for section in definition.sections:
        lines: list[Line] = []
        for field in section.fields:
            value = values.get(field.path)
            if value in (None, "", {}):
                continue
            if field.type == "person":
                said = reader.person(value, field.parts)
                lines += [Line(f"{PERSON_LABELS[p]} ({field.label.lower()})", said[p]) for p in field.parts if said[p]]
            else:
                lines.append(Line(field.label, reader.text(field.type, field.options, value)))
        if lines:
            shown.append(SectionLines(section.key, section.title, tuple(lines)))
    return shown


def result_variables(definition: Definition, values: Mapping[str, Any], reader: Reader) -> dict[str, Any]:
    """Return what a result template reads: each field's `result` variable, as text (a person as a dict of parts)."""
    variables: dict[str, Any] = {}
    for field in definition.fields():
        if not field.result:
            continue
        value = values.get(field.path)
        variables[field.result] = (
            reader.person(value or {}, field.parts) if field.type == "person" else _said(field, value, reader)
        )
    return variables


def _said(field: FieldDef, value: Any, reader: Reader) -> str:
    return reader.text(field.type, field.options, value)
