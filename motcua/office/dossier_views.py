"""Officers' dossier screens: the dossier page with its actions, results and printed forms."""

from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents import results
from motcua.documents.forms import FORMS, HAND_OVERS, form_set_notice, render_form
from motcua.dossiers import rules, services
from motcua.dossiers.filled import correctable, filed_sections
from motcua.dossiers.lifecycle import ACTION_LABELS, Action, Status
from motcua.dossiers.processing import Rating
from motcua.dossiers.selectors import get_dossier_for, papers_of
from motcua.indices.config import counts_late_by_rounds, index_766_on
from motcua.organizations.models import User

from .views import staff_only

# The three hand-overs are one button, "Chuyển bước": the rules leave at most one of them available.
HAND_ON = {Action.COMPLETE_STEP, Action.TRANSFER, Action.COMPLETE}
# Offered elsewhere on the page: the result form, and the signing screen with its preview.
OWN_FORMS = {Action.ATTACH_RESULT, Action.SIGN_RESULT}
HAND_ON_PATH = "chuyen-buoc"


@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a dossier: facts, papers, timeline, printed forms, and the actions this officer may take now."""
    user = staff_only(request)
    dossier = get_dossier_for(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ trong phạm vi của bạn."))
    situation = rules.context_for(dossier, user)
    offered = rules.offers(situation)
    allowed = rules.allowed(offered)
    hand_on = next((o for o in offered if o.action in HAND_ON and o.allowed), None)
    following = situation.following
    events = dossier.events.select_related("actor", "unit").order_by("sequence")
    forms_available = sorted({e.form for e in events if e.form in FORMS})
    if situation.step is not None or any(e.action in HAND_OVERS for e in events):
        forms_available.append("06")
    papers = papers_of(dossier)
    context = {
        "dossier": dossier,
        "status_label": Status(dossier.status).label,
        "papers": papers,
        "filed_form": filed_sections(dossier),
        "events": events,
        "actions": [o for o in offered if o.allowed and o.action not in HAND_ON | OWN_FORMS],
        # What this person could do in their capacity but not now, and why: nothing is hidden without a reason.
        "blocked": [o for o in offered if not o.allowed and o.code != "not_permitted"],
        "hand_on": hand_on,
        "hand_on_path": HAND_ON_PATH,
        "following": following,
        "next_handlers": services.assignable_to(following) if hand_on and following else [],
        "case_components": [paper.component for paper in papers],  # in the case's order
        "forms": [(number, FORMS[number]) for number in forms_available],
        "form_set_notice": form_set_notice(dossier),
        "steps": situation.steps,
        "current": situation.step,
        "results": dossier.results.all(),  # loaded in order with the dossier
        "can_attach": Action.ATTACH_RESULT in allowed,
        "generate_refusal": results.refusal_to_generate(dossier) if Action.ATTACH_RESULT in allowed else "",
        "result_title": results.result_title(dossier) if Action.ATTACH_RESULT in allowed else "",
        "correctable": correctable(dossier) if Action.CORRECT_FORM in allowed else [],
        "correction": situation.latest_result is not None and situation.latest_result.signature is not None,
        "can_sign": Action.SIGN_RESULT in allowed,
        # The 766 method counts a dossier with more than one request late whatever its dates: say so before sending.
        "late_if_asked_again": Action.REQUEST_SUPPLEMENT in allowed
        and counts_late_by_rounds(index_766_on(clock.today()), dossier.supplement_rounds + 1),
        "assignable": services.assignable_to(situation.step) if Action.ASSIGN in allowed and situation.step else [],
        "return_channels": services.RETURN_CHANNELS.items(),
        "refusal_kinds": services.REFUSAL_KIND_CHOICES,
        "ratings": [(r.value, r.label) for r in Rating],
        "max_extension": settings.MOTCUA_MAX_EXTENSION_WORKING_DAYS,
        "fee_paid": services.fee_paid(dossier) if Action.STOP in allowed else 0,
    }
    if Action.EXTEND in allowed:  # Form 04 is issued by the unit that caused the delay and signed by its leader
        context["apology_unit"], context["apology_signers"] = services.apology_signers(
            dossier, situation.steps, situation.now
        )
    return render(request, "office/dossier_detail.html", context)


def _inputs(request: HttpRequest) -> services.Inputs:
    post = request.POST
    assignee = None
    if post.get("nguoi-xu-ly"):
        chosen = post["nguoi-xu-ly"]
        assignee = User.objects.filter(pk=chosen, kind="staff").first() if chosen.isdigit() else None
        if assignee is None:
            raise DomainError(_("Người được chọn không phải cán bộ trong hệ thống."), field="assignee")
    new_due = None
    if post.get("han-moi"):
        try:
            new_due = datetime.strptime(post["han-moi"], "%Y-%m-%dT%H:%M").replace(tzinfo=clock.VIETNAM)
        except ValueError as error:
            raise DomainError(_("Ngày hẹn trả mới không hợp lệ."), field="new_due_at") from error
    evaluation = None
    if post.get("tong-the"):
        try:
            overall = Rating(int(post["tong-the"]))
            convenience = Rating(int(post["thuan-tien"])) if post.get("thuan-tien") else overall
        except ValueError as error:
            raise DomainError(_("Cần chọn mức độ hài lòng trong danh sách."), field="overall") from error
        evaluation = services.Evaluation(convenience, overall, post.get("y-kien", ""))
    signer = None
    if post.get("nguoi-ky"):
        chosen = post["nguoi-ky"]
        signer = User.objects.filter(pk=chosen, kind="staff").first() if chosen.isdigit() else None
        if signer is None:
            raise DomainError(_("Người ký được chọn không phải cán bộ trong hệ thống."), field="signer")
    # The refusal's ground and guidance, printed on Form 03.
    refusal = {key: post.get(name, "").strip() for key, name in (("kind", "loai-tu-choi"), ("guidance", "huong-dan"))}
    correction = (post["tk-duong-dan"], post.get("tk-gia-tri", "")) if post.get("tk-duong-dan") else None
    return services.Inputs(
        correction=correction,
        assignee=assignee,
        new_due_at=new_due,
        return_channel=post.get("hinh-thuc", ""),
        evaluation=evaluation,
        signer=signer,
        stop=_stop_request(request) if "de-nghi" in post else None,
        extra={key: value for key, value in refusal.items() if value},
    )


def _stop_request(request: HttpRequest) -> services.StopRequest:
    """Read the request a stop answers and the fee settlement typed on the page (Form 05)."""
    post = request.POST
    try:
        requested_on = date.fromisoformat(post["ngay-de-nghi"]) if post.get("ngay-de-nghi") else None
    except ValueError as error:
        raise DomainError(_("Ngày đề nghị không hợp lệ."), field="requested_on") from error
    refund = post.get("hoan-tra", "").strip()
    if refund and not refund.isdigit():
        raise DomainError(_("Số tiền hoàn trả phải là số đồng, không có dấu chấm."), field="refund")
    return services.StopRequest(
        post.get("de-nghi", ""), requested_on, int(refund) if refund else None, post.get("xu-ly-phi", "")
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
    reason = request.POST.get("ly-do", "")
    try:
        if request.POST.get("tao-tu-du-lieu"):
            results.generate_result(dossier, user, reason=reason)
        else:
            if upload is None:
                raise DomainError(_("Cần chọn tệp PDF kết quả."), field="file")
            if upload.size is not None and upload.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
                raise DomainError(_("Tệp kết quả quá lớn."), field="file")
            title = request.POST.get("ten", "")
            services.attach_result(dossier, actor=user, title=title, pdf=upload.read(), reason=reason)
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
    if dossier is None or action not in {a.value for a in Action} - rules.NOT_OFFERED - OWN_FORMS | {HAND_ON_PATH}:
        raise Http404
    if action == HAND_ON_PATH:
        try:
            services.complete_step(dossier, actor=user, inputs=_inputs(request))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã chuyển bước."))
        return redirect("office:dossier", code=dossier.code)
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
