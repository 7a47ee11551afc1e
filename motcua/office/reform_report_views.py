"""The officials' pages for periodic CCHC reports: the periods with each unit's status, a unit's report with its
editor and what the rules offer now, and the province's consolidation for Sở Nội vụ."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.errors import DomainError, NotFoundError, NotPermittedError
from motcua.organizations.models import User
from motcua.reform.models import UnitReport
from motcua.reform.reports import exports, rules, selectors, services
from motcua.reform.reports.drafts import LABELS
from motcua.reform.reports.lifecycle import Action
from motcua.reform.reports.outline import FIGURES_SECTION

from .views import staff_only

ACTIONS = {a.value: a for a in (Action.SUBMIT, Action.RETURN, Action.ACCEPT)}


def _report(user: User, period: str, unit: str) -> UnitReport:
    try:
        return selectors.get_report_for(user, period, unit)
    except NotFoundError as missing:
        raise Http404(missing.message) from None


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The periods, newest first, with the status of each report the person may read."""
    user = staff_only(request)
    try:
        periods = selectors.periods_for(user)
    except NotPermittedError as refused:
        raise PermissionDenied(refused.message) from None
    return render(request, "office/reform_reports.html", {"periods": periods, "reads_all": rules.reads_all(user)})


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    """A unit's report: its figures, its sections (editable while the rules allow it), its history."""
    user = staff_only(request)
    report = _report(user, period, unit)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        keys = [s["key"] for s in report.outline.sections]
        typed = {key: request.POST[key] for key in keys if key in request.POST}
        try:
            services.act(report, Action.EDIT, actor=user, sections=typed)
        except NotPermittedError as refused:
            raise PermissionDenied(refused.message) from None
        except ValidationError as refused:
            errors = refused.message_dict
            messages.error(request, _("Nội dung báo cáo chưa hợp lệ; xem từng mục."))
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect("office:reform-report", period=period, unit=report.unit.code)
    shown = selectors.view(report)
    offered = rules.available_actions(report, user)
    context = {
        "v": shown,
        "sections": [{**section, "errors": errors.get(section["key"], [])} for section in shown.sections],
        "r": report,
        "rows": [(LABELS[k], shown.values.get(k, 0)) for k in LABELS],
        "after": [(LABELS[k], shown.after_cutoff.get(k, 0)) for k in LABELS] if shown.after_cutoff else None,
        "figures_section": FIGURES_SECTION,
        "can_edit": any(o.action == Action.EDIT and o.allowed for o in offered),
        "offers": [o for o in offered if o.action != Action.EDIT],
        "errors": errors,
        "events": selectors.events_of(report),
    }
    return render(request, "office/reform_report.html", context)


@login_required
@require_POST
def report_action(request: HttpRequest, period: str, unit: str, action: str) -> HttpResponse:
    """Submit, return or accept: a person the rules do not entitle is refused (403); a state that refuses it now
    (closed, locked, before the cut-off) is said on the page, nothing changed."""
    user = staff_only(request)
    report = _report(user, period, unit)
    if action not in ACTIONS:
        raise Http404
    try:
        services.act(report, ACTIONS[action], actor=user, reason=request.POST.get("ly-do", ""))
    except NotPermittedError as refused:
        raise PermissionDenied(refused.message) from None
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật báo cáo."))
    return redirect("office:reform-report", period=period, unit=report.unit.code)


@login_required
def report_file(request: HttpRequest, period: str, unit: str, fmt: str) -> HttpResponse:
    user = staff_only(request)
    shown = selectors.view(_report(user, period, unit))
    response = HttpResponse(exports.render(shown, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(shown, fmt)}"'
    return response


@login_required
def consolidation(request: HttpRequest, period: str) -> HttpResponse:
    """The province's consolidation (Sở Nội vụ, the province monitor); `?tai-ve=xlsx` as the Excel appendix."""
    user = staff_only(request)
    try:
        found = selectors.consolidation_for(user, period)
    except NotPermittedError as refused:
        raise PermissionDenied(refused.message) from None
    except NotFoundError as missing:
        raise Http404(missing.message) from None
    if request.GET.get("tai-ve") == "xlsx":
        response = HttpResponse(exports.consolidation_xlsx(found), content_type=exports.CONTENT_TYPES["xlsx"])
        response["Content-Disposition"] = f'attachment; filename="tong-hop-bao-cao-cchc-{period}.xlsx"'
        return response
    totals = [(label, found.totals.get(key, 0)) for key, label in LABELS.items()]
    context = {"c": found, "period": period, "totals": totals}
    return render(request, "office/reform_consolidation.html", context)
