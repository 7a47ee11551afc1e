from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core import clock
from motcua.core.errors import ConflictError
from motcua.organizations.models import Unit
from motcua.worktime.selectors import calendar_days_in, office_intervals_for

from .forms import CitizenRegistrationForm


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def register(request: HttpRequest) -> HttpResponse:
    form = CitizenRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend="motcua.organizations.auth.PhoneEmailOrUsernameBackend")
            messages.success(request, _("Đã tạo tài khoản. Bạn có thể nộp và theo dõi hồ sơ trực tuyến."))
            return redirect("portal:account")
    return render(request, "portal/register.html", {"form": form})


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
    return render(request, "portal/account.html")


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send citizens to their account and officials to their work home."""
    return redirect("portal:account" if request.user.is_citizen else "office:home")  # type: ignore[union-attr]


def healthz(request: HttpRequest) -> HttpResponse:
    """Answer load balancers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")
