"""The deadline watch and calendar recomputation (run by tasks.watch_deadlines and `motcua deadlines`)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from motcua.catalogue.selectors import limit_for
from motcua.core import clock
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import memberships_on
from motcua.worktime.arithmetic import WorkCalendar, to_local
from motcua.worktime.deadlines import compute_deadline
from motcua.worktime.models import CalendarVersion
from motcua.worktime.selectors import calendar_for

from .events import append_event, iso, rule_for
from .intake import time_limit
from .lifecycle import PAUSED, RUNNING, Action, Actor, Status
from .messages import tell_leaders
from .models import CalendarRecomputation, Dossier, StepTask
from .processing import Alert, StepState


@dataclass(frozen=True)
class WatchReport:
    dossiers_examined: int
    steps_examined: int
    dossiers_flagged: int
    steps_flagged: int
    recomputed: int


def watch_deadlines() -> WatchReport:
    """Flag near-due, D-1 and overdue dossiers and steps, alerting unit leaders; apply calendar changes first.

    Reads only rows whose deadline is within the horizon and not yet flagged overdue (partial indexes on due_at),
    so the work grows with the near-due rows, not with the open dossiers.
    """
    recomputed = recompute_for_calendar_changes()
    now = clock.now()
    calendar = calendar_for(None)
    horizon = max(
        calendar.add_working_minutes(now, settings.MOTCUA_NEAR_DUE_WORKING_MINUTES),
        _end_of_next_working_day(calendar, now),
    )
    window = settings.MOTCUA_NEAR_DUE_WORKING_MINUTES
    calendars: dict[int, WorkCalendar] = {}  # one look-up per unit, not per row

    def calendar_of(unit: Unit) -> WorkCalendar:
        if unit.pk not in calendars:
            calendars[unit.pk] = calendar_for(unit)
        return calendars[unit.pk]

    dossiers_examined = steps_examined = dossiers_flagged = steps_flagged = 0
    with transaction.atomic():
        dossiers = (
            Dossier.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("competent_unit", "version")
            .filter(status__in=sorted(RUNNING), alert_level__lt=Alert.OVERDUE, due_at__lte=horizon)
        )
        for dossier in dossiers:
            dossiers_examined += 1
            level = _dossier_alert(dossier, now, calendar_of(dossier.competent_unit), window)
            if level > dossier.alert_level:
                dossier.alert_level = level
                dossier.save(update_fields=["alert_level"])
                dossiers_flagged += 1
                if level >= Alert.APOLOGY_DUE:
                    tell_leaders(dossier, Alert(level), _leaders_of(dossier.competent_unit))
        steps = (
            StepTask.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit")
            .filter(state=StepState.ACTIVE, alert_level__lt=Alert.OVERDUE, due_at__lte=horizon)
            .filter(dossier__status=Status.PROCESSING)
        )
        for step in steps:
            steps_examined += 1
            assert step.due_at is not None  # active steps always have one
            if step.due_at < now:
                level = Alert.OVERDUE
            elif calendar_of(step.unit).is_near_due(now, step.due_at, window):
                level = Alert.NEAR_DUE
            else:
                continue
            if level > step.alert_level:
                step.alert_level = level
                step.save(update_fields=["alert_level"])
                steps_flagged += 1
    return WatchReport(dossiers_examined, steps_examined, dossiers_flagged, steps_flagged, recomputed)


def _end_of_next_working_day(calendar: WorkCalendar, now: datetime) -> datetime:
    # D-1 reaches dossiers due on the next working day, whatever the hour: their apology is due today.
    next_day = to_local(calendar.add_working_days(now, 1)).date()
    return datetime(next_day.year, next_day.month, next_day.day, tzinfo=clock.VIETNAM) + timedelta(days=1)


def _dossier_alert(dossier: Dossier, now: datetime, calendar: WorkCalendar, window: int) -> Alert:
    """Tell what a running dossier's deadline calls for now (DOMAIN.md §1.3(d))."""
    due = dossier.due_at
    if due is None:
        return Alert.NONE
    if due < now:
        return Alert.OVERDUE
    if dossier.original_due_at is None and to_local(now).date() >= calendar.d_minus_one(due):
        return Alert.APOLOGY_DUE
    return Alert.NEAR_DUE if calendar.is_near_due(now, due, window) else Alert.NONE


def _leaders_of(unit: Unit) -> list[User]:
    return [m.user for m in memberships_on().filter(unit=unit, role=Role.LEADER).select_related("user")]


