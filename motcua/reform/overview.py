"""The head-of-unit page (trang tổng quan của thủ trưởng đơn vị), DOMAIN-2.md §8: what a head must follow, each
number with the rows behind it. It reads the other apps' selectors and tables; it writes nothing.

Whatever the number of dossiers and tasks, it costs a fixed handful of queries: the unit tree once, the QĐ 766
unit's line of the board over its counters (`unit_score`), one count each for dossiers and feedback, one aggregate
over the unit's tasks (served by the `tasks_by_unit_due` index), the plan, and the reports of the year.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.db.models import Count, Model, Q, QuerySet

from motcua.core import clock
from motcua.core.errors import NotFoundError, NotPermittedError
from motcua.dossiers.lifecycle import Status as DossierStatus
from motcua.dossiers.models import Dossier
from motcua.feedback.lifecycle import OPEN as FEEDBACK_OPEN
from motcua.feedback.models import FeedbackCase
from motcua.indices.engine import Score, catalogue_counts, score
from motcua.indices.figures import Figures, figures_by_unit, procedures_with_dossiers
from motcua.indices.periods import Period, current_half
from motcua.indices.scope import SCORED_TYPES, UnitTree
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.reform.models import CchcPlan, Task, UnitReport
from motcua.reform.reports.lifecycle import Status as ReportStatus
from motcua.reform.reports.lifecycle import is_overdue, standing_label
from motcua.reform.tasks import kpi
from motcua.reform.tasks.lifecycle import OPEN as TASK_OPEN
from motcua.reform.tasks.lifecycle import SourceKind

M = TypeVar("M", bound=Model)
NO_DATA = "Chưa có dữ liệu"
REFUSAL = "Chỉ lãnh đạo, cán bộ của đơn vị, đơn vị cấp trên và cơ quan theo dõi cấp tỉnh được xem trang tổng quan."
NOT_FOUND = "Không tìm thấy đơn vị trong phạm vi được xem."
# Whole-province readers: the monitor, Văn phòng UBND tỉnh (directives) and Sở Nội vụ (CCHC).
SEES_EVERY_UNIT = frozenset({Role.PROVINCE_MONITOR, Role.DIRECTIVE_TRACKER, Role.REFORM_OFFICER})
# Dossiers being handled; those waiting for papers or payment have their clock paused.
HANDLED_DOSSIER_STATUSES = (DossierStatus.RECEIVED, DossierStatus.PROCESSING)


class Drill:
    """The rows behind each number: the key of `/can-bo/don-vi/{code}/tong-quan/{key}/`."""

    OVERDUE_DOSSIERS = "ho-so-qua-han"
    OPEN_FEEDBACK = "phan-anh-dang-xu-ly"
    OVERDUE_TASKS = "nhiem-vu-qua-han"
    RECOMMENDATIONS = "kien-nghi-kiem-tra"
    PLAN = "ke-hoach-cchc"
    REPORTS = "bao-cao-cchc"

    LABELS = {
        OVERDUE_DOSSIERS: "Hồ sơ đang giải quyết quá hạn",
        OPEN_FEEDBACK: "Phản ánh, kiến nghị đang xử lý",
        OVERDUE_TASKS: "Nhiệm vụ quá hạn",
        RECOMMENDATIONS: "Kiến nghị sau kiểm tra chưa hoàn thành",
        PLAN: "Nhiệm vụ của kế hoạch CCHC năm",
        REPORTS: "Báo cáo CCHC định kỳ",
    }


@dataclass(frozen=True)
class ReportLine:
    report: UnitReport
    standing: str
    overdue: bool


@dataclass(frozen=True)
class Overview:
    unit: Unit
    period: Period
    score: Score
    overdue_dossiers: int
    open_feedback: int
    feedback_overdue: int  # open cases past their 15-working-day clock (Luật Tiếp công dân, ND 20/2008)
    overdue_tasks: int
    open_tasks: int
    open_recommendations: int  # tasks from an inspection conclusion (source kind ket_luan_kiem_tra)
    plan: CchcPlan | None
    plan_total: int
    plan_done: int
    plan_rate: Decimal | None
    reports: list[ReportLine]
    par_self: Decimal | None = None  # the PAR index is built elsewhere: "chưa có dữ liệu" until it is
    par_appraised: Decimal | None = None

    @property
    def reports_overdue(self) -> int:
        return sum(1 for line in self.reports if line.overdue)


def viewer_scope(user: User | None) -> set[int] | None:
    """The units whose page a person may open (None: every unit): the units of their posts and those below them."""
    if user is None or not user.is_authenticated or user.is_citizen:
        raise NotPermittedError(REFUSAL)
    posts = posts_of(user)
    if any(post.role in SEES_EVERY_UNIT for post in posts):
        return None
    own = {post.unit_id for post in posts if post.role != Role.SYSTEM_ADMIN}
    if not own:
        raise NotPermittedError(REFUSAL)
    return own


def unit_for(user: User | None, code: str) -> tuple[Unit, UnitTree]:
    """The unit asked for if the person may see it, with the province's tree; otherwise as if it did not exist."""
    roots = viewer_scope(user)
    tree = UnitTree.load()
    unit = next((u for u in tree.units.values() if u.code == code[:40]), None)
    if unit is None or (roots is not None and not any(unit.pk in tree.below(root) for root in roots)):
        raise NotFoundError(NOT_FOUND, field="unit")
    return unit, tree


