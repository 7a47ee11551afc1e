"""Reads of the calendar: the WorkCalendar in force for a unit, built once per calendar version."""

from collections.abc import Iterable
from datetime import date, time
from functools import lru_cache

from django.db.models import Max, Min

from motcua.core.errors import DomainError
from motcua.organizations.models import Unit

from .arithmetic import DEFAULT_OFFICE_INTERVALS, OfficeHours, WorkCalendar
from .models import CalendarDay, CalendarProposal, CalendarVersion, DayKind, OfficeSchedule, ProposalStatus

Intervals = tuple[tuple[time, time], ...]


def office_intervals_for(unit: Unit | None) -> Intervals:
    """Return the unit's own office hours, else the nearest ancestor's (its province), else the national default."""
    while unit is not None:
        schedule = OfficeSchedule.objects.filter(unit=unit).first()
        if schedule:
            return (
                (schedule.morning_start, schedule.morning_end),
                (schedule.afternoon_start, schedule.afternoon_end),
            )
        unit = unit.parent
    return DEFAULT_OFFICE_INTERVALS


def calendar_for(unit: Unit | None = None) -> WorkCalendar:
    """Return the working calendar in force for a unit's deadlines (one query once the unit has been seen)."""
    version = _version_in_force()
    return _build(version, _intervals(version, unit.pk if unit else None))


def calendars_for(unit_ids: Iterable[int]) -> dict[int, WorkCalendar]:
    """Return the calendar in force for each of several units, as a page of dossiers needs, in one query."""
    unit_ids = set(unit_ids)
    if not unit_ids:
        return {}
    version = _version_in_force()
    return {unit_id: _build(version, _intervals(version, unit_id)) for unit_id in unit_ids}


def _version_in_force() -> int:
    version = CalendarVersion.objects.order_by("-id").values_list("id", flat=True).first()
    if version is None:
        raise DomainError("Chưa nạp lịch ngày nghỉ, ngày làm bù; quản trị hệ thống cần chạy `motcua calendar seed`.")
    return version


@lru_cache(maxsize=4096)
def _intervals(version: int, unit_id: int | None) -> Intervals:
    # Office hours change only with a new calendar version, so the version is a safe cache key.
    return office_intervals_for(Unit.objects.filter(pk=unit_id).first() if unit_id else None)


@lru_cache(maxsize=64)
def _build(version: int, intervals: Intervals) -> WorkCalendar:
    days = list(CalendarDay.objects.values_list("day", "kind"))
    bounds = CalendarDay.objects.aggregate(first=Min("day"), last=Max("day"))
    first: date = bounds["first"]
    last: date = bounds["last"]
    return WorkCalendar(
        off_days=frozenset(day for day, kind in days if kind == DayKind.OFF),
        extra_working_days=frozenset(day for day, kind in days if kind == DayKind.WORKING),
        office_hours=OfficeHours(intervals),
        version=f"v{version}",
        # The table covers whole years: from 1 January of its first year to 31 December of its last.
        first=first.replace(month=1, day=1),
        last=last.replace(month=12, day=31),
    )


def forget_calendars() -> None:
    """Drop the built calendars; the next request rebuilds from the table."""
    _build.cache_clear()
    _intervals.cache_clear()


def calendar_days_in(year: int) -> list[CalendarDay]:
    """Return the year's off-days and make-up days in date order."""
    return list(CalendarDay.objects.filter(day__year=year).order_by("day"))


def calendar_proposals(*, year: int | None = None, pending_only: bool = True) -> list[CalendarProposal]:
    """Return the proposed days (all years, or one), pending ones only unless asked, in date order."""
    proposals = CalendarProposal.objects.select_related("decided_by").order_by("day")
    if year is not None:
        proposals = proposals.filter(day__year=year)
    if pending_only:
        proposals = proposals.filter(status=ProposalStatus.PENDING)
    return list(proposals)
