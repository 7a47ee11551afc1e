from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.errors import ConflictError

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
