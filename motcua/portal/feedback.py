"""The report "cán bộ yêu cầu giấy tờ không có trong danh mục": found by the citizen's account or the receipt's code
and secret, filed with the head of the unit holding the dossier and the province monitor, followed by its own code
and secret. Every rule is the feedback app's: this page only collects and shows."""

import uuid
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from motcua.catalogue.models import Component
from motcua.catalogue.selectors import get_version_on
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.core.ratelimit import over_limit
from motcua.dossiers.models import Dossier
from motcua.feedback import publication, rules, selectors, services
from motcua.feedback.forms import CaseForm, SenderForm
from motcua.feedback.lifecycle import SENDER_ACTIONS, Action, Kind, Topic
from motcua.feedback.models import FeedbackDraft
from motcua.organizations.models import User

from .forms import ErrorSummaryMixin


class ExtraPaperForm(ErrorSummaryMixin, SenderForm):
    paper_asked = forms.CharField(
        label=_("Giấy tờ cán bộ yêu cầu nộp thêm"),
        help_text=_("Tên giấy tờ bị yêu cầu mà không có trong danh sách giấy tờ của thủ tục ở trên."),
        required=False,
        max_length=300,
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh"),
        help_text=_("Nơi, thời điểm và cách bị yêu cầu (tùy chọn)."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    official = forms.TypedChoiceField(label=_("Cán bộ đã yêu cầu"), required=False, coerce=int, empty_value=None)
    field_order = ["paper_asked", "content", "official"]

    def __init__(self, *args: object, officials: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        named = [(u.pk, u.full_name or u.username) for u in officials]
        self.fields["official"].choices = [("", _("Không rõ")), *named]  # type: ignore[attr-defined]


def report_extra_paper(request: HttpRequest) -> HttpResponse:
    """Find the dossier (the citizen's own, or by the receipt's code and secret), then take the report."""
    data = request.POST if request.method == "POST" else request.GET
    code, secret, phone = data.get("ma", "").strip()[:40], data.get("k", "")[:64], data.get("sdt", "").strip()[:4]
    version = get_version_on(request.GET.get("thu-tuc", ""))
    dossier, throttled = _proved(request, code, secret, phone)
    if dossier is None:
        asked = bool(code and (secret or phone))
        search = {"version": version, "code": code, "asked": asked, "throttled": throttled}
        return render(request, "portal/report_extra_paper.html", search, status=429 if throttled else 200)
    officials = selectors.officials_of(dossier)
    user = request.user if request.user.is_authenticated else None
    initial = {"submission_key": uuid.uuid4().hex}
    if user is not None and user.is_citizen:
        initial |= {"sender_name": user.full_name, "sender_phone": user.phone or "", "sender_email": user.email}
    form = ExtraPaperForm(
        request.POST if "paper_asked" in request.POST else None, officials=officials, initial=initial
    )
    if form.is_bound and form.is_valid():
        typed = form.cleaned_data
        report = services.ExtraPaperReport(
            dossier, form.sender(), typed["paper_asked"], typed["content"], typed["official"],
            submission_key=typed["submission_key"],
        )  # fmt: skip
        try:
            case = services.report_extra_paper(report, citizen=user)
        except ValidationError as refused:
            for field, messages in refused.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return render(request, "portal/report_filed.html", {"case": case})
    context = {
        "dossier": dossier,
        "form": form,
        "papers": Component.objects.filter(case=dossier.case_id).order_by("position"),
        "proof": {"ma": dossier.code, "k": secret, "sdt": phone},
    }
    return render(request, "portal/report_extra_paper_form.html", context)


def _proved(request: HttpRequest, code: str, secret: str, phone: str) -> tuple[Dossier | None, bool]:
    """The dossier the person may report on, and whether this client has tried too often (tracking's limit)."""
    if code and (secret or phone) and over_limit(request, "tracking", settings.MOTCUA_TRACKING_PAGE_PER_MINUTE):
        return None, True
    return selectors.dossier_for_report(request.user, code, secret=secret, phone=phone), False  # type: ignore[arg-type]


@require_GET
def track_report(request: HttpRequest) -> HttpResponse:
    """Follow a report by its code and secret: the only reply channel of an anonymous one."""
    code, secret = request.GET.get("ma", "").strip()[:40], request.GET.get("k", "")[:64]
    asked = bool(code and secret)
    if asked and over_limit(request, "tracking", settings.MOTCUA_TRACKING_PAGE_PER_MINUTE):
        return render(request, "portal/report_tracking.html", {"code": code, "throttled": True}, status=429)
    case = selectors.tracked(code, secret) if asked else None
    offers = [o for o in rules.offers(case, None, as_sender=True) if o.allowed] if case is not None else []
    context = {"code": code, "case": case, "asked": asked, "secret": secret, "offers": offers,
               "routes": selectors.routes_of(case) if case is not None else [],
               "question": selectors.question_of(case) if case is not None else ""}  # fmt: skip
    return render(request, "portal/report_tracking.html", context)


@require_POST
def sender_action(request: HttpRequest, action: str) -> HttpResponse:
    """The sender rates the answer, answers a request for information or withdraws a complaint, proved by the code
    and secret (or their account)."""
    code, secret = request.POST.get("ma", "").strip()[:40], request.POST.get("k", "")[:64]
    if over_limit(request, "tracking", settings.MOTCUA_TRACKING_PAGE_PER_MINUTE):
        return render(request, "portal/report_tracking.html", {"code": code, "throttled": True}, status=429)
    user = request.user if request.user.is_authenticated and request.user.is_citizen else None
    case = selectors.sent_by(user, code, secret)
    if case is None or action not in SENDER_ACTIONS:
        raise Http404
    try:
        services.act(
            case, Action(action), actor=user, as_sender=True,
            reason=request.POST.get("ly-do", ""), rating=request.POST.get("danh-gia", ""),
        )  # fmt: skip
    except DomainError as refused:  # not now, or a missing choice: nothing changed, said on the page
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã ghi nhận."))
    return redirect(f"{reverse('portal:report-tracking')}?{urlencode({'ma': case.code, 'k': secret})}")


def file_case(request: HttpRequest) -> HttpResponse:
    """Take a phản ánh, kiến nghị, khiếu nại or tố cáo; `?theo=CODE&k=SECRET` disputes an earlier case's answer."""
    user = request.user if request.user.is_authenticated else None
    initial = {
        "submission_key": uuid.uuid4().hex, "follows": request.GET.get("theo", "")[:40],
        "follows_secret": request.GET.get("k", "")[:64],
    }  # fmt: skip
    draft = None
    if user is not None and user.is_citizen:
        initial |= {"sender_name": user.full_name, "sender_phone": user.phone or "", "sender_email": user.email}
        draft = FeedbackDraft.objects.filter(citizen=user).first()
        if draft is not None and not request.GET.get("theo"):
            initial |= draft.fields  # what they typed last time, as typed
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("doi-loai") == "phan-anh-hanh-vi":  # a denunciation refused as anonymous
        data["kind"], data["topic"] = Kind.PAKN.value, Topic.CONDUCT.value
    form = CaseForm(data, request.FILES or None, initial=initial)
    if form.is_bound and form.is_valid():
        signed_in = user if user is not None and user.is_citizen else None
        typed = form.cleaned_data
        follows = selectors.sent_by(signed_in, typed["follows"], typed["follows_secret"]) if typed["follows"] else None
        if typed["follows"] and follows is None:
            form.add_error(None, _("Không tìm thấy vụ việc trước đó với mã và mã bí mật trong đường dẫn."))
        else:
            case = form.file(form.intake(signed=signed_in is not None, follows=follows), citizen=user)
            if case is not None:
                return render(request, "portal/report_filed.html", {"case": case})
    disputed = form.data.get("follows", "") if form.is_bound else initial["follows"]
    context = {"form": form, "offer_conduct_report": form.offers_conduct_report, "follows": disputed, "draft": draft,
               "autosave": user is not None and user.is_citizen}  # fmt: skip
    return render(request, "portal/case_form.html", context)


@login_required
@require_POST
def save_case_draft(request: HttpRequest) -> HttpResponse:
    """Keep what a signed-in citizen types on the intake form (htmx, on every change)."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:
        raise PermissionDenied(_("Bản nháp chỉ dành cho tài khoản công dân, tổ chức."))
    draft = services.save_draft(user, request.POST.dict())
    return HttpResponse(
        _("Đã lưu nháp lúc %(time)s") % {"time": draft.updated_at.astimezone(VIETNAM).strftime("%H:%M")}
    )


ANSWERS_PER_PAGE = 20


@require_GET
def answers(request: HttpRequest) -> HttpResponse:
    """The published answers, newest first, searched without diacritics."""
    text = request.GET.get("q", "")[:200].strip()  # the selector keeps only printable words of it
    number = int(request.GET["trang"]) if request.GET.get("trang", "").isdigit() else 1
    number = min(max(number, 1), 500)
    start = (number - 1) * ANSWERS_PER_PAGE
    # One row more than a page says whether there is a next one; matches are never counted (it costs more).
    found = list(publication.answers(text)[start : start + ANSWERS_PER_PAGE + 1])
    context = {"answers": found[:ANSWERS_PER_PAGE], "search": text, "number": number,
               "has_next": len(found) > ANSWERS_PER_PAGE}  # fmt: skip
    return render(request, "portal/answers.html", context)


@require_GET
def answer(request: HttpRequest, code: str) -> HttpResponse:
    found = publication.answers().filter(code=code[:32]).first()
    if found is None:
        raise Http404
    return render(request, "portal/answer.html", {"answer": found})
