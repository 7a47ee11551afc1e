"""The officials' pages for CCHC inspections: the year's plan with its inspections and each unit's self-inspection
coverage, one inspection with its findings (and the dossiers behind them), its conclusion and the tasks it made, and
each action the rules offer now."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.errors import DomainError, NotPermittedError
from motcua.organizations.models import User
from motcua.reform.inspections import rules, selectors, services
from motcua.reform.inspections.lifecycle import CONTENT_GROUPS, FINDING_KIND_LABELS, KIND_LABELS, METHOD_LABELS, Action
from motcua.reform.models import Inspection

from .inspection_plan_views import divisions_led_by
from .views import staff_only

ACTIONS = {a.value: a for a in Action if a != Action.CREATE}


def _inspection(user: User, inspection_id: int) -> Inspection:
    found = selectors.get_inspection_for(user, inspection_id)
    if found is None:
        raise Http404(_("Không tìm thấy cuộc kiểm tra trong phạm vi của bạn."))
    return found


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    """The year's plans and inspections the person sees, and the self-inspection coverage of the units they answer
    for (all of them for Sở Nội vụ and the monitor)."""
    user = staff_only(request)
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else clock.today().year
    context = {
        "year": year,
        "plans": selectors.plans_for(user).filter(year=year),
        "inspections": selectors.inspections_for(user).filter(year=year),
        "coverage": selectors.coverage_for(user, year),
        "kinds": KIND_LABELS,
        "methods": METHOD_LABELS,
        "may_plan": rules.is_reform_officer(user),
        "may_self_inspect": bool(divisions_led_by(user)),
    }
    return render(request, "office/inspections.html", context)


@login_required
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    user = staff_only(request)
    inspection = _inspection(user, inspection_id)
    context = {
        "i": inspection,
        "content": [CONTENT_GROUPS[key] for key in inspection.content if key in CONTENT_GROUPS],
        "content_choices": [(key, CONTENT_GROUPS[key]) for key in inspection.content if key in CONTENT_GROUPS],
        "finding_kinds": FINDING_KIND_LABELS,
        "findings": inspection.findings.prefetch_related("dossiers"),
        "recommendations": inspection.recommendations.select_related("task", "owner_unit"),
        "offers": rules.available_actions(inspection, user),
        "events": inspection.events.select_related("actor").order_by("sequence"),
        "kind": KIND_LABELS.get(inspection.kind, ""),  # type: ignore[call-overload]
        "method": METHOD_LABELS.get(inspection.method, ""),  # type: ignore[call-overload]
    }
    return render(request, "office/inspection.html", context)


def _date(raw: str) -> date | None:
    try:
        day, month, year = (int(part) for part in raw.strip().split("/"))
        return date(year, month, day)
    except ValueError:
        return None


@login_required
@require_POST
def inspection_action(request: HttpRequest, inspection_id: int, action: str) -> HttpResponse:
    """Take an action: a person the rules do not entitle is refused (403); what the state refuses is said on the
    page, nothing changed. Recommendations are typed one a line."""
    user = staff_only(request)
    inspection = _inspection(user, inspection_id)
    if action not in ACTIONS:
        raise Http404
    post = request.POST
    lines = [line for line in post.get("kien-nghi", "")[:200_000].splitlines() if line.strip()]
    inputs = services.Inputs(
        reason=post.get("ly-do", ""), text=post.get("noi-dung", ""), content_item=post.get("nhom", ""),
        finding_kind=post.get("loai", "khac"), severity=post.get("muc-do", "nhe"),
        dossier_codes=tuple(code.strip() for code in post.get("ho-so", "")[:20_000].split(",") if code.strip()),
        conclusion_number=post.get("so", ""), conclusion_on=_date(post.get("ngay", "")),
        recommendations=tuple(services.RecommendationDraft(line) for line in lines),
    )  # fmt: skip
    try:
        services.act(inspection, ACTIONS[action], actor=user, inputs=inputs)
    except NotPermittedError as refused:
        raise PermissionDenied(refused.message) from None
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật cuộc kiểm tra."))
    return redirect("office:inspection", inspection_id=inspection.pk)
