"""Form fields for the identifiers citizens type, cleaned the way they are stored."""

from typing import Any

from django import forms

from .text import clean_free_text
from .validators import normalise_citizen_id, normalise_phone, validate_citizen_id, validate_phone

# Room for the separators people type ("001 099 012 345"); the digits are counted by the validator, never cut off.
TYPED_LENGTH = 20


class CitizenIdField(forms.CharField):
    """A 12-digit citizen ID, typed with or without spaces and dots."""

    default_validators = [validate_citizen_id]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = str(TYPED_LENGTH)

    def to_python(self, value: Any) -> str:
        return normalise_citizen_id(super().to_python(value) or "")


class PhoneField(forms.CharField):
    """A 10-digit phone number, typed with or without spaces, dots or +84."""

    default_validators = [validate_phone]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = str(TYPED_LENGTH)

    def to_python(self, value: Any) -> str:
        return normalise_phone(super().to_python(value) or "")


class FreeTextField(forms.CharField):
    """Typed text (a name, an address, a reason) in NFC, refusing control, direction and invisible-only characters."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.multiline = multiline

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return clean_free_text(text, multiline=self.multiline) if text else ""
