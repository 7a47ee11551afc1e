"""A worker killed with SIGKILL in the middle of a batch: its leases run out, another worker sends those messages
again, and the national portal applies each one once, in order per dossier."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from motcua.demo.seed import seed
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import load_catalogue, online, user
from motcua.integrations.simulators.dvcqg import NationalPortal
from motcua.outbox import delivery
from motcua.outbox.models import OutboundMessage, State

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker process needs a shared database server"),
]


def worker_process(portal_url: str) -> subprocess.Popen[str]:
    given = connection.settings_dict
    password = f":{given['PASSWORD']}" if given["PASSWORD"] else ""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings.base",
        DATABASE_URL=f"postgres://{given['USER']}{password}@{given['HOST']}:{given['PORT']}/{given['NAME']}",
        MOTCUA_DVCQG_URL=portal_url,
        MOTCUA_OUTBOX_LEASE_SECONDS="2",
        MOTCUA_OUTBOX_BATCH="16",
    )
    command = [sys.executable, "-m", "motcua", "integrations", "worker"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_worker_killed_mid_batch_loses_nothing_and_applies_nothing_twice(portal: NationalPortal) -> None:
    seed(catalogue=False)  # a transactional test before this one emptied the tables
    load_catalogue()
    for _ in range(20):
        perform(online(), Action.ACCEPT, actor=user("mytho.motcua"))
    portal.control("slow", seconds=3600, delay=0.3)  # every answer takes a while: the kill lands mid-batch
    worker = worker_process(portal.url)
    undelivered = OutboundMessage.objects.exclude(state=State.DELIVERED)
    leased = undelivered.filter(claimed_by__gt="")
    deadline = time.monotonic() + 60
    # Killed once some messages went out and a batch is in flight: sent, or being sent, and not yet recorded.
    while time.monotonic() < deadline and worker.poll() is None:
        if portal.counts["deliveries"] >= 10 and leased.exists():
            break
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    _, errors = worker.communicate(timeout=30)
    assert portal.counts["deliveries"] >= 10, errors
    assert leased.exists()  # leases the dead worker held
    portal.control("normal", seconds=0)
    time.sleep(2.1)  # its leases run out
    while delivery.deliver_due("survivor"):
        pass
    assert not undelivered.exists()  # 0 lost
    rows = OutboundMessage.objects.count()
    assert portal.counts["applied"] == rows == len(portal.applied)  # 0 applied twice
    assert portal.counts["out_of_order"] == 0
