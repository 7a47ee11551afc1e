"""The directives-and-tasks pages (/can-bo/chi-dao/): the scoped list with filters, the directive entry form of Văn
phòng UBND tỉnh, one task with its timeline and the actions `rules.available_actions` offers, evidence, KPIs."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.downloads import serve_untrusted
from motcua.core.errors import DomainError
from motcua.organizations.models import AGENCY_TYPES, Unit, User
from motcua.reform.models import KpiSnapshot, Task, TaskEvidence
from motcua.reform.models.tasks import PeriodKind
from motcua.reform.tasks import kpi, rules, selectors, services
from motcua.reform.tasks.clocks import time_state
from motcua.reform.tasks.lifecycle import (
    LEADER_POSITION_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    TIME_STATE_LABELS,
    URGENCY_LABELS,
    Action,
    Status,
    TimeState,
)
from motcua.worktime.selectors import calendars_for

from .views import staff_only

PAGE_SIZE = 100
FORM_ROWS = 5
MARKS = {TimeState.OVERDUE: "overdue", TimeState.NEAR_DUE: "near-due"}


def parse_day(text: str) -> date | None:
    """A day typed as dd/mm/yyyy (or yyyy-mm-dd from a date picker); None when empty or not a day."""
    text = text.strip()[:10]
    for shape in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, shape).date()  # noqa: DTZ007  # a calendar day, no instant
        except ValueError:
            continue
    return None


def _rows(tasks: list[Task]) -> list[tuple[Task, str, str]]:
    calendars, now = calendars_for({t.lead_unit_id for t in tasks}), clock.now()
    rows = []
    for task in tasks:
        state = time_state(
            calendars[task.lead_unit_id], Status(task.status), task.due_at, now, task.completion_asked_at
        )
        rows.append((task, TIME_STATE_LABELS[state] if state else "", MARKS.get(state, "") if state else ""))
    return rows


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The tasks a person sees, the nearest deadline first, filtered by status, lead unit and time state."""
    user = staff_only(request)
    tasks = selectors.tasks_for(user)
    status, unit, state = (request.GET.get(k, "")[:40] for k in ("trang-thai", "don-vi", "thoi-han"))
    if status.isdigit() and int(status) in set(Status):
        tasks = tasks.filter(status=int(status))
    if unit:
        tasks = tasks.filter(lead_unit__code=unit)
    directive = request.GET.get("chi-dao", "")[:18]
    if directive.isdigit():
        tasks = tasks.filter(directive_id=int(directive))
    if state in set(TimeState):
        tasks = selectors.with_time_state(tasks, state, clock.now())
    context = {
        "rows": _rows(list(tasks[:PAGE_SIZE])),
        "statuses": STATUS_LABELS.items(),
        "states": TIME_STATE_LABELS.items(),
        "units": _units(user),
        "chosen": {"status": status, "unit": unit, "state": state},
        "is_tracker": selectors.is_tracker(user),
    }
    return render(request, "office/task_list.html", context)


def _units(user: User) -> list[Unit]:
    scope = selectors.scope_of(user)
    units = Unit.objects.filter(type__in=AGENCY_TYPES, valid_to__isnull=True).order_by("type", "name")
    return list(units if scope is None else units.filter(pk__in=scope))


@login_required
def directive_new(request: HttpRequest) -> HttpResponse:
    """Văn phòng UBND tỉnh enters a directive and its tasks; the entry SLA is shown once saved."""
    user = staff_only(request)
    if not selectors.is_tracker(user):
        raise PermissionDenied(rules.NOT_TRACKER)
    typed = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            directive = services.create_directive(
                source_kind=typed.get("nguon", ""), source_number=typed.get("so", ""),
                source_date=_required_day(typed.get("ngay", ""), "source_date"),
                leader_name=typed.get("lanh-dao", ""), leader_position=typed.get("chuc-vu", ""),
                urgency=typed.get("do-khan", ""), summary=typed.get("trich-yeu", ""), by=user,
                tasks=_drafts(request),
            )  # fmt: skip
        except DomainError as refused:
            error = refused
        else:
            late = _("cập nhật chậm so với thời hạn") if directive.is_entered_late else _("cập nhật đúng thời hạn")
            messages.success(request, _("Đã cập nhật chỉ đạo, %(late)s.") % {"late": late})
            return redirect(f"{reverse('office:tasks')}?chi-dao={directive.pk}")
    context = {
        "error": error, "typed": typed, "leader_typed": typed.get("lanh-dao", ""), "rows": range(1, FORM_ROWS + 1),
        "units": _units(user),
        "sources": SOURCE_LABELS.items(), "urgencies": URGENCY_LABELS.items(),
        "positions": LEADER_POSITION_LABELS.items(),
    }  # fmt: skip
    return render(request, "office/directive_new.html", context, status=400 if error else 200)


def _required_day(text: str, key: str) -> date:
    day = parse_day(text)
    if day is None:
        raise DomainError("Nhập ngày theo dạng dd/mm/yyyy.", field=key)
    return day


