"""Online fee payment: the platform's signed callback, and the whole path through the payment simulator over real
HTTP (order → platform page → server-to-server callback → browser back), on SQLite and PostgreSQL."""

import io
import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.tests import samples
from motcua.demo.seed import seed
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent, Draft, OnlinePayment
from motcua.dossiers.national import sync_record
from motcua.dossiers.tests.factories import user
from motcua.integrations.models import CallbackOutcome, OrderStatus, PaymentCallback, PaymentOrder, Settlement
from motcua.integrations.payment.reconciliation import reconcile
from motcua.integrations.payment.services import start_payment
from motcua.integrations.simulators.payment import PaymentSimulator
from motcua.portal.tests.sending import send

from .payment_world import (
    CITIZEN,
    FEE,
    asked_to_pay,
    callback_for,
    choose_on_platform,
    filed_online,
    load_paying_catalogue,
    platform,
    signed,
)

__all__ = ["platform"]
CALLBACK = "/api/v1/payments/callback"


def _state(dossier: Dossier) -> dict[str, Any]:
    """What a refused callback must leave as it was."""
    dossier.refresh_from_db()
    return {
        "dossier": (dossier.status, dossier.online_payment),
        "events": DossierEvent.objects.filter(dossier=dossier).count(),
        "orders": list(PaymentOrder.objects.values("reference", "status", "transaction_id", "settled_at")),
        "paid_lines": PaymentOrder.objects.filter(lines__paid_at__isnull=False).count(),
    }


def _citizen() -> Client:
    browser = Client()
    browser.force_login(user(CITIZEN))
    return browser


# -- the callback's checks (the callback is posted here; the order was made with the simulator) ------------------


