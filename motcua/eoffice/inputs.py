"""Checking what a person typed or sent before any write: every refusal a Vietnamese DomainError naming its field."""

from datetime import date
from enum import StrEnum
from typing import TypeVar

from django.core.exceptions import ValidationError

from motcua.core.errors import DomainError
from motcua.core.text import clean_free_text
from motcua.signing.models import DocumentType

E = TypeVar("E", bound=StrEnum)
MAX_FILES = 10
MAX_FILE_BYTES = 20 * 1024 * 1024


def text(value: object, field: str, limit: int, *, what: str, required: bool = True, multiline: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(f"{what.capitalize()} phải là chuỗi ký tự.", field=field)
    try:
        cleaned = clean_free_text(value, multiline=multiline).strip()
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None
    if required and not cleaned:
        raise DomainError(f"Nhập {what}.", field=field)
    if len(cleaned) > limit:
        raise DomainError(f"{what.capitalize()}: tối đa {limit:,} ký tự.".replace(",", "."), field=field)
    return cleaned


def choice(value: object, kind: type[E], field: str, what: str) -> E:
    try:
        return kind(str(value))
    except ValueError:
        raise DomainError(f"{what.capitalize()} không hợp lệ.", field=field) from None


def day(value: object, field: str, what: str, *, required: bool = True) -> date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(f"{what.capitalize()} không hợp lệ (dd/mm/yyyy).", field=field) from None


def document_type(value: object) -> DocumentType:
    found = DocumentType.objects.filter(code=str(value)[:40]).first() if isinstance(value, str) else None
    if found is None:
        raise DomainError("Loại văn bản không có trong danh mục.", field="document_type")
    return found


def count(value: object, field: str, what: str, low: int = 1, high: int = 100_000) -> int:
    if isinstance(value, bool):
        raise DomainError(f"{what.capitalize()} phải là số.", field=field)
    try:
        number = int(str(value))
    except ValueError:
        raise DomainError(f"{what.capitalize()} phải là số.", field=field) from None
    if not low <= number <= high:
        raise DomainError(f"{what.capitalize()} phải từ {low} đến {high}.", field=field)
    return number
