"""A form definition (`motcua-eform/1`, docs/eforms.md) read and checked: pure, no Django.

A definition with any problem is refused as a whole, each problem named by where it is; one without its source is
refused too (ND 63/2010 art. 25: the national version, with its forms, has legal force, so every form says which).
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT = "motcua-eform/1"
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
TYPES = {"text", "number", "date", "choice", "id_number", "phone", "email", "address", "person", "paper"}
PERSON_PARTS = ("ho_ten", "ngay_sinh", "gioi_tinh", "dan_toc", "quoc_tich", "so_dinh_danh", "noi_cu_tru")
ADDRESS_PARTS = ("commune", "detail")
SOURCE_KEYS = ("form_name", "form_number", "url", "legal_basis", "confirmed")
# What the online filing already knows of the applicant (the account, then the applicant step) and the field types
# it may fill as the tờ khai opens: the person filing is usually the tờ khai's người yêu cầu.
FROM_APPLICANT = {
    "name": ("text",),
    "citizen_id": ("id_number",),
    "phone": ("phone",),
    "email": ("email",),
    "address": ("address",),
}
RULES = {"date_not_after", "date_not_before", "required_if"}


@dataclass(frozen=True)
class Condition:
    path: str
    values: tuple[Any, ...]  # shown when the value at `path` is one of these


@dataclass(frozen=True)
class FieldDef:
    section: str
    key: str
    label: str
    type: str
    required: bool
    hint: str = ""
    shown_if: Condition | None = None
    result: str = ""
    national: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)  # the type's own keys (max_length, choices, parts …)

    @property
    def path(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of a compound value, in order; () for a single value."""
        if self.type == "address":
            return ADDRESS_PARTS
        if self.type == "person":
            return tuple(self.options.get("parts") or PERSON_PARTS)
        return ()


@dataclass(frozen=True)
class SectionDef:
    key: str
    title: str
    hint: str
    shown_if: Condition | None
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class Rule:
    rule: str
    path: str
    message: str
    than: str = ""  # a path or "today" (date rules)
    when: Condition | None = None  # required_if


@dataclass(frozen=True)
class Definition:
    procedure: str
    case: str
    title: str
    source: Mapping[str, Any]
    replaces_paper: str
    sections: tuple[SectionDef, ...]
    rules: tuple[Rule, ...]

    def fields(self) -> Iterator[FieldDef]:
        for section in self.sections:
            yield from section.fields

    def field(self, path: str) -> FieldDef | None:
        section, _, key = path.partition(".")
        key = key.split(".")[0]
        return next((f for f in self.fields() if f.section == section and f.key == key), None)


