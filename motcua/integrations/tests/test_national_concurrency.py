"""Concurrency on PostgreSQL: the same hand-over sent several times at once creates one dossier."""

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from motcua.conftest import client_for
from motcua.core import clock
from motcua.demo.seed import seed
from motcua.dossiers.models import Dossier, NationalFiling, Upload
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue
from motcua.dossiers.tests.test_concurrency import in_parallel

from .national_world import payload, serving

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"),
]


@pytest.fixture(autouse=True)
def data() -> None:
    seed(catalogue=False)
    load_catalogue()


def test_the_same_hand_over_sent_four_times_at_once_creates_one_dossier() -> None:
    with clock.frozen(TUESDAY_9AM), serving() as base:
        body = payload(base)
        clients = [client_for("dvcqg") for _ in range(4)]

        def send() -> Any:
            response = clients.pop().post("/api/v1/national/dossiers", body, format="json")
            return response.status_code, response.json()

        results = in_parallel(send, 4)
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(status for status, _ in results) == [200, 200, 200, 201], results
    dossier = Dossier.objects.get()
    assert {answer["code"] for _, answer in results} == {dossier.code}
    assert NationalFiling.objects.get().dossier_id == dossier.pk
    assert Upload.objects.filter(dossier=dossier).count() == 2 and Upload.objects.count() == 2
    assert all(default_storage.exists(upload.file.name) for upload in Upload.objects.all())


def test_other_content_sent_alongside_is_a_conflict() -> None:
    with clock.frozen(TUESDAY_9AM), serving() as base:
        bodies = [payload(base), payload(base, ChuHoSo="Nguyễn Văn Bình")]
        clients = [client_for("dvcqg") for _ in range(2)]

        def send() -> Any:
            response = clients.pop().post("/api/v1/national/dossiers", bodies.pop(), format="json")
            return response.status_code, response.json()["code"] if response.status_code >= 400 else ""

        results = in_parallel(send, 2)
    assert sorted(results) == [(201, ""), (409, "conflict")], results
    assert Dossier.objects.count() == 1 and NationalFiling.objects.count() == 1
