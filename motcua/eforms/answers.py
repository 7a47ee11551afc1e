"""A person's answers to a form checked against its definition: pure, no Django.

Answers arrive as text by path (`section.field`, `section.field.part`, `section.field.noi_cu_tru.commune`), from a
page's fields or a flattened API body. Each problem is one Vietnamese sentence saying what to fix, keyed by the path
of the input it concerns (GOV.UK Design System: the message beside its field and in the summary). A section or field
hidden by its condition is never required and its answers are dropped.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from motcua.core.formatting import format_date

from .definition import Condition, Definition, FieldDef, Rule
from .lists import PickList

EXAMPLE_DATE = "05/03/2026"
PERSON_LABELS = {
    "ho_ten": "Họ, chữ đệm, tên",
    "ngay_sinh": "Ngày, tháng, năm sinh",
    "gioi_tinh": "Giới tính",
    "dan_toc": "Dân tộc",
    "quoc_tich": "Quốc tịch",
    "so_dinh_danh": "Số định danh cá nhân",
    "noi_cu_tru": "Nơi cư trú",
}
PERSON_TYPES: dict[str, tuple[str, dict[str, Any]]] = {
    "ho_ten": ("text", {"max_length": 100}),
    "ngay_sinh": ("date", {}),
    "gioi_tinh": ("choice", {"choices": "gioi_tinh"}),
    "dan_toc": ("choice", {"choices": "dan_toc"}),
    "quoc_tich": ("choice", {"choices": "quoc_tich"}),
    "so_dinh_danh": ("id_number", {}),
    "noi_cu_tru": ("address", {}),
}
DETAIL_LENGTH = 200
EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}")
PHONE = re.compile(r"0\d{9,10}")
DATE_TYPED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Checked:
    values: dict[str, Any]  # path "section.field" -> cleaned value (str, int, ISO date, dict for compound fields)
    errors: dict[str, str]  # input path -> what to fix

    @property
    def valid(self) -> bool:
        return not self.errors


def flatten(nested: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Turn an API body ({"tre": {"ho_ten": …, "noi_sinh": {"commune": …}}}) into text by path."""
    flat: dict[str, str] = {}
    for key, value in nested.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        elif value is not None:
            flat[path] = str(value)
    return flat


def prefilled(definition: Definition, applicant: Mapping[str, str], answers: Mapping[str, str]) -> dict[str, str]:
    """Return the answers with what the applicant step already says filled in where the definition names it
    (`from_applicant`); an input already answered, even emptied on purpose, keeps its answer."""
    known: dict[str, str] = {}
    for section in definition.sections:
        for field in section.fields:
            source = field.options.get("from_applicant")
            if source == "address":
                known |= {f"{field.path}.commune": applicant.get("commune", ""),
                          f"{field.path}.detail": applicant.get("address", "")}  # fmt: skip
            elif source:
                known[field.path] = applicant.get(source, "")
    return {**{path: value for path, value in known.items() if value}, **answers}


def visible(definition: Definition, raw: Mapping[str, str]) -> Iterator[FieldDef]:
    """Yield the fields shown for these answers: a hidden section hides its fields."""
    for section in definition.sections:
        if not _holds(section.shown_if, raw):
            continue
        for field in section.fields:
            if _holds(field.shown_if, raw):
                yield field


def check(
    definition: Definition,
    raw: Mapping[str, str],
    *,
    lists: Mapping[str, PickList],
    commune_exists: Callable[[str], bool],
    today: date,
) -> Checked:
    """Check answers against a definition; return the cleaned values of visible fields and every problem."""
    reader = _Reader(raw, lists, commune_exists)
    values: dict[str, Any] = {}
    for field in visible(definition, raw):
        if field.type == "paper":
            continue  # a paper is handed in as files, on the papers step
        value = reader.value(field.path, field.label, field.type, field.options, field.required, field.parts)
        if value not in (None, "", {}):
            values[field.path] = value
    for rule in definition.rules:
        _apply(rule, values, reader, today, raw)
    return Checked(values, reader.errors)


def _holds(condition: Condition | None, raw: Mapping[str, str]) -> bool:
    if condition is None:
        return True
    typed = SPACES.sub(" ", raw.get(condition.path, "")).strip()
    return any(typed == str(value) for value in condition.values)


class _Reader:
    def __init__(self, raw: Mapping[str, str], lists: Mapping[str, PickList], exists: Callable[[str], bool]) -> None:
        self.raw, self.lists, self.exists = raw, lists, exists
        self.errors: dict[str, str] = {}

    def typed(self, path: str) -> str:
        return SPACES.sub(" ", str(self.raw.get(path, "")).replace("\x00", "")).strip()

    def value(
        self, path: str, label: str, kind: str, options: Mapping[str, Any], required: bool, parts: tuple[str, ...] = ()
    ) -> Any:
        if kind == "person":
            wanted = set(options.get("required_parts", [])) if required else set()
            person = {}
            for part in parts:
                part_kind, part_options = PERSON_TYPES[part]
                part_label = f"{PERSON_LABELS[part]} ({label.lower()})"
                value = self.value(f"{path}.{part}", part_label, part_kind, part_options, part in wanted)
                if value not in (None, "", {}):
                    person[part] = value
            return person
        if kind == "address":
            return self.address(path, label, required)
        text = self.typed(path)
        if not text:
            if required:
                self.errors[path] = _missing(label, kind)
            return None
        problem, value = _clean(kind, text, label, options, self.lists)
        if problem:
            self.errors[path] = problem
            return None
        return value

    def address(self, path: str, label: str, required: bool) -> dict[str, str]:
        commune, detail = self.typed(f"{path}.commune"), self.typed(f"{path}.detail")
        if not commune and not detail:
            if required:
                self.errors[f"{path}.commune"] = f"Chọn xã, phường của {label.lower()}."
                self.errors[f"{path}.detail"] = f"Nhập số nhà, đường, thôn, ấp của {label.lower()}."
            return {}
        if not (commune.isdigit() and self.exists(commune)):
            self.errors[f"{path}.commune"] = f"Chọn xã, phường của {label.lower()} trong danh sách."
        if not detail:
            self.errors[f"{path}.detail"] = f"Nhập số nhà, đường, thôn, ấp của {label.lower()}."
        elif len(detail) > DETAIL_LENGTH:
            self.errors[f"{path}.detail"] = f"{label} chỉ được dài tối đa {DETAIL_LENGTH} ký tự."
        return {"commune": commune, "detail": detail}


