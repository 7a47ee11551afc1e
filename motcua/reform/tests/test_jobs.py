"""The reform app's periodic jobs run as Django Tasks, like the dossiers' deadline watch."""

from datetime import date

import pytest

from motcua.core import clock
from motcua.reform.jobs import lock_report_figures
from motcua.reform.models import UnitReport
from motcua.reform.reports import services

from .reports_world import at

pytestmark = pytest.mark.django_db


def test_the_cutoff_job_locks_the_first_quarter_once() -> None:
    with clock.frozen(at(date(2026, 1, 5))):
        services.open_year(2026)
    with clock.frozen(at(date(2026, 3, 16))):  # Quý I: 15/12/2025–14/03/2026, its last day over
        first = lock_report_figures.call()
        again = lock_report_figures.call()
    quarter = UnitReport.objects.filter(period__year=2026, period__kind="quy-1")
    assert first == {"locked": quarter.count()} and first["locked"] > 0 and again == {"locked": 0}
    assert not quarter.filter(figures__isnull=True).exists()
    assert not UnitReport.objects.filter(period__kind="6-thang", figures__isnull=False).exists()
