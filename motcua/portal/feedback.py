"""The report "cán bộ yêu cầu giấy tờ không có trong danh mục": found by the citizen's account or the receipt's code
and secret, filed with the head of the unit holding the dossier and the province monitor, followed by its own code
and secret. Every rule is the feedback app's: this page only collects and shows."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.catalogue.models import Component
from motcua.catalogue.selectors import get_version_on
from motcua.core.ratelimit import over_limit
from motcua.dossiers.models import Dossier
from motcua.feedback import selectors, services
from motcua.organizations.models import User

from .forms import ErrorSummaryMixin


class ExtraPaperForm(ErrorSummaryMixin, forms.Form):
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
    anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh"),
        required=False,
        help_text=_("Không ghi họ tên, địa chỉ: chỉ theo dõi được kết quả bằng mã phản ánh và mã bí mật."),
    )
    sender_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    sender_address = forms.CharField(label=_("Địa chỉ liên hệ"), required=False, max_length=300)
    sender_phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    sender_email = forms.CharField(label=_("Thư điện tử"), required=False, max_length=254)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

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
        sender = services.Sender(
            typed["sender_name"], typed["sender_address"], typed["sender_phone"], typed["sender_email"],
            typed["anonymous"],
        )  # fmt: skip
        report = services.ExtraPaperReport(
            dossier, sender, typed["paper_asked"], typed["content"], typed["official"],
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
    return render(request, "portal/report_tracking.html", {"code": code, "case": case, "asked": asked})
