"""Sign-in, sign-out and failed sign-in, as django.contrib.auth announces them."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from motcua.core.clientip import client_ip

from .models import Kind
from .services import record


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Kind.SIGN_IN, actor=user, client_address=_address(request), details=_where(request))


@receiver(user_logged_out, dispatch_uid="audit-sign-out")
def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:  # signing out without a session changes nothing worth a row
        record(Kind.SIGN_OUT, actor=user, client_address=_address(request), details=_where(request))


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any) -> None:
    # Django has already masked the password in `credentials`; the name typed is what an investigation needs.
    tried = str(credentials.get("username") or credentials.get("email") or credentials.get("phone") or "")
    record(Kind.SIGN_IN_FAILED, client_address=_address(request), details={"username": tried, **_where(request)})


def _address(request: HttpRequest | None) -> str:
    return client_ip(request) if request is not None else ""


def _where(request: HttpRequest | None) -> dict[str, Any]:
    return {"path": request.path} if request is not None else {}
