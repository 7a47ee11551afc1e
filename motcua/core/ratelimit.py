"""A fixed-window request counter per client address, for public pages that must not be enumerated."""

from django.core.cache import cache
from django.http import HttpRequest

from . import clock


def over_limit(request: HttpRequest, scope: str, per_minute: int) -> bool:
    """Count this request and tell whether the client has made more than `per_minute` in the current minute."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"ratelimit:{scope}:{address}:{int(clock.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    return cache.incr(key) > per_minute
