"""A national portal simulator per test, reached over real HTTP, its clock the product's clock."""

from collections.abc import Iterator

import pytest
from django.test import override_settings

from motcua.core import clock
from motcua.integrations.simulators.dvcqg import NationalPortal


@pytest.fixture
def portal() -> Iterator[NationalPortal]:
    simulator = NationalPortal(now=lambda: clock.now().timestamp())
    url = simulator.start()
    with override_settings(MOTCUA_DVCQG_URL=url, MOTCUA_OUTBOX_TIMEOUT_SECONDS=2):
        yield simulator
    simulator.stop()
