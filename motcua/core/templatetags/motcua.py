from datetime import date, datetime
from decimal import Decimal

from django import template

from motcua.core import formatting

register = template.Library()


@register.filter
def vnd(amount: int | Decimal | None) -> str:
    """Show an amount as 1.000.000 đ."""
    return "" if amount is None else formatting.format_vnd(amount)


@register.filter
def ngay(value: date | datetime | None) -> str:
    """Show a date as dd/mm/yyyy."""
    return "" if value is None else formatting.format_date(value)


@register.filter
def gio_ngay(value: datetime | str | None) -> str:
    """Show an instant as HH:MM dd/mm/yyyy in Vietnam's time; an ISO text (an event's details) too."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return ""
    return "" if value is None else formatting.format_datetime(value)


@register.filter
def so(value: int | float | Decimal | None, places: int = 2) -> str:
    """Show a number as the page's language writes it: 1.234 and 15,17 in Vietnamese."""
    return "" if value is None or value == "" else formatting.format_number(value, places)