def recompute_for_calendar_changes() -> int:
    """Recompute due instants of running dossiers and their steps for each calendar version not yet applied.

    ARCHITECTURE.md invariant 4: a calendar change recomputes open dossiers' due dates, each with an event. Only the
    dossiers received before the version and whose period crosses a changed day are read.
    """
    done = CalendarRecomputation.objects.aggregate(last=Max("calendar_version"))["last"] or 0
    changed = 0
    for version in CalendarVersion.objects.filter(pk__gt=done).order_by("pk"):
        dossiers = steps = 0
        if version.first_affected is not None and version.last_affected is not None:
            affected = Dossier.objects.filter(
                status__in=sorted(RUNNING),
                received_at__lt=version.created_at,
                received_at__date__lte=version.last_affected,
                due_at__date__gte=version.first_affected,
            )
            for dossier in affected.values_list("pk", flat=True):
                moved = _recompute_one(dossier)
                dossiers += moved[0]
                steps += moved[1]
        CalendarRecomputation.objects.create(
            calendar_version=version.pk, at=clock.now(), dossiers=dossiers, steps=steps
        )
        changed += dossiers
    return changed


def _recompute_one(dossier_id: int) -> tuple[int, int]:
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).select_related("competent_unit").get(pk=dossier_id)
        if dossier.status not in RUNNING or dossier.received_at is None or dossier.due_at is None:
            return 0, 0
        calendar = calendar_for(dossier.competent_unit)
        pauses = _pauses(dossier)
        limit = time_limit(limit_for(dossier.case, dossier.channel))
        due = compute_deadline(calendar, dossier.received_at, limit).due_at
        for paused_at, resumed_at in pauses:
            due = calendar.resume(due, paused_at, resumed_at)
        details: dict[str, Any] = {"calendar_version": calendar.version}
        statistics_due = None
        if dossier.original_due_at is not None:
            # A date promised in Form 04 stays as promised; the original one, which statistics compare with, follows
            # the calendar like any other (QĐ 766 counts against the legal time limit).
            statistics_due, due = due, dossier.due_at
        step = StepTask.objects.filter(dossier=dossier, state=StepState.ACTIVE).first()
        step_due = None
        if step is not None and step.started_at is not None:
            step_due = calendar.add_working_hours(step.started_at, float(step.hours))
            for paused_at, resumed_at in pauses:
                if paused_at >= step.started_at:
                    step_due = calendar.resume(step_due, paused_at, resumed_at)
            step_due = min(step_due, due)
        dossier_moved = due != dossier.due_at
        statistics_moved = statistics_due is not None and statistics_due != dossier.original_due_at
        step_moved = step is not None and step_due is not None and step_due != step.due_at
        dossier.due_calendar_version = calendar.version
        if not (dossier_moved or statistics_moved or step_moved):
            dossier.save(update_fields=["due_calendar_version"])
            return 0, 0
        details.update(old_due_at=iso(dossier.due_at), new_due_at=iso(due))
        if statistics_moved:
            details.update(old_original_due_at=iso(dossier.original_due_at), new_original_due_at=iso(statistics_due))
            dossier.original_due_at = statistics_due
        dossier.due_at = due
        dossier.alert_level = Alert.NONE  # the watch flags it again against the new instant
        dossier.save(update_fields=["due_at", "original_due_at", "due_calendar_version", "alert_level"])
        if step_moved:
            assert step is not None
            details.update(step=step.position, old_step_due_at=iso(step.due_at), new_step_due_at=iso(step_due))
            step.due_at, step.alert_level = step_due, Alert.NONE
            step.save(update_fields=["due_at", "alert_level"])
        status = Status(dossier.status)
        rule = rule_for(Action.RECOMPUTE_DUE, status, {Actor.SYSTEM})
        append_event(dossier, rule, status, None, clock.now(), "", unit=dossier.competent_unit, details=details)
        return 1, int(step_moved)


def _pauses(dossier: Dossier) -> list[tuple[datetime, datetime]]:
    """Return the (paused, resumed) pairs of a dossier's history, read from its events."""
    pairs, paused = [], None
    for before, after, at in dossier.events.order_by("sequence").values_list("status_before", "status_after", "at"):
        if after in PAUSED and before not in PAUSED:
            paused = at
        elif before in PAUSED and after not in PAUSED and paused is not None:
            pairs.append((paused, at))
            paused = None
    return pairs
