"""Citizens' password recovery: a link by e-mail (Django's reset views) or a one-time code by SMS."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.ratelimit import count_failure, over_limit, tries_spent
from motcua.organizations import recovery
from motcua.organizations.models import User

from .forms import CodeRequestForm, CodeResetForm, EmailResetForm, NewPasswordForm

# Requests one address may make per minute on each recovery form: enough for typos, too few to walk a phone book.
REQUESTS_PER_MINUTE = 10
# Links one e-mail address is sent per hour; beyond that nothing is sent, and the page still says the same.
LINKS_PER_ADDRESS_PER_HOUR = 3
SESSION_PHONE = "recovery-phone"


def _too_many(request: HttpRequest, template: str, form: Any) -> HttpResponse:
    form.add_error(None, _("Có quá nhiều yêu cầu từ máy của bạn. Hãy đợi một phút rồi thử lại."))
    return render(request, template, {"form": form}, status=429)


class EmailResetView(auth_views.PasswordResetView):
    """Ask for a reset link; every address gets the same answer, so the page does not tell who has an account."""

    form_class = EmailResetForm
    template_name = "registration/reset_form.html"
    subject_template_name = "registration/reset_subject.txt"
    email_template_name = "registration/reset_email.txt"
    success_url = reverse_lazy("portal:password-reset-sent")

    def form_valid(self, form: EmailResetForm) -> HttpResponse:  # type: ignore[override]
        if over_limit(self.request, "password-reset-email", REQUESTS_PER_MINUTE):
            return _too_many(self.request, self.template_name, form)
        email = form.cleaned_data["email"].lower()
        if tries_spent("password-reset-email", email, LINKS_PER_ADDRESS_PER_HOUR, 3600):
            return redirect(self.success_url)
        count_failure("password-reset-email", email, 3600)
        # The link is built on the configured public address, never on the Host header a request claims.
        self.extra_email_context = {
            "base_url": settings.MOTCUA_PUBLIC_BASE_URL,
            "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }
        return super().form_valid(form)


class EmailSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_sent.html"


class NewPasswordView(auth_views.PasswordResetConfirmView):
    """Choose a new password from a link; links of officials' accounts are refused like broken ones."""

    form_class = NewPasswordForm
    template_name = "registration/reset_new_password.html"
    success_url = reverse_lazy("portal:password-reset-complete")

    def get_user(self, uidb64: str) -> User | None:
        user: User | None = super().get_user(uidb64)
        return user if user is not None and user.is_citizen else None


class PasswordChangedView(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_complete.html"


def request_code(request: HttpRequest) -> HttpResponse:
    """Send a one-time code by SMS; the next page reads the same whether or not the number has an account."""
    template = "registration/code_request.html"
    form = CodeRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "password-code-request", REQUESTS_PER_MINUTE):
            return _too_many(request, template, form)
        phone = form.cleaned_data["phone"]
        try:
            recovery.send_reset_code(phone)
        except DomainError as refused:
            form.add_error("phone", refused.message)
        else:
            request.session[SESSION_PHONE] = phone
            return redirect("portal:password-code-enter")
    return render(request, template, {"form": form})


def enter_code(request: HttpRequest) -> HttpResponseBase:
    """Take the code and the new password; officials' numbers never got a code, so they land on "wrong code"."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("portal:password-code")
    template = "registration/code_enter.html"
    form = CodeResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if over_limit(request, "password-code-enter", REQUESTS_PER_MINUTE):
            return _too_many(request, template, form)
        data = form.cleaned_data
        try:
            recovery.reset_password_with_code(phone, data["code"], data["new_password1"])
        except DomainError as refused:
            form.add_error("code", refused.message)
        except ValidationError as weak:
            form.add_error("new_password1", weak)
        else:
            del request.session[SESSION_PHONE]
            messages.success(request, _("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("login")
    return render(request, template, {"form": form, "phone": phone})
