import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    """Start each test with no request counted: registrations and recovery codes are limited per address per hour."""
    cache.clear()
