"""Personal data removed from a text before it is published (ND 20/2008 art. 19 publishes the answer, not the sender).

Two passes: the case's own values (the sender's name, address, phone and e-mail, the account's ID number), found
whatever their case, diacritics or spacing; then the shapes of personal data anywhere (e-mail addresses, phone
numbers, 9- and 12-digit ID numbers). What is removed is replaced by `MASK`, so a reader sees that something was.
"""

import re
import unicodedata
from collections.abc import Iterable

MASK = "[đã ẩn]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE = re.compile(r"(?<![\d\w])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?![\d\w])")
# Căn cước (12 digits), chứng minh nhân dân (9), as typed: whole or grouped by spaces or dots.
ID_NUMBER = re.compile(r"(?<![\d\w])\d(?:[\s.]?\d){11}(?![\d\w])|(?<![\d\w])\d(?:[\s.]?\d){8}(?![\d\w])")
_SEPARATOR = r"[\s.\-]?"


def _base(char: str) -> str:
    """One character's letter without its marks, lower-case: one character for one, so spans keep their place."""
    if char in "Đđ":
        return "d"
    return (unicodedata.normalize("NFD", char)[:1] or char).lower()


def folded(text: str) -> str:
    return "".join(_base(char) for char in text)


def _words(value: str) -> str | None:
    """A pattern for a value's words in folded text, any spacing between them, whole words only."""
    words = folded(value).split()
    if not words:
        return None
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"


def _digits(value: str) -> str | None:
    """A pattern for a number's digits with any one separator between them; a phone also in its +84 form."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 6:
        return None
    forms = [digits] + ([f"84{digits[1:]}"] if digits.startswith("0") else [])
    spelled = [_SEPARATOR.join(form) for form in forms]
    return r"\+?(?:" + "|".join(spelled) + ")"


def redact(text: str, personal: Iterable[str] = (), names: Iterable[str] = ()) -> str:
    """The text with the given personal values and names and every e-mail, phone and ID number replaced by
    `MASK`; a name's last two words alone ("Văn Dân") are the name too."""
    patterns = []
    for value in personal:
        if value.strip():
            pattern = _digits(value) if re.fullmatch(r"[\d\s.+\-]+", value.strip()) else _words(value)
            patterns += [pattern] if pattern else []
    for name in names:
        words = folded(name).split()
        for part in (words, words[-2:]) if len(words) > 2 else (words,):
            patterns += [r"(?<!\w)" + r"\s+".join(map(re.escape, part)) + r"(?!\w)"] if part else []
    spans: list[tuple[int, int]] = []
    plain = folded(text)
    for pattern in patterns:
        spans += [m.span() for m in re.finditer(pattern, plain)]
    masked = _apply(text, spans)
    for shape in (EMAIL, PHONE, ID_NUMBER):
        masked = shape.sub(MASK, masked)
    return masked


def _apply(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace the spans (overlapping ones merged) by the mask, from the end so earlier offsets hold."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + MASK + text[end:]
    return text