class DefinitionError(ValueError):
    """The definition's problems, each "where: what", in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse(document: Any, *, lists: Mapping[str, object] | None = None, papers: set[str] | None = None) -> Definition:
    """Read a definition document; raise DefinitionError listing every problem.

    `lists` names the pick-lists that exist; `papers`, when given, the paper codes (MAGIAYTO) of the procedure's
    cases that `paper` fields and `replaces_paper` may name.
    """
    problems: list[str] = []
    lists = lists or {}
    if not isinstance(document, dict):
        raise DefinitionError(["Định nghĩa biểu mẫu phải là một đối tượng JSON."])
    if document.get("format") != FORMAT:
        problems.append(f"format: phải là «{FORMAT}».")
    for key in ("procedure", "title"):
        if not _text(document.get(key)):
            problems.append(f"{key}: không được để trống.")
    source = document.get("source")
    if not isinstance(source, dict):
        problems.append("source: thiếu nguồn của biểu mẫu (tên, số mẫu, văn bản ban hành).")
        source = {}
    else:
        for key in ("form_name", "form_number", "legal_basis"):
            if not _text(source.get(key)):
                problems.append(f"source.{key}: không được để trống.")
        if not isinstance(source.get("url", ""), str):
            problems.append("source.url: phải là chuỗi.")
        if not isinstance(source.get("confirmed"), bool):
            problems.append("source.confirmed: phải là true hoặc false.")
    replaces = document.get("replaces_paper", "")
    if not isinstance(replaces, str) or (replaces and papers is not None and replaces not in papers):
        problems.append(f"replaces_paper: «{replaces}» không phải giấy tờ của thủ tục.")
    sections = _sections(document.get("sections"), problems, lists, papers)
    known = {f.path: f for s in sections for f in s.fields}
    rules = _rules(document.get("rules", []), problems, known)
    for where, condition in _conditions(sections):
        if ".".join(condition.path.split(".")[:2]) not in known:
            problems.append(f"{where}.shown_if: không có trường «{condition.path}».")
    if problems:
        raise DefinitionError(problems)
    return Definition(
        procedure=document["procedure"].strip(),
        case=str(document.get("case") or "").strip(),
        title=document["title"].strip(),
        source={key: source.get(key, "") for key in SOURCE_KEYS},
        replaces_paper=replaces,
        sections=tuple(sections),
        rules=tuple(rules),
    )


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _condition(value: object, where: str, problems: list[str]) -> Condition | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("field"), str):
        problems.append(f"{where}: điều kiện phải có «field».")
        return None
    if "equals" in value:
        return Condition(value["field"], (value["equals"],))
    if isinstance(value.get("in"), list) and value["in"]:
        return Condition(value["field"], tuple(value["in"]))
    problems.append(f"{where}: điều kiện phải có «equals» hoặc «in».")
    return None


def _sections(
    raw: object, problems: list[str], lists: Mapping[str, object], papers: set[str] | None
) -> list[SectionDef]:
    if not isinstance(raw, list) or not raw:
        problems.append("sections: cần ít nhất một phần.")
        return []
    sections: list[SectionDef] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"sections[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: phải là một đối tượng.")
            continue
        key = item.get("key")
        if not isinstance(key, str) or not KEY.fullmatch(key) or key in seen:
            problems.append(f"{where}.key: «{key}» không hợp lệ hoặc bị trùng.")
            continue
        seen.add(key)
        if not _text(item.get("title")):
            problems.append(f"{where}.title: không được để trống.")
        fields = _fields(key, item.get("fields"), f"sections.{key}", problems, lists, papers)
        shown_if = _condition(item.get("shown_if"), f"sections.{key}.shown_if", problems)
        sections.append(
            SectionDef(key, str(item.get("title", "")), str(item.get("hint") or ""), shown_if, tuple(fields))
        )
    return sections


def _fields(
    section: str, raw: object, where: str, problems: list[str], lists: Mapping[str, object], papers: set[str] | None
) -> list[FieldDef]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}.fields: cần ít nhất một trường.")
        return []
    fields: list[FieldDef] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        at = f"{where}.fields[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{at}: phải là một đối tượng.")
            continue
        key, kind = item.get("key"), item.get("type")
        if not isinstance(key, str) or not KEY.fullmatch(key) or key in seen:
            problems.append(f"{at}.key: «{key}» không hợp lệ hoặc bị trùng.")
            continue
        seen.add(key)
        at = f"{section}.{key}"
        if kind not in TYPES:
            problems.append(f"{at}.type: «{kind}» không phải loại trường được hỗ trợ.")
            continue
        if not _text(item.get("label")):
            problems.append(f"{at}.label: không được để trống.")
        if not isinstance(item.get("required"), bool):
            problems.append(f"{at}.required: phải là true hoặc false.")
        options = {k: v for k, v in item.items() if k not in {"key", "label", "hint", "type", "required", "shown_if",
                                                              "result", "national"}}  # fmt: skip
        _check_options(str(kind), options, at, problems, lists, papers)
        fields.append(
            FieldDef(
                section=section,
                key=key,
                label=str(item.get("label", "")),
                type=str(kind),
                required=item.get("required") is True,
                hint=str(item.get("hint") or ""),
                shown_if=_condition(item.get("shown_if"), f"{at}.shown_if", problems),
                result=str(item.get("result") or ""),
                national=str(item.get("national") or ""),
                options=options,
            )
        )
    return fields


def _check_options(
    kind: str,
    options: dict[str, Any],
    at: str,
    problems: list[str],
    lists: Mapping[str, object],
    papers: set[str] | None,
) -> None:
    if kind == "text":
        if not isinstance(options.get("max_length"), int) or options["max_length"] < 1:
            problems.append(f"{at}.max_length: trường chữ cần độ dài tối đa (số nguyên dương).")
        if "pattern" in options:
            try:
                re.compile(options["pattern"])
            except (re.error, TypeError):
                problems.append(f"{at}.pattern: biểu thức không hợp lệ.")
            if not _text(options.get("pattern_message")):
                problems.append(f"{at}.pattern_message: cần câu hướng dẫn khi nhập sai mẫu.")
    if kind == "number":
        low, high = options.get("min"), options.get("max")
        if any(v is not None and not isinstance(v, int) for v in (low, high)) or (
            isinstance(low, int) and isinstance(high, int) and low > high
        ):
            problems.append(f"{at}: min, max phải là số nguyên, min ≤ max.")
    if kind == "choice":
        choices = options.get("choices")
        if isinstance(choices, str):
            if choices not in lists:
                problems.append(f"{at}.choices: không có danh mục «{choices}».")
        elif (
            not isinstance(choices, list)
            or not choices
            or not all(
                isinstance(c, dict) and isinstance(c.get("value"), str) and _text(c.get("label")) for c in choices
            )
        ):
            problems.append(f"{at}.choices: cần tên danh mục hoặc danh sách {{value, label}}.")
    if kind == "person":
        parts = options.get("parts", list(PERSON_PARTS))
        if not isinstance(parts, list) or not parts or any(p not in PERSON_PARTS for p in parts):
            problems.append(f"{at}.parts: chỉ gồm {', '.join(PERSON_PARTS)}.")
        required = options.get("required_parts", [])
        if not isinstance(required, list) or any(p not in (parts or []) for p in required):
            problems.append(f"{at}.required_parts: chỉ gồm các phần đã khai trong parts.")
    source = options.get("from_applicant")
    if source is not None and kind not in FROM_APPLICANT.get(source, ()):
        problems.append(f"{at}.from_applicant: «{source}» không điền được vào trường loại {kind}.")
    if kind == "paper" and (
        not _text(options.get("paper")) or (papers is not None and options["paper"] not in papers)
    ):
        problems.append(f"{at}.paper: «{options.get('paper')}» không phải giấy tờ của thủ tục.")


def _rules(raw: object, problems: list[str], known: Mapping[str, FieldDef]) -> list[Rule]:
    if not isinstance(raw, list):
        problems.append("rules: phải là danh sách.")
        return []
    rules: list[Rule] = []
    for index, item in enumerate(raw):
        at = f"rules[{index}]"
        if not isinstance(item, dict) or item.get("rule") not in RULES:
            problems.append(f"{at}.rule: phải là một trong {', '.join(sorted(RULES))}.")
            continue
        path, message = item.get("field"), item.get("message")
        target = known.get(".".join(str(path).split(".")[:2]))
        if target is None:
            problems.append(f"{at}.field: không có trường «{path}».")
            continue
        if not _text(message):
            problems.append(f"{at}.message: cần câu báo lỗi.")
        if item["rule"] == "required_if":
            when = _condition(item.get("when"), f"{at}.when", problems)
            rules.append(Rule("required_if", str(path), str(message or ""), when=when))
            continue
        than = item.get("than")
        other = known.get(".".join(str(than).split(".")[:2]))
        if than != "today" and other is None:
            problems.append(f"{at}.than: phải là «today» hoặc một trường ngày.")
        rules.append(Rule(item["rule"], str(path), str(message or ""), than=str(than)))
    return rules


def _conditions(sections: list[SectionDef]) -> Iterator[tuple[str, Condition]]:
    for section in sections:
        if section.shown_if:
            yield f"sections.{section.key}", section.shown_if
        for f in section.fields:
            if f.shown_if:
                yield f.path, f.shown_if
