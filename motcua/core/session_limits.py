"""Signed-in sessions end (ASVS 3.3.1, 3.3.2): a staff member's after an idle period and an absolute lifetime, a
citizen's after a longer lifetime. Then the person is sent to sign in again, told why in Vietnamese.

The limits are settings [R]: MOTCUA_STAFF_IDLE_MINUTES, MOTCUA_STAFF_SESSION_HOURS, MOTCUA_CITIZEN_SESSION_DAYS.
Times come from the clock seam, so tests move them with `clock.frozen`.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from motcua.core import clock

SIGNED_IN_AT = "motcua_signed_in_at"
SEEN_AT = "motcua_seen_at"
# Which clock stamped the session: a pinned clock (tests, simulations) or the wall clock. Instants read on different
# clocks are not compared: a test that signs in at a pinned Tuesday and then reads a page now has not been idle.
CLOCK = "motcua_session_clock"
# Activity is written to the session at most this often: one write a minute, not one a request. The idle period is
# counted from the last write, so a session may end up to this much early.
SEEN_RESOLUTION = timedelta(minutes=1)


def is_staff_account(user: object) -> bool:
    """Say whether this account works for the administration (officers, leaders, administrators)."""
    return not getattr(user, "is_citizen", True) or bool(getattr(user, "is_staff", False))


def why_ended(user: object, signed_in_at: datetime, seen_at: datetime, now: datetime) -> str | None:
    """Return why this session has ended, in Vietnamese, or None while it is still open."""
    if is_staff_account(user):
        if now - seen_at > timedelta(minutes=settings.MOTCUA_STAFF_IDLE_MINUTES):
            return _(
                "Phiên làm việc đã kết thúc vì không có thao tác trong %(minutes)s phút. Vui lòng đăng nhập lại."
            ) % {"minutes": f"{settings.MOTCUA_STAFF_IDLE_MINUTES:g}"}
        if now - signed_in_at > timedelta(hours=settings.MOTCUA_STAFF_SESSION_HOURS):
            return _("Phiên làm việc đã kết thúc sau %(hours)s giờ kể từ khi đăng nhập. Vui lòng đăng nhập lại.") % {
                "hours": f"{settings.MOTCUA_STAFF_SESSION_HOURS:g}"
            }
        return None
    if now - signed_in_at > timedelta(days=settings.MOTCUA_CITIZEN_SESSION_DAYS):
        return _("Phiên đăng nhập đã hết hạn sau %(days)s ngày. Vui lòng đăng nhập lại.") % {
            "days": f"{settings.MOTCUA_CITIZEN_SESSION_DAYS:g}"
        }
    return None


class SessionLimitsMiddleware:
    """End sessions past their limits; keep the session's own expiry (cookie and stored row) on the same instants.

    Placed after the authentication and messages middleware. Requests under /api/ whose session has ended go on
    as anonymous, so the API answers them as it answers anyone (401 problem+json where sign-in is needed).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session, now, this_clock = request.session, clock.now(), "pinned" if clock.is_frozen() else "wall"
        signed_in_at, seen_at = _instant(session.get(SIGNED_IN_AT)), _instant(session.get(SEEN_AT))
        if signed_in_at is None or seen_at is None or signed_in_at > now or session.get(CLOCK) != this_clock:
            # A session from before these limits, or stamped on another clock, starts counting now.
            signed_in_at = seen_at = now
            session[SIGNED_IN_AT] = session[SEEN_AT] = now.isoformat()
            session[CLOCK] = this_clock
            self._expire_with_limits(request, user, signed_in_at, now)
        elif (reason := why_ended(user, signed_in_at, seen_at, now)) is not None:
            return self._to_sign_in(request, reason)
        elif is_staff_account(user) and now - seen_at >= SEEN_RESOLUTION:
            session[SEEN_AT] = now.isoformat()
            self._expire_with_limits(request, user, signed_in_at, now)
        return self.get_response(request)

    @staticmethod
    def _expire_with_limits(request: HttpRequest, user: object, signed_in_at: datetime, now: datetime) -> None:
        """Let the session store drop the session when it ends even if no request comes to end it here."""
        if is_staff_account(user):
            ends_at = min(
                signed_in_at + timedelta(hours=settings.MOTCUA_STAFF_SESSION_HOURS),
                now + timedelta(minutes=settings.MOTCUA_STAFF_IDLE_MINUTES),
            )
        else:
            ends_at = signed_in_at + timedelta(days=settings.MOTCUA_CITIZEN_SESSION_DAYS)
        # Seconds from now rather than an instant: the session store compares with the real time, not the seam's.
        request.session.set_expiry(max(1, int((ends_at - now).total_seconds())))

    def _to_sign_in(self, request: HttpRequest, reason: str) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        messages.warning(request, reason)
        if getattr(request, "htmx", False):
            # A fragment request would put the sign-in page inside the screen: the whole page goes there instead.
            return HttpResponseClientRedirect(_sign_in_url(request))
        return redirect_to_login(request.get_full_path())


def _sign_in_url(request: HttpRequest) -> str:
    """The sign-in address that comes back to the page the fragment was asked from."""
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    back = f"{page.path}?{page.query}" if page.query else page.path
    return str(redirect_to_login(back or request.get_full_path())["Location"])


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
