"""Citizens' online submission: the draft page (autosaved with htmx), uploads per paper, submit; their dossiers."""

from collections.abc import Collection

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalogue.models import Component
from motcua.catalogue.selectors import get_version_on
from motcua.core.downloads import serve_untrusted
from motcua.core.errors import DomainError
from motcua.documents.forms import render_form
from motcua.dossiers import drafts, rules, services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import RATING_CHOICES, Dossier, Draft
from motcua.dossiers.processing import Rating
from motcua.dossiers.selectors import asked_for, get_dossier_for, list_dossiers_for, papers_of
from motcua.integrations.payment import rules as payment_rules
from motcua.integrations.vneid import signed_in_with_vneid
from motcua.organizations.models import COMMUNE_LEVEL_TYPES, SERVICE_CENTRE_TYPES, Unit, User

from . import eform
from .problems import submission_problems


def _citizen(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:
        raise PermissionDenied(_("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến."))
    return user


def _own_draft(request: HttpRequest, draft_id: int) -> Draft:
    draft = Draft.objects.filter(pk=draft_id, citizen=_citizen(request)).select_related("version").first()
    if draft is None:
        raise Http404(_("Không có hồ sơ đang soạn này."))
    return draft


def _context(draft: Draft, error: str = "") -> dict[str, object]:
    cases = list(draft.version.cases.order_by("position"))
    position = int(draft.fields.get("case") or 0)
    case = next((c for c in cases if c.position == position), cases[0])
    uploads: dict[int, list[object]] = {}
    for upload in draft.uploads.select_related("component").order_by("uploaded_at"):
        uploads.setdefault(upload.component_id, []).append(upload)
    province = settings.MOTCUA_PROVINCE_CODE
    return {
        "draft": draft,
        "fields": draft.fields,
        "cases": cases,
        "case": case,
        "papers": [(c, uploads.get(c.pk, [])) for c in Component.objects.filter(case=case).order_by("position")],
        "asked": eform.papers_asked_by(draft),
        "communes": Unit.objects.filter(parent__code=province, type__in=COMMUNE_LEVEL_TYPES).order_by("name"),
        "centres": Unit.objects.filter(province_code=province, type__in=SERVICE_CENTRE_TYPES).order_by("type", "name"),
        "error": error,
        "max_mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024),
    }


@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Open (or resume) the citizen's draft for a procedure in force."""
    version = get_version_on(code)
    if version is None:
        raise Http404(_("Không có thủ tục này, hoặc thủ tục đã hết hiệu lực."))
    draft = drafts.draft_for(_citizen(request), version)
    return render(request, "portal/submission.html", _context(draft))


@login_required
@require_POST
def save(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Save what was typed (htmx, on every change); re-render the papers when the case changes."""
    draft = drafts.save_fields(_own_draft(request, draft_id), request.POST.dict())
    if request.headers.get("HX-Trigger-Name") == "case":
        return render(request, "portal/submission_papers.html", _context(draft))
    return HttpResponse(_("Đã lưu lúc %(time)s") % {"time": draft.updated_at.astimezone().strftime("%H:%M:%S")})


@login_required
@require_POST
def upload(request: HttpRequest, draft_id: int, component_id: int) -> HttpResponse:
    """Store one scanned paper and show the paper's row again, with the error if it was refused."""
    draft = _own_draft(request, draft_id)
    component = Component.objects.filter(pk=component_id).select_related("case").first()
    if component is None:
        raise Http404
    error = _store(request, draft, component)
    uploads = list(draft.uploads.filter(component=component).order_by("uploaded_at"))
    context = {"draft": draft, "component": component, "uploads": uploads, "error": error}
    context["asked"] = eform.papers_asked_by(draft)
    return render(request, "portal/submission_paper.html", context)


@login_required
@require_POST
def next_step(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Keep the first page's answers and go on to the tờ khai (or, without one, to how the result is received)."""
    drafts.save_fields(_own_draft(request, draft_id), request.POST.dict())
    return redirect("portal:draft-form", draft_id=draft_id)


@login_required
def form_step(request: HttpRequest, draft_id: int) -> HttpResponse:
    return eform.form_page(request, _own_draft(request, draft_id))


@login_required
def return_step(request: HttpRequest, draft_id: int) -> HttpResponse:
    return eform.return_page(request, _own_draft(request, draft_id))


@login_required
def review(request: HttpRequest, draft_id: int) -> HttpResponse:
    return eform.review_page(request, _own_draft(request, draft_id))


@login_required
@require_POST
def submit(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Submit the draft once, from the review page only: what was reviewed is what is sent."""
    citizen = _citizen(request)
    draft = Draft.objects.filter(pk=draft_id, citizen=citizen).select_related("version").first()
    if draft is not None:
        unready = eform.review_ready(draft)
        if request.POST.get("stamp") != draft.updated_at.isoformat() or unready:
            said = unready or _("Thông tin đã thay đổi sau khi bạn xem lại; hãy kiểm tra lần nữa rồi nộp.")
            return eform.review_page(request, draft, [("nop", said)])
    try:
        outcome = drafts.submit_draft(
            draft_id, citizen=citizen, fee_id=_chosen_fee(request), vneid_verified=signed_in_with_vneid(request)
        )
    except ValidationError as invalid:
        problems = submission_problems(invalid.message_dict)
        return render(request, "portal/submission.html", _context(_own_draft(request, draft_id)) | problems)
    except DomainError as refused:
        if not Draft.objects.filter(pk=draft_id, citizen=citizen).exists():
            messages.info(request, refused.message)
            return redirect("portal:account")
        if refused.field:  # shown beside its field, and in the error summary
            problems = submission_problems({refused.field: [refused.message]})
            return render(request, "portal/submission.html", _context(_own_draft(request, draft_id)) | problems)
        return render(request, "portal/submission.html", _context(_own_draft(request, draft_id), refused.message))
    messages.success(
        request, _("Đã nộp hồ sơ %(code)s. Cơ quan sẽ xem xét và tiếp nhận.") % {"code": outcome.dossier.code}
    )
    if payment_rules.payable_lines(outcome.dossier):  # a fee collected before processing: the payment step
        return redirect("portal:payment", code=outcome.dossier.code)
    return redirect("portal:my-dossier", code=outcome.dossier.code)


def _chosen_fee(request: HttpRequest) -> int | None:
    """The fee the applicant chose on the review page when the procedure lists several (intake checks it)."""
    chosen = request.POST.get("le-phi", "")
    return int(chosen) if chosen.isdigit() and len(chosen) < 18 else None


def _own_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = get_dossier_for(_citizen(request), code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ của bạn với mã này."))
    return dossier


@login_required
def my_dossier(request: HttpRequest, code: str, error: str = "") -> HttpResponse:
    """Show a citizen their own dossier: status, due date, what is needed (with uploads), the timeline."""
    dossier = _own_dossier(request, code)
    allowed = rules.allowed(rules.available_actions(dossier, _citizen(request)))
    needed = []
    ask = asked_for(dossier) if Action.SUBMIT_SUPPLEMENT in allowed else None
    if ask is not None:
        sent = list(dossier.uploads.filter(uploaded_at__gte=ask.at).order_by("uploaded_at"))
        needed = [(item, [u for u in sent if u.component_id == item.component_id]) for item in ask.items]
    context = {
        "dossier": dossier,
        "may_rate": Action.RATE in allowed,
        "may_withdraw": Action.WITHDRAW in allowed,
        # The result is the applicant's once it is returned; the latest is the one in force (a correction replaces).
        "result": dossier.results.order_by("-created_at", "-pk").first()
        if dossier.status == Status.RETURNED
        else None,
        "ratings": RATING_CHOICES,
        "status_label": Status(dossier.status).label,
        "events": dossier.events.select_related("unit").order_by("sequence"),
        "needed": needed,
        "papers": papers_of(dossier),
        "refusal": services.refusal_of(dossier),  # why it was not received, and where to file (Form 03)
        "payment": payment_rules.offer(dossier, _citizen(request)),  # «Thanh toán trực tuyến», when owed online
        "error": error,
    }
    return render(request, "portal/my_dossier.html", context)


@login_required
@require_POST
def supplement_upload(request: HttpRequest, code: str, component_id: int) -> HttpResponse:
    """Store a scan of a paper the officer asked for."""
    dossier = _own_dossier(request, code)
    component = Component.objects.filter(pk=component_id, case=dossier.case).first()
    if component is None:
        raise Http404
    error = _store(request, dossier, component)
    return my_dossier(request, code, error=error) if error else redirect("portal:my-dossier", code=code)


def _store(request: HttpRequest, owner: Draft | Dossier, component: Component) -> str:
    """Store the uploaded scan; return why it was refused, or "" when it was kept."""
    sent = request.FILES.get("tep")
    if sent is None:
        return _("Hãy chọn tệp để tải lên.")
    if sent.size and sent.size > settings.MOTCUA_MAX_UPLOAD_BYTES:  # refused before it is read into memory
        return _("Tệp lớn hơn %(mb)s MB.") % {"mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024)}
    try:
        drafts.store_upload(owner, component, sent.name or "tep", sent.read(), by=_citizen(request))
    except DomainError as refused:
        return refused.message
    return ""


@login_required
@require_POST
def supplement_submit(request: HttpRequest, code: str) -> HttpResponse:
    """Hand in the supplement: the clock resumes with the working time that was left."""
    dossier = _own_dossier(request, code)
    try:
        drafts.submit_supplement(dossier, citizen=_citizen(request))
    except DomainError as refused:
        return my_dossier(request, code, error=refused.message)
    messages.success(request, _("Đã nộp bổ sung; thời hạn giải quyết được tính tiếp."))
    return redirect("portal:my-dossier", code=code)


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """Record the applicant's evaluation of a returned dossier; an unhappy one goes to the leader's review list."""
    dossier = _own_dossier(request, code)
    try:
        convenience, overall = (Rating(int(request.POST.get(name, ""))) for name in ("thuan-tien", "tong-the"))
    except ValueError:
        return my_dossier(request, code, error=_("Cần chọn mức độ hài lòng cho cả hai câu hỏi."))
    evaluation = services.Evaluation(convenience, overall, request.POST.get("y-kien", ""))
    try:
        services.perform(dossier, Action.RATE, actor=_citizen(request), inputs=services.Inputs(evaluation=evaluation))
    except DomainError as refused:
        return my_dossier(request, code, error=refused.message)
    messages.success(request, _("Cảm ơn bạn đã đánh giá; ý kiến được gửi tới đơn vị giải quyết."))
    return redirect("portal:my-dossier", code=code)


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw the citizen's own dossier at their written request (the reason is kept with the event)."""
    dossier = _own_dossier(request, code)
    try:
        services.perform(dossier, Action.WITHDRAW, actor=_citizen(request), reason=request.POST.get("ly-do", ""))
    except DomainError as refused:
        return my_dossier(request, code, error=refused.message)
    messages.success(request, _("Đã rút hồ sơ."))
    return redirect("portal:my-dossier", code=code)


@login_required
def result_pdf(request: HttpRequest, code: str, result_id: int) -> FileResponse:
    """Hand the applicant the result of their returned dossier (the signed PDF, verifiable by its QR code)."""
    dossier = _own_dossier(request, code)
    result = dossier.results.filter(pk=result_id).first() if dossier.status == Status.RETURNED else None
    if result is None:
        raise Http404(_("Kết quả chưa được trả."))
    return serve_untrusted(result.file, content_type="application/pdf", name=f"{dossier.code}-{result.title}.pdf")


@login_required
def refusal_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """Hand the applicant the Form 03 of their refused dossier: the reason and where to file instead."""
    dossier = _own_dossier(request, code)
    if dossier.status != Status.REFUSED:
        raise Http404(_("Hồ sơ này không bị từ chối tiếp nhận."))
    response = HttpResponse(render_form(dossier, "03"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-03.pdf"'
    return response


def my_dossiers(user: User, statuses: Collection[int] = ()) -> list[Dossier]:
    """Return the citizen's dossiers for the account page, newest first; only those in `statuses` if given."""
    dossiers = list_dossiers_for(user).filter(status__in=statuses) if statuses else list_dossiers_for(user)
    return list(dossiers.order_by("-submitted_at")[:50])