def overview(unit: Unit, tree: UnitTree, today: date | None = None) -> Overview:
    """Compute the page for a unit with everything below it."""
    now, today = clock.now(), today or clock.today()
    below = tree.below(unit.pk)
    period = current_half()
    scored = unit_score(tree, unit, below, period)
    overdue_dossiers = dossiers_overdue(unit, below).count()
    cases = _within(FeedbackCase.objects.all(), "handling_unit", unit, below).filter(status__in=sorted(FEEDBACK_OPEN))
    feedback = cases.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    counted = (
        _within(Task.objects.all(), "lead_unit", unit, below)
        .filter(status__in=sorted(TASK_OPEN))
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            recommendations=Count("pk", filter=Q(directive__source_kind=SourceKind.INSPECTION_CONCLUSION)),
        )
    )
    plan = CchcPlan.objects.filter(unit=unit, year=today.year).first()
    total, done, rate = kpi.plan_completion(plan.pk) if plan is not None else (0, 0, None)
    reports = [
        ReportLine(r, standing_label(ReportStatus(r.status), r.period.due_on, today),
                   is_overdue(ReportStatus(r.status), r.period.due_on, today))
        for r in UnitReport.objects.select_related("period").filter(unit=unit, period__year=today.year)
        .order_by("period__cutoff_to")
    ]  # fmt: skip
    return Overview(
        unit, period, scored, overdue_dossiers, feedback["open"], feedback["overdue"], counted["overdue"],
        counted["open"], counted["recommendations"], plan, total, done, rate, reports,
    )  # fmt: skip


def unit_score(tree: UnitTree, unit: Unit, below: set[int], period: Period) -> Score:
    """The unit's own line of `indices.selectors.board` (its QĐ 766 score over the counters), without the ranking of
    the units below and the monthly trend the page does not show: four queries, not one per unit or month."""
    everything = unit.code == settings.MOTCUA_PROVINCE_CODE
    own = figures_by_unit(period, None if everything else below)
    with_dossiers = procedures_with_dossiers(period, None if everything else below)
    members = [tree.units[pk] for pk in below if tree.units[pk].type in SCORED_TYPES or pk == unit.pk]
    counts = catalogue_counts(members, period.as_of, since=period.start)
    figures = sum((own[pk] for pk in below if pk in own), Figures())
    return score(figures, counts.for_units(below, with_dossiers), period.as_of, province=everything)


def _within(rows: "QuerySet[M]", field: str, unit: Unit, below: set[int]) -> "QuerySet[M]":
    """Rows of the unit and those below it; the province's are all rows (no list of its thousands of units)."""
    return rows if unit.code == settings.MOTCUA_PROVINCE_CODE else rows.filter(**{f"{field}__in": below})


def dossiers_overdue(unit: Unit, below: set[int]) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.filter(status__in=HANDLED_DOSSIER_STATUSES, due_at__lt=clock.now())
    return _within(dossiers, "competent_unit", unit, below).order_by("due_at")


def drill_rows(unit: Unit, tree: UnitTree, key: str, today: date | None = None) -> QuerySet:  # type: ignore[type-arg]
    """The rows behind one number of the page, in the order a head would work through them."""
    now, today = clock.now(), today or clock.today()
    below = tree.below(unit.pk)
    tasks = _within(Task.objects.select_related("lead_unit", "directive", "plan"), "lead_unit", unit, below)
    if key == Drill.OVERDUE_DOSSIERS:
        return (
            dossiers_overdue(unit, below)
            .select_related("competent_unit")
            .only("code", "status", "due_at", "competent_unit__name", "received_at")
        )
    if key == Drill.OPEN_FEEDBACK:
        return (
            _within(FeedbackCase.objects.select_related("handling_unit"), "handling_unit", unit, below)
            .filter(status__in=sorted(FEEDBACK_OPEN))
            .order_by("due_at", "pk")
        )
    if key == Drill.OVERDUE_TASKS:
        return tasks.filter(status__in=sorted(TASK_OPEN), due_at__lt=now).order_by("due_at", "pk")
    if key == Drill.RECOMMENDATIONS:
        recommended = Q(directive__source_kind=SourceKind.INSPECTION_CONCLUSION)
        return tasks.filter(recommended, status__in=sorted(TASK_OPEN)).order_by("due_at", "pk")
    if key == Drill.PLAN:
        return tasks.filter(plan__unit=unit, plan__year=today.year).order_by("position", "pk")
    if key == Drill.REPORTS:
        return (
            UnitReport.objects.select_related("period", "unit")
            .filter(unit=unit, period__year=today.year)
            .order_by("period__cutoff_to")
        )
    raise NotFoundError("Không có mục này trên trang tổng quan.", field="key")
