"""Forms 04, 05 and 06 rendered from a dossier's processing events."""

from datetime import datetime
from pathlib import Path

import pytest

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.documents import forms
from motcua.documents.forms import render_form
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services import Inputs, StopRequest, attach_result, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, user
from motcua.dossiers.tests.processing_factories import PDF, department_officer, file, load_processing_catalogue

from .test_forms import qr_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_processing_catalogue()


def write(tmp_path: Path, pdf: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def test_form_06_lists_every_hand_over_with_its_result_and_form_04_the_new_date(tmp_path: Path) -> None:
    other = department_officer()
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.chuyenvien"))
        perform(dossier, Action.RETURN_STEP, actor=other, reason="Thiếu trích đo thửa đất")
        attach_result(dossier, actor=user("stp.chuyenvien"), title="Văn bản", pdf=PDF)
        complete_step(dossier, actor=user("stp.chuyenvien"))
        complete_step(dossier, actor=other)
        perform(
            dossier,
            Action.EXTEND,
            actor=user("stp.lanhdao"),
            reason="Chờ kết quả đo đạc",
            inputs=Inputs(new_due_at=datetime(2026, 4, 7, 9, 0, tzinfo=VIETNAM)),
        )
        complete_step(dossier, actor=user("stp.lanhdao"))
        complete_step(dossier, actor=user("stp.motcua"))
    dossier.refresh_from_db()
    control = text_of(write(tmp_path, render_form(dossier, "06"), "06.pdf"), layout=False)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control
    for fragment in ("Sở Nông nghiệp và Môi trường", "Lấy ý kiến Sở NN&MT", "Thiếu trích đo thửa đất", "Đúng hạn"):
        assert fragment in control
    rows = forms._process_control(dossier)["rows"]
    assert len(rows) == 8  # type: ignore[arg-type]  # start, six hand-overs (one sent back), completion
    assert "(đã gia hạn đến 09:00 07/04/2026)" in control
    apology = write(tmp_path, render_form(dossier, "04"), "04.pdf")
    text = text_of(apology)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text and "SỞ TƯ PHÁP" in text
    assert "Chờ kết quả đo đạc" in text and "Sau 9 giờ 00 phút, ngày 07/04/2026" in text
    assert "Sau 9 giờ 00 phút, ngày 31/03/2026" in text and "Phạm Văn Giám Đốc" in text
    assert qr_of(apology) == dossier.tracking_url()


def test_form_05_gives_the_stage_and_the_reason(tmp_path: Path) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.motcua"))
        request = StopRequest("Đơn đề nghị dừng của người nộp", TUESDAY_9AM.date(), 0, "Không hoàn trả phí đã nộp")
        perform(
            dossier,
            Action.STOP,
            actor=user("stp.lanhdao"),
            reason="Người nộp có văn bản đề nghị dừng",
            inputs=Inputs(stop=request),
        )
    text = text_of(write(tmp_path, render_form(dossier, "05"), "05.pdf"))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Hồ sơ đang ở bước: Thẩm định" in text and "Người nộp có văn bản đề nghị dừng" in text
