"""The brute-force limit on signing in (django-axes): who a try counts against, and what a locked-out client sees.

Failures are counted per account and per client address in the database (shared by every server, kept across
restarts) and each one is logged with the account, the address and the time (ASVS 2.2.1, 7.2.1).
"""

from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.validators import normalise_phone, validate_phone

from .models import User

# AccessAttempt.username holds at most this many characters.
_MAX_LOGIN_LENGTH = 255


class SignInLimitBackend(AxesStandaloneBackend):
    """Refuse every sign-in of a locked-out account or address; calls without a request (code, not a client) pass."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, *args, **kwargs)
        return None


def account_of_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Name the account a try is counted against: username, phone and e-mail of one account count as one.

    A name without an account is counted as typed (normalised), so locking looks the same for both.
    """
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = request.POST.get("username", "")
    login = str(typed).strip()[:_MAX_LOGIN_LENGTH]
    if not login:
        return ""
    phone = normalise_phone(login)
    try:
        validate_phone(phone)
    except ValidationError:  # not a phone number: a username or an e-mail address
        pass
    else:
        login = phone
    account = User.objects.filter(Q(username=login) | Q(phone=login) | Q(email__iexact=login)).values("username")
    found = account.first()
    return found["username"] if found else login.lower()


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """Return how long a lockout lasts (axes asks with the request)."""
    return timedelta(minutes=settings.MOTCUA_LOGIN_COOLOFF_MINUTES)


def lockout_message() -> str:
    minutes = settings.MOTCUA_LOGIN_COOLOFF_MINUTES
    return _(
        "Đăng nhập sai quá nhiều lần nên tài khoản hoặc máy của bạn tạm bị khóa. Hãy thử lại sau %(minutes)d phút, "
        "hoặc đặt lại mật khẩu."
    ) % {"minutes": minutes}


def is_locked_out(request: HttpRequest, login: str) -> bool:
    """Tell whether this client, or the account behind `login`, may not try to sign in now."""
    return not AxesProxyHandler.is_allowed(request, {"username": login})


def count_failed_step(request: HttpRequest, login: str) -> bool:
    """Count a wrong second-factor code like a wrong password; tell whether the client is now locked out."""
    user_login_failed.send(sender=__name__, credentials={"username": login}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """Answer a locked-out client: keep a view's own 429 (the sign-in page, the API's problem), else a plain page."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    context = {"message": lockout_message(), "title": _("Tạm khóa đăng nhập")}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(settings.MOTCUA_LOGIN_COOLOFF_MINUTES * 60)
    return response
