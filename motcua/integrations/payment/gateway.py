"""The `PaymentGateway` adapter: the two calls we make to the payment platform, over plain HTTP (stdlib urllib).

Create an order (the platform answers with the page the citizen is sent to) and fetch a day's list of transactions
for the reconciliation. The callback comes the other way (`services.apply_callback`). Paths and formats are [R].
"""

import csv
import io
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from motcua.core.errors import DomainError

from . import message


class GatewayUnavailable(DomainError):
    code = "payment_gateway_unavailable"
    status = 503


@dataclass(frozen=True)
class PlatformRow:
    """A transaction in the platform's daily list, in our names."""

    reference: str
    transaction_id: str
    amount: int
    status: str  # "paid" or "refused"
    paid_at: str


class PaymentGateway:
    """The national payment platform (or a local gateway) at `MOTCUA_PAYMENT_URL`."""

    def __init__(self, base_url: str | None = None, timeout: float | None = None) -> None:
        self.base_url = (base_url or settings.MOTCUA_PAYMENT_URL).rstrip("/")
        self.timeout = settings.MOTCUA_PAYMENT_TIMEOUT if timeout is None else timeout

    def create_order(self, fields: dict[str, Any]) -> str:
        """Send a signed order; return the address of the platform's payment page."""
        body = dict(fields, signature=message.sign(fields, settings.MOTCUA_PAYMENT_ORDER_SIGNED))
        answer = self._call("POST", "/orders", json.dumps(message.to_wire(body)).encode("utf-8"))
        try:
            url = json.loads(answer)[message.wire_name("payment_url")]
        except (ValueError, KeyError, TypeError):
            raise GatewayUnavailable(
                "Nền tảng thanh toán trả lời không đúng định dạng; vui lòng thử lại sau."
            ) from None
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise GatewayUnavailable("Nền tảng thanh toán không trả về địa chỉ trang thanh toán.")
        return url

    def daily_list(self, day: date) -> list[PlatformRow]:
        """Fetch the platform's list of a day's transactions (CSV or JSON: MOTCUA_PAYMENT_RECONCILIATION_FORMAT)."""
        kind = settings.MOTCUA_PAYMENT_RECONCILIATION_FORMAT
        query = f"/reconciliation?merchant={settings.MOTCUA_PAYMENT_MERCHANT}&date={day.isoformat()}&format={kind}"
        text = self._call("GET", query).decode("utf-8")
        try:
            rows = list(csv.DictReader(io.StringIO(text))) if kind == "csv" else json.loads(text)
            return [_row(message.from_wire(row)) for row in rows]
        except (ValueError, KeyError, TypeError, csv.Error):
            raise GatewayUnavailable("Danh sách đối soát của nền tảng thanh toán không đọc được.") from None

    def _call(self, method: str, path: str, body: bytes | None = None) -> bytes:
        url = self.base_url + path  # MOTCUA_PAYMENT_URL: http(s), set by the operator
        headers = {"Content-Type": "application/json"}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return bytes(response.read())
        except urllib.error.HTTPError as refused:
            raise GatewayUnavailable(
                f"Nền tảng thanh toán từ chối yêu cầu (mã {refused.code}); vui lòng thử lại sau."
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
            raise GatewayUnavailable("Không kết nối được nền tảng thanh toán; vui lòng thử lại sau.") from None


def _row(fields: dict[str, Any]) -> PlatformRow:
    return PlatformRow(
        str(fields["reference"]),
        str(fields.get("transaction_id") or ""),
        int(fields["amount"]),
        str(fields["status"]),
        str(fields.get("paid_at") or ""),
    )
