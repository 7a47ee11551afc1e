"""The answer signed through the signing register: only whom the register entitles, numbered by the body, valid for
pyHanko and poppler's pdfsig, verifiable at /xac-thuc/; a refusal gives the register's reason and signs nothing."""

import subprocess
from pathlib import Path

import pytest

from motcua.conftest import browser_for
from motcua.core.errors import NotPermittedError
from motcua.dossiers.tests.factories import load_catalogue, unit, user
from motcua.feedback import rules
from motcua.feedback.lifecycle import Action, Kind, Topic
from motcua.feedback.models import FeedbackCase
from motcua.feedback.services import Intake, Sender, act, file_case
from motcua.signing import pdf
from motcua.signing.models import Refusal, SignedDocument

pytestmark = pytest.mark.django_db
SENDER = Sender("Nguyễn Văn Dân", "Số 5 Lê Lợi, Phường Mỹ Tho", "0912345678")


@pytest.fixture
def concluded() -> FeedbackCase:
    load_catalogue()
    case = file_case(Intake(Kind.PAKN, SENDER, "Xã đòi bản sao chứng thực.", Topic.REGULATION, unit("28261.UBND")))
    chairman = user("mytho.lanhdao")
    act(case, Action.ACCEPT, actor=chairman)
    act(case, Action.CONCLUDE, actor=chairman, reason="Đã bỏ yêu cầu bản sao chứng thực.", verified=True)
    return case


def test_the_chairman_signs_the_answer_and_anyone_verifies_it(concluded: FeedbackCase, tmp_path: Path) -> None:
    act(concluded, Action.SIGN, actor=user("mytho.lanhdao"))
    document = SignedDocument.objects.get()
    assert concluded.answer_document == document and document.document_type.code == "cong_van"
    assert document.block.startswith("TM. ỦY BAN NHÂN DÂN") and concluded.code in document.summary
    signed = document.pdf.open("rb").read()
    check = pdf.validate(signed)
    assert check.is_valid, check.reason
    path = tmp_path / "tra-loi.pdf"
    path.write_bytes(signed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature is Valid." in report
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "TRẢ LỜI PHẢN ÁNH, KIẾN NGHỊ" in text and "Kính gửi: Nguyễn Văn Dân" in text
    assert "Đã bỏ yêu cầu bản sao chứng thực." in text and f"Số: {document.notation}" in text
    assert browser_for(None).get(f"/xac-thuc/{document.public_id}").status_code == 200
    assert any(
        o.action == Action.SIGN and o.refusal == rules.SIGNED for o in rules.offers(concluded, user("mytho.lanhdao"))
    )
    page = browser_for(None).get("/phan-anh/theo-doi/", {"ma": concluded.code, "k": concluded.tracking_secret})
    assert document.notation in page.content.decode()


def test_whom_the_register_does_not_entitle_is_refused_and_nothing_is_signed(concluded: FeedbackCase) -> None:
    # The province monitor handles every case but signs nothing for the commune's committee.
    with pytest.raises(NotPermittedError):
        act(concluded, Action.SIGN, actor=user("giamsat"))
    concluded.refresh_from_db()
    assert concluded.answer_document is None and not SignedDocument.objects.exists()
    assert Refusal.objects.get().official == user("giamsat")  # the register keeps its record of the refusal
    assert not concluded.events.filter(action=Action.SIGN).exists()
