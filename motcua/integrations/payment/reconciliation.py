"""The daily reconciliation: the platform's list of a day's transactions against our orders.

An order still "chờ xác nhận" (its callback never came) is settled from the list; every other difference is kept as
a mismatch for the province monitor (office page "Đối soát thanh toán"), never corrected silently.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction

from motcua.core import clock
from motcua.integrations.models import (
    MismatchKind,
    OrderStatus,
    PaymentOrder,
    ReconciliationMismatch,
    ReconciliationRun,
    Settlement,
)

from .gateway import GatewayUnavailable, PaymentGateway, PlatformRow
from .services import STATUSES, settle


def reconcile(day: date, gateway: PaymentGateway | None = None) -> ReconciliationRun:
    """Compare the platform's list for `day` with our orders; settle what waited, list what differs."""
    now = clock.now()
    try:
        rows = (gateway or PaymentGateway()).daily_list(day)
    except GatewayUnavailable as failed:
        return ReconciliationRun.objects.create(day=day, ran_at=now, error=failed.message)
    run = ReconciliationRun.objects.create(day=day, ran_at=now, platform_rows=len(rows))
    for row in rows:
        _compare(run, row)
    # Paid here that day, absent there: money we say we have and the platform does not.
    start = datetime.combine(day, time.min, tzinfo=clock.VIETNAM)
    listed = {row.reference for row in rows}
    ours = PaymentOrder.objects.filter(
        status=OrderStatus.PAID, settled_at__gte=start, settled_at__lt=start + timedelta(days=1)
    ).exclude(reference__in=listed)
    for order in ours:
        _mismatch(run, MismatchKind.MISSING_THERE, order.reference, order.transaction_id, _said(order), "")
    run.save(update_fields=["settled"])
    return run


def _compare(run: ReconciliationRun, row: PlatformRow) -> None:
    theirs = f"{row.status} {row.amount} đồng"
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().filter(reference=row.reference).first()
        if order is None:
            _mismatch(run, MismatchKind.MISSING_HERE, row.reference, row.transaction_id, "", theirs)
        elif order.amount != row.amount:
            _mismatch(run, MismatchKind.AMOUNT, row.reference, row.transaction_id, _said(order), theirs)
        elif order.status == OrderStatus.PENDING and row.status in STATUSES:
            settle(order, STATUSES[row.status], row.transaction_id, row.paid_at, Settlement.RECONCILIATION)
            run.settled += 1
        elif order.status != STATUSES.get(row.status):
            _mismatch(run, MismatchKind.STATUS, row.reference, row.transaction_id, _said(order), theirs)


def _said(order: PaymentOrder) -> str:
    return f"{order.status} {order.amount} đồng"


def _mismatch(run: ReconciliationRun, kind: str, reference: str, transaction_id: str, ours: str, theirs: str) -> None:
    ReconciliationMismatch.objects.create(
        run=run, kind=kind, reference=reference[:40], transaction_id=transaction_id[:64], ours=ours, theirs=theirs
    )
