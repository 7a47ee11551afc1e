"""The one writer of periodic reports: opening a year's periods, each action on a report with its event, and the
figures locked at the cut-off."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.core import clock
from motcua.core.errors import ConflictError, DomainError, NotPermittedError
from motcua.core.text import checked_text
from motcua.indices.periods import Period
from motcua.organizations.models import Role, Unit, UnitType, User
from motcua.organizations.selectors import roles_of
from motcua.reform.models import ReportEvent, ReportOutline, ReportPeriod, UnitReport

from . import drafts, rules
from .lifecycle import ACTION_LABELS, Action, Status, transition
from .outline import DEFAULT_NAME, DEFAULT_SECTIONS, DEFAULT_SOURCE
from .windows import Kind, Level, windows_of

MAX_SECTION = 20_000  # characters of one section: a report runs to a few pages
REPORTING_TYPES = {
    Level.PROVINCE: (UnitType.PROVINCIAL_COMMITTEE,),
    Level.DEPARTMENT: (UnitType.DEPARTMENT,),
    Level.COMMUNE: (UnitType.COMMUNE_COMMITTEE,),
}


def unit_due_day() -> int:
    """The day of the period's last month departments and communes send their reports by (the province's choice)."""
    return int(getattr(settings, "MOTCUA_REFORM_REPORT_UNIT_DUE_DAY", 15))


def current_outline(on: date) -> ReportOutline:
    """The outline in force on a day; the default one is written down the first time it is needed."""
    outline = ReportOutline.objects.filter(effective_from__lte=on).first()
    if outline is None:
        outline = ReportOutline.objects.create(
            name=DEFAULT_NAME, source=DEFAULT_SOURCE, sections=DEFAULT_SECTIONS, effective_from=date(2020, 1, 1)
        )
    return outline


def reporting_units(level: Level, on: date) -> list[Unit]:
    """The units that report at a level: in the province and existing on the day."""
    units = Unit.objects.filter(province_code=settings.MOTCUA_PROVINCE_CODE, type__in=REPORTING_TYPES[level])
    return [u for u in units.order_by("code") if u.is_valid_on(on)]


@transaction.atomic
def open_year(year: int, *, actor: User | None = None) -> list[ReportPeriod]:
    """Open every period of a year at every level, with a draft for each reporting unit; already opened: kept."""
    if not 2020 <= year <= 2100:
        raise DomainError("Năm báo cáo không hợp lệ.", field="year")
    now = clock.now()
    periods = []
    for w in windows_of(year, unit_due_day()):
        period, _created = ReportPeriod.objects.get_or_create(
            year=year, kind=w.kind.value, level=w.level.value,
            defaults={"cutoff_from": w.cutoff_from, "cutoff_to": w.cutoff_to, "due_on": w.due_on, "basis": w.basis,
                      "opened_at": now},
        )  # fmt: skip
        periods.append(period)
        outline = current_outline(w.cutoff_to)
        have = set(period.reports.values_list("unit_id", flat=True))
        fresh = [
            UnitReport(period=period, unit=unit, outline=outline, updated_at=now)
            for unit in reporting_units(w.level, w.cutoff_to)
            if unit.pk not in have
        ]
        for report in UnitReport.objects.bulk_create(fresh):
            _event(report, Action.OPEN, actor, now, sequence=1)
    return periods


def act(
    report: UnitReport,
    action: Action,
    *,
    actor: User | None,
    reason: str = "",
    sections: Mapping[str, Any] | None = None,
) -> UnitReport:
    """Take an action on a report as `rules.available_actions` offers it now; refused with its reason, nothing
    saved. `sections`: for `edit`, the text of the sections that change (others stay)."""
    if action not in {Action.EDIT, Action.SUBMIT, Action.RETURN, Action.ACCEPT}:
        raise DomainError(f"Không có thao tác «{action}».", field="action")
    with transaction.atomic():
        locked = UnitReport.objects.select_for_update(of=("self",)).select_related("period", "unit", "outline")
        locked_report = locked.get(pk=report.pk)
        offer = next((o for o in rules.available_actions(locked_report, actor) if o.action == action), None)
        if offer is None:
            label = locked_report.status_label
            raise ConflictError(f"Báo cáo đang ở trạng thái «{label}»: không thể {ACTION_LABELS[action].lower()}.")
        if offer.refusal:
            error = NotPermittedError if offer.refusal in rules.REFUSALS.values() else ConflictError
            raise error(offer.refusal)
        text = checked_text(reason, "reason", 2_000, required=offer.needs_reason, what="lý do trả lại báo cáo")
        now = clock.now()
        details: dict[str, Any] = {}
        match action:
            case Action.EDIT:
                changed = _sections(locked_report, sections or {})
                locked_report.sections = {**locked_report.sections, **changed}
                details["sections"] = sorted(changed)
            case Action.SUBMIT:
                if locked_report.figures is None:
                    _lock_figures(locked_report)
                locked_report.submitted_at, locked_report.submitted_by = now, actor
                locked_report.returned_reason = ""
                details["late"] = clock.today() > locked_report.period.due_on
            case Action.RETURN:
                locked_report.returned_reason, locked_report.decided_at = text, now
            case Action.ACCEPT:
                locked_report.decided_at = now
        locked_report.status = transition(action).target
        locked_report.updated_at = now
        locked_report.save()
        _event(locked_report, action, actor, now, reason=text, details=details)
    return locked_report


def lock_figures_due(today: date | None = None) -> int:
    """Lock the figures of every report whose cut-off has passed and has none yet: run daily (the cut-off is the end
    of its last day). Return how many were locked."""
    today = today or clock.today()
    count = 0
    due = ReportPeriod.objects.filter(cutoff_to__lt=today, closed_at__isnull=True)
    for period in due.order_by("pk"):
        waiting = list(period.reports.filter(figures__isnull=True).select_related("unit"))
        if not waiting:
            continue
        window = drafts.window_period(period.cutoff_from, period.cutoff_to)
        values = drafts.compute(window, [r.unit for r in waiting])  # one pass for the period's units
        now = clock.now()
        for report in waiting:
            with transaction.atomic():
                row = UnitReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
                if row.figures is not None:
                    continue
                row.figures, row.figures_at = _stored(window, values[row.unit_id], now), now
                row.save(update_fields=["figures", "figures_at"])
                _event(row, Action.LOCK, None, now)
                count += 1
    return count


@transaction.atomic
def close_period(period: ReportPeriod, *, actor: User) -> ReportPeriod:
    """Close a period (Sở Nội vụ, once the province's report is made): from then on no report of it changes."""
    if Role.REFORM_OFFICER not in roles_of(actor):
        raise NotPermittedError(rules.NOT_REFORM_OFFICE)
    locked = ReportPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.closed_at is not None:
        raise ConflictError("Kỳ báo cáo đã đóng.")
    locked.closed_at = clock.now()
    locked.save(update_fields=["closed_at"])
    return locked


def _lock_figures(report: UnitReport) -> None:
    window = drafts.window_period(report.period.cutoff_from, report.period.cutoff_to)
    now = clock.now()
    report.figures = _stored(window, drafts.compute(window, [report.unit])[report.unit_id], now)
    report.figures_at = now


def _stored(window: Period, values: dict[str, int], now: datetime) -> dict[str, Any]:
    return {
        "values": values,
        "from": window.start.isoformat(),
        "to": window.end.isoformat(),
        "computed_at": now.isoformat(),
    }


def _sections(report: UnitReport, typed: Mapping[str, Any]) -> dict[str, str]:
    """The sections typed, checked against the report's outline: known keys, clean text, a bounded length."""
    keys = {section["key"] for section in report.outline.sections}
    errors: dict[str, list[str]] = {}
    changed: dict[str, str] = {}
    for key, value in typed.items():
        if key not in keys:
            errors[str(key)[:80]] = ["Đề cương báo cáo không có mục này."]
            continue
        if not isinstance(value, str):
            errors[key] = ["Nội dung phải là văn bản."]
            continue
        try:
            changed[key] = checked_text(value, key, MAX_SECTION, required=False, what="nội dung")
        except DomainError as refused:
            errors[key] = [refused.message]
    if errors:
        raise ValidationError(errors)
    return changed


def _event(
    report: UnitReport, action: Action, actor: User | None, at: Any, *, reason: str = "",
    details: dict[str, Any] | None = None, sequence: int | None = None,
) -> ReportEvent:  # fmt: skip
    if sequence is None:
        last = report.events.order_by("-sequence").values_list("sequence", flat=True).first()
        sequence = (last or 0) + 1
    return ReportEvent.objects.create(
        report=report, sequence=sequence, action=action.value, status_after=report.status, actor=actor, at=at,
        reason=reason, details=details or {},
    )  # fmt: skip


__all__ = ["Kind", "Status", "act", "close_period", "lock_figures_due", "open_year"]
