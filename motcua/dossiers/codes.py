"""Dossier codes: {agency identifier of the receiving unit}-{yymmdd}-{NNNN}, a daily sequence per receiving unit.

ND 61/2018 makes the code the agency identifier plus the date and a sequence number (carried over; the ND 118/2025
article is not confirmed);
Circular 03/2025 may re-specify it, so the generator is chosen by the MOTCUA_DOSSIER_CODE_GENERATOR setting.
"""

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from motcua.core.errors import DomainError
from motcua.organizations.models import Unit

from .models import DailySequence

CodeGenerator = Callable[[Unit, date], str]


_NEXT = f"""
    INSERT INTO {DailySequence._meta.db_table} (unit_id, day, last) VALUES (%s, %s, 1)
    ON CONFLICT (unit_id, day) DO UPDATE SET last = {DailySequence._meta.db_table}.last + 1
    RETURNING last
"""  # noqa: S608 - a table name from the model, no input


def next_number(unit: Unit, day: date) -> int:
    """Take the unit's next number for the day in one statement; its row lock orders concurrent intakes.

    Call it last in the intake transaction: the lock is held until commit.
    """
    with connection.cursor() as cursor:
        cursor.execute(_NEXT, [unit.pk, day])
        (number,) = cursor.fetchone()
    return int(number)


def agency_date_sequence(unit: Unit, day: date) -> str:
    """Return the next code, e.g. 000.00.04.H20-260213-0001."""
    identifier = unit.agency_identifier_on(day)
    if identifier is None:
        raise DomainError(f"Đơn vị {unit.name} chưa có mã định danh điện tử có hiệu lực ngày {day:%d/%m/%Y}.")
    return f"{identifier.code}-{day:%y%m%d}-{next_number(unit, day):04d}"


def generate_code(unit: Unit, day: date) -> str:
    """Return the next dossier code with the configured generator (call inside the intake transaction)."""
    generator: CodeGenerator = import_string(settings.MOTCUA_DOSSIER_CODE_GENERATOR)
    return generator(unit, day)
