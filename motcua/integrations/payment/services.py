"""The one writer of payment orders: start one, apply the platform's signed callback, settle one from reconciliation.

A paid order marks its fee lines paid and records the payment on the dossier in one transaction: CONFIRM_PAYMENT
resumes a dossier in status 6, RECORD_PAYMENT records it in any other status; both through `services.perform_as_system`
and both set DVCQG's `DuocThanhToanTrucTuyen`. A refused callback changes nothing and is logged.
"""

import json
import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from motcua.core import clock
from motcua.core.errors import ConflictError, NotPermittedError
from motcua.dossiers import counters
from motcua.dossiers import services as dossiers
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.integrations.models import (
    CallbackOutcome,
    OrderStatus,
    PaymentCallback,
    PaymentLine,
    PaymentOrder,
    Settlement,
)
from motcua.organizations.models import User

from . import message, rules
from .errors import AmountMismatch, InvalidCallback, Replayed, SignatureInvalid, UnknownOrder
from .gateway import PaymentGateway

logger = logging.getLogger(__name__)
STATUSES = {"paid": OrderStatus.PAID, "refused": OrderStatus.REFUSED}


def start_payment(dossier: Dossier, citizen: User, gateway: PaymentGateway | None = None) -> PaymentOrder:
    """Create the order for what the dossier owes online now, or return the one still waiting for confirmation."""
    if not citizen.is_authenticated or dossier.citizen_id != citizen.pk:
        raise NotPermittedError("Chỉ người nộp hồ sơ thanh toán trực tuyến phí, lệ phí của hồ sơ này.")
    if (pending := rules.pending_order(dossier)) is not None:
        return pending  # one order at a time: the same fee cannot be paid twice
    lines = rules.payable_lines(dossier)
    if not lines:
        raise ConflictError("Hồ sơ không có khoản phí, lệ phí nào cần thanh toán trực tuyến lúc này.")
    now = clock.now()
    reference = f"TT{clock.today():%Y%m%d}{secrets.token_hex(5).upper()}"
    amount = sum(line.amount for line in lines)
    base = settings.MOTCUA_PUBLIC_BASE_URL
    fields: dict[str, Any] = {
        "merchant": settings.MOTCUA_PAYMENT_MERCHANT,
        "reference": reference,
        "amount": amount,
        "dossier": dossier.code,
        "created_at": now.astimezone(clock.VIETNAM).isoformat(timespec="seconds"),
        "description": f"Phí, lệ phí hồ sơ {dossier.code}",
        "lines": [{"code": line.code, "description": line.description, "amount": line.amount} for line in lines],
        "return_url": base + reverse("portal:payment-return", kwargs={"code": dossier.code}) + f"?don={reference}",
        "callback_url": base + reverse("api:payment-callback"),
    }
    # Asked before anything is written: a platform that does not answer leaves no order behind.
    url = (gateway or PaymentGateway()).create_order(fields)
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()  # one order at a time per dossier
        if (pending := rules.pending_order(dossier)) is not None:
            return pending
        order = PaymentOrder.objects.create(
            reference=reference,
            dossier=dossier,
            amount=amount,
            for_status=dossier.status,
            payment_url=url,
            created_at=now,
            created_by=citizen,
        )
        PaymentLine.objects.bulk_create(
            PaymentLine(order=order, code=line.code, description=line.description, amount=line.amount)
            for line in lines
        )
    return order


def apply_callback(body: bytes, remote_addr: str = "") -> PaymentOrder:
    """Check the platform's callback (signature, order, amount, not seen before), apply it once, log it either way."""
    reference = ""
    try:
        fields = _read(body)
        reference = str(fields.get("reference", ""))[:40]
        if not message.verify(fields, settings.MOTCUA_PAYMENT_CALLBACK_SIGNED):
            raise SignatureInvalid("Chữ ký của thông báo thanh toán không đúng.")
        order = _apply(fields)
    except (InvalidCallback, SignatureInvalid, UnknownOrder, AmountMismatch, Replayed) as refused:
        logger.warning("payment callback refused (%s) for order %r from %s", refused.code, reference, remote_addr)
        _log(reference, CallbackOutcome(refused.code), body, remote_addr)
        raise
    _log(reference, CallbackOutcome.APPLIED, body, remote_addr)
    return order


def _read(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidCallback("Thông báo thanh toán không phải JSON hợp lệ.") from None
    if not isinstance(data, dict):
        raise InvalidCallback("Thông báo thanh toán không phải JSON hợp lệ.")
    fields = message.from_wire(data)
    missing = [name for name in (*message.CALLBACK_FIELDS, message.SIGNATURE) if fields.get(name) in (None, "")]
    if missing:
        raise InvalidCallback("Thông báo thanh toán thiếu trường: " + ", ".join(map(message.wire_name, missing)) + ".")
    if str(fields["status"]) not in STATUSES or not str(fields["amount"]).isdigit():
        raise InvalidCallback("Trạng thái hoặc số tiền trong thông báo thanh toán không hợp lệ.")
    return fields


def _apply(fields: dict[str, Any]) -> PaymentOrder:
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().filter(reference=str(fields["reference"])).first()
        if order is None or str(fields["merchant"]) != settings.MOTCUA_PAYMENT_MERCHANT:
            raise UnknownOrder(f"Không có đơn thanh toán {fields['reference']}.")
        if order.status != OrderStatus.PENDING:
            raise Replayed(
                f"Đơn thanh toán {order.reference} đã được xác nhận trước đó; thông báo này không được áp dụng lại."
            )
        if int(fields["amount"]) != order.amount:
            raise AmountMismatch(
                f"Số tiền trong thông báo ({fields['amount']} đồng) khác số tiền của đơn {order.reference} "
                f"({order.amount} đồng)."
            )
        settle(
            order,
            STATUSES[str(fields["status"])],
            str(fields["transaction_id"]),
            str(fields["paid_at"]),
            Settlement.CALLBACK,
        )
    return order


def settle(order: PaymentOrder, status: str, transaction_id: str, paid_at: str, by: str) -> None:
    """Record the platform's answer on a pending order (locked by the caller); a payment is recorded on the dossier."""
    now = clock.now()
    order.status, order.transaction_id, order.settled_at, order.settled_by = status, transaction_id[:64], now, by
    order.save(update_fields=["status", "transaction_id", "settled_at", "settled_by"])
    if status != OrderStatus.PAID:
        return
    order.lines.update(paid_at=now)
    dossier = Dossier.objects.select_for_update().get(pk=order.dossier_id)
    action = Action.CONFIRM_PAYMENT if dossier.status == Status.PAYMENT_REQUESTED else Action.RECORD_PAYMENT
    extra = {
        "order": order.reference,
        "transaction": order.transaction_id,
        "amount": order.amount,
        "paid_at": paid_at[:40],
        "settled_by": by,
        counters.ONLINE_PAYMENT: settings.MOTCUA_PAYMENT_CHANNEL,
    }
    dossiers.perform_as_system(dossier, action, inputs=dossiers.Inputs(extra=extra))


def _log(reference: str, outcome: CallbackOutcome, body: bytes, remote_addr: str) -> None:
    PaymentCallback.objects.create(
        received_at=clock.now(),
        reference=reference,
        outcome=outcome,
        body=body[:4000].decode("utf-8", errors="replace").replace("\x00", ""),
        remote_addr=remote_addr[:45],
    )
