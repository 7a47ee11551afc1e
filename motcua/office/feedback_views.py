"""The handlers' pages for feedback cases: their list by due time, and one case with what the rules offer now."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.downloads import serve_untrusted
from motcua.core.errors import DomainError
from motcua.feedback import publication, rules, selectors, services
from motcua.feedback.forms import ReceptionForm
from motcua.feedback.lifecycle import OPEN, TOPIC_CHOICES, Action, Channel
from motcua.feedback.models import FeedbackAttachment, FeedbackCase
from motcua.organizations.models import Unit
from motcua.worktime.selectors import calendars_for

from .views import staff_only, urgency

PAGE_SIZE = 100


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases a leader or the province monitor handles, open ones first, the nearest due at the top."""
    user = staff_only(request)
    cases = selectors.cases_for(user)
    open_cases = list(cases.filter(status__in=OPEN)[:PAGE_SIZE])
    closed = list(cases.exclude(status__in=OPEN).order_by("-received_at")[:PAGE_SIZE])
    calendars, now = calendars_for({case.handling_unit_id for case in open_cases}), clock.now()
    rows = [(case, urgency(case.due_at, calendars[case.handling_unit_id], now)) for case in open_cases]
    context = {"rows": rows, "closed": closed, "skipped": selectors.skipped_level_by_unit(cases)}
    return render(request, "office/feedback_list.html", context)


def _case(request: HttpRequest, code: str) -> tuple[FeedbackCase, list[rules.Offer]]:
    user = staff_only(request)
    case = (
        FeedbackCase.objects.select_related("dossier", "handling_unit", "reported_official").filter(code=code).first()
    )
    if case is None:
        raise Http404
    if not rules.may_read(user, case):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị xử lý và cán bộ giám sát cấp tỉnh xem được phản ánh này."))
    return case, rules.offers(case, user)


@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    case, offered = _case(request, code)
    allowed = [o for o in offered if o.allowed]
    context = {"case": case, "offers": allowed, "events": case.events.order_by("sequence")}
    if any(o.action == Action.PUBLISH for o in allowed):  # the approver reads the public text beside the original
        context["public"] = publication.draft(case)
    if any(o.action in (Action.FORWARD, Action.OPEN_CHILD) for o in allowed):
        context["units"] = selectors.subject_units(case.handling_unit.province_code).exclude(pk=case.handling_unit_id)
    context["topics"] = TOPIC_CHOICES
    context["attachments"] = FeedbackAttachment.objects.filter(case__in=[case.pk, case.parent_id or 0]).order_by("pk")
    context["children"] = case.children.select_related("handling_unit").order_by("pk")
    return render(request, "office/feedback_detail.html", context)


@login_required
@require_POST
def case_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    case, _offered = _case(request, code)
    if action not in set(Action) - {Action.FILE}:
        raise Http404
    verified = {"co": True, "khong": False}.get(request.POST.get("dung", ""))
    public, unit = None, None
    if action in (Action.FORWARD, Action.OPEN_CHILD):
        unit = Unit.objects.filter(code=request.POST.get("don-vi", "")[:40]).first()
    if action == Action.PUBLISH:
        public = publication.PublicText(request.POST.get("cau-hoi", ""), request.POST.get("tra-loi", ""))
    try:
        services.act(
            case, Action(action), actor=staff_only(request), reason=request.POST.get("ly-do", ""), verified=verified,
            public=public, unit=unit, topic=request.POST.get("phan-loai", ""),
        )  # fmt: skip
    except DomainError as refused:  # not permitted or not now: nothing changed, said on the page
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật phản ánh %(code)s.") % {"code": case.code})
    return redirect("office:feedback-case", code=case.code)


@login_required
def reception(request: HttpRequest) -> HttpResponse:
    """Tiếp công dân: a case given at the desk or by phone, written down and filed for the citizen, who leaves with
    its code and secret. Sent to this desk's unit: above the competent unit, it is a vượt cấp case."""
    user = staff_only(request)
    desk = rules.desk_of(user)
    if desk is None:
        raise PermissionDenied(rules.NOT_AT_DESK)
    form = ReceptionForm(request.POST or None, request.FILES or None, initial={"submission_key": uuid.uuid4().hex})
    if form.is_bound and form.is_valid():
        typed = form.cleaned_data
        intake = form.intake(
            signed=typed["signed_paper"], channel=Channel(typed["channel"]), received_at=Unit.objects.get(pk=desk)
        )
        case = form.file(intake, taken_by=user)
        if case is not None:
            return render(request, "office/reception_done.html", {"case": case})
    return render(request, "office/reception.html", {"form": form})


@login_required
def case_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    """A paper sent with a case (or with the case it was given from), for those who may read the case."""
    case, _offered = _case(request, code)
    found = FeedbackAttachment.objects.filter(pk=file_id, case__in=[case.pk, case.parent_id or 0]).first()
    if found is None:
        raise Http404
    return serve_untrusted(found.file, content_type=found.content_type, name=found.original_name,
                           as_attachment=request.GET.get("tai-ve") == "1")  # fmt: skip
