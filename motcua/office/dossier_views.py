"""Officers' dossier screens: the work list, counter intake, the dossier page with its actions and forms."""

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalogue.models import Case, Channel, Component, Fee
from motcua.catalogue.selectors import get_version_on, limit_for, search_procedures
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.formatting import format_vnd
from motcua.documents.forms import FORMS, HAND_OVERS, render_form
from motcua.dossiers import drafts, services
from motcua.dossiers.lifecycle import ACTION_LABELS, OPEN, Action, Actor, Status, available
from motcua.dossiers.models import ApplicantKind, FeeCollection, StepTask
from motcua.dossiers.processing import Rating, StepState
from motcua.dossiers.selectors import get_dossier_for, queue_page
from motcua.organizations.models import Role, Unit, User
from motcua.organizations.selectors import current_memberships_of
from motcua.worktime.selectors import calendars_for

from . import worklists
from .views import staff_only, urgency


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    """List the dossiers of the officer's units by due instant, near-due and overdue marked."""
    user = staff_only(request)
    # The work queue: open dossiers by default, the nearest deadline first.
    status = request.GET.get("trang-thai", "mo")
    statuses = [int(status)] if status.isdigit() else OPEN if status == "mo" else None
    number = request.GET.get("trang", "1")
    page = queue_page(user, statuses=statuses, number=int(number) if number.isdigit() else 1)
    now = clock.now()
    calendars = calendars_for(row.competent_unit_id for row in page.rows)
    running = {Status.RECEIVED, Status.PROCESSING}
    rows = [
        (row, urgency(row.due_at if row.status in running else None, calendars[row.competent_unit_id], now))
        for row in page.rows
    ]
    context = {
        "page": page,
        "table_rows": worklists.dossier_rows(rows, dossier_url=reverse("office:dossiers")),
        "status": status,
        "statuses": [(s.value, s.label) for s in Status],
    }
    return render(request, "office/dossier_list.html", context)


