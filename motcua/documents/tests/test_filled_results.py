"""The real result: the procedure's template filled from the tờ khai filed with the dossier, then signed."""

import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.documents.results import generate_result, sign_result
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.national import sync_record
from motcua.dossiers.rules import allowed, available_actions
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
    record = sync_record(Dossier.objects.get(pk=filed.pk))
    assert record["HinhThuc"] == 2  # online
    e_result = record["DanhSachGiayToKetQua"][-1]
    assert e_result["MaGiayToKetQua"] == str(signed.public_id)
    assert e_result["DuongDanTepTinKetQua"].endswith(f"/xac-thuc/{signed.public_id}")


def test_the_result_step_corrects_a_value_with_its_reason_and_the_applicants_answers_stay(
    filed: Dossier, tmp_path: Path
) -> None:
    with clock.frozen(TUESDAY_9AM):
        perform(filed, Action.START, actor=user("mytho.motcua"))
        complete_step(filed, actor=user("mytho.motcua"))
        fresh = Dossier.objects.get(pk=filed.pk)
        assert Action.CORRECT_FORM in allowed(available_actions(fresh, user("mytho.chuyenvien")))
        assert Action.CORRECT_FORM not in allowed(available_actions(fresh, user("mytho.motcua")))
        wrong = Inputs(correction=("tre.ngay_sinh", "31/02/2026"))
        with pytest.raises(DomainError, match="ngày/tháng/năm"):
            perform(filed, Action.CORRECT_FORM, actor=user("mytho.chuyenvien"), reason="Sai ngày", inputs=wrong)
        with pytest.raises(DomainError, match="lý do"):
            perform(filed, Action.CORRECT_FORM, actor=user("mytho.chuyenvien"), inputs=wrong)
        for nowhere in ("cha.nguoi.ho_ten", "tre.ho_ten.x", "khong.co"):  # hidden, not an input, not a field
            with pytest.raises(DomainError, match="Chọn thông tin"):
                hidden = Inputs(correction=(nowhere, "Nguyễn Văn Ba"))
                perform(filed, Action.CORRECT_FORM, actor=user("mytho.chuyenvien"), reason="Sửa", inputs=hidden)
        right = Inputs(correction=("tre.ho_ten", "Nguyễn Minh Anh"))
        reason = "Giấy chứng sinh ghi Nguyễn Minh Anh"
        event = perform(filed, Action.CORRECT_FORM, actor=user("mytho.chuyenvien"), reason=reason, inputs=right).event
        filed.refresh_from_db()  # as the next page reads it
        result = generate_result(filed, user("mytho.chuyenvien"))
    filed.refresh_from_db()
    assert filed.form_data["tre.ho_ten"] == "Nguyễn Minh An"  # as the applicant filed it
    assert filed.form_corrections == {"tre.ho_ten": "Nguyễn Minh Anh"}
    assert event.details == {"path": "tre.ho_ten", "before": "Nguyễn Minh An", "after": "Nguyễn Minh Anh"}
    assert event.reason == reason
    assert "NGUYỄN MINH ANH" in text_of(result.file.read(), tmp_path)


def test_a_dossier_filed_on_paper_has_nothing_to_correct() -> None:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        perform(dossier, Action.START, actor=user("mytho.motcua"))
        complete_step(dossier, actor=user("mytho.motcua"))
        offers = available_actions(Dossier.objects.get(pk=dossier.pk), user("mytho.chuyenvien"))
    refused = next(o for o in offers if o.action is Action.CORRECT_FORM)
    assert not refused.allowed and "tờ khai giấy" in refused.refusal
