"""The legal clocks of each kind of case as versioned data, each with its source; due instants from the calendar.

A case has two clocks: accept or refuse it (thụ lý for a complaint or denunciation), then answer it. A PAKN's answer
is counted from the day it reached the unit; a complaint's or denunciation's from the day it was accepted, so its
handling due date is provisional until then. Where the texts cited are unconfirmed (DOMAIN-2.md §2.2: the PAKN
figures come from VPCP's scoring guidance; whether the two laws count working or calendar days), the figures are
settings (`MOTCUA_FEEDBACK_CLOCKS`, e.g. `{"khieu_nai": {"working_days": False}}`) over these defaults.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings

from motcua.core.clock import VIETNAM
from motcua.organizations.models import Unit
from motcua.worktime.arithmetic import WorkCalendar
from motcua.worktime.selectors import calendar_for

from .lifecycle import Kind


@dataclass(frozen=True)
class CaseClock:
    kind: Kind
    effective_from: date
    source: str
    accept: int  # days to accept (thụ lý) or refuse
    handle: int  # days to the answer, or to the decision
    from_acceptance: bool  # the handling days run from acceptance, not from intake
    working_days: bool = True  # else calendar days, a last day off moving to the next working day (BLDS art. 148)
    filing_limit: int | None = None  # calendar days to file from the decision or act (thời hiệu)
    extensions: tuple[int, ...] = ()  # days each extension of a complex case adds, in order
    request_information: int | None = None  # working days to the first request for more information
    pause_for_information: bool = False  # whether waiting for the sender stops the answer's clock [R]
    instance: int = 1  # a complaint's second instance has its own limits


CLOCKS = (
    CaseClock(
        Kind.PAKN,
        date(2021, 10, 22),
        "Hướng dẫn chấm điểm QĐ 766/QĐ-TTg, chỉ tiêu 5.2: từ chối hoặc trả lại trong 2 ngày làm việc, đề nghị bổ "
        "sung lần đầu trong 5, xử lý trong 15 ngày làm việc kể từ khi phản ánh đến đơn vị (Quy chế Cổng DVCQG, "
        "QĐ 31/2021/QĐ-TTg — chưa đối chiếu)",
        accept=2,
        handle=15,
        from_acceptance=False,
        request_information=5,
    ),
    CaseClock(
        Kind.COMPLAINT,
        date(2012, 7, 1),
        "Luật Khiếu nại 02/2011/QH13: thời hiệu 90 ngày (Điều 9), thụ lý trong 10 ngày kể từ ngày nhận (Điều 27), "
        "giải quyết lần đầu trong 30 ngày kể từ ngày thụ lý, vụ việc phức tạp 45 ngày (Điều 28); vùng sâu, vùng xa "
        "45 (60) ngày: cấu hình; cách đếm ngày chưa đối chiếu",
        accept=10,
        handle=30,
        from_acceptance=True,
        filing_limit=90,
        extensions=(15,),
    ),
    CaseClock(
        Kind.COMPLAINT,
        date(2012, 7, 1),
        "Luật Khiếu nại 02/2011/QH13: khiếu nại lần hai trong 30 ngày kể từ khi hết hạn giải quyết hoặc nhận quyết "
        "định lần đầu (Điều 33), thụ lý trong 10 ngày (Điều 36), giải quyết trong 45 ngày kể từ ngày thụ lý, vụ việc "
        "phức tạp 60 ngày (Điều 37); vùng sâu, vùng xa 60 (70) ngày: cấu hình; cách đếm ngày chưa đối chiếu",
        accept=10,
        handle=45,
        from_acceptance=True,
        filing_limit=30,
        extensions=(15,),
        instance=2,
    ),
    CaseClock(
        Kind.DENUNCIATION,
        date(2019, 1, 1),
        "Luật Tố cáo 25/2018/QH14: xem xét, thụ lý trong 7 ngày làm việc kể từ ngày nhận (Điều 24, 29 — chưa đối "
        "chiếu), giải quyết trong 30 ngày kể từ ngày thụ lý; phức tạp gia hạn một lần 30 ngày, đặc biệt phức tạp hai "
        "lần, mỗi lần 30 ngày, bằng văn bản (Điều 30)",
        accept=7,
        handle=30,
        from_acceptance=True,
        extensions=(30, 30),
    ),
)


def clock_for(kind: Kind, on: date, instance: int = 1) -> CaseClock:
    """Return the kind's rule set in force on a day, with the figures the deployment configures (a second-instance
    complaint's under "khieu_nai_2")."""
    clock = max(
        (c for c in CLOCKS if c.kind == kind and c.instance == instance and c.effective_from <= on),
        key=lambda c: c.effective_from,
    )
    key = kind.value if instance == 1 else f"{kind.value}_{instance}"
    return replace(clock, **getattr(settings, "MOTCUA_FEEDBACK_CLOCKS", {}).get(key, {}))