@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a dossier: facts, papers, timeline, printed forms, and the actions this officer may take now."""
    user = staff_only(request)
    dossier = get_dossier_for(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi của bạn."))
    steps = list(dossier.steps.select_related("unit", "assignee").order_by("position"))
    current = next((s for s in steps if s.state == StepState.ACTIVE), None)
    capacities = services.actors_of(user, dossier, current)
    actions = [
        (t.action.value, t.label(), t.guards)
        for t in available(Status(dossier.status), capacities)
        if t.action not in HIDDEN_ACTIONS and _fits(t.action, current, steps, user)
    ]
    events = dossier.events.select_related("actor", "unit").order_by("sequence")
    forms_available = sorted({e.form for e in events if e.form in FORMS})
    if current is not None or any(e.action in HAND_OVERS for e in events):
        forms_available.append("06")
    context = {
        "dossier": dossier,
        "status_label": Status(dossier.status).label,
        "papers": dossier.components.select_related("component").order_by("component__position"),
        "events": events,
        "actions": actions,
        "case_components": Component.objects.filter(case=dossier.case).order_by("position"),
        "forms": [(number, FORMS[number]) for number in forms_available],
        "action_labels": ACTION_LABELS,
        "steps": steps,
        "current": current,
        "results": dossier.results.order_by("created_at"),
        "can_attach": current is not None
        and dossier.status == Status.PROCESSING
        and capacities & {Actor.STEP_OFFICER, Actor.HOLDING_LEADER},
        "assignable": services.assignable_to(current)
        if current and Action.ASSIGN.value in {a for a, _l, _g in actions}
        else [],
        "return_channels": services.RETURN_CHANNELS.items(),
        "ratings": [(r.value, r.label) for r in Rating],
    }
    return render(request, "office/dossier_detail.html", context)


# Shown as buttons only where they fit the current step; recomputation is the system's own.
HIDDEN_ACTIONS = {Action.RECOMPUTE_DUE}


def _fits(action: Action, current: StepTask | None, steps: list[StepTask], user: User) -> bool:
    """Offer only the hand-over that fits the current step, and claiming only an unassigned step."""
    if action not in {Action.CLAIM, Action.COMPLETE_STEP, Action.TRANSFER, Action.COMPLETE, Action.RETURN_STEP}:
        return True
    if current is None:
        return action is Action.COMPLETE and not steps
    following = next((s for s in steps if s.position > current.position), None)
    if action is Action.CLAIM:
        return current.assignee_id is None
    if action is Action.RETURN_STEP:
        return current.position > steps[0].position
    if current.assignee_id not in {None, user.pk}:
        return False
    if action is Action.COMPLETE:
        return following is None
    same_unit = following is not None and following.unit_id == current.unit_id
    return same_unit if action is Action.COMPLETE_STEP else following is not None and not same_unit


def _inputs(request: HttpRequest) -> services.Inputs:
    post = request.POST
    assignee = None
    if post.get("nguoi-xu-ly"):
        assignee = User.objects.filter(pk=post["nguoi-xu-ly"], kind="staff").first()
    new_due = None
    if post.get("han-moi"):
        try:
            new_due = datetime.strptime(post["han-moi"], "%Y-%m-%dT%H:%M").replace(tzinfo=clock.VIETNAM)
        except ValueError as error:
            raise DomainError(_("Ngày hẹn trả mới không hợp lệ."), field="new_due_at") from error
    evaluation = None
    if post.get("tong-the", "").isdigit():
        overall = Rating(int(post["tong-the"]))
        convenience = Rating(int(post["thuan-tien"])) if post.get("thuan-tien", "").isdigit() else overall
        evaluation = services.Evaluation(convenience, overall, post.get("y-kien", ""))
    guidance = post.get("huong-dan", "").strip()  # printed on Form 03 (refusal)
    return services.Inputs(
        assignee=assignee,
        new_due_at=new_due,
        return_channel=post.get("hinh-thuc", ""),
        evaluation=evaluation,
        extra={"guidance": guidance} if guidance else {},
    )


@login_required
@require_POST
def dossier_result(request: HttpRequest, code: str) -> HttpResponse:
    """Attach a result PDF to the dossier at its current step."""
    user = staff_only(request)
    dossier = get_dossier_for(user, code)
    if dossier is None:
        raise Http404
    upload = request.FILES.get("tep")
    try:
        if upload is None:
            raise DomainError(_("Cần chọn tệp PDF kết quả."), field="file")
        if upload.size is not None and upload.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
            raise DomainError(_("Tệp kết quả quá lớn."), field="file")
        services.attach_result(dossier, actor=user, title=request.POST.get("ten", ""), pdf=upload.read())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã đính kèm kết quả giải quyết."))
    return redirect("office:dossier", code=code)


@login_required
@require_POST
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Run one action from the dossier page through the dossier service."""
    user = staff_only(request)
    dossier = get_dossier_for(user, code)
    if dossier is None or action not in {a.value for a in Action} - {Action.SUBMIT, Action.RECEIVE, *HIDDEN_ACTIONS}:
        raise Http404
    supplements = tuple(
        services.SupplementRequest(component.pk, request.POST.get(f"ly-do-{component.pk}", ""))
        for component in Component.objects.filter(case=dossier.case)
        if request.POST.get(f"bo-sung-{component.pk}")
    )
    try:
        services.perform(
            dossier,
            Action(action),
            actor=user,
            reason=request.POST.get("ly-do", ""),
            supplements=supplements,
            inputs=_inputs(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": ACTION_LABELS[Action(action)]})
    return redirect("office:dossier", code=code)


@login_required
def dossier_form_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    user = staff_only(request)
    dossier = get_dossier_for(user, code)
    if dossier is None or number not in FORMS:
        raise Http404
    try:
        pdf = render_form(dossier, number)
    except DomainError as error:
        raise Http404(error.message) from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{number}.pdf"'
    return response


class IntakeForm(forms.Form):
    """Counter intake: the papers are exactly the pinned case's components, nothing can be added."""

    # The officer's own counter comes preselected and the name field takes the cursor: the form is typed through.
    receiving_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Đơn vị tiếp nhận"), empty_label=None
    )
    channel = forms.TypedChoiceField(
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
        coerce=int,
        label=_("Hình thức nộp"),
    )
    commune = forms.CharField(label=_("Mã xã, phường nơi cư trú"), required=False, max_length=5)
    applicant_kind = forms.ChoiceField(choices=ApplicantKind.choices, label=_("Người nộp là"))
    name = forms.CharField(
        label=_("Họ và tên người nộp"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
    citizen_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=12, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=10, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    organisation_name = forms.CharField(label=_("Tên tổ chức"), max_length=300, required=False)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14, required=False)
    representative = forms.CharField(label=_("Người đại diện (tổ chức)"), max_length=200, required=False)
    owner_name = forms.CharField(label=_("Chủ hồ sơ (nếu khác người nộp)"), max_length=200, required=False)
    owner_address = forms.CharField(label=_("Địa chỉ chủ hồ sơ"), max_length=500, required=False)
    fee = forms.ModelChoiceField(
        queryset=Fee.objects.none(), label=_("Phí, lệ phí áp dụng"), required=False, empty_label=_("Không thu")
    )
    fee_collection = forms.ChoiceField(
        choices=[(FeeCollection.BEFORE, FeeCollection.BEFORE.label), (FeeCollection.AFTER, FeeCollection.AFTER.label)],
        label=_("Thời điểm thu phí"),
        required=False,
    )
    # New with each blank form; a double click or a resend carries the same one, and the dossier is received once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, officer: User, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = current_memberships_of(officer).filter(role=Role.ONE_STOP_OFFICER).values_list("unit", flat=True)
        self.fields["receiving_unit"].queryset = Unit.objects.filter(pk__in=units)  # type: ignore[attr-defined]
        # Only the fees the catalogue lists can be chosen; the service checks them against the channel chosen.
        limit = limit_for(case, Channel.COUNTER)
        fees = limit.fees.order_by("position") if limit else Fee.objects.none()
        self.fields["fee"].queryset = fees  # type: ignore[attr-defined]
        self.fields["fee"].label_from_instance = _fee_label  # type: ignore[attr-defined]
        self.components = list(Component.objects.filter(case=case).order_by("position"))
        for component in self.components:
            for prefix in ("goc", "sao"):
                self.fields[f"{prefix}-{component.pk}"] = forms.IntegerField(
                    min_value=0, max_value=99, initial=0, required=False
                )
            self.fields[f"so-hoa-{component.pk}"] = forms.BooleanField(required=False)

    def papers(self, *, scanned: set[int]) -> tuple[services.Paper, ...]:
        data = self.cleaned_data
        papers = (
            services.Paper(
                c.pk,
                data.get(f"goc-{c.pk}") or 0,
                data.get(f"sao-{c.pk}") or 0,
                bool(data.get(f"so-hoa-{c.pk}")) or c.pk in scanned,
            )
            for c in self.components
        )
        return tuple(p for p in papers if p.originals + p.copies > 0 or p.is_digitised)


def _fee_label(fee: Fee) -> str:
    text = fee.description.strip() or _("Phí, lệ phí")
    return f"{text}: {format_vnd(fee.amount)}" if fee.amount else text


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Receive a dossier at the counter: find the procedure, tick the papers, print the receipt."""
    officer = staff_only(request)
    query = request.GET.get("q", "").strip()
    version = get_version_on(request.GET.get("thu-tuc", ""))
    if version is None:
        hits = search_procedures(query)[:15] if query else []
        return render(request, "office/intake_search.html", {"query": query, "hits": hits})
    cases = list(version.cases.order_by("position"))
    case = next((c for c in cases if str(c.position) == request.GET.get("truong-hop", "0")), cases[0])
    form = IntakeForm(request.POST or None, officer=officer, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applicant = services.Applicant(
            kind=data["applicant_kind"],
            name=data["name"],
            citizen_id=data["citizen_id"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            organisation_name=data["organisation_name"],
            tax_code=data["tax_code"],
            representative=data["representative"],
            owner_name=data["owner_name"],
            owner_address=data["owner_address"],
        )
        fee = data["fee"]
        sent_files = {c: request.FILES.get(f"tep-{c.pk}") for c in form.components}
        scans = {c: sent for c, sent in sent_files.items() if isinstance(sent, UploadedFile)}
        filing = services.Filing(
            case.pk,
            data["channel"],
            applicant,
            form.papers(scanned={c.pk for c in scans}),
            data["commune"],
            fee.pk if fee else None,
            data["fee_collection"] or FeeCollection.NONE,
            data["submission_key"],
        )
        try:
            contents = {component: (sent.name or "ban-quet", sent.read()) for component, sent in scans.items()}
            outcome = drafts.receive_with_scans(
                filing, officer=officer, receiving_unit=data["receiving_unit"], scans=contents
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                target = field.removeprefix("applicant.")
                form.add_error(target if target in form.fields else None, problems)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if outcome.repeated:
                text = _("Biểu mẫu này đã được gửi trước đó: hồ sơ %(code)s đã được tiếp nhận, không tạo hồ sơ mới.")
                messages.info(request, text % {"code": outcome.dossier.code})
            else:
                messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": outcome.dossier.code})
            return redirect("office:dossier", code=outcome.dossier.code)
    rows = [(c, form[f"goc-{c.pk}"], form[f"sao-{c.pk}"], form[f"so-hoa-{c.pk}"]) for c in form.components]
    context = {"version": version, "cases": cases, "case": case, "form": form, "rows": rows}
    return render(request, "office/intake.html", context)
