"""Vietnamese presentation of dates, numbers and money: dd/mm/yyyy, 1.234,56 and 1.000.000 đ."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import formats, translation

from .clock import VIETNAM


def format_date(value: date | datetime) -> str:
    """Format a date as dd/mm/yyyy (a datetime is first shown in Vietnam's time zone)."""
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM).date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime) -> str:
    """Format an instant as HH:MM dd/mm/yyyy in Vietnam's time zone."""
    return value.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def format_vnd(amount: int | Decimal) -> str:
    """Format an amount of đồng with dots between thousands: 1.000.000 đ."""
    whole = int(amount)
    sign = "-" if whole < 0 else ""
    return f"{sign}{abs(whole):,}".replace(",", ".") + " đ"


def format_number(value: int | float | Decimal, places: int = 2, *, language: str | None = None) -> str:
    """Format a number as the language writes it: 1.234 and 15,17 in Vietnamese, with at most `places` decimals.

    Decimals are rounded half up and dropped when they are all zero (20, not 20,00). The separators are the
    language's own (motcua/formats), the active language's unless one is named.
    """
    decimal_mark, thousands = _separators(language)
    if isinstance(value, int):
        negative, whole, fraction = value < 0, abs(value), ""
    else:
        exact = value if isinstance(value, Decimal) else Decimal(repr(value))
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        negative = rounded < 0
        whole_text, _, fraction = f"{abs(rounded):f}".partition(".")
        whole, fraction = int(whole_text), fraction if fraction.strip("0") else ""
    grouped = f"{whole:,}".replace(",", thousands)
    return ("-" if negative else "") + grouped + (decimal_mark + fraction if fraction else "")


def _separators(language: str | None) -> tuple[str, str]:
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    return str(formats.get_format("DECIMAL_SEPARATOR", code)), str(formats.get_format("THOUSAND_SEPARATOR", code))