def _drafts(request: HttpRequest) -> list[services.TaskDraft]:
    """The rows of the form with a content; each names its lead unit, co-units and optional deadline."""
    units = {u.code: u for u in Unit.objects.filter(type__in=AGENCY_TYPES)}
    drafts = []
    for row in range(1, FORM_ROWS + 1):
        content = request.POST.get(f"noi-dung-{row}", "")
        if not content.strip():
            continue
        lead = units.get(request.POST.get(f"chu-tri-{row}", ""))
        if lead is None:
            raise DomainError("Chọn đơn vị chủ trì cho từng nhiệm vụ.", field="lead_unit")
        typed_deadline = request.POST.get(f"han-{row}", "")
        deadline = _required_day(typed_deadline, "deadline") if typed_deadline.strip() else None
        co = tuple(units[c] for c in request.POST.getlist(f"phoi-hop-{row}")[:50] if c in units)
        drafts.append(services.TaskDraft(content, lead, co, deadline, request.POST.get(f"san-pham-{row}", "")))
    return drafts


def _task(request: HttpRequest, task_id: int) -> tuple[User, Task]:
    user = staff_only(request)
    found = selectors.get_task_for(user, task_id) if task_id < 2**31 else None
    if found is None:
        raise Http404
    return user, found


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    user, task = _task(request, task_id)
    offers = [offer for offer in rules.available_actions(task, user) if offer.allowed]
    context = {
        "task": task, "row": _rows([task])[0], "offers": offers,
        "events": task.events.select_related("actor").order_by("sequence"),
        "evidence": task.evidence.order_by("pk"), "co_units": task.co_units.order_by("name"),
    }  # fmt: skip
    return render(request, "office/task_detail.html", context)


@login_required
@require_POST
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    """Take an action as the rules offer it; a refusal is said on the task's page, nothing changed."""
    user, task = _task(request, task_id)
    if action not in set(Action) - {Action.CREATE}:
        raise Http404
    form = request.POST
    percent = form.get("tien-do", "")
    files = [
        services.Evidence(upload.name or "tep", upload.read(), is_product=key == "san-pham")
        for key in ("san-pham", "minh-chung")
        if (upload := request.FILES.get(key)) is not None
    ]
    inputs = services.Inputs(
        reason=form.get("ly-do", ""), percent=int(percent) if percent.isdigit() and len(percent) < 4 else None,
        text=form.get("noi-dung", ""), document_number=form.get("so-van-ban", ""), files=files,
        new_deadline=parse_day(form.get("han-moi", "")),
        approve={"co": True, "khong": False}.get(form.get("dong-y", "")),
    )  # fmt: skip
    try:
        services.act(task, Action(action), actor=user, inputs=inputs)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã cập nhật nhiệm vụ."))
    return redirect("office:task", task_id=task.pk)


@login_required
def task_file(request: HttpRequest, task_id: int, file_id: int) -> FileResponse:
    """A file sent with a progress report, for those who see the task."""
    _user, task = _task(request, task_id)
    found = TaskEvidence.objects.filter(pk=file_id, task=task).first() if file_id < 2**31 else None
    if found is None:
        raise Http404
    return serve_untrusted(found.file, content_type=found.content_type, name=found.original_name,
                           as_attachment=request.GET.get("tai-ve") == "1")  # fmt: skip


@login_required
def task_kpis(request: HttpRequest) -> HttpResponse:
    """Each unit's results: the live figures of a period, and the published ones; the tracker publishes."""
    user = staff_only(request)
    today = clock.today()
    kind = request.GET.get("ky", request.POST.get("ky", PeriodKind.QUARTER))
    kind = kind if kind in PeriodKind.values else PeriodKind.QUARTER
    year_text, number_text = (request.GET.get(k, request.POST.get(k, ""))[:4] for k in ("nam", "so"))
    year = int(year_text) if year_text.isdigit() else today.year
    number = int(number_text) if number_text.isdigit() else (today.month - 1) // 3 + 1
    period = kpi.Period(PeriodKind(kind), year, number)
    if request.method == "POST":
        if not selectors.is_tracker(user):
            raise PermissionDenied(rules.NOT_TRACKER)
        try:
            kpi.publish(period, by=user)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Đã công bố kết quả thực hiện nhiệm vụ của kỳ."))
        return redirect(f"{request.path}?ky={kind}&nam={year}&so={number}")
    try:
        period.check()
    except DomainError:
        raise Http404 from None
    scope = selectors.scope_of(user)
    live = kpi.compute(period.first, period.last, unit_ids=scope)
    names = dict(Unit.objects.filter(pk__in=[k.unit_id for k in live]).values_list("pk", "name"))
    published = KpiSnapshot.objects.filter(period_kind=kind, year=year, number=number).select_related("unit")
    if scope is not None:
        published = published.filter(unit__in=scope)
    context = {
        "period": period, "live": [(names[k.unit_id], k) for k in live], "published": published.order_by("unit__name"),
        "kinds": PeriodKind.choices, "is_tracker": selectors.is_tracker(user),
    }  # fmt: skip
    return render(request, "office/task_kpis.html", context)
