"""What a dossier owes online, and whether this person may pay it now: the screens ask here, never decide."""

from dataclasses import dataclass

from motcua.catalogue.models import Channel
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FeeCollection, OnlinePayment
from motcua.integrations.models import OrderStatus, PaymentOrder
from motcua.organizations.models import User

# A fee collected before processing is paid while the dossier waits or is handled; a refused, withdrawn or stopped
# one no longer owes it.
BEFORE_OPEN = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED})


@dataclass(frozen=True)
class Line:
    code: str
    description: str
    amount: int  # đồng


def payable_lines(dossier: Dossier) -> list[Line]:
    """The fee lines of the pinned procedure version the applicant can pay online now (none once paid)."""
    fee = dossier.fee
    if fee is None or fee.amount == 0 or dossier.online_payment != OnlinePayment.NONE:
        return []
    status = Status(dossier.status)
    # Collected before: online filings pay it online (at the counter it was paid in person on reception).
    before = dossier.fee_collection == FeeCollection.BEFORE and dossier.channel == Channel.ONLINE
    # Collected after: asked for with the financial obligation (status 6), paid before the result.
    after = dossier.fee_collection == FeeCollection.AFTER and status is Status.PAYMENT_REQUESTED
    if not (before and status in BEFORE_OPEN) and not after:
        return []
    return [Line(fee.code, fee.description or "Phí, lệ phí", int(fee.amount))]


def pending_order(dossier: Dossier) -> PaymentOrder | None:
    """The order waiting for the platform's confirmation ("chờ xác nhận"), if any: paying again is not offered."""
    return PaymentOrder.objects.filter(dossier=dossier, status=OrderStatus.PENDING).order_by("-created_at").first()


def refusal(dossier: Dossier, user: User) -> str:
    """Say why this person may not pay the dossier's fees online now, or "" when they may."""
    if not user.is_authenticated or dossier.citizen_id != user.pk:
        return "Chỉ người nộp hồ sơ thanh toán trực tuyến phí, lệ phí của hồ sơ này."
    if not payable_lines(dossier):
        return "Hồ sơ không có khoản phí, lệ phí nào cần thanh toán trực tuyến lúc này."
    return ""


@dataclass(frozen=True)
class Offer:
    """What a dossier page shows about online payment: the amount owed, or the order waiting for confirmation."""

    amount: int
    pending: PaymentOrder | None


def offer(dossier: Dossier, user: User) -> Offer | None:
    """Return the «Thanh toán trực tuyến» offer for this person on this dossier, or None when there is none."""
    pending = pending_order(dossier)
    if pending is None and refusal(dossier, user):
        return None
    if pending is not None and dossier.citizen_id != user.pk:
        return None
    return Offer(sum(line.amount for line in payable_lines(dossier)), pending)