def complaint_limit_days(on: date, instance: int = 1) -> int:
    limit = clock_for(Kind.COMPLAINT, on, instance).filing_limit
    assert limit is not None  # the complaint's rule sets carry it
    return limit


def _add(calendar: WorkCalendar, start: datetime, days: int, working: bool) -> datetime:
    return calendar.add_working_days(start, days) if working else calendar.add_calendar_days(start, days)


@dataclass(frozen=True)
class Dues:
    accept_by: datetime  # accepted or refused by then
    handle_by: datetime


def dues(kind: Kind, unit: Unit, received_at: datetime, instance: int = 1) -> Dues:
    """The case's due instants at its handling unit, from the day it reached that unit; for a kind counted from
    acceptance, the answer's due instant assumes acceptance on the last day allowed until `answer_due` moves it."""
    clock, calendar = clock_for(kind, received_at.astimezone(VIETNAM).date(), instance), calendar_for(unit)
    accept_by = _add(calendar, received_at, clock.accept, clock.working_days)
    start = accept_by if clock.from_acceptance else received_at
    return Dues(accept_by, _add(calendar, start, clock.handle, clock.working_days))


def answer_due(kind: Kind, unit: Unit, received_at: datetime, accepted_at: datetime, instance: int = 1) -> datetime:
    """The answer's due instant once the case is accepted."""
    clock = clock_for(kind, received_at.astimezone(VIETNAM).date(), instance)
    if not clock.from_acceptance:
        return dues(kind, unit, received_at, instance).handle_by
    return _add(calendar_for(unit), accepted_at, clock.handle, clock.working_days)


def extended_due(
    kind: Kind, unit: Unit, received_at: datetime, due_at: datetime, done: int, instance: int = 1
) -> datetime | None:
    """The due instant after one more extension, or None when the law allows no more (`done` made already)."""
    clock = clock_for(kind, received_at.astimezone(VIETNAM).date(), instance)
    if done >= len(clock.extensions):
        return None
    return _add(calendar_for(unit), due_at, clock.extensions[done], clock.working_days)


def after_wait(
    kind: Kind, unit: Unit, received_at: datetime, due_at: datetime, asked: datetime, now: datetime
) -> datetime:
    """The answer's due instant once the sender has answered a request: moved by the working time waited where the
    rule set says the wait stops the clock, else unchanged."""
    clock = clock_for(kind, received_at.astimezone(VIETNAM).date())
    if not clock.pause_for_information:
        return due_at
    calendar = calendar_for(unit)
    return calendar.add_working_minutes(due_at, calendar.working_minutes_between(asked, now))


def information_requested_in_time(kind: Kind, unit: Unit, routed_at: datetime, at: datetime) -> bool | None:
    """Whether a first request for information came within its limit of the case reaching the unit (None: no limit)."""
    days = clock_for(kind, routed_at.astimezone(VIETNAM).date()).request_information
    return None if days is None else at <= calendar_for(unit).add_working_days(routed_at, days)
