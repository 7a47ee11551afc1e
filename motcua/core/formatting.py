"""Vietnamese presentation of dates and money: dd/mm/yyyy and 1.000.000 đ."""

from datetime import date, datetime
from decimal import Decimal

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
