"""DRF throttles counted like every other limit: per `client_ip`, in the shared store, atomically.

DRF's own throttles keep a list of request times per client, read and written back whole: requests that arrive
together in different processes each write their own list and most of them go uncounted. A fixed window counted with
`count_hit` loses none (a client may spend two windows' worth across a boundary, at most).
"""

from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.views import APIView

from motcua.core import clock
from motcua.core.clientip import client_ip
from motcua.core.ratelimit import count_hit


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """The view's `throttle_scope` rate from DEFAULT_THROTTLE_RATES, per client address."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request)

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        limit, seconds = self.parse_rate(self.rate)
        if limit is None or seconds is None:
            return True
        self.duration = seconds
        hits = count_hit(f"throttle:{self.scope}", self.get_ident(request), seconds)
        return hits <= limit

    def wait(self) -> float:
        """Seconds until the current window ends, for the Retry-After header."""
        return self.duration - clock.now().timestamp() % self.duration
