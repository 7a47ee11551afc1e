"""Six-digit codes sent by SMS or e-mail to confirm a step (registration, linking an account to VNeID).

The code itself is never kept: the visitor's session holds a ticket with its keyed hash and expiry. Each check spends
a try in the shared store first (`motcua.core.ratelimit`), because concurrent requests with one session would each
read the ticket before any of them could write a count back into it.
"""

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils.crypto import constant_time_compare, salted_hmac

from motcua.core import clock
from motcua.core.ratelimit import take_try

LIFETIME = timedelta(minutes=10)
MAX_FAILED_TRIES = 5


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def digest(purpose: str, salt: str, code: str) -> str:
    """The code's hash, keyed with SECRET_KEY: six digits are a million guesses, nothing to try them against."""
    return salted_hmac(f"motcua.{purpose}", f"{salt}:{code}", algorithm="sha256").hexdigest()


def expiry() -> float:
    return (clock.now() + LIFETIME).timestamp()


def spend_try(purpose: str, key: str) -> bool:
    """Count a try at the ticket named `key`; False once its tries are spent (the window is a day: a ten-minute code
    straddles two windows only across midnight)."""
    return take_try(f"{purpose}-code", key, MAX_FAILED_TRIES, 86_400)


def matches(ticket: Mapping[str, Any], purpose: str, salt: str, code: str) -> bool:
    """Tell whether the code is the ticket's and the ticket still valid."""
    expected = str(ticket.get("code_hash") or "")
    still_valid = clock.now().timestamp() <= float(ticket.get("expires", 0))
    return bool(expected) and still_valid and constant_time_compare(expected, digest(purpose, salt, code.strip()))
