"""The meetings pages (/can-bo/hop/): the scoped list, one meeting with its agenda and bridge points, the host's
attendance form, the minutes, the conclusion notice and its tasks; every form is offered by
`meetings.rules.available_actions` and refused there, nothing changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.downloads import serve_untrusted
from motcua.core.errors import DomainError
from motcua.organizations.models import AGENCY_TYPES, Unit, User
from motcua.reform.meetings import rules, selectors, services
from motcua.reform.meetings.lifecycle import Action
from motcua.reform.models import ConclusionNotice, Meeting, MeetingFile

from .meeting_new_views import agency_units, agenda_draft, point_draft
from .task_views import parse_day
from .views import staff_only

PAGE_SIZE = 100
CONCLUSION_ROWS = 5


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = staff_only(request)
    meetings = selectors.meetings_for(user)[:PAGE_SIZE]
    context = {"meetings": meetings, "may_schedule": selectors.is_organiser(user)}
    return render(request, "office/meeting_list.html", context)


def _meeting(request: HttpRequest, meeting_id: int) -> tuple[User, Meeting]:
    user = staff_only(request)
    found = selectors.get_meeting_for(user, meeting_id)
    if found is None:
        raise Http404
    return user, found


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user, meeting = _meeting(request, meeting_id)
    offers = {o.action.replace("-", "_"): o for o in rules.available_actions(meeting, user) if o.allowed}
    points = list(meeting.bridge_points.select_related("unit", "host"))
    notice = ConclusionNotice.objects.filter(meeting=meeting).select_related("directive").first()
    context = {
        "meeting": meeting, "offers": offers, "agenda": meeting.agenda.select_related("presenter_unit"),
        "points": [(p, rules.attendance_refusal(p, user) == "") for p in points],
        "files": meeting.files.order_by("pk"), "notice": notice,
        "tasks": notice.directive.tasks.select_related("lead_unit").order_by("position") if notice else (),
        "events": meeting.events.select_related("actor").order_by("sequence"),
        "rows": range(1, CONCLUSION_ROWS + 1),
        "units": agency_units() if {"issue_notice", "add_agenda", "add_bridge_point"} & set(offers) else (),
    }  # fmt: skip
    return render(request, "office/meeting_detail.html", context)


@login_required
@require_POST
def meeting_action(request: HttpRequest, meeting_id: int, action: str) -> HttpResponse:
    """Take an action as the rules offer it; a refusal is said on the meeting's page, nothing changed."""
    user, meeting = _meeting(request, meeting_id)
    if action not in set(Action) - {Action.CREATE}:
        raise Http404
    form = request.POST
    try:
        if action == Action.ATTENDANCE:
            point_id = form.get("diem-cau", "")[:10]
            point = meeting.bridge_points.filter(pk=int(point_id)).first() if point_id.isdigit() else None
            if point is None:
                raise DomainError("Chọn một điểm cầu của cuộc họp này.")
            services.enter_attendance(point, by=user, invited=form.get("moi", ""), present=form.get("co-mat", ""))
        elif action == Action.ADD_AGENDA:
            services.act(meeting, Action.ADD_AGENDA, actor=user, inputs=services.Inputs(agenda=agenda_draft(form)))
        elif action == Action.ADD_BRIDGE_POINT:
            point_inputs = services.Inputs(bridge_point=point_draft(form))
            services.act(meeting, Action.ADD_BRIDGE_POINT, actor=user, inputs=point_inputs)
        else:
            upload = request.FILES.get("tep")
            item = form.get("noi-dung-chuong-trinh", "")[:10]
            inputs = services.Inputs(
                reason=form.get("ly-do", ""), minutes=form.get("bien-ban", ""), number=form.get("so", ""),
                issued_on=parse_day(form.get("ngay", "")), signer_name=form.get("nguoi-ky", ""),
                conclusions=_conclusions(request), agenda_item=int(item) if item.isdigit() else None,
                file_name=upload.name or "tep" if upload else "", file_content=upload.read() if upload else None,
            )  # fmt: skip
            services.act(meeting, Action(action), actor=user, inputs=inputs)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật cuộc họp."))
    return redirect("office:meeting", meeting_id=meeting.pk)


def _conclusions(request: HttpRequest) -> list[services.Conclusion]:
    """The notice form's rows with a content; each names its lead unit, co-units and optional deadline."""
    if "ket-luan-1" not in request.POST:
        return []
    units = {u.code: u for u in Unit.objects.filter(type__in=AGENCY_TYPES)}
    found = []
    for row in range(1, CONCLUSION_ROWS + 1):
        content = request.POST.get(f"ket-luan-{row}", "")
        if not content.strip():
            continue
        lead = units.get(request.POST.get(f"chu-tri-{row}", ""))
        if lead is None:
            raise DomainError("Chọn đơn vị chủ trì cho từng kết luận.")
        typed = request.POST.get(f"han-{row}", "")
        deadline = parse_day(typed) if typed.strip() else None
        if typed.strip() and deadline is None:
            raise DomainError("Nhập hạn theo dạng dd/mm/yyyy.")
        co = tuple(units[c] for c in request.POST.getlist(f"phoi-hop-{row}")[:50] if c in units)
        found.append(services.Conclusion(content, lead, co, deadline))
    return found


@login_required
def meeting_file(request: HttpRequest, meeting_id: int, file_id: int) -> FileResponse:
    _user, meeting = _meeting(request, meeting_id)
    found = MeetingFile.objects.filter(pk=file_id, meeting=meeting).first() if file_id < 2**31 else None
    if found is None:
        raise Http404
    return serve_untrusted(found.file, content_type=found.content_type, name=found.original_name,
                           as_attachment=request.GET.get("tai-ve") == "1")  # fmt: skip
