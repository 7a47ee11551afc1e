"""The national portal goes away for ten minutes while dossiers keep coming: nothing is lost, nothing is applied
twice, each dossier's messages arrive in order, and the backlog is gone within two minutes of its return."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import override_settings

from motcua.core import clock
from motcua.demo.seed import seed
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, user
from motcua.integrations.simulators.dvcqg import NationalPortal
from motcua.outbox import delivery
from motcua.outbox.models import OutboundMessage, State

TICK = timedelta(seconds=10)


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    seed(catalogue=False)  # idempotent; after a transactional test the tables are empty
    load_catalogue()


def intake_step() -> None:
    """One online dossier, accepted at once: two messages for one dossier, whose order matters."""
    dossier = online()
    perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))


def assert_all_applied_once_in_order(portal: NationalPortal) -> None:
    rows = OutboundMessage.objects.all()
    assert rows.exclude(state=State.DELIVERED).count() == 0  # 0 lost
    assert portal.counts["applied"] == rows.count() == len(portal.applied)  # 0 applied twice
    assert portal.counts["out_of_order"] == 0
    assert portal.latest == {key: 2 for key in rows.values_list("key", flat=True)}


@pytest.mark.django_db
def test_ten_minutes_down_during_steady_intake_in_faked_time(portal: NationalPortal) -> None:
    moment = TUESDAY_9AM
    with clock.frozen(moment):
        portal.control("down", seconds=600)
    back = moment + timedelta(seconds=600)
    while moment < back + timedelta(minutes=1):  # intake goes on through the outage and a minute after
        with clock.frozen(moment):
            intake_step()
            delivery.deliver_due("worker")
        moment += TICK
    assert OutboundMessage.objects.filter(state=State.DELIVERED, created_at__lt=back).count() > 0
    drained_at = None
    while moment < back + timedelta(minutes=5):
        with clock.frozen(moment):
            while delivery.deliver_due("worker"):
                pass
            if not OutboundMessage.objects.exclude(state=State.DELIVERED).exists():
                drained_at = moment
                break
        moment += timedelta(seconds=1)
    assert drained_at is not None and drained_at - back <= timedelta(minutes=2), drained_at
    assert_all_applied_once_in_order(portal)
    assert OutboundMessage.objects.filter(attempts__gt=1).count() > 0  # the outage was felt and retried through


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker beside intake needs row locks (PostgreSQL)")
def test_a_short_outage_in_real_time_with_the_worker_running(portal: NationalPortal) -> None:
    portal.now = time.monotonic
    stop, failures = threading.Event(), []

    def work() -> None:
        try:
            delivery.run("real", keep_going=lambda: not stop.is_set(), idle_sleep=0.05)
        except Exception as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    with override_settings(MOTCUA_OUTBOX_BACKOFF_BASE_SECONDS=0.05, MOTCUA_OUTBOX_BACKOFF_CAP_SECONDS=0.5):
        worker = threading.Thread(target=work)
        worker.start()
        try:
            portal.control("down", seconds=1.5)
            started = time.monotonic()
            while time.monotonic() - started < 2.5:
                intake_step()
            deadline = time.monotonic() + 30
            while OutboundMessage.objects.exclude(state=State.DELIVERED).exists() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            stop.set()
            worker.join()
    assert failures == []
    assert_all_applied_once_in_order(portal)
