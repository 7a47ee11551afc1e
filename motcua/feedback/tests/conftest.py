import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_tries_spent() -> None:
    """Reports are proved like tracking and share its per-address limit: each test starts with none spent."""
    cache.clear()
