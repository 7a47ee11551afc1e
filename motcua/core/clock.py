"""The one place that reads the wall clock; tests and simulations move it with `frozen`."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_frozen_at: datetime | None = None


def now() -> datetime:
    """Return the current aware instant."""
    return _frozen_at if _frozen_at is not None else timezone.now()  # noqa: TID251


def is_frozen() -> bool:
    """Say whether the clock is pinned (a test or a simulation) rather than reading the wall clock."""
    return _frozen_at is not None


def today() -> date:
    """Return the current date in Vietnam."""
    return now().astimezone(VIETNAM).date()


def reset() -> None:
    """Go back to the wall clock, whatever is pinned: threads that pin the clock each (it is one value for the
    process) restore it out of order and can leave it pinned; tests start from here."""
    global _frozen_at
    _frozen_at = None


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Pin the clock to an aware instant for the duration of the block."""
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    global _frozen_at
    previous, _frozen_at = _frozen_at, at
    try:
        yield at
    finally:
        _frozen_at = previous
