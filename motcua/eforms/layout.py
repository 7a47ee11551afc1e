"""The tờ khai laid out as inputs for a page (the portal, the counter): typed values and problems beside them."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from motcua.organizations.models import COMMUNE_LEVEL_TYPES, Unit

from .answers import PERSON_LABELS, PERSON_TYPES, visible
from .definition import Condition, Definition, FieldDef
from .lists import pick_lists


@dataclass
class Input:
    """One input of the page: its name is the answer's path, its id the same with dots as hyphens."""

    name: str
    label: str
    kind: str  # text, number, date, choice, id_number, phone, email, commune
    value: str
    required: bool
    hint: str = ""
    error: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        return "tk-" + self.name.replace(".", "-")

    @property
    def options(self) -> SafeString:
        """The select's options, the answer chosen: written once per list (a list of countries is long)."""
        html = _options(self.choices)
        if self.value:
            chosen = format_html('<option value="{}">', self.value)
            html = html.replace(chosen, chosen[:-1] + " selected>", 1)
        return mark_safe('<option value="">—</option>' + html)  # noqa: S308  # escaped by format_html


@lru_cache(maxsize=64)
def _options(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(format_html('<option value="{}">{}</option>', value, label) for value, label in choices)


@dataclass
class Block:
    key: str
    title: str
    hint: str
    shown: bool
    inputs: list[Input]
    controls: bool = False  # a condition elsewhere reads one of its inputs: changing it redraws the form
    condition: str = ""  # when the section applies, said for pages that show every section (the counter)


def blocks(definition: Definition, answers: dict[str, str], errors: dict[str, str]) -> list[Block]:
    """Lay the definition out as inputs with the typed values and the problems beside them."""
    shown = {f.path for f in visible(definition, answers)}
    controlling = {c.path for s in definition.sections for c in [s.shown_if, *[f.shown_if for f in s.fields]] if c}
    communes = _communes()
    laid = []
    for section in definition.sections:
        inputs: list[Input] = []
        for f in section.fields:
            if f.type != "paper":
                inputs += _inputs(f, answers, errors, communes)
        laid.append(
            Block(
                section.key,
                section.title,
                section.hint,
                any(f.path in shown for f in section.fields),
                inputs,
                controls=any(i.name in controlling for i in inputs),
                condition=_said(definition, section.shown_if),
            )
        )
    return laid


def _inputs(
    f: FieldDef, answers: dict[str, str], errors: dict[str, str], communes: tuple[tuple[str, str], ...]
) -> list[Input]:
    def one(name: str, label: str, kind: str, options: dict[str, Any], required: bool, hint: str = "") -> list[Input]:
        if kind == "address":
            return [
                Input(f"{name}.commune", f"{label}: xã, phường", "commune", answers.get(f"{name}.commune", ""),
                      required, "", errors.get(f"{name}.commune", ""), communes),
                Input(f"{name}.detail", f"{label}: số nhà, đường, thôn, ấp", "text", answers.get(f"{name}.detail", ""),
                      required, hint, errors.get(f"{name}.detail", "")),
            ]  # fmt: skip
        choices: tuple[tuple[str, str], ...] = ()
        if kind == "choice":
            source = options["choices"]
            lists = pick_lists()
            choices = (
                lists[source].items if isinstance(source, str) and source in lists
                else tuple((str(c["value"]), str(c["label"])) for c in source if isinstance(c, dict))
            )  # fmt: skip
        return [Input(name, label, kind, answers.get(name, ""), required, hint, errors.get(name, ""), choices)]

    if f.type == "person":
        wanted = set(f.options.get("required_parts", [])) if f.required else set()
        found: list[Input] = []
        for part in f.parts:
            kind, options = PERSON_TYPES[part]
            found += one(
                f"{f.path}.{part}", f"{PERSON_LABELS[part]} ({f.label.lower()})", kind, options, part in wanted
            )
        return found
    return one(f.path, f.label, f.type, dict(f.options), f.required, f.hint)


def _said(definition: Definition, condition: Condition | None) -> str:
    """Say a section's condition as the paper form does: "Chỉ khai khi «Khai thông tin người cha» là «Có»."."""
    if condition is None:
        return ""
    controlling = definition.field(condition.path)
    if controlling is None:
        return ""
    choices = controlling.options.get("choices")
    named = pick_lists()[choices].items if isinstance(choices, str) and choices in pick_lists() else [
        (str(c["value"]), str(c["label"])) for c in choices or [] if isinstance(c, dict)
    ]  # fmt: skip
    labels = dict(named)
    values = " hoặc ".join(f"«{labels.get(str(v), v)}»" for v in condition.values)
    return f"Chỉ khai khi «{controlling.label}» là {values}."


def _communes() -> tuple[tuple[str, str], ...]:
    units = Unit.objects.filter(parent__code=settings.MOTCUA_PROVINCE_CODE, type__in=COMMUNE_LEVEL_TYPES)
    return tuple(units.order_by("name").values_list("code", "name"))


def answers_posted(posted: Mapping[str, Any], definition: Definition) -> dict[str, str]:
    """Return the tờ khai's inputs of a posted page, by path (the page's other fields are not the form's)."""
    keys = {s.key for s in definition.sections}
    return {k: str(v)[:1000] for k, v in posted.items() if k.split(".")[0] in keys}
