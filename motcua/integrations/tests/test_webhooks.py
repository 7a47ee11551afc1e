"""Webhook subscriptions: HTTPS addresses only, signed bodies that an independent verifier (openssl) accepts,
delivered by the same outbox, in order per dossier; denunciations never leave."""

import hashlib
import hmac
import json
import subprocess
import time

import pytest
from django.test import Client

from motcua.core import clock
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, user
from motcua.integrations.simulators.base import Request, Response, Simulator
from motcua.outbox import delivery, signatures
from motcua.outbox.forms import SubscriptionForm
from motcua.outbox.models import OutboundMessage, State, Subscription

pytestmark = pytest.mark.django_db


class Receiver(Simulator):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[Request] = []
        self.route("POST", "/hook", self._take)

    def _take(self, request: Request) -> Response:
        self.received.append(request)
        return Response.json({"ok": True})


@pytest.fixture
def receiver() -> Receiver:
    simulator = Receiver()
    simulator.start()
    yield simulator
    simulator.stop()


def openssl_hmac(secret: str, data: bytes) -> str:
    """The digest as openssl computes it: a verifier that shares no code with the product."""
    out = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", secret, "-r"], input=data, capture_output=True, check=True
    ).stdout
    return out.decode().split()[0]


def test_subscribers_get_signed_events_in_order(receiver: Receiver, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_WEBHOOK_PLAIN_HTTP_HOSTS = ["127.0.0.1"]
    settings.MOTCUA_DVCQG_SYNC = False
    load_catalogue()
    hook = Subscription.objects.create(name="Hệ thống báo cáo", url=f"{receiver.url}/hook", topics=["dossier.*"])
    Subscription.objects.create(name="Chỉ nhận tiếp nhận", url=f"{receiver.url}/hook", topics=["dossier.receive"])
    with clock.frozen(TUESDAY_9AM):
        dossier = online()
        perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
    assert OutboundMessage.objects.count() == 2  # the second subscription wants neither event
    while delivery.deliver_due("test"):
        pass
    assert OutboundMessage.objects.filter(state=State.DELIVERED).count() == 2
    first, second = receiver.received
    for request in (first, second):
        header = request.headers[signatures.HEADER]
        fields = dict(part.split("=", 1) for part in header.split(","))
        assert abs(int(fields["t"]) - time.time()) < 60
        assert fields["v1"] == openssl_hmac(hook.secret, fields["t"].encode() + b"." + request.body)
        assert signatures.verify(hook.secret, header, request.body, int(time.time()))
    body = json.loads(first.body)
    assert body["topic"] == "dossier.submit" and body["data"]["code"] == dossier.code
    assert json.loads(second.body)["data"]["status"] == 2
    assert "applicant" not in first.body.decode() and "082090001234" not in first.body.decode()


def test_the_verifier_refuses_a_changed_body_a_wrong_secret_and_an_old_timestamp() -> None:
    now = int(time.time())
    header = signatures.sign("bí-mật", now, b'{"a":1}')
    assert signatures.verify("bí-mật", header, b'{"a":1}', now)
    assert not signatures.verify("bí-mật", header, b'{"a":2}', now)
    assert not signatures.verify("khác", header, b'{"a":1}', now)
    assert not signatures.verify("bí-mật", header, b'{"a":1}', now + 301)  # outside the 5-minute window
    assert not signatures.verify("bí-mật", "rác", b'{"a":1}', now)
    digest = hmac.new(b"k", f"{now}.".encode() + b"x", hashlib.sha256).hexdigest()
    assert signatures.sign("k", now, b"x") == f"t={now},v1={digest}"


@pytest.mark.parametrize(
    ("url", "topics", "field", "said"),
    [
        ("http://he-thong.example.vn/hook", ["dossier.*"], "url", "phải dùng HTTPS"),
        ("https://he-thong.example.vn/hook", [], "topics", "bắt buộc"),
        ("https://he-thong.example.vn/hook", ["invoice.paid"], "topics", "Sự kiện không hợp lệ: invoice.paid"),
        ("https://he-thong.example.vn/hook", "dossier.*", "topics", "danh sách JSON"),
    ],
)
def test_a_subscription_needs_https_and_known_events(url: str, topics: object, field: str, said: str) -> None:
    form = SubscriptionForm(data={"name": "X", "url": url, "topics": json.dumps(topics), "active": True})
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert said in form.errors[field][0]


def test_the_admin_resends_dead_letters_and_nobody_else_can(settings) -> None:  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = online()
    OutboundMessage.objects.filter(key=dossier.code).update(state=State.DEAD, answer="400 Bad Request")
    message = OutboundMessage.objects.get(key=dossier.code)
    form = {"action": "resend_selected", "_selected_action": [message.pk]}
    leader = Client()
    leader.force_login(user("stp.lanhdao"))
    leader.post("/quan-tri/outbox/outboundmessage/", form)
    assert OutboundMessage.objects.get(pk=message.pk).state == State.DEAD
    admin = Client()
    admin.force_login(user("quantri"))
    listing = admin.get("/quan-tri/outbox/outboundmessage/?state=dead")
    assert "400 Bad Request" in listing.content.decode()
    admin.post("/quan-tri/outbox/outboundmessage/", form)
    assert OutboundMessage.objects.get(pk=message.pk).state == State.PENDING
