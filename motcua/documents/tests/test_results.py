"""A result signed at the signing step becomes the dossier's result; completing the dossier then returns it."""

import hashlib
from datetime import datetime

import pytest

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.documents.results import sign_result
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import complete_step, perform
from motcua.dossiers.tests.factories import load_catalogue, receive, user
from motcua.signing.models import DocumentType, ResultSigning

pytestmark = pytest.mark.django_db


def test_the_signer_at_the_signing_step_makes_the_signed_pdf_the_result() -> None:
    load_catalogue()
    with clock.frozen(datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)):
        dossier = receive()
        certificate = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
        ResultSigning.objects.create(version=dossier.version, document_type=certificate)
        chairman = user("mytho.lanhdao")
        early = sign_result(dossier, chairman)  # before processing: signed, but not the dossier's result
        assert not dossier.results.exists()
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        complete_step(dossier, actor=user("mytho.motcua"))  # reception → examination
        complete_step(dossier, actor=user("mytho.chuyenvien"))  # examination → the chairman's signing step
        signed = sign_result(Dossier.objects.get(pk=dossier.pk), chairman)
        with signed.pdf.open("rb") as stored:
            digest = hashlib.sha256(stored.read()).hexdigest()
        result = dossier.results.get()
        assert (result.title, result.sha256, result.is_generated) == ("Giấy khai sinh", digest, True)
        assert early.number != signed.number
        complete_step(dossier, actor=chairman)  # signing → return at the counter
        complete_step(dossier, actor=user("mytho.motcua"))
        assert Dossier.objects.get(pk=dossier.pk).status == Status.FINISHED
