"""Signing in with VNeID: to the provider, back from it, and the code that confirms linking an existing account.

mozilla-django-oidc's request view starts the flow (state, nonce and PKCE verifier kept in the session). The callback
is ours: it spends the state once, lets `integrations.vneid` check the tokens and choose the account, and answers
every failure with a Vietnamese page and a stable code instead of the library's server error or silent redirect.
"""

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from motcua.core.errors import DomainError
from motcua.integrations.vneid import BACKEND, linking
from motcua.integrations.vneid.client import (
    Identity,
    VneidBackend,
    VneidCancelledError,
    VneidStateError,
)
from motcua.organizations.models import User

from .forms import ErrorSummaryMixin

SESSION_LINK = "vneid-link"
FAILED_TEMPLATE = "registration/vneid_failed.html"


class LinkCodeForm(ErrorSummaryMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác nhận"),
        help_text=gettext_lazy("6 chữ số trong tin nhắn (hoặc thư điện tử) vừa gửi tới bạn."),
        error_messages={"required": gettext_lazy("Nhập mã xác nhận gồm 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "10", "autofocus": True}
        ),
    )


class StartView(OIDCAuthenticationRequestView):  # type: ignore[misc]  # the library ships no type hints
    """Send the browser to VNeID's sign-in with a fresh state, nonce and PKCE S256 challenge."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.MOTCUA_VNEID_ENABLED:
            raise Http404
        response: HttpResponseBase = super().get(request)
        return response


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Finish a VNeID sign-in: open the account, or ask for the code that links it, or say why not."""
    if not settings.MOTCUA_VNEID_ENABLED:
        raise Http404
    if "state" not in request.GET and "error" not in request.GET:
        return redirect("login")  # no sign-in under way: start again
    try:
        identity = _identify(request)
        outcome = linking.resolve(identity)
    except DomainError as failed:
        return _failed(request, failed)
    following = request.session.pop("oidc_login_next", None)
    if isinstance(outcome, linking.LinkNeeded):
        request.session[SESSION_LINK] = outcome.ticket | {"next": following}
        return redirect("portal:vneid-link")
    return _sign_in(request, outcome, following)


@require_http_methods(["GET", "POST"])
def confirm_link(request: HttpRequest) -> HttpResponse:
    """Link an existing citizen account to VNeID once its holder enters the code sent to the contact on file."""
    ticket = request.session.get(SESSION_LINK)
    if not isinstance(ticket, dict):
        return redirect("login")
    form = LinkCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = linking.confirm_link(ticket, form.cleaned_data["code"])
        except linking.WrongLinkCodeError as wrong:
            form.add_error("code", wrong.message)
        except DomainError as refused:  # locked after too many tries, or the account changed: start again
            del request.session[SESSION_LINK]
            return _failed(request, refused)
        else:
            del request.session[SESSION_LINK]
            messages.success(request, _("Đã liên kết tài khoản với VNeID. Từ nay bạn có thể đăng nhập bằng VNeID."))
            return _sign_in(request, user, ticket.get("next"))
    return render(request, "registration/vneid_link.html", {"form": form, "destination": ticket["destination"]})


def _identify(request: HttpRequest) -> Identity:
    """Spend the callback's state (once, whatever follows), then trade its code for the person VNeID vouches for."""
    states = request.session.get("oidc_states")
    entry = states.pop(request.GET.get("state", ""), None) if isinstance(states, dict) else None
    if entry is not None:
        request.session["oidc_states"] = states  # saved without it: a replayed callback finds nothing
    if request.GET.get("error"):
        # access_denied above all: the person declined on VNeID's page (RFC 6749 §4.1.2.1).
        raise VneidCancelledError("Bạn chưa hoàn tất đăng nhập trên VNeID. Hãy thử lại khi sẵn sàng.")
    # The library stamps a state with the wall clock (time.time), so its age is read on that clock too.
    started = float(entry.get("added_on", 0)) if isinstance(entry, dict) else 0.0
    if not isinstance(entry, dict) or time.time() - started > settings.MOTCUA_VNEID_STATE_MINUTES * 60:
        raise VneidStateError("Phiên đăng nhập VNeID không hợp lệ hoặc đã quá hạn. Hãy bắt đầu đăng nhập lại.")
    code = request.GET.get("code", "")
    if not code:
        raise VneidStateError("VNeID không gửi mã đăng nhập. Hãy bắt đầu đăng nhập lại.")
    return VneidBackend().identify(
        request, code=code, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
    )


def _sign_in(request: HttpRequest, user: User, following: object) -> HttpResponse:
    """Open the session through the VNeID backend, which marks it for online filing, and go on."""
    login(request, user, backend=BACKEND)
    target = following if isinstance(following, str) and following else settings.LOGIN_REDIRECT_URL
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = settings.LOGIN_REDIRECT_URL
    return redirect(target)


def _failed(request: HttpRequest, failed: DomainError) -> HttpResponse:
    """Say why, with the stable code, and offer to start again or use the password."""
    context = {"message": failed.message, "code": failed.code}
    return render(request, FAILED_TEMPLATE, context, status=failed.status)
