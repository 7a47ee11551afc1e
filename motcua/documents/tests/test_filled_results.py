"""The real result: the procedure's template filled from the tờ khai filed with the dossier, then signed."""

import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.documents.results import generate_result, sign_result
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Inputs, complete_step, perform
from motcua.dossiers.tests.factories import birth_filing, load_catalogue, receive, user
from motcua.eforms.tests.birth import ANSWERS, publish_birth_form
from motcua.notifications.models import OutgoingMessage
from motcua.signing.models import DocumentType, ResultSigning

pytestmark = pytest.mark.django_db
TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)


def text_of(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(content)
    return " ".join(
        subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout.split()
    )


@pytest.fixture
def filed() -> Dossier:
    load_catalogue()
    publish_birth_form()
    with clock.frozen(TUESDAY_9AM):
        filing = replace(birth_filing(), answers=ANSWERS, return_method="online")
        dossier = receive(replace(filing, applicant=replace(filing.applicant, email="dan@example.vn")))
    certificate = DocumentType.objects.create(code="gks", name="Giấy khai sinh", abbreviation="GKS")
    ResultSigning.objects.create(version=dossier.version, document_type=certificate, step_number=3)
    return dossier


def test_the_birth_certificate_is_filled_from_the_form_and_signed(filed: Dossier, tmp_path: Path) -> None:
    with clock.frozen(TUESDAY_9AM):
        perform(filed, Action.START, actor=user("mytho.motcua"))
        complete_step(filed, actor=user("mytho.motcua"))
        result = generate_result(filed, user("mytho.chuyenvien"))
        draft = text_of(result.file.read(), tmp_path)
        for value in ("GIẤY KHAI SINH", "NGUYỄN MINH AN", "01/03/2026", "Nam", "Kinh", "Trần Thị Hoa", "1995"):
            assert value in draft, value
        complete_step(filed, actor=user("mytho.chuyenvien"))
        signed = sign_result(filed, user("mytho.lanhdao"))
    content = signed.pdf.read()
    assert "NGUYỄN MINH AN" in text_of(content, tmp_path)
    (tmp_path / "signed.pdf").write_bytes(content)
    check = subprocess.run(["pdfsig", tmp_path / "signed.pdf"], capture_output=True, text=True).stdout
    assert "Signature #1" in check and "Signature is Valid" in check


def test_an_online_return_mails_the_link_to_the_e_result(filed: Dossier) -> None:
    with clock.frozen(TUESDAY_9AM):
        perform(filed, Action.START, actor=user("mytho.motcua"))
        complete_step(filed, actor=user("mytho.motcua"))
        generate_result(filed, user("mytho.chuyenvien"))
        complete_step(filed, actor=user("mytho.chuyenvien"))
        signed = sign_result(filed, user("mytho.lanhdao"))
        filed.refresh_from_db()
        while filed.status != Status.FINISHED:  # the steps after signing, to the counter that returns it
            complete_step(filed, actor=user("mytho.motcua"))
            filed.refresh_from_db()
        perform(filed, Action.RETURN_RESULT, actor=user("mytho.motcua"), inputs=Inputs(return_channel="online"))
    mail = OutgoingMessage.objects.filter(subject__startswith="Kết quả điện tử").get()
    assert mail.recipient == "dan@example.vn"
    assert f"/ca-nhan/ho-so/{filed.code}/" in mail.body and f"/xac-thuc/{signed.public_id}" in mail.body
