"""Scheduling a meeting from the officials' pages (/can-bo/hop/moi/): kind, chair, form, schedule, link, agenda items
and bridge points with their hosts. Only the organisers `meetings.selectors.is_organiser` names may; the service
checks again and writes. The rows typed here are parsed into the service's drafts; its refusals show on the form
(400), nothing saved."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.organizations.models import AGENCY_TYPES, Unit, User
from motcua.reform.meetings import rules, selectors, services
from motcua.reform.meetings.lifecycle import FORM_LABELS, KIND_LABELS
from motcua.reform.models import Meeting

from .task_views import parse_day
from .views import staff_only

FORM_ROWS = 5  # agenda items and bridge points typed at once; more are added on the meeting's page


def agency_units() -> list[Unit]:
    return list(Unit.objects.filter(type__in=AGENCY_TYPES, valid_to__isnull=True).order_by("type", "name"))


def _clock_time(text: str, key: str) -> time:
    try:
        return datetime.strptime(text.strip()[:5], "%H:%M").time()  # noqa: DTZ007  # a time of day, no instant
    except ValueError:
        raise DomainError("Nhập giờ theo dạng hh:mm.", field=key) from None


def unit_by_code(code: str, key: str) -> Unit:
    found = Unit.objects.filter(code=code[:40], type__in=AGENCY_TYPES).first() if code else None
    if found is None:
        raise DomainError("Chọn một đơn vị trong danh sách.", field=key)
    return found


def official(username: str, key: str) -> User:
    found = User.objects.filter(username=username.strip()[:150]).first() if username.strip() else None
    if found is None:
        raise DomainError("Không có cán bộ với tên đăng nhập đã nhập.", field=key)
    return found


def agenda_draft(form: QueryDict, suffix: str = "") -> services.AgendaDraft:
    return services.AgendaDraft(
        form.get(f"noi-dung{suffix}", ""), unit_by_code(form.get(f"trinh-bay{suffix}", ""), "presenter_unit")
    )


def point_draft(form: QueryDict, suffix: str = "") -> services.BridgePointDraft:
    return services.BridgePointDraft(
        unit_by_code(form.get(f"diem-cau{suffix}", ""), "bridge_points"),
        form.get(f"dia-diem{suffix}", ""),
        official(form.get(f"phu-trach{suffix}", ""), "host"),
    )


def _create(form: QueryDict, user: User) -> Meeting:
    day = parse_day(form.get("ngay", ""))
    if day is None:
        raise DomainError("Nhập ngày họp theo dạng dd/mm/yyyy.", field="starts_at")
    starts = datetime.combine(day, _clock_time(form.get("bat-dau", ""), "starts_at"), tzinfo=clock.VIETNAM)
    ends = datetime.combine(day, _clock_time(form.get("ket-thuc", ""), "ends_at"), tzinfo=clock.VIETNAM)
    rows = range(1, FORM_ROWS + 1)
    agenda = [agenda_draft(form, f"-{row}") for row in rows if form.get(f"noi-dung-{row}", "").strip()]
    points = [point_draft(form, f"-{row}") for row in rows if form.get(f"diem-cau-{row}", "")]
    return services.create_meeting(
        by=user, kind=form.get("loai", ""), title=form.get("ten", ""),
        chair=official(form.get("chu-tri", ""), "chair"),
        form=form.get("hinh-thuc", ""), starts_at=starts, ends_at=ends, video_link=form.get("duong-dan", ""),
        agenda=agenda, bridge_points=points,
    )  # fmt: skip


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    """The form to schedule a meeting; refused (403) to anyone but the organisers."""
    user = staff_only(request)
    if not selectors.is_organiser(user):
        raise PermissionDenied(rules.NOT_ORGANISER)
    typed = request.POST if request.method == "POST" else QueryDict()
    error = None
    if request.method == "POST":
        try:
            meeting = _create(typed, user)
        except DomainError as refused:
            error = refused
        else:
            messages.success(request, _("Đã lên lịch cuộc họp."))
            return redirect("office:meeting", meeting_id=meeting.pk)
    context = {
        "error": error, "typed": {key.replace("-", "_"): typed.get(key, "")[:500] for key in typed},
        "rows": range(1, FORM_ROWS + 1), "units": agency_units(),
        "kinds": KIND_LABELS.items(), "forms": FORM_LABELS.items(),
    }  # fmt: skip
    return render(request, "office/meeting_new.html", context, status=400 if error else 200)
