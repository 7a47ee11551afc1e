"""Fixed-window counters for everything that must not be guessed at or enumerated: per client, and per thing guessed.

They live in the default cache, which the settings point at a store every server process shares and that outlives a
restart (Redis, or the database cache on a single small server), so a limit holds however many workers answer.
"""

import hashlib
from contextlib import suppress

from django.core.cache import cache, caches
from django.http import HttpRequest

from . import clock
from .cache import CountingRedisCache
from .clientip import client_ip


def count_hit(scope: str, key: str, seconds: int) -> int:
    """Count one hit on `key` in the current window of `seconds` and return the hits counted so far, this one included.

    Atomic on Redis (one INCR) and on motcua's database cache (`add` then `incr`, the row locked), so concurrent
    requests in different processes each get their own number and none is lost.
    """
    name = _window_key(scope, key, seconds)
    timeout = 2 * seconds  # outlives its window wherever the clocks of two servers disagree a little
    backend = caches["default"]
    if isinstance(backend, CountingRedisCache):
        return backend.count(name, timeout)
    cache.add(name, 0, timeout=timeout)
    try:
        return int(cache.incr(name))
    except ValueError:  # expired or evicted between the two calls: this hit starts a new count
        cache.set(name, 1, timeout=timeout)
        return 1


def over_limit(request: HttpRequest, scope: str, per_minute: int) -> bool:
    """Count this request and tell whether the client has made more than `per_minute` in the current minute."""
    return count_hit(f"ratelimit:{scope}", client_ip(request), 60) > per_minute


def take_try(scope: str, key: str, allowed: int, seconds: int) -> bool:
    """Spend one of the `allowed` tries at `key` in the current window of `seconds`; False when none is left.

    Spending before the answer is known, rather than checking then counting a failure, keeps a burst of concurrent
    guesses to the same number of tries; a try that succeeds is handed back with `give_back_try`.
    """
    return count_hit(f"tries:{scope}", key, seconds) <= allowed


def give_back_try(scope: str, key: str, seconds: int) -> None:
    """Return a try taken with `take_try` that turned out right, so only wrong tries count."""
    with suppress(ValueError):  # the window has just turned: nothing left to give back
        cache.decr(_window_key(f"tries:{scope}", key, seconds))


def tries_spent(scope: str, key: str, allowed: int, seconds: int) -> bool:
    """Tell whether `key` has had `allowed` failed tries (see `count_failure`) in the current window of `seconds`."""
    return int(cache.get(_window_key(f"tries:{scope}", key, seconds)) or 0) >= allowed


def count_failure(scope: str, key: str, seconds: int) -> None:
    """Count one failed try at `key` in the current window of `seconds`, whoever and wherever it came from."""
    count_hit(f"tries:{scope}", key, seconds)


def _window_key(scope: str, key: str, seconds: int) -> str:
    # What people type (an e-mail, a code) may be long or hold any character; a digest is a short, safe cache key.
    digest = hashlib.sha256(key.encode("utf-8", "backslashreplace")).hexdigest()[:32]
    return f"{scope}:{digest}:{seconds}:{int(clock.now().timestamp() // seconds)}"
