"""What the pages, exports and API show: a report with its figures (live until the cut-off, locked after it, what
happened since shown apart), the periods with each unit's status, and the province's consolidation."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from motcua.core import clock
from motcua.core.errors import NotFoundError, NotPermittedError
from motcua.organizations.models import SERVICE_CENTRE_TYPES, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import ReportEvent, ReportPeriod, UnitReport

from . import drafts, rules
from .lifecycle import IN_HAND, Status, is_overdue, standing_label
from .windows import KIND_LABELS, Kind, Level


def parse_period_code(code: str) -> tuple[int, Kind]:
    """Read "2026-6-thang" as (2026, Kind.HALF); anything else is a period that does not exist."""
    year, _, kind = code.partition("-")
    if not (year.isdigit() and len(year) == 4 and kind in {k.value for k in Kind}):
        raise NotFoundError("Không có kỳ báo cáo này.", field="period")
    return int(year), Kind(kind)


def get_report_for(user: User | None, period_code: str, unit_code: str) -> UnitReport:
    """The report of a unit for a period, if the person may read it; otherwise as if there were none."""
    year, kind = parse_period_code(period_code)
    report = (
        UnitReport.objects.select_related("period", "unit", "outline", "submitted_by")
        .filter(period__year=year, period__kind=kind.value, unit__code=unit_code[:40])
        .first()
    )
    if report is None or not rules.may_read(user, report.unit):
        raise NotFoundError("Không tìm thấy báo cáo của đơn vị cho kỳ này trong phạm vi của bạn.", field="unit")
    return report


@dataclass(frozen=True)
class ReportView:
    """A report with the figures it shows: the locked ones, or live ones while the window is not locked."""

    report: UnitReport
    values: dict[str, int]
    locked: bool
    computed_at: str
    after_cutoff: dict[str, int] | None  # what happened after the cut-off, never part of the report
    sections: list[dict[str, str]] = field(default_factory=list)
    standing: str = ""
    overdue: bool = False


def view(report: UnitReport, today: date | None = None) -> ReportView:
    """Read a report for showing or exporting; computes only what is not locked."""
    today = today or clock.today()
    period = report.period
    window = drafts.window_period(period.cutoff_from, period.cutoff_to)
    if report.figures is not None:
        values, locked, at = dict(report.figures["values"]), True, str(report.figures["computed_at"])
    else:
        values, locked, at = drafts.compute(window, [report.unit])[report.unit_id], False, clock.now().isoformat()
    after = None
    later = drafts.after_period(period.cutoff_to, today)
    if later is not None:
        after = drafts.compute(later, [report.unit])[report.unit_id]
    texts = report.sections or {}
    sections = [
        {"key": s["key"], "title": s["title"], "hint": s.get("hint", ""), "text": texts.get(s["key"], "")}
        for s in report.outline.sections
    ]
    status = Status(report.status)
    return ReportView(
        report, values, locked, at, after, sections, standing_label(status, period.due_on, today),
        is_overdue(status, period.due_on, today),
    )  # fmt: skip


def events_of(report: UnitReport) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor").order_by("sequence")


@dataclass(frozen=True)
class PeriodRow:
    year: int
    kind: Kind
    label: str
    periods: list[ReportPeriod]
    reports: list[tuple[UnitReport, str, bool]]  # report, standing label, overdue

    @property
    def code(self) -> str:
        return f"{self.year}-{self.kind.value}"


def periods_for(user: User | None, today: date | None = None) -> list[PeriodRow]:
    """Every period the person may see, newest first, with the status of each unit's report they may read."""
    if user is None or not user.is_authenticated or user.is_citizen:
        raise NotPermittedError(rules.NOT_READER)
    today = today or clock.today()
    reports = UnitReport.objects.select_related("period", "unit").order_by("-period__year", "unit__code")
    if not rules.reads_all(user):
        mine = _units_of(user)
        if not mine:
            raise NotPermittedError(rules.NOT_READER)
        reports = reports.filter(unit__in=mine)
    rows: dict[tuple[int, str], PeriodRow] = {}
    for report in reports:
        p = report.period
        key = (p.year, p.kind)
        if key not in rows:
            rows[key] = PeriodRow(p.year, Kind(p.kind), f"{KIND_LABELS[Kind(p.kind)]} năm {p.year}", [], [])
        row = rows[key]
        if p not in row.periods:
            row.periods.append(p)
        status = Status(report.status)
        row.reports.append((report, standing_label(status, p.due_on, today), is_overdue(status, p.due_on, today)))
    order = {k: i for i, k in enumerate(Kind)}
    return sorted(rows.values(), key=lambda r: (-r.year, -order[r.kind]))


def _units_of(user: User) -> set[int]:
    """The reporting units whose reports a person may read: where they work, and the unit above a service centre."""
    posts = {post.unit_id for post in posts_of(user)}
    centres = Unit.objects.filter(pk__in=posts, type__in=SERVICE_CENTRE_TYPES, parent__isnull=False)
    return posts | set(centres.values_list("parent_id", flat=True))


@dataclass(frozen=True)
class Consolidation:
    """The province's consolidation of a period: the units' figures as they submitted them, and who has not."""

    year: int
    kind: Kind
    rows: list[tuple[UnitReport, str, bool]]
    totals: dict[str, int]
    in_hand: int
    missing: list[UnitReport]

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.kind]} năm {self.year}"


def consolidation_for(user: User | None, period_code: str, today: date | None = None) -> Consolidation:
    """Sum the locked figures of the departments' and communes' reports the province has in hand (Sở Nội vụ, the
    province monitor)."""
    if not rules.reads_all(user):
        raise NotPermittedError(rules.NOT_READER)
    year, kind = parse_period_code(period_code)
    today = today or clock.today()
    reports = list(
        UnitReport.objects.select_related("period", "unit")
        .filter(period__year=year, period__kind=kind.value)
        .exclude(period__level=Level.PROVINCE)
        .order_by("period__level", "unit__code")
    )
    if not reports:
        raise NotFoundError("Không có kỳ báo cáo này.", field="period")
    totals = drafts.empty()
    rows, missing, in_hand = [], [], 0
    for report in reports:
        status = Status(report.status)
        rows.append((report, standing_label(status, report.period.due_on, today),
                     is_overdue(status, report.period.due_on, today)))  # fmt: skip
        if status in IN_HAND and report.figures is not None:
            in_hand += 1
            for key, value in report.figures["values"].items():
                totals[key] = totals.get(key, 0) + int(value)
        else:
            missing.append(report)
    return Consolidation(year, kind, rows, totals, in_hand, missing)


def as_dict(view_: ReportView) -> dict[str, Any]:
    """A report as the API and the exports describe it."""
    r = view_.report
    return {
        "period": r.period.code,
        "unit": {"code": r.unit.code, "name": r.unit.name},
        "label": r.period.label,
        "level": r.period.level,
        "cutoff_from": r.period.cutoff_from,
        "cutoff_to": r.period.cutoff_to,
        "due_on": r.period.due_on,
        "basis": r.period.basis,
        "status": r.status,
        "status_label": view_.standing,
        "overdue": view_.overdue,
        "returned_reason": r.returned_reason,
        "submitted_at": r.submitted_at,
        "figures": {"locked": view_.locked, "computed_at": view_.computed_at, "values": view_.values},
        "after_cutoff": view_.after_cutoff,
        "sections": view_.sections,
    }
