"""Validators for identifiers that citizens and officers type."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import clock

# Birth-registration place codes of the 63 provinces before 1 July 2025 (GSO codes); citizen ID numbers issued since
# 2016 keep them even after the 2025 merger. Circular 59/2021/TT-BCA art. 12, formerly Circular 07/2016/TT-BCA art. 7.
ID_PLACE_CODES = frozenset(
    {
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42,
        44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84,
        86, 87, 89, 91, 92, 93, 94, 95, 96,
    }
)  # fmt: skip
# ASCII digits only: Python's \d also matches full-width and other scripts' digits, which must not be stored.
_TWELVE_DIGITS = re.compile(r"\d{12}", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
_PHONE = re.compile(r"0\d{9}", re.ASCII)
# Separators people put between groups of digits, as printed on the card or spoken: "001 099 012 345", "0912.345.678".
_SEPARATORS = re.compile(r"[\s.\-()]")


def normalise_citizen_id(raw: str) -> str:
    """Remove the spaces, dots and dashes people type between groups of a citizen ID's digits."""
    return _ascii_digits(_SEPARATORS.sub("", raw))


def normalise_phone(raw: str) -> str:
    """Remove separators from a phone number and write +84 (the country code) as the leading 0."""
    number = _ascii_digits(_SEPARATORS.sub("", raw))
    return "0" + number[3:] if number.startswith("+84") else number


def _ascii_digits(text: str) -> str:
    # Some keyboards send full-width digits ("０９１２"); they are the same number, stored as 0-9.
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def citizen_id_birth_year(number: str) -> int:
    """Return the birth year encoded in a 12-digit citizen ID, raising ValidationError when it is not valid.

    Digits 1-3: place of birth registration; digit 4: century and sex (0/1 = 1900s, 2/3 = 2000s, ...);
    digits 5-6: the last two digits of the birth year; digits 7-12: a random sequence.
    """
    if _DIGITS.fullmatch(number) and len(number) != 12:
        # Said with the count: a digit typed twice is found at a glance, and nothing is silently cut off.
        raise ValidationError(
            _("Số định danh cá nhân có 12 chữ số; số đã nhập có %(count)s chữ số."),
            code="citizen_id_format",
            params={"count": len(number)},
        )
    if not _TWELVE_DIGITS.fullmatch(number):
        raise ValidationError(
            _("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số, không có chữ cái hay ký tự khác."),
            code="citizen_id_format",
        )
    if int(number[:3]) not in ID_PLACE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của số CCCD (%(place)s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh."),
            code="citizen_id_place",
            params={"place": number[:3]},
        )
    year = 1900 + (int(number[3]) // 2) * 100 + int(number[4:6])
    if year > clock.today().year:
        raise ValidationError(
            _("Chữ số thứ 4 đến 6 của số CCCD cho năm sinh %(year)s, là năm trong tương lai."),
            code="citizen_id_year",
            params={"year": year},
        )
    return year


def validate_citizen_id(number: str) -> None:
    """Validate a 12-digit personal identification number (số định danh cá nhân)."""
    citizen_id_birth_year(number)


def validate_phone(number: str) -> None:
    """Validate a Vietnamese mobile or landline number written with 10 digits starting with 0."""
    if not _PHONE.fullmatch(number):
        raise ValidationError(
            _("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0, ví dụ 0912345678."), code="phone_format"
        )
