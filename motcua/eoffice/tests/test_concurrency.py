"""On PostgreSQL: registrations at the same instant take consecutive numbers, none lost, none twice."""

import pytest
from django.db import connection

from motcua.demo.seed import seed
from motcua.dossiers.tests.test_concurrency import in_parallel
from motcua.eoffice.incoming import register
from motcua.eoffice.models import IncomingDocument
from motcua.eoffice.tests.factories import body, clerk
from motcua.signing.models import DocumentType

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"),
]


def test_parallel_registrations_take_consecutive_numbers_and_a_duplicate_pair_registers_once() -> None:
    seed(catalogue=False)
    DocumentType.objects.get_or_create(code="cong_van", defaults={"name": "Công văn", "abbreviation": ""})
    clerk()
    counter = iter(range(100))

    def one(notation: str) -> int:
        return register(
            by=clerk(),
            unit=body(),
            channel="paper",
            sender="Sở Nội vụ",
            sender_notation=notation,
            sender_date="2026-01-05",
            document_type="cong_van",
            summary="V/v",
            urgency="thuong",
            pages=1,
        ).document.number

    numbers = in_parallel(lambda: one(f"{next(counter)}/SNV"), 8)
    assert sorted(numbers) == list(range(1, 9)), numbers
    same = in_parallel(lambda: one("99/SNV"), 2)
    assert same[0] == same[1] == 9, same
    assert IncomingDocument.objects.count() == 9
