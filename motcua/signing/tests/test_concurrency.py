"""Concurrency on PostgreSQL: documents signed at the same instant by one body get consecutive unique numbers."""

import pytest
from django.db import connection
from weasyprint import HTML

from motcua.demo.seed import seed
from motcua.dossiers.tests.test_concurrency import in_parallel
from motcua.organizations.models import Unit, User
from motcua.signing.models import DocumentType, SignedDocument
from motcua.signing.services import sign_document

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"),
]


def test_parallel_signing_takes_consecutive_numbers() -> None:
    seed(catalogue=False)
    # A transactional test starts from a flushed database: the migration's document types are gone.
    decision, _ = DocumentType.objects.get_or_create(
        code="quyet_dinh", defaults={"name": "Quyết định", "abbreviation": "QĐ"}
    )
    content = HTML(string="<h1>QUYẾT ĐỊNH</h1>").write_pdf()

    def sign() -> str:
        return sign_document(
            content,
            official=User.objects.get(username="stp.lanhdao"),
            document_type=decision,
            summary="Quyết định",
            unit=Unit.objects.get(code="82.STP"),
        ).notation

    results = in_parallel(sign, 6)
    assert sorted(results) == [f"0{n}/QĐ-STP" for n in range(1, 7)], results
    assert SignedDocument.objects.count() == 6
