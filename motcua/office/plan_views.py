"""The annual CCHC plan entry form (/can-bo/chi-dao/ke-hoach/): Văn phòng UBND tỉnh enters a unit's plan, its items
as tasks of the directive engine (`reform.tasks.services.create_plan`, which also decides who may)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.organizations.models import AGENCY_TYPES, Unit
from motcua.reform.tasks import rules, selectors, services

from .task_views import _required_day, parse_day
from .views import staff_only

FORM_ROWS = 8


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    user = staff_only(request)
    if not selectors.is_tracker(user):
        raise PermissionDenied(rules.NOT_TRACKER)
    units = list(Unit.objects.filter(type__in=AGENCY_TYPES, valid_to__isnull=True).order_by("type", "name"))
    typed = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            unit = next((u for u in units if u.code == typed.get("don-vi", "")), None)
            if unit is None:
                raise DomainError("Chọn đơn vị ban hành kế hoạch.", field="unit")
            year = typed.get("nam", "")
            plan = services.create_plan(
                unit=unit, year=int(year) if year.isdigit() and len(year) == 4 else 0, number=typed.get("so", ""),
                issued_on=_required_day(typed.get("ngay", ""), "issued_on"), title=typed.get("ten", ""), by=user,
                items=_items(request, unit),
            )  # fmt: skip
        except DomainError as refused:
            error = refused
        else:
            messages.success(request, _("Đã cập nhật kế hoạch CCHC năm %(year)s.") % {"year": plan.year})
            return redirect(reverse("office:unit-overview-rows", args=[unit.code, "ke-hoach-cchc"]))
    context = {"error": error, "typed": typed, "units": units, "rows": range(1, FORM_ROWS + 1),
               "year": clock.today().year}  # fmt: skip
    return render(request, "office/plan_new.html", context, status=400 if error else 200)


def _items(request: HttpRequest, unit: Unit) -> list[services.TaskDraft]:
    items = []
    for row in range(1, FORM_ROWS + 1):
        content = request.POST.get(f"noi-dung-{row}", "")
        if not content.strip():
            continue
        typed_deadline = request.POST.get(f"han-{row}", "")
        deadline = parse_day(typed_deadline) if typed_deadline.strip() else None
        if typed_deadline.strip() and deadline is None:
            raise DomainError("Nhập ngày theo dạng dd/mm/yyyy.", field="deadline")
        items.append(
            services.TaskDraft(
                content,
                unit,
                (),
                deadline,
                request.POST.get(f"san-pham-{row}", ""),
                request.POST.get(f"chi-tieu-{row}", ""),
            )
        )
    return items
