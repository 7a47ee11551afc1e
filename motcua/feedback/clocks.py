"""The legal clocks of a phản ánh, kiến nghị as versioned data, each with its source; due instants from the calendar.

DOMAIN-2.md §2.2 [I QĐ 766 guidance 5.2]: counted in working days from the day the PAKN reached the unit (or its
latest transfer): refuse or return ≤ 2, first request for information ≤ 5, handle ≤ 15, publish the answer ≤ 2. The
text cited for them, the DVCQG operating rules (QĐ 31/2021/QĐ-TTg), is unconfirmed: the figures are settings
(`MOTCUA_FEEDBACK_PAKN_DAYS`) over these defaults, and a rule set carries the day it applies from.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings

from motcua.organizations.models import Unit
from motcua.worktime.selectors import calendar_for


@dataclass(frozen=True)
class PaknClock:
    effective_from: date
    source: str
    refuse: int  # working days to refuse or return it
    request_information: int
    handle: int  # to reach an answer (QĐ 766 5.2 "chờ công khai")
    publish: int


PAKN_CLOCKS = (
    PaknClock(
        date(2021, 10, 22),
        "Hướng dẫn chấm điểm QĐ 766/QĐ-TTg, chỉ tiêu 5.2 (Quy chế Cổng DVCQG, QĐ 31/2021/QĐ-TTg — chưa đối chiếu)",
        refuse=2,
        request_information=5,
        handle=15,
        publish=2,
    ),
)


def pakn_clock(on: date) -> PaknClock:
    """Return the rule set in force on a day, with the figures the deployment configures."""
    clock = max((c for c in PAKN_CLOCKS if c.effective_from <= on), key=lambda c: c.effective_from)
    return replace(clock, **getattr(settings, "MOTCUA_FEEDBACK_PAKN_DAYS", {}))


@dataclass(frozen=True)
class Dues:
    accept_by: datetime  # accepted or refused by then
    handle_by: datetime


def dues(unit: Unit, received_at: datetime) -> Dues:
    """The case's due instants at its handling unit, from the day it reached that unit."""
    clock, calendar = pakn_clock(received_at.date()), calendar_for(unit)
    return Dues(
        calendar.add_working_days(received_at, clock.refuse), calendar.add_working_days(received_at, clock.handle)
    )