def _missing(label: str, kind: str) -> str:
    if kind == "choice":
        return f"Chọn {label[0].lower()}{label[1:]}."
    return f"Nhập {label[0].lower()}{label[1:]}."


def _clean(
    kind: str, text: str, label: str, options: Mapping[str, Any], lists: Mapping[str, PickList]
) -> tuple[str, Any]:
    """Return (problem, value) for one typed answer."""
    if kind == "text":
        longest, shortest = options.get("max_length", 200), options.get("min_length", 0)
        if len(text) > longest:
            return f"{label} chỉ được dài tối đa {longest} ký tự; bạn đã nhập {len(text)}.", None
        if len(text) < shortest:
            return f"{label} cần ít nhất {shortest} ký tự.", None
        if options.get("pattern") and not re.fullmatch(options["pattern"], text):
            return str(options.get("pattern_message")), None
        return "", text
    if kind == "number":
        digits = text.replace(".", "").replace(" ", "")
        if not digits.isdigit():
            return f"{label} phải là số, ví dụ 2.", None
        number = int(digits)
        low, high = options.get("min"), options.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            return f"{label} phải từ {low if low is not None else 0} đến {high}.", None
        return "", number
    if kind == "date":
        day = _date(text)
        if day is None:
            return f"Nhập {label[0].lower()}{label[1:]} theo dạng ngày/tháng/năm, ví dụ {EXAMPLE_DATE}.", None
        return "", day.isoformat()
    if kind == "choice":
        choices = options["choices"]
        values = (
            {value for value, _ in lists[choices].items}
            if isinstance(choices, str)
            else {str(c["value"]) for c in choices}
        )
        return ("", text) if text in values else (f"Chọn {label[0].lower()}{label[1:]} trong danh sách.", None)
    if kind == "id_number":
        digits = re.sub(r"[\s.\-]", "", text)
        if not digits.isdigit():
            return f"{label} chỉ gồm chữ số.", None
        if len(digits) != 12:
            many = "thừa" if len(digits) > 12 else "thiếu"
            return f"{label} gồm 12 chữ số; bạn đã nhập {len(digits)} chữ số ({many}).", None
        return "", digits
    if kind == "phone":
        digits = re.sub(r"[\s.\-()]", "", text)
        digits = "0" + digits[3:] if digits.startswith("+84") else digits
        if not PHONE.fullmatch(digits):
            return f"{label} gồm 10 chữ số bắt đầu bằng 0, ví dụ 0912345678.", None
        return "", digits
    if kind == "email":
        if len(text) > 254 or not EMAIL.fullmatch(text):
            return f"Nhập {label[0].lower()}{label[1:]} đúng dạng, ví dụ ten@example.vn.", None
        return "", text
    raise ValueError(kind)


def _date(text: str) -> date | None:
    match = DATE_TYPED.fullmatch(text) or DATE_ISO.fullmatch(text)
    if match is None:
        return None
    parts = [int(part) for part in match.groups()]
    day, month, year = parts if DATE_TYPED.fullmatch(text) else reversed(parts)
    try:
        return date(year, month, day) if year >= 1900 else None
    except ValueError:
        return None


def _value_at(values: Mapping[str, Any], path: str) -> Any:
    head = ".".join(path.split(".")[:2])
    value = values.get(head)
    for part in path.split(".")[2:]:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _apply(rule: Rule, values: Mapping[str, Any], reader: _Reader, today: date, raw: Mapping[str, str]) -> None:
    if rule.path in reader.errors:
        return
    value = _value_at(values, rule.path)
    if rule.rule == "required_if":
        if _holds(rule.when, raw) and value in (None, "", {}):
            reader.errors[rule.path] = rule.message
        return
    if value is None:
        return
    other = today.isoformat() if rule.than == "today" else _value_at(values, rule.than)
    if other is None:
        return
    broken = value > other if rule.rule == "date_not_after" else value < other
    if broken:
        reader.errors[rule.path] = rule.message


def as_typed(definition: Definition, values: Mapping[str, Any]) -> dict[str, str]:
    """Turn checked values back into text by path, as a page shows them: what a correction starts from."""
    typed: dict[str, str] = {}

    def put(path: str, kind: str, value: Any) -> None:
        if value in (None, "", {}):
            return
        if kind == "address":
            typed.update({f"{path}.{part}": str(value.get(part, "")) for part in ("commune", "detail")})
        elif kind == "date":
            typed[path] = format_date(date.fromisoformat(value))
        else:
            typed[path] = str(value)

    for field in definition.fields():
        value = values.get(field.path)
        if field.type == "person" and isinstance(value, dict):
            for part in field.parts:
                put(f"{field.path}.{part}", PERSON_TYPES[part][0], value.get(part))
        else:
            put(field.path, field.type, value)
    return typed
