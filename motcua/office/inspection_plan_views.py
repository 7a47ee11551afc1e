"""The pages that set inspections up: the yearly plan (Sở Nội vụ), the surprise draw of a plan, whose seed is shown
so that anyone can replay it, and a unit leader's self-inspection of one of its divisions. The writes and their
guards are `reform.inspections.services`; a refusal shows on the form (400), nothing saved."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError, NotPermittedError
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import posts_of
from motcua.reform.inspections import rules, selectors, services
from motcua.reform.inspections.lifecycle import CONTENT_GROUPS, METHOD_LABELS
from motcua.reform.models import InspectionPlan

from .meeting_new_views import official, unit_by_code
from .task_views import parse_day
from .views import staff_only

SCHEDULE_ROWS = 10


def _day(text: str, key: str) -> date:
    day = parse_day(text)
    if day is None:
        raise DomainError("Nhập ngày theo dạng dd/mm/yyyy.", field=key)
    return day


def _year(text: str) -> int:
    text = text.strip()
    if not (text.isdigit() and len(text) == 4):
        raise DomainError("Năm kế hoạch không hợp lệ.", field="year")
    return int(text)


def _create_plan(form: QueryDict, user: User) -> InspectionPlan:
    schedule = [
        services.Scheduled(unit_by_code(form.get(f"don-vi-{row}", ""), "schedule"),
                           _day(form.get(f"ngay-{row}", ""), "schedule"), form.get(f"hinh-thuc-{row}", ""))
        for row in range(1, SCHEDULE_ROWS + 1) if form.get(f"don-vi-{row}", "")
    ]  # fmt: skip
    members = [official(name, "members") for name in form.get("thanh-vien", "")[:2_000].split(",") if name.strip()]
    return services.create_plan(
        year=_year(form.get("nam", "")), decision_number=form.get("so", ""),
        decision_on=_day(form.get("ngay", ""), "decision_on"),
        title=form.get("ten", ""), chair=official(form.get("truong-doan", ""), "chair"), members=members,
        schedule=schedule, by=user, content=form.getlist("noi-dung")[:20],
    )  # fmt: skip


def _form_context(typed: QueryDict, error: DomainError | None) -> dict[str, object]:
    return {
        "error": error, "typed": {key.replace("-", "_"): typed.get(key, "")[:500] for key in typed},
        "chosen": set(typed.getlist("noi-dung")) or set(CONTENT_GROUPS), "groups": CONTENT_GROUPS.items(),
        "methods": METHOD_LABELS.items(), "rows": range(1, SCHEDULE_ROWS + 1),
    }  # fmt: skip


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """The yearly plan: Sở Nội vụ's reform officers alone (403 to anyone else)."""
    user = staff_only(request)
    if not rules.is_reform_officer(user):
        raise PermissionDenied(rules.NOT_REFORM_OFFICE)
    typed = request.POST if request.method == "POST" else QueryDict()
    error = None
    if request.method == "POST":
        try:
            plan = _create_plan(typed, user)
        except NotPermittedError as refused:
            raise PermissionDenied(refused.message) from None
        except DomainError as refused:
            error = refused
        else:
            messages.success(request, _("Đã lập kế hoạch kiểm tra."))
            return redirect(f"{_list_url()}?nam={plan.year}")
    context = {
        **_form_context(typed, error),
        "units": Unit.objects.filter(valid_to__isnull=True).order_by("type", "name"),
    }
    return render(request, "office/inspection_plan_new.html", context, status=400 if error else 200)


def _list_url() -> str:
    return reverse("office:inspections")


@login_required
@require_POST
def plan_draw(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Draw the plan's surprise inspections; the seed is shown on the list page beside the units it picked."""
    user = staff_only(request)
    plan = selectors.plans_for(user).filter(pk=plan_id).first() if plan_id < 2**31 else None
    if plan is None:
        raise Http404
    if not rules.is_reform_officer(user):
        raise PermissionDenied(rules.NOT_REFORM_OFFICE)
    form = request.POST
    try:
        count = form.get("so-don-vi", "").strip()
        if not (count.isdigit() and len(count) <= 4):
            raise DomainError("Nhập số đơn vị cần chọn.", field="count")
        draw = services.draw_surprise(plan, count=int(count), scheduled_on=_day(form.get("ngay", ""), "scheduled_on"),
                                      by=user, method=form.get("hinh-thuc") or "truc_tiep")  # fmt: skip
    except NotPermittedError as refused:
        raise PermissionDenied(refused.message) from None
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã chọn ngẫu nhiên: %(units)s (hạt giống %(seed)s).")
                         % {"units": ", ".join(draw.picked), "seed": draw.seed})  # fmt: skip
    return redirect(f"{_list_url()}?nam={plan.year}")


def divisions_led_by(user: User) -> list[Unit]:
    """The divisions a person may self-inspect: the child units of the units they lead."""
    led = {post.unit_id for post in posts_of(user) if post.role == Role.LEADER}
    return list(Unit.objects.filter(parent__in=led, valid_to__isnull=True).order_by("parent__name", "name"))


@login_required
def self_inspection_new(request: HttpRequest) -> HttpResponse:
    """A leader schedules the self-inspection of one of the divisions of their unit (403 to those who lead none)."""
    user = staff_only(request)
    divisions = divisions_led_by(user)
    if not divisions:
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị có đơn vị trực thuộc được lên lịch tự kiểm tra."))
    typed = request.POST if request.method == "POST" else QueryDict()
    error = None
    if request.method == "POST":
        try:
            division = next((d for d in divisions if d.code == typed.get("don-vi", "")), None)
            if division is None:
                raise DomainError("Chọn một đơn vị trực thuộc.", field="division")
            inspection = services.schedule_self_inspection(
                division=division, scheduled_on=_day(typed.get("ngay", ""), "scheduled_on"), by=user,
                method=typed.get("hinh-thuc", ""), content=typed.getlist("noi-dung")[:20],
            )  # fmt: skip
        except NotPermittedError as refused:
            raise PermissionDenied(refused.message) from None
        except DomainError as refused:
            error = refused
        else:
            messages.success(request, _("Đã lên lịch tự kiểm tra."))
            return redirect("office:inspection", inspection_id=inspection.pk)
    context = {**_form_context(typed, error), "divisions": divisions}
    return render(request, "office/self_inspection_new.html", context, status=400 if error else 200)
