"""Reads of the payment records, scoped: the reconciliation is the province monitor's (Role.PROVINCE_MONITOR)."""

from dataclasses import dataclass
from datetime import timedelta

from motcua.core import clock
from motcua.core.errors import NotPermittedError
from motcua.integrations.models import OrderStatus, PaymentCallback, PaymentOrder, ReconciliationRun
from motcua.organizations.models import Role, User
from motcua.organizations.selectors import roles_of

RUNS_SHOWN = 30


def may_see_reconciliation(user: User) -> bool:
    return Role.PROVINCE_MONITOR in roles_of(user)


@dataclass(frozen=True)
class Reconciliation:
    runs: list[ReconciliationRun]  # latest first, with their mismatches prefetched
    waiting: list[PaymentOrder]  # orders "chờ xác nhận" for more than a day: no callback, not yet in a list
    refused_callbacks: list[PaymentCallback]  # the latest callbacks refused (signature, amount, order, replay)


def reconciliation_for(user: User) -> Reconciliation:
    """What the province monitor's reconciliation page lists; anyone else is refused."""
    if not may_see_reconciliation(user):
        raise NotPermittedError("Chỉ cán bộ giám sát cấp tỉnh xem kết quả đối soát thanh toán.")
    runs = list(ReconciliationRun.objects.prefetch_related("mismatches").order_by("-ran_at")[:RUNS_SHOWN])
    day_ago = clock.now() - timedelta(days=1)
    waiting = PaymentOrder.objects.filter(status=OrderStatus.PENDING, created_at__lt=day_ago).select_related("dossier")
    refused = PaymentCallback.objects.exclude(outcome="applied").order_by("-received_at")[:50]
    return Reconciliation(runs, list(waiting.order_by("created_at")[:200]), list(refused))
