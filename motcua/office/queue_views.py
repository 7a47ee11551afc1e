"""Officers' work queues (per person and per unit), a unit's history, and the leaders' alert and review screens."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents.register import register_file
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepTask
from motcua.dossiers.processing import StepState
from motcua.dossiers.selectors import (
    StepRow,
    alerts_for,
    review_list_for,
    staff_units,
    step_page,
)
from motcua.organizations.models import Role, Unit
from motcua.organizations.selectors import may_see_unit, roles_of
from motcua.worktime.selectors import calendars_for

from . import worklists
from .views import staff_only, urgency

PAGE_SIZE = 25
ALERTS_SHOWN = 100
# Who watches deadlines: a unit's leaders for their units, the province monitor (and administrators) for all units.
BOARD_ROLES = frozenset({Role.LEADER, Role.PROVINCE_MONITOR, Role.SYSTEM_ADMIN})


def _urgency_rows(steps: list[StepRow]) -> list[tuple[StepRow, str]]:
    now = clock.now()
    calendars = calendars_for(step.unit_id for step in steps)
    return [(step, urgency(step.due_at, calendars[step.unit_id], now)) for step in steps]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Show the steps assigned to me, or those a unit of mine holds (or has finished), nearest deadline first."""
    user = staff_only(request)
    units = list(Unit.objects.filter(pk__in=Subquery(staff_units(user))).only("name").order_by("name"))
    view = request.GET.get("xem", "cua-toi")
    unit = None
    if view in {"don-vi", "lich-su"}:
        unit = next((u for u in units if str(u.pk) == request.GET.get("don-vi")), units[0] if units else None)
    if unit is not None:
        queue, owner = ("unit" if view == "don-vi" else "history"), unit.pk
    else:
        view, queue, owner = "cua-toi", "mine", user.pk  # someone with no unit has only their own queue
    # Pages without a count: a busy unit's backlog is not counted again on every visit.
    asked = request.GET.get("trang", "1")
    number = int(asked) if asked.isdigit() and int(asked) > 0 else 1
    found = step_page(queue, owner, (number - 1) * PAGE_SIZE, number * PAGE_SIZE + 1)
    context = {
        "page": {"number": number, "has_next": len(found) > PAGE_SIZE},
        "table_rows": worklists.step_rows(
            _urgency_rows(found[:PAGE_SIZE]), reverse("office:dossiers"), history=view == "lich-su"
        ),
        "units": units,
        "unit": unit,
        "view": view,
    }
    return render(request, "office/queue.html", context)


@dataclass(frozen=True)
class UnitAlerts:
    """One line of the alert page's summary: a competent unit and its overdue and D-1 dossiers."""

    pk: int
    code: str
    name: str
    overdue: int
    apology_due: int


def alert_summary(alerts: QuerySet[Dossier]) -> list[UnitAlerts]:
    """Count each unit's overdue and D-1 dossiers in one GROUP BY, the unit with most overdue first."""
    rows = (
        alerts.order_by()
        .values_list("competent_unit", "competent_unit__code", "competent_unit__name")
        .annotate(overdue=Count("pk", filter=Q(is_overdue=True)), apology_due=Count("pk", filter=Q(is_overdue=False)))
        .order_by("-overdue", "-apology_due", "competent_unit__name")
    )
    return [UnitAlerts(*row) for row in rows]


@login_required
def leader_board(request: HttpRequest) -> HttpResponse:
    """Show the overdue and D-1 dossiers of the units in one's charge, per unit then listed, and unhappy ratings."""
    user = staff_only(request)
    roles = roles_of(user)
    if not roles & BOARD_ROLES:
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị và cán bộ giám sát cấp tỉnh được xem trang cảnh báo."))
    alerts = alerts_for(user)
    summary = alert_summary(alerts)
    chosen = next((row for row in summary if row.code == request.GET.get("don-vi")), None)
    listed = alerts.filter(competent_unit=chosen.pk) if chosen else alerts
    # Who holds each dossier now: its active step, with the unit and the position the step calls for.
    holding = StepTask.objects.filter(state=StepState.ACTIVE).select_related("unit")
    holding = holding.only("dossier", "position", "name", "staff_position", "unit__name")
    counted = [chosen] if chosen else summary
    context = {
        "summary": summary,
        "chosen": chosen,
        "alerts": list(listed.prefetch_related(Prefetch("steps", holding, to_attr="holding"))[:ALERTS_SHOWN]),
        "total": sum(row.overdue + row.apology_due for row in counted),
        "overdue": sum(row.overdue for row in summary),
        "apology_due": sum(row.apology_due for row in summary),
        "reviews": review_list_for(user)[:100] if Role.LEADER in roles else None,
    }
    return render(request, "office/leader_board.html", context)


@login_required
@require_POST
def review_rating(request: HttpRequest, rating_id: int) -> HttpResponse:
    user = staff_only(request)
    rating = review_list_for(user).filter(pk=rating_id).first()
    if rating is None:
        raise Http404
    try:
        services.mark_reviewed(rating, leader=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Đã ghi nhận xem xét đánh giá của hồ sơ %(code)s.") % {"code": rating.dossier.code}
        )
    return redirect("office:leader-board")


@login_required
def register(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    """Download Form 07 (Sổ theo dõi hồ sơ) of one of my units for a period, as PDF or Excel."""
    user = staff_only(request)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or kind not in {"pdf", "xlsx"} or not may_see_unit(user, unit_id):
        raise Http404
    try:
        start = date.fromisoformat(request.GET.get("tu", ""))
        end = date.fromisoformat(request.GET.get("den", ""))
        body, content_type, name = register_file(unit, start, end, kind)
    except ValueError:
        messages.error(request, _("Cần chọn ngày đầu kỳ và ngày cuối kỳ."))
        return redirect(f"{reverse('office:queue')}?xem=lich-su&don-vi={unit_id}")
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('office:queue')}?xem=lich-su&don-vi={unit_id}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
