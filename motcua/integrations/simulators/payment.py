"""A stand-in for the national payment platform: orders, a payment page, the signed callback, the daily list.

`POST /orders` takes a signed order and answers with the payment page's address; `GET /pay?order=…` shows the page
(pay or refuse); `POST /pay` settles the order, calls the product's callback URL server-to-server (signed) and sends
the browser back to the product's return URL. `GET /reconciliation?date=YYYY-MM-DD&format=csv|json` serves the day's
list. Beyond the base `/_control` failures: `POST /_options {"callback": "normal"|"never"|"twice"}` (the callback is
sent once, never — as if it timed out —, or twice), and `POST /_transactions` adds a row to the list the platform
knows and we do not (tests of the reconciliation). The message fields, signature and list format follow the
product's [R] settings (docs/integrations.md, "Thanh toán trực tuyến"); the HMAC is computed here independently.
"""

import csv
import hashlib
import hmac
import html
import io
import json
import secrets
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.core import clock

from .base import Request, Response, Simulator

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CALLBACK_MODES = {"normal", "never", "twice"}
LIST_FIELDS = ("reference", "transaction_id", "amount", "status", "paid_at")


class PaymentSimulator(Simulator):
    name = "payment"

    def __init__(self, secret: str | None = None) -> None:
        super().__init__()
        self.secret = settings.MOTCUA_PAYMENT_SECRET if secret is None else secret
        self.names: dict[str, str] = dict(settings.MOTCUA_PAYMENT_FIELD_NAMES)
        self.orders: dict[str, dict[str, Any]] = {}
        self.extra_rows: list[dict[str, Any]] = []
        self.callback_mode = "normal"
        self.deliveries: list[tuple[str, int]] = []  # (order, HTTP status the product answered) per callback sent
        self.route("POST", "/orders", self.create_order)
        self.route("GET", "/pay", self.payment_page)
        self.route("POST", "/pay", self.pay)
        self.route("GET", "/reconciliation", self.daily_list)
        self.route("POST", "/_options", self.options)
        self.route("POST", "/_transactions", self.add_transaction)

    # -- wire names and signature, as the product's settings say ---------------------------------------------------

    def wire(self, name: str) -> str:
        return self.names.get(name, name)

    def signature(self, fields: dict[str, Any], signed: list[str]) -> str:
        text = "|".join("" if fields.get(self.wire(n)) is None else str(fields[self.wire(n)]) for n in signed)
        digest = getattr(hashlib, settings.MOTCUA_PAYMENT_ALGORITHM)
        return hmac.new(self.secret.encode("utf-8"), text.encode("utf-8"), digest).hexdigest()

    # -- routes ----------------------------------------------------------------------------------------------------

    def create_order(self, request: Request) -> Response:
        try:
            body = request.json()
            reference = str(body[self.wire("reference")])
            amount = int(body[self.wire("amount")])
        except (ValueError, KeyError, TypeError):
            return Response.json({"error": "invalid order"}, 400)
        expected = self.signature(body, list(settings.MOTCUA_PAYMENT_ORDER_SIGNED))
        if not hmac.compare_digest(str(body.get(self.wire("signature"), "")), expected):
            return Response.json({"error": "invalid signature"}, 401)
        with self.lock:
            self.orders.setdefault(reference, {"body": body, "amount": amount, "status": "pending"})
        host = request.headers.get("Host", "127.0.0.1")
        return Response.json({self.wire("payment_url"): f"http://{host}/pay?{urlencode({'order': reference})}"})

    def payment_page(self, request: Request) -> Response:
        reference = (request.query.get("order") or [""])[0]
        order = self.orders.get(reference)
        if order is None:
            return Response.html("<p>Không có đơn thanh toán này.</p>", 404)
        body = order["body"]
        lines = "".join(
            f"<li>{html.escape(str(line.get('description', '')))}: {_vnd(int(line.get('amount', 0)))}</li>"
            for line in body.get(self.wire("lines"), [])
        )
        return Response.page(
            "Thanh toán (mô phỏng)",
            f"""<h1>Nền tảng thanh toán (mô phỏng)</h1>
<p>Đơn <strong>{html.escape(reference)}</strong> — hồ sơ {html.escape(str(body.get(self.wire("dossier"), "")))}</p>
<ul>{lines}</ul><p>Tổng cộng: <strong>{_vnd(order["amount"])}</strong></p>
<form method="post" action="/pay"><input type="hidden" name="order" value="{html.escape(reference)}">
<button name="choice" value="pay">Thanh toán</button> <button name="choice" value="refuse">Hủy thanh toán</button>
</form>""",
        )

    def pay(self, request: Request) -> Response:
        form = parse_qs(request.body.decode("utf-8"))
        reference, choice = (form.get("order") or [""])[0], (form.get("choice") or [""])[0]
        with self.lock:
            order = self.orders.get(reference)
            if order is None or choice not in {"pay", "refuse"}:
                return Response.html("<p>Yêu cầu không hợp lệ.</p>", 400)
            if order["status"] == "pending":
                order["status"] = "paid" if choice == "pay" else "refused"
                order["transaction_id"] = "GD" + secrets.token_hex(6).upper()
                order["paid_at"] = clock.now().astimezone(VIETNAM).isoformat(timespec="seconds")
            mode = self.callback_mode
        callback = self.callback_body(reference)
        for _ in range({"normal": 1, "never": 0, "twice": 2}[mode]):
            self.deliver(order["body"].get(self.wire("callback_url"), ""), reference, callback)
        return Response.redirect(str(order["body"].get(self.wire("return_url"), "/")))

    def callback_body(self, reference: str) -> dict[str, Any]:
        order = self.orders[reference]
        fields = {
            self.wire("merchant"): order["body"].get(self.wire("merchant"), ""),
            self.wire("reference"): reference,
            self.wire("transaction_id"): order["transaction_id"],
            self.wire("amount"): order["amount"],
            self.wire("status"): order["status"],
            self.wire("paid_at"): order["paid_at"],
        }
        fields[self.wire("signature")] = self.signature(fields, list(settings.MOTCUA_PAYMENT_CALLBACK_SIGNED))
        return fields

    def deliver(self, url: str, reference: str, body: dict[str, Any]) -> int:
        """POST the signed callback to the product; return (and remember) the status it answered, 0 if none."""
        if not url.startswith(("http://", "https://")):
            return 0
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        call = urllib.request.Request(url, data=data, method="POST", headers=headers)  # noqa: S310  # http(s)
        try:
            with urllib.request.urlopen(call, timeout=30) as answer:  # noqa: S310
                status = int(answer.status)
        except urllib.error.HTTPError as refused:
            status = refused.code
        except (urllib.error.URLError, OSError):
            status = 0
        with self.lock:
            self.deliveries.append((reference, status))
        return status

    def rows(self, day: str) -> list[dict[str, Any]]:
        with self.lock:
            settled = [
                {"reference": ref, **{k: o[k] for k in LIST_FIELDS[1:] if k in o}, "amount": o["amount"]}
                for ref, o in self.orders.items()
                if o["status"] != "pending"
            ]
            rows = settled + list(self.extra_rows)
        return [r for r in rows if str(r.get("paid_at", ""))[:10] == day]

    def daily_list(self, request: Request) -> Response:
        day = (request.query.get("date") or [""])[0]
        kind = (request.query.get("format") or ["csv"])[0]
        rows = [{self.wire(k): row.get(k, "") for k in LIST_FIELDS} for row in self.rows(day)]
        if kind == "json":
            return Response.json(rows)
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=[self.wire(k) for k in LIST_FIELDS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return Response(200, text.getvalue().encode("utf-8"), "text/csv; charset=utf-8")

    def options(self, request: Request) -> Response:
        try:
            mode = str((request.json() or {}).get("callback", "normal"))
        except (ValueError, AttributeError):
            mode = ""
        if mode not in CALLBACK_MODES:
            return Response.json({"error": f"callback must be one of {sorted(CALLBACK_MODES)}"}, 400)
        with self.lock:
            self.callback_mode = mode
        return Response.json({"callback": mode})

    def add_transaction(self, request: Request) -> Response:
        try:
            row = {k: request.json()[k] for k in LIST_FIELDS}
        except (ValueError, KeyError, TypeError):
            return Response.json({"error": f"fields: {', '.join(LIST_FIELDS)}"}, 400)
        with self.lock:
            self.extra_rows.append(row)
        return Response.json(row, 201)

    def set_amount(self, reference: str, amount: int) -> None:
        """Make the platform's record of an order say another amount (tests of the reconciliation)."""
        with self.lock:
            self.orders[reference]["amount"] = amount


def _vnd(amount: int) -> str:
    return f"{amount:,} đ".replace(",", ".")


def build() -> Simulator:
    return PaymentSimulator()
