"""Sign-in in two steps: the password, then (officials, citizens who turned it on) a code from an authenticator app.

The session is opened only after the second step: between the two, the account waits in the session, for a few
minutes, under SESSION_PENDING. A wrong code counts against the brute-force limit like a wrong password.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.core import clock
from motcua.organizations import second_factor, signin
from motcua.organizations.models import User

from .forms import ErrorSummaryMixin, SignInForm

SESSION_PENDING = "signin-pending"
TURNED_ON = gettext_lazy("Đã bật xác thực hai bước. Từ nay mỗi lần đăng nhập cần thêm mã trong ứng dụng.")
# Minutes a half-done sign-in waits for its code; then the password is asked again.
PENDING_MINUTES = 5


class CodeForm(ErrorSummaryMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        help_text=gettext_lazy("6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại của bạn."),
        error_messages={"required": gettext_lazy("Nhập mã xác thực gồm 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "10", "autofocus": True}
        ),
    )


class SignInView(LoginView):
    """Check the password; open the session, or set the account aside for its second factor."""

    authentication_form = SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"vneid_enabled": settings.MOTCUA_VNEID_ENABLED}

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user: User = form.get_user()
        if not second_factor.is_required(user):
            return super().form_valid(form)
        self.request.session[SESSION_PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "login": form.cleaned_data["username"],
            "next": self.get_success_url(),
            "since": clock.now().timestamp(),
        }
        step = "second-factor" if second_factor.confirmed_device(user) else "second-factor-setup"
        return redirect(f"portal:{step}")

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        if getattr(self.request, "axes_locked_out", False):
            return _locked_out(self.request, form, "registration/login.html")
        return super().form_invalid(form)


def _locked_out(request: HttpRequest, form: forms.Form, template: str, **context: Any) -> HttpResponse:
    """Render the step again with the lockout message; nothing the client sends is checked until the cool-off ends."""
    request.session.pop(SESSION_PENDING, None)
    form.errors.clear()
    form.add_error(None, signin.lockout_message())
    response = render(request, template, {"form": form, **context}, status=429)
    response["Retry-After"] = str(settings.MOTCUA_LOGIN_COOLOFF_MINUTES * 60)
    return response


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """Return the account waiting for its second factor, unless it waited too long."""
    pending = request.session.get(SESSION_PENDING)
    if not isinstance(pending, dict):
        return None
    if clock.now().timestamp() - float(pending.get("since", 0)) > PENDING_MINUTES * 60:
        request.session.pop(SESSION_PENDING, None)
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


def _finish(request: HttpRequest, user: User, pending: dict[str, Any], device: Any) -> HttpResponse:
    """Open the session with both factors checked and go where the person was heading."""
    del request.session[SESSION_PENDING]
    login(request, user, backend=pending["backend"])
    second_factor.mark_verified(request, device)
    target = str(pending.get("next") or settings.LOGIN_REDIRECT_URL)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = settings.LOGIN_REDIRECT_URL
    return redirect(target)


def _wrong_code(
    request: HttpRequest, form: CodeForm, pending: dict[str, Any], template: str, **context: Any
) -> HttpResponse:
    if signin.count_failed_step(request, pending["login"]):
        return _locked_out(request, form, template, **context)
    form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng."))
    return render(request, template, {"form": form, **context})


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponseBase:
    """Second step: the code of the account's confirmed device."""
    found = _pending(request)
    device = second_factor.confirmed_device(found[0]) if found else None
    if found is None or device is None:
        return redirect("login")
    user, pending = found
    template = "registration/second_factor.html"
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if signin.is_locked_out(request, pending["login"]):
            return _locked_out(request, form, template)
        if not second_factor.code_is_valid(device, form.cleaned_data["code"]):
            return _wrong_code(request, form, pending, template)
        return _finish(request, user, pending, device)
    return render(request, template, {"form": form})


@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponseBase:
    """Second step for an official without a device: scan the QR code, then type the code the app shows."""
    found = _pending(request)
    if found is None or second_factor.confirmed_device(found[0]) is not None:
        return redirect("login")
    user, pending = found
    device = second_factor.device_to_set_up(user)
    template = "registration/second_factor_setup.html"
    context = {"qr": second_factor.qr_svg(device), "key": second_factor.manual_key(device)}
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if signin.is_locked_out(request, pending["login"]):
            return _locked_out(request, form, template, **context)
        if not second_factor.code_is_valid(device, form.cleaned_data["code"]):
            return _wrong_code(request, form, pending, template, **context)
        second_factor.confirm(device)
        messages.success(request, TURNED_ON)
        return _finish(request, user, pending, device)
    return render(request, template, {"form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def citizen_second_factor(request: HttpRequest) -> HttpResponse:
    """A citizen turns the second factor on (scan, then confirm with a code) or off (with a current code)."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:
        return redirect("after-login")
    device = second_factor.confirmed_device(user)
    template = "portal/second_factor.html"
    context: dict[str, Any] = {"enabled": device is not None}
    if device is None:
        device = second_factor.device_to_set_up(user)
        context |= {"qr": second_factor.qr_svg(device), "key": second_factor.manual_key(device)}
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not second_factor.code_is_valid(device, form.cleaned_data["code"]):
            form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng."))
        elif context["enabled"]:
            second_factor.turn_off(user)
            messages.success(request, _("Đã tắt xác thực hai bước."))
            return redirect("portal:account")
        else:
            second_factor.confirm(device)
            second_factor.mark_verified(request, device)
            messages.success(request, TURNED_ON)
            return redirect("portal:account")
    return render(request, template, {"form": form, **context})
