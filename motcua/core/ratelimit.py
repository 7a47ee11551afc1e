"""Fixed-window counters for public reads that must not be enumerated: per client address, and per thing guessed at."""

from django.core.cache import cache
from django.http import HttpRequest

from . import clock


def over_limit(request: HttpRequest, scope: str, per_minute: int) -> bool:
    """Count this request and tell whether the client has made more than `per_minute` in the current minute."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"ratelimit:{scope}:{address}:{int(clock.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    return cache.incr(key) > per_minute


def tries_spent(scope: str, key: str, allowed: int, seconds: int) -> bool:
    """Tell whether `key` has had `allowed` failed tries (see `count_failure`) in the current window of `seconds`."""
    return int(cache.get(_tries(scope, key, seconds)) or 0) >= allowed


def count_failure(scope: str, key: str, seconds: int) -> None:
    """Count one failed try at `key` in the current window of `seconds`, whoever and wherever it came from."""
    name = _tries(scope, key, seconds)
    cache.add(name, 0, timeout=2 * seconds)
    cache.incr(name)


def _tries(scope: str, key: str, seconds: int) -> str:
    return f"tries:{scope}:{key}:{int(clock.now().timestamp() // seconds)}"
