"""Background jobs of the integrations, run by Django Tasks workers."""

from datetime import date, timedelta

from django_tasks import task

from motcua.core import clock
from motcua.integrations.payment.reconciliation import reconcile


# Enqueue once a day, after the platform publishes the previous day's list (or run `motcua reconcile_payments`).
@task()
def reconcile_payments(day: str = "") -> dict[str, object]:
    """Reconcile the platform's list of a day (ISO date; yesterday by default) with our payment orders."""
    run = reconcile(date.fromisoformat(day) if day else clock.today() - timedelta(days=1))
    return {"day": run.day.isoformat(), "rows": run.platform_rows, "settled": run.settled, "error": run.error}
