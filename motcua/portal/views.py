from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalogue.models import Field
from motcua.catalogue.selectors import get_version_on, search_procedures, versions_in_force
from motcua.core import clock
from motcua.core.clientip import client_ip
from motcua.core.errors import DomainError
from motcua.core.ratelimit import over_limit, take_try
from motcua.dossiers.tracking import track
from motcua.eforms.blank import blank_docx, blank_pdf
from motcua.eforms.selectors import definition_of, form_for
from motcua.organizations import registration
from motcua.organizations.models import Unit, User
from motcua.worktime.selectors import calendar_days_in, office_intervals_for

from . import dossier_tabs
from .forms import CitizenRegistrationForm, RegistrationCodeForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


SESSION_REGISTRATION = "registration-ticket"


def register(request: HttpRequest) -> HttpResponse:
    """Take a registration; new or using identifiers already held, it continues to the same "enter the code" page."""
    form = CitizenRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not take_try("registration", client_ip(request), settings.MOTCUA_REGISTRATIONS_PER_HOUR, 3600):
            form.add_error(None, _("Có quá nhiều lượt đăng ký từ máy của bạn. Hãy thử lại sau một giờ."))
            return render(request, "portal/register.html", {"form": form}, status=429)
        try:
            request.session[SESSION_REGISTRATION] = form.start()
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("portal:register-confirm")
    return render(request, "portal/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm_registration(request: HttpRequest) -> HttpResponse:
    """Open the account once the code sent to the phone (or e-mail) is entered."""
    ticket = request.session.get(SESSION_REGISTRATION)
    if not isinstance(ticket, dict):
        return redirect("portal:register")
    form = RegistrationCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = registration.confirm_registration(ticket, form.cleaned_data["code"])
        except DomainError as refused:
            request.session[SESSION_REGISTRATION] = ticket  # the failed try is counted in the ticket
            form.add_error("code", refused.message)
        else:
            del request.session[SESSION_REGISTRATION]
            login(request, user, backend="motcua.organizations.auth.PhoneEmailOrUsernameBackend")
            messages.success(request, _("Đã tạo tài khoản. Bạn có thể nộp và theo dõi hồ sơ trực tuyến."))
            return redirect("portal:account")
    context = {"form": form, "destination": ticket.get("destination", "")}
    return render(request, "portal/register_confirm.html", context)


@require_GET
def work_calendar(request: HttpRequest) -> HttpResponse:
    """Show a year's off-days and make-up days with their legal basis, and the province's office hours."""
    this_year = clock.today().year
    try:
        year = int(request.GET.get("nam", this_year))
    except ValueError:
        year = this_year
    province = Unit.objects.filter(code=settings.MOTCUA_PROVINCE_CODE).first()
    context = {
        "year": year,
        "years": range(this_year - 1, this_year + 2),
        "days": calendar_days_in(year),
        "office_hours": office_intervals_for(province),
    }
    return render(request, "portal/calendar.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Show a citizen's dossiers by tab, with counts and overdue flags, and the submissions they have not sent."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:
        return render(request, "portal/account.html", {"rows": [], "tabs": [], "drafts": []})
    tab = dossier_tabs.tab_named(request.GET.get("nhom", ""))
    tabs = dossier_tabs.tab_counts_for(user)
    context = {
        "tab": tab,
        "tabs": tabs,
        "total": next(count for shown, count in tabs if shown == tab),
        "rows": dossier_tabs.rows_for(user, tab),
        "drafts": dossier_tabs.drafts_for(user),
    }
    return render(request, "portal/account.html", context)


def favicon(request: HttpRequest) -> HttpResponse:
    """Send browsers that ask for /favicon.ico to the SVG icon."""
    return redirect(static("motcua/favicon.svg"))


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send citizens to their account and officials to their work home."""
    return redirect("portal:account" if request.user.is_citizen else "office:home")  # type: ignore[union-attr]


def healthz(request: HttpRequest) -> HttpResponse:
    """Answer load balancers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    """Browse and search the procedures in force; htmx requests get only the result list."""
    query = request.GET.get("q", "").strip()[:200]
    level = request.GET.get("cap", "")
    field = request.GET.get("linh-vuc", "")
    agency = request.GET.get("co-quan", "")
    found = search_procedures(
        query, level=int(level) if level in {"0", "1", "3"} else None, field=field, agency=agency
    )
    paginator = Paginator(found, 20)
    context = {
        "query": query,
        "level": level,
        "field": field,
        "agency": agency,
        "page": paginator.get_page(request.GET.get("trang")),
        "fields": Field.objects.filter(versions__in=versions_in_force()).distinct(),
        "agencies": Unit.objects.filter(code__startswith=f"{settings.MOTCUA_PROVINCE_CODE}.", type="department"),
    }
    template = "portal/procedure_results.html" if request.htmx else "portal/procedures.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    """Show everything a citizen needs for a procedure: papers per case, time and fees per channel, steps, basis."""
    version = get_version_on(code)
    if version is None:
        raise Http404("Không có thủ tục này, hoặc thủ tục đã hết hiệu lực.")
    cases = version.cases.prefetch_related("components", "limits__fees")
    shared_limits = version.limits.filter(case__isnull=True).prefetch_related("fees")
    # The papers that have a blank tờ khai to print: the one each case's e-form replaces.
    blanks = {}
    for case in cases:
        form = form_for(case)
        if form is not None and (paper := definition_of(form).replaces_paper):
            blanks[(case.pk, paper)] = form
    context = {
        "version": version,
        "record": version.record,
        "cases": cases,
        "shared_limits": shared_limits,
        "blank_papers": {f"{case_id}:{paper}" for case_id, paper in blanks},
    }
    return render(request, "portal/procedure.html", context)


@require_GET
def blank_form(request: HttpRequest, code: str, paper: str, kind: str) -> HttpResponse:
    """Hand out the blank tờ khai of a paper, to print and fill by hand (PDF) or to edit (DOCX)."""
    version = get_version_on(code)
    found = None
    for case in version.cases.all() if version else []:
        form = form_for(case)
        if form is not None and definition_of(form).replaces_paper == paper:
            found = definition_of(form)
            break
    if found is None:
        raise Http404(_("Giấy tờ này không có mẫu tờ khai."))
    if kind == "pdf":
        response = HttpResponse(blank_pdf(found), content_type="application/pdf")
    else:
        response = HttpResponse(blank_docx(found), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{code}-{paper}.{kind}"'
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
def tracking(request: HttpRequest, code: str = "") -> HttpResponse:
    """Show a dossier's public timeline to whoever holds its receipt (QR secret) or knows the phone's last digits."""
    code = (code or request.GET.get("ma", "")).strip()[:40]
    secret, phone = request.GET.get("k", "")[:64], request.GET.get("sdt", "").strip()[:4]
    asked = bool(code and (secret or phone))
    if asked and over_limit(request, "tracking", settings.MOTCUA_TRACKING_PAGE_PER_MINUTE):
        return render(request, "portal/tracking.html", {"code": code, "throttled": True}, status=429)
    view = track(code, secret=secret, phone_last4=phone) if asked else None
    context = {"code": code, "view": view, "asked": asked, "secret": secret, "phone": phone}
    return render(request, "portal/tracking.html", context, status=200)
