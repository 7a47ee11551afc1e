"""Concurrency on PostgreSQL: parallel intake gets consecutive unique codes; of two simultaneous accepts, one wins."""

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from motcua.api.tokens import issue_token
from motcua.core import clock
from motcua.core.errors import ConflictError
from motcua.demo.seed import seed
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform

from .factories import TUESDAY_9AM, birth_filing, load_catalogue, online, receive, user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"),
]


def in_parallel(work: Callable[[], Any], count: int) -> list[Any]:
    """Run `work` in `count` threads released at the same instant; return results or raised exceptions."""
    barrier, results, lock = threading.Barrier(count), [], threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome: Any = work()
        except Exception as error:  # collected for the assertions
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    # Pinned once, here: the pin is one value for the process, and threads pinning it each restore it out of order.
    with clock.frozen(TUESDAY_9AM):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


@pytest.fixture(autouse=True)
def data() -> None:
    seed(catalogue=False)
    load_catalogue()


def test_parallel_intake_at_one_unit_gives_unique_consecutive_codes() -> None:
    results = in_parallel(lambda: receive().code, 8)
    assert all(isinstance(code, str) for code in results), results
    assert sorted(code[-4:] for code in results) == [f"{n:04d}" for n in range(1, 9)]
    assert Dossier.objects.count() == 8


def test_two_simultaneous_accepts_one_succeeds() -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = online()
    results = in_parallel(lambda: perform(dossier, Action.ACCEPT, actor=user("mytho.motcua")).dossier.status, 2)
    assert results.count(Status.RECEIVED) == 1, results
    assert sum(isinstance(r, ConflictError) for r in results) == 1, results
    assert Dossier.objects.get().status == Status.RECEIVED
    assert [e.action for e in Dossier.objects.get().events.order_by("sequence")] == ["submit", "accept"]


def test_one_counter_form_sent_four_times_at_once_is_received_once() -> None:
    key = uuid.uuid4()
    results = in_parallel(lambda: receive(birth_filing(submission_key=key)).code, 4)
    assert all(isinstance(code, str) for code in results), results
    dossier = Dossier.objects.get()
    assert set(results) == {dossier.code} and dossier.submission_key == key
    assert dossier.code.endswith("-0001") and dossier.events.count() == 1


def test_the_same_intake_request_sent_twice_at_once_is_answered_once() -> None:
    """Two identical POSTs with one Idempotency-Key: the second waits for the first and gets its answer."""
    token = issue_token(user("mytho.motcua"))[1]
    filing = {
        "procedure": "1.001193",
        "channel": 1,
        "receiving_unit": "28261.TTPVHCC",
        "applicant": {"name": "Trần Thị Bình"},
        "papers": [{"component": "GT1", "originals": 1}, {"component": "GT2", "originals": 1}],
    }

    def post() -> tuple[int, str]:
        client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post("/api/v1/dossiers", filing, format="json", HTTP_IDEMPOTENCY_KEY="same-click")
        return response.status_code, response.json()["code"]

    results = in_parallel(post, 2)
    dossier = Dossier.objects.get()
    assert results == [(201, dossier.code), (201, dossier.code)], results
