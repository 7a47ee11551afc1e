"""Free text in NFC, without control characters, direction overrides or values made only of invisible characters."""

import unicodedata

import pytest
from django import forms
from django.core.exceptions import ValidationError

from motcua.core.formfields import FreeTextField
from motcua.core.text import clean_free_text

DECOMPOSED = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")  # "e" and "A" followed by combining marks


def message(value: str, *, multiline: bool = False) -> str:
    with pytest.raises(ValidationError) as caught:
        clean_free_text(value, multiline=multiline)
    return caught.value.messages[0]


def test_text_is_stored_in_nfc_whatever_the_keyboard_sent() -> None:
    assert DECOMPOSED != "Nguyễn Thị Ánh"
    assert clean_free_text(DECOMPOSED) == "Nguyễn Thị Ánh"


@pytest.mark.parametrize(
    "value",
    ["Nguyễn\x07Văn", "Nguyễn\x1bVăn", "Trần\x7fBình", "Lê\x85Văn", "Phạm\x9bThị", "Số 5\tLê Lợi", "Số 5\nLê Lợi"],
    ids=["bell", "escape", "delete", "c1-next-line", "c1-csi", "tab-in-one-line", "newline-in-one-line"],
)
def test_control_characters_are_refused(value: str) -> None:
    assert "ký tự điều khiển" in message(value)


def test_a_field_of_several_lines_keeps_its_line_breaks_and_tabs() -> None:
    text = "Dòng một\r\nDòng hai\tcột"
    assert clean_free_text(text, multiline=True) == text
    assert "ký tự điều khiển" in message("Dòng một\x0bDòng hai", multiline=True)


@pytest.mark.parametrize(
    "override", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_direction_overrides_and_isolates_are_refused(override: str) -> None:
    # "Nguyễn Văn \u202eâm" shows the last part backwards: the screen and the record would disagree.
    assert "đổi chiều viết" in message(f"Nguyễn Văn {override}âm")


@pytest.mark.parametrize("value", ["\u200b", "\u200c\u200d", "\ufeff", "\u2060", " \u200b "])
def test_a_value_made_only_of_invisible_characters_is_refused(value: str) -> None:
    assert "vô hình" in message(value)


def test_an_invisible_character_inside_a_word_is_text() -> None:
    assert clean_free_text("Nguyễn\u200bVăn") == "Nguyễn\u200bVăn"
    assert clean_free_text("") == ""


class NameForm(forms.Form):
    name = FreeTextField(max_length=10)
    note = FreeTextField(multiline=True, required=False, widget=forms.Textarea)


def test_the_form_field_cleans_and_puts_the_message_beside_the_field() -> None:
    form = NameForm({"name": DECOMPOSED[:10], "note": "a\r\nb"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == unicodedata.normalize("NFC", DECOMPOSED[:10])
    refused = NameForm({"name": "An\u202eh"})
    assert not refused.is_valid() and "đổi chiều viết" in refused.errors["name"][0]


def test_the_length_is_counted_after_normalising() -> None:
    # Twelve code points typed (ễ decomposed is three), ten letters stored: the limit counts the letters.
    typed = unicodedata.normalize("NFD", "Nguyễn Anh")
    assert len(typed) > 10
    assert NameForm({"name": typed}).is_valid()
