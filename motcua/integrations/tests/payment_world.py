"""What the payment tests share: a procedure with an online fee, dossiers that owe it, the simulator, and an
independent signer of callbacks (the HMAC is computed here, not with the product's `message` module)."""

import hashlib
import hmac
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from motcua.catalogue.models import Component
from motcua.catalogue.selectors import listed_fees
from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import sample
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, FeeCollection
from motcua.dossiers.services import Filing, Paper, perform, receive_at_counter, submit_online
from motcua.dossiers.tests.factories import PERSON, unit, user
from motcua.integrations.models import PaymentOrder
from motcua.integrations.simulators.payment import PaymentSimulator

CITIZEN = "0912345678"
FEE = 8000
# Cấp bản sao trích lục: an online fee of 8.000 đ (a sample, as the catalogue tests build theirs).
PAYING = sample(
    ("MATTHC", "1.999030"),
    ("TENTTHC", "Cấp bản sao trích lục hộ tịch (thử nghiệm thanh toán)"),
    (
        "CACHTHUCTHUCHIEN.0.THOIGIAN.0.PHILEPHI",
        [{"MAPHILEPHI": "LP8", "SOTIEN": FEE, "DONVI": "Đồng", "MOTA": "Lệ phí"}],
    ),
    (
        "CACHTHUCTHUCHIEN.1.THOIGIAN.0.PHILEPHI",
        [{"MAPHILEPHI": "LP8", "SOTIEN": FEE, "DONVI": "Đồng", "MOTA": "Lệ phí cấp bản sao trích lục"}],
    ),
)


def load_paying_catalogue() -> None:
    import_catalogue([PAYING])


def _filing(channel: int, collection: str) -> Filing:
    components = Component.objects.filter(case__version__procedure__code="1.999030").order_by("position")
    fee = listed_fees(components[0].case, channel)[0]
    papers = tuple(Paper(c.pk, originals=1) for c in components)
    return Filing(components[0].case_id, channel, PERSON, papers, "28261", fee.pk, collection)


def filed_online() -> Dossier:
    """Filed online by the citizen, its fee collected before processing: it owes 8.000 đ now."""
    filing = _filing(2, FeeCollection.BEFORE)
    return submit_online(filing, citizen=user(CITIZEN), receiving_unit=unit("28261.TTPVHCC")).dossier


def asked_to_pay() -> Dossier:
    """Filed at the counter by the citizen (fee collected with the result), accepted, in processing, then asked for
    the financial obligation: status 6."""
    officer = user("mytho.motcua")
    dossier = receive_at_counter(
        _filing(1, FeeCollection.AFTER), officer=officer, receiving_unit=unit("28261.TTPVHCC")
    ).dossier
    Dossier.objects.filter(pk=dossier.pk).update(citizen=user(CITIZEN))
    perform(dossier, Action.START, actor=officer)
    perform(dossier, Action.REQUEST_PAYMENT, actor=user("mytho.lanhdao"), reason="Nộp lệ phí trước khi trả kết quả")
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def platform(settings: Any) -> Iterator[PaymentSimulator]:
    """The payment simulator on a free port, and the product pointed at it."""
    simulator = PaymentSimulator()
    settings.MOTCUA_PAYMENT_URL = simulator.start()
    yield simulator
    simulator.stop()


def signed(fields: dict[str, Any], secret: str | None = None) -> dict[str, Any]:
    """Sign a callback as the platform does by default: HMAC-SHA256 over the values joined by "|"."""
    names = ("merchant", "reference", "transaction_id", "amount", "status", "paid_at")
    text = "|".join(str(fields[name]) for name in names)
    key = (secret or settings.MOTCUA_PAYMENT_SECRET).encode()
    return fields | {"signature": hmac.new(key, text.encode(), hashlib.sha256).hexdigest()}


def callback_for(order: PaymentOrder, **changes: Any) -> dict[str, Any]:
    fields = {
        "merchant": settings.MOTCUA_PAYMENT_MERCHANT,
        "reference": order.reference,
        "transaction_id": "GD0000001",
        "amount": order.amount,
        "status": "paid",
        "paid_at": "2026-03-10T09:15:00+07:00",
    }
    return signed(fields | changes)


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def choose_on_platform(payment_url: str, choice: str) -> str:
    """Press «Thanh toán» (pay) or «Hủy thanh toán» (refuse) on the platform's page; return where it sends the
    browser (the product's return page). The platform calls the product back before it answers."""
    page = urllib.request.urlopen(payment_url, timeout=10).read().decode()
    assert "Thanh toán" in page and "đ" in page
    parts = urlsplit(payment_url)
    reference = parts.query.split("order=")[1]
    data = urlencode({"order": reference, "choice": choice}).encode()
    opener = urllib.request.build_opener(_Stay)
    try:
        opener.open(f"{parts.scheme}://{parts.netloc}/pay", data=data, timeout=60)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
        return str(redirect.headers["Location"])
    raise AssertionError("the platform did not send the browser back")
