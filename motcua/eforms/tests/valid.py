"""Answers that a definition accepts, built from the definition alone: for tests of every shipped form."""

import re
from typing import Any

from motcua.eforms.answers import PERSON_TYPES, visible
from motcua.eforms.definition import Definition
from motcua.eforms.lists import pick_lists

COMMUNE = "28261"  # Phường Mỹ Tho, Đồng Tháp
DAY = "01/01/2000"  # one day for every date: "not before" and "not after" rules between them all hold
# What a text field with a pattern is given: the first of these its pattern takes.
PATTERNED = ("1.250,5", "125", "2000", "08:30", "C123456", "0912345678")


def valid_answers(definition: Definition) -> dict[str, str]:
    """Answer every field shown by the answers themselves; each value names its field, so a page can be searched."""
    answers: dict[str, str] = {}
    for _ in range(3):  # a condition reads an answer: settle what is shown
        for field in visible(definition, answers):
            if field.type == "person":
                for part in field.parts:
                    kind, options = PERSON_TYPES[part]
                    answers |= _one(f"{field.path}.{part}", kind, options)
            elif field.type != "paper":
                answers |= _one(field.path, field.type, dict(field.options))
    for rule in definition.rules:  # a date that must not be before the day of filing: one far ahead
        if rule.rule == "date_not_before" and rule.than == "today" and rule.path in answers:
            answers[rule.path] = "31/12/2099"
    return answers


def _one(path: str, kind: str, options: dict[str, Any]) -> dict[str, str]:
    if kind == "address":
        return {f"{path}.commune": COMMUNE, f"{path}.detail": f"Số {len(path)} đường Lê Lợi"}
    if kind == "text":
        pattern = options.get("pattern")
        if pattern:
            return {path: next(v for v in PATTERNED if re.fullmatch(pattern, v))}
        text = f"Nội dung {path.split('.')[-1].replace('_', ' ')}"
        return {path: text[: options["max_length"]]}
    if kind == "number":
        low, high = options.get("min"), options.get("max")
        return {path: str(max(low if low is not None else 1, min(1, high if high is not None else 1)))}
    if kind == "choice":
        choices = options["choices"]
        first = pick_lists()[choices].items[0][0] if isinstance(choices, str) else str(choices[0]["value"])
        return {path: first}
    return {path: {"date": DAY, "id_number": "082090001234", "phone": "0912345678", "email": "dan@example.vn"}[kind]}
