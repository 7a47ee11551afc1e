"""Vietnamese text helpers."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return lower-case text without diacritics, so that "sa dec" matches "Phường Sa Đéc"."""
    # Đ/đ is a letter of its own, not D plus a mark: NFD leaves it alone.
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


# C0 controls and DEL; C1 controls. Tab and line breaks are text only where the field takes several lines.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_CONTROLS = frozenset("\t\n\r")
# Embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069) make the screen show the characters in another
# order than they are stored: "Trojan Source", CVE-2021-42574. Nothing Vietnamese needs them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Characters that take no room: harmless inside a word, but a value made only of them looks empty and is not.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def clean_free_text(value: str, *, multiline: bool = False) -> str:
    """Return typed text in NFC, refusing control characters, direction overrides and invisible-only values.

    NFC because a Vietnamese letter such as "ệ" arrives precomposed from one keyboard and as "e" plus two combining
    marks from another: stored as typed, the same name would not match itself in a search or a comparison.
    """
    text = unicodedata.normalize("NFC", value)
    controls = {ch for ch in _CONTROLS.findall(text) if not (multiline and ch in _LINE_CONTROLS)}
    if controls:
        raise ValidationError(
            _("Có ký tự điều khiển không in được (thường do dán từ nơi khác); hãy xoá và gõ lại phần đó."),
            code="control_character",
        )
    if _BIDI_CONTROLS.search(text):
        raise ValidationError(
            _("Có ký tự đổi chiều viết, làm chữ hiện ra khác với chữ được lưu; hãy xoá và gõ lại phần đó."),
            code="bidi_control",
        )
    if set(text) & _INVISIBLE and all(ch.isspace() or ch in _INVISIBLE for ch in text):
        raise ValidationError(_("Chỉ có ký tự vô hình; hãy nhập nội dung."), code="invisible_only")
    return text


def validate_free_text(value: str) -> None:
    """Validate a single-line free-text value (a name, an address) as `clean_free_text` does."""
    clean_free_text(value)


def checked_text(value: object, field: str, limit: int, *, required: bool, what: str) -> str:
    """A person's free text cleaned (`clean_free_text`, several lines), or a DomainError on `field` naming `what` is
    missing or how far past `limit` characters it runs."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError("Giá trị không hợp lệ.", field=field)
    if len(value) > limit * 2:  # refused before cleaning: a 100,000-character string is not worth scanning
        raise DomainError(f"Tối đa {limit:,} ký tự.".replace(",", "."), field=field)
    try:
        text = clean_free_text(value, multiline=True).strip()
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None
    if required and not text:
        raise DomainError(f"Nhập {what}.", field=field)
    if len(text) > limit:
        raise DomainError(f"Tối đa {limit:,} ký tự; đã nhập {len(text):,}.".replace(",", "."), field=field)
    return text
