"""Officers' work queues (per person and per unit), a unit's history, and the leaders' alert and review screens."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents.register import render_register_pdf, render_register_xlsx
from motcua.dossiers import services
from motcua.dossiers.selectors import (
    StepRow,
    alerts_for,
    review_list_for,
    staff_units,
    step_page,
    units_of,
)
from motcua.organizations.models import Role, Unit
from motcua.organizations.selectors import roles_of
from motcua.worktime.selectors import calendars_for

from . import worklists
from .views import staff_only, urgency

PAGE_SIZE = 25


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


@login_required
def leader_board(request: HttpRequest) -> HttpResponse:
    """Show a leader the dossiers that need an apology and extension or are overdue, and the unhappy ratings."""
    user = staff_only(request)
    context = {"alerts": alerts_for(user)[:100], "reviews": review_list_for(user)[:100]}
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
    watchers = {Role.PROVINCE_MONITOR, Role.SYSTEM_ADMIN}
    unit = Unit.objects.filter(pk=unit_id).first()
    if (
        unit is None
        or kind not in {"pdf", "xlsx"}
        or (unit_id not in units_of(user) and not roles_of(user) & watchers)
    ):
        raise Http404
    try:
        start = date.fromisoformat(request.GET.get("tu", ""))
        end = date.fromisoformat(request.GET.get("den", ""))
        if kind == "xlsx":
            body, content_type = render_register_xlsx(unit, start, end), XLSX
        else:
            body, content_type = render_register_pdf(unit, start, end, issued_at=clock.now()), "application/pdf"
    except ValueError:
        messages.error(request, _("Cần chọn ngày đầu kỳ và ngày cuối kỳ."))
        return redirect(f"{reverse('office:queue')}?xem=lich-su&don-vi={unit_id}")
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('office:queue')}?xem=lich-su&don-vi={unit_id}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{unit.code}-{start}-{end}.{kind}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