@pytest.mark.django_db
class TestCallbackChecks:
    @pytest.fixture(autouse=True)
    def _catalogue(self) -> None:
        load_paying_catalogue()

    def _order(self) -> PaymentOrder:
        return start_payment(filed_online(), user(CITIZEN))

    @pytest.mark.parametrize(
        ("change", "status", "code"),
        [
            ({"signature": "f" * 64}, 403, "payment_signature_invalid"),  # forged
            ({"amount": FEE - 1000}, 422, "payment_amount_mismatch"),  # signed, but not the order's amount
            ({"reference": "TT20260310UNKNOWN"}, 404, "payment_order_unknown"),
            ({"merchant": "KHAC"}, 404, "payment_order_unknown"),  # another merchant's order
        ],
    )
    def test_a_bad_callback_is_refused_logged_and_changes_nothing(
        self, platform: PaymentSimulator, change: dict[str, Any], status: int, code: str
    ) -> None:
        order = self._order()
        body = callback_for(order) | change if "signature" in change else signed(callback_for(order) | change)
        before = _state(order.dossier)
        answer = APIClient().post(CALLBACK, body, format="json")
        assert answer.status_code == status and answer["Content-Type"] == "application/problem+json"
        assert answer.json()["code"] == code and answer.json()["detail"]
        assert _state(order.dossier) == before
        assert PaymentCallback.objects.get().outcome == code

    def test_a_signature_with_another_secret_is_forged(self, platform: PaymentSimulator) -> None:
        order = self._order()
        body = signed({k: v for k, v in callback_for(order).items() if k != "signature"}, secret="khong-phai")
        before = _state(order.dossier)
        assert APIClient().post(CALLBACK, body, format="json").status_code == 403
        assert _state(order.dossier) == before

    @pytest.mark.parametrize("raw", [b"{", b"[]", b'{"reference": "TT1"}', b"{\x00}"])
    def test_an_unreadable_callback_is_invalid(self, raw: bytes) -> None:
        answer = APIClient().post(CALLBACK, raw, content_type="application/json")
        assert answer.status_code == 400 and answer.json()["code"] == "invalid"
        assert PaymentCallback.objects.get().outcome == CallbackOutcome.INVALID

    def test_a_multipart_callback_is_invalid_not_a_server_error(self) -> None:
        answer = APIClient().post(CALLBACK, {"reference": "TT1", "file": io.BytesIO(b"x")}, format="multipart")
        assert answer.status_code == 400 and answer.json()["code"] == "invalid"
        assert PaymentCallback.objects.get().outcome == CallbackOutcome.INVALID

    def test_a_replayed_callback_is_applied_once(self, platform: PaymentSimulator) -> None:
        order = self._order()
        body = callback_for(order)
        assert APIClient().post(CALLBACK, body, format="json").status_code == 200
        after_first = _state(order.dossier)
        again = APIClient().post(CALLBACK, body, format="json")
        assert again.status_code == 409 and again.json()["code"] == "payment_replayed"
        assert _state(order.dossier) == after_first
        assert DossierEvent.objects.filter(dossier=order.dossier, action=Action.RECORD_PAYMENT).count() == 1

    def test_the_national_record_says_paid_online(self, platform: PaymentSimulator) -> None:
        order = self._order()
        assert sync_record(order.dossier)["DuocThanhToanTrucTuyen"] == OnlinePayment.NONE
        APIClient().post(CALLBACK, callback_for(order), format="json")
        order.dossier.refresh_from_db()
        assert sync_record(order.dossier)["DuocThanhToanTrucTuyen"] == 1

    def test_the_platform_down_creates_no_order(self, platform: PaymentSimulator) -> None:
        dossier = filed_online()
        platform.control("down", seconds=60)
        page = _citizen().post(f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/")
        assert page.status_code == 200 and "Không kết nối được nền tảng thanh toán" in page.content.decode()
        assert not PaymentOrder.objects.exists()


# -- a callback that never arrives, and the reconciliation ------------------------------------------------------


@pytest.mark.django_db
def test_a_callback_never_arriving_waits_until_the_reconciliation_settles_it(platform: PaymentSimulator) -> None:
    load_paying_catalogue()
    dossier, citizen = filed_online(), _citizen()
    platform.callback_mode = "never"  # as if the platform's call timed out
    sent = citizen.post(f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/")
    back = choose_on_platform(sent["Location"], "pay")
    page = citizen.get(back.split("127.0.0.1:8000")[-1]).content.decode()
    assert 'data-order-status="pending"' in page and "Chờ xác nhận" in page
    order = PaymentOrder.objects.get()
    assert order.status == OrderStatus.PENDING and platform.deliveries == []
    # The citizen is not offered a second order while this one waits.
    again = citizen.post(f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/")
    assert again["Location"] == order.payment_url and PaymentOrder.objects.count() == 1
    run = reconcile(clock.today())
    order.refresh_from_db()
    dossier.refresh_from_db()
    assert (run.settled, run.mismatches.count()) == (1, 0)
    assert order.status == OrderStatus.PAID and order.settled_by == Settlement.RECONCILIATION
    assert dossier.online_payment == OnlinePayment.NATIONAL and dossier.status == Status.SUBMITTED
    assert sync_record(dossier)["DuocThanhToanTrucTuyen"] == 1
    assert reconcile(clock.today()).settled == 0  # a second run finds nothing left to settle


@pytest.mark.django_db
def test_the_reconciliation_lists_mismatches_for_the_province_monitor(platform: PaymentSimulator) -> None:
    load_paying_catalogue()
    platform.callback_mode = "never"
    # Amount: the platform's record of an order says another amount; the order is left waiting, listed.
    differing = start_payment(filed_online(), user(CITIZEN))
    choose_on_platform(differing.payment_url, "pay")
    platform.set_amount(differing.reference, FEE * 2)
    # Missing there: paid here by a valid callback, never paid on the platform.
    ours_only = start_payment(filed_online(), user(CITIZEN))
    assert APIClient().post(CALLBACK, callback_for(ours_only), format="json").status_code == 200
    # Missing here: a transaction the platform has and we never ordered.
    today = clock.now().astimezone(clock.VIETNAM)
    unknown = {"reference": "TT-KHONG-CO", "transaction_id": "GD9", "amount": 5000, "status": "paid"}
    request = urllib.request.Request(
        f"{platform_url()}/_transactions",
        json.dumps(unknown | {"paid_at": today.isoformat()}).encode(),
        {"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10)
    run = reconcile(today.date())
    found = {(m.reference, m.kind) for m in run.mismatches.all()}
    assert found == {
        (differing.reference, "amount"),
        (ours_only.reference, "missing_there"),
        ("TT-KHONG-CO", "missing_here"),
    }
    differing.refresh_from_db()
    assert differing.status == OrderStatus.PENDING  # never corrected silently
    monitor = Client()
    monitor.force_login(user("giamsat"))
    page = monitor.get("/can-bo/doi-soat-thanh-toan/").content.decode()
    for reference, kind in found:
        assert f'data-mismatch="{reference}" data-kind="{kind}"' in page


def platform_url() -> str:
    return str(settings.MOTCUA_PAYMENT_URL)


@pytest.mark.django_db
def test_the_daily_list_in_json_and_a_platform_down_are_read(platform: PaymentSimulator, settings: Any) -> None:
    load_paying_catalogue()
    platform.callback_mode = "never"
    order = start_payment(filed_online(), user(CITIZEN))
    choose_on_platform(order.payment_url, "pay")
    settings.MOTCUA_PAYMENT_RECONCILIATION_FORMAT = "json"
    assert reconcile(clock.today()).settled == 1
    platform.control("error", seconds=60)
    failed = reconcile(clock.today())
    assert failed.error and failed.platform_rows == 0


# -- the whole path, the platform calling the product back (a live server) ---------------------------------------


@pytest.fixture
def live(live_server: Any, settings: Any) -> str:
    seed(catalogue=False)  # a transactional test starts from empty tables
    load_paying_catalogue()
    settings.MOTCUA_PUBLIC_BASE_URL = live_server.url
    return str(live_server.url)


def _pay_through_the_portal(dossier: Dossier, choice: str) -> tuple[Client, str]:
    citizen = _citizen()
    step = citizen.get(f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/").content.decode()
    assert "8.000 đ" in step
    sent = citizen.post(f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/")
    assert sent.status_code == 302
    return citizen, choose_on_platform(sent["Location"], choice)


@pytest.mark.django_db(transaction=True)
def test_paid_through_the_platform(live: str, platform: PaymentSimulator) -> None:
    dossier = filed_online()
    citizen, back = _pay_through_the_portal(dossier, "pay")
    assert back.startswith(live + f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/ket-qua/?don=TT")
    order = PaymentOrder.objects.get()
    assert platform.deliveries == [(order.reference, 200)]
    assert order.status == OrderStatus.PAID and order.settled_by == Settlement.CALLBACK
    assert all(line.paid_at for line in order.lines.all()) and order.amount == FEE
    dossier.refresh_from_db()
    event = dossier.events.get(action=Action.RECORD_PAYMENT)
    assert event.actor is None and event.details["order"] == order.reference and event.details["amount"] == FEE
    assert dossier.status == Status.SUBMITTED and dossier.online_payment == OnlinePayment.NATIONAL
    assert sync_record(dossier)["DuocThanhToanTrucTuyen"] == 1
    page = citizen.get(back[len(live) :]).content.decode()
    assert 'data-order-status="paid"' in page and "Đã thanh toán" in page
    assert "data-payment-offer" not in citizen.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_refused_on_the_platform(live: str, platform: PaymentSimulator) -> None:
    dossier = filed_online()
    citizen, back = _pay_through_the_portal(dossier, "refuse")
    order = PaymentOrder.objects.get()
    assert order.status == OrderStatus.REFUSED and platform.deliveries == [(order.reference, 200)]
    dossier.refresh_from_db()
    assert dossier.online_payment == OnlinePayment.NONE and not dossier.events.filter(action=Action.RECORD_PAYMENT)
    assert 'data-order-status="refused"' in citizen.get(back[len(live) :]).content.decode()
    # The fee is still owed: the dossier page offers to pay, and a new order is made.
    assert "data-payment-offer" in citizen.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    citizen.post(f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/")
    assert PaymentOrder.objects.filter(status=OrderStatus.PENDING).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_callback_is_applied_once(live: str, platform: PaymentSimulator) -> None:
    dossier = filed_online()
    platform.callback_mode = "twice"
    _pay_through_the_portal(dossier, "pay")
    order = PaymentOrder.objects.get()
    assert platform.deliveries == [(order.reference, 200), (order.reference, 409)]
    assert dossier.events.filter(action=Action.RECORD_PAYMENT).count() == 1
    outcomes = sorted(PaymentCallback.objects.values_list("outcome", flat=True))
    assert outcomes == [CallbackOutcome.APPLIED, CallbackOutcome.REPLAYED]


@pytest.mark.django_db(transaction=True)
def test_status_6_resumes_when_paid_online(live: str, platform: PaymentSimulator) -> None:
    dossier = asked_to_pay()
    assert dossier.status == Status.PAYMENT_REQUESTED
    page = _citizen().get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    assert "data-payment-offer" in page and "Thanh toán trực tuyến" in page
    _pay_through_the_portal(dossier, "pay")
    dossier.refresh_from_db()
    event = dossier.events.get(action=Action.CONFIRM_PAYMENT)
    assert (event.status_before, event.status_after, event.actor) == (
        Status.PAYMENT_REQUESTED,
        Status.PROCESSING,
        None,
    )
    assert dossier.status == Status.PROCESSING and dossier.paused_at is None
    assert sync_record(dossier)["DuocThanhToanTrucTuyen"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_callbacks_at_once_are_applied_once(live: str, platform: PaymentSimulator) -> None:
    """The race: the platform's two deliveries arrive together; the order's row lock lets one through."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the row lock is PostgreSQL's")
    dossier = filed_online()
    order = start_payment(dossier, user(CITIZEN))
    body = json.dumps(callback_for(order)).encode()
    answers: list[int] = []
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        request = urllib.request.Request(live + CALLBACK, body, {"Content-Type": "application/json"})
        try:
            answers.append(urllib.request.urlopen(request, timeout=30).status)
        except urllib.error.HTTPError as refused:
            answers.append(refused.code)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 409]
    assert dossier.events.filter(action=Action.RECORD_PAYMENT).count() == 1


@pytest.mark.django_db
def test_the_online_filing_goes_on_to_the_payment_step(platform: PaymentSimulator) -> None:
    load_paying_catalogue()
    citizen = _citizen()
    citizen.get("/nop-ho-so/1.999030/")
    draft = Draft.objects.get()
    citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/luu/", {"receiving_unit": "28261.TTPVHCC", "commune": "28261"})
    for component in Component.objects.filter(case__version__procedure__code="1.999030", case__position=0):
        pdf = SimpleUploadedFile("a.pdf", samples.pdf())
        citizen.post(f"/nop-ho-so/ban-nhap/{draft.pk}/tai-len/{component.pk}/", {"tep": pdf})
    review = citizen.get(f"/nop-ho-so/ban-nhap/{draft.pk}/kiem-tra/").content.decode()
    assert "8.000 đ" in review  # the fee is shown before the citizen submits
    done = send(citizen, draft.pk, follow=True)
    dossier = Dossier.objects.get()
    assert done.redirect_chain[-1][0] == f"/ca-nhan/ho-so/{dossier.code}/thanh-toan/"
    assert dossier.fee is not None and dossier.fee.amount == FEE and dossier.fee_collection == "before"
    assert "data-total>8.000 đ" in done.content.decode()
