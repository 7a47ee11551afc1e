"""Writes to the official calendar and office hours; every change is a new calendar version."""

from datetime import date, time

from django.db import transaction

from motcua.core import clock
from motcua.organizations.models import Unit, User

from . import official
from .models import CalendarDay, CalendarVersion, DayKind, OfficeSchedule
from .selectors import forget_calendars


def _new_version(summary: str, days: list[date], actor: User | None) -> CalendarVersion:
    forget_calendars()
    return CalendarVersion.objects.create(
        created_at=clock.now(),
        actor=actor,
        summary=summary[:300],
        first_affected=min(days, default=None),
        last_affected=max(days, default=None),
    )


@transaction.atomic
def seed_official_calendar(years: range, *, actor: User | None = None) -> CalendarVersion | None:
    """Add the law's holidays and the known decisions for these years; rows already there stay as admins set them."""
    existing = set(CalendarDay.objects.filter(day__year__in=years).values_list("day", flat=True))
    new = [entry for year in years for entry in official.entries_for(year) if entry.day not in existing]
    if not new:
        return None
    CalendarDay.objects.bulk_create(
        CalendarDay(day=e.day, kind=e.kind, name=e.name, legal_basis=e.legal_basis, note=e.note) for e in new
    )
    return _new_version(f"Nạp lịch nghỉ chính thức {years.start}–{years.stop - 1}", [e.day for e in new], actor)


@transaction.atomic
def set_calendar_day(
    *, day: date, kind: DayKind, name: str, legal_basis: str, note: str = "", actor: User | None
) -> CalendarVersion:
    """Declare a day off or a make-up working day (e.g. the Prime Minister's yearly decision) and version it."""
    CalendarDay.objects.update_or_create(
        day=day, defaults={"kind": kind, "name": name, "legal_basis": legal_basis, "note": note}
    )
    return _new_version(f"{DayKind(kind).label} {day:%d/%m/%Y}: {name} ({legal_basis})", [day], actor)


@transaction.atomic
def remove_calendar_day(*, day: date, reason: str, actor: User | None) -> CalendarVersion:
    """Make a day ordinary again (a decision was withdrawn) and version it."""
    CalendarDay.objects.filter(day=day).delete()
    return _new_version(f"Bỏ ngày {day:%d/%m/%Y}: {reason}", [day], actor)


@transaction.atomic
def set_office_hours(
    unit: Unit, *, morning: tuple[time, time], afternoon: tuple[time, time], actor: User | None
) -> CalendarVersion:
    """Set a province's (or one unit's) office hours; deadlines from today on use them."""
    schedule, _ = OfficeSchedule.objects.get_or_create(unit=unit)
    schedule.morning_start, schedule.morning_end = morning
    schedule.afternoon_start, schedule.afternoon_end = afternoon
    schedule.full_clean()
    schedule.save()
    return _new_version(f"Giờ làm việc của {unit}: {schedule}", [clock.today()], actor)
