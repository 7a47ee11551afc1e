"""Forms 04 and 05 are signed under the block the signing register gives, by the unit the letter belongs to; every
form says plainly when a dossier is older than the form set it is printed on."""

from datetime import date, datetime
from pathlib import Path

import pytest

from motcua.catalogue.models import Field
from motcua.conftest import browser_for
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError, NotPermittedError
from motcua.documents.forms import render_form
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Inputs, StopRequest, SupplementRequest, complete_step, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, receive, user
from motcua.dossiers.tests.processing_factories import (
    department_head,
    department_officer,
    file,
    load_processing_catalogue,
)
from motcua.signing.authority import Mode
from motcua.signing.models import RegisterEntry

from .test_forms import layout_of, text_of

pytestmark = pytest.mark.django_db
FRIDAY_9AM = datetime(2026, 3, 13, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    load_processing_catalogue()


def pdf_of(tmp_path: Path, dossier: Dossier, number: str) -> Path:
    path = tmp_path / f"{dossier.code}-{number}.pdf"
    path.write_bytes(render_form(Dossier.objects.get(pk=dossier.pk), number))
    return path


def block_of(pdf: Path, first: str, last: str) -> list[str]:
    """Return the printed lines of the signature block, from its first line to the signer's name."""
    lines = [line.strip() for line in layout_of(pdf).splitlines() if line.strip()]
    start = lines.index(first)
    return lines[start : lines.index(last, start) + 1]


def birth_in_processing() -> Dossier:
    """A commune birth registration, received and started: due Wednesday 11/03 09:00, apology due by Tuesday."""
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
        perform(dossier, Action.START, actor=user("mytho.motcua"))
    return dossier


def extend(dossier: Dossier, actor: str, **inputs: object) -> None:
    with clock.frozen(TUESDAY_9AM):
        perform(
            dossier,
            Action.EXTEND,
            actor=user(actor),
            reason="Chờ xác minh thông tin khai sinh",
            inputs=Inputs(new_due_at=FRIDAY_9AM, **inputs),  # type: ignore[arg-type]
        )


def test_form_04_by_a_deputy_prints_kt_under_tm_of_the_committee(tmp_path: Path) -> None:
    dossier = birth_in_processing()
    # ND 30/2020 art. 13: the vice-chairman signs for the chairman only in the fields assigned to him; outside them he
    # cannot issue the apology at all, so there is never a Form 04 that cannot be printed.
    with pytest.raises(NotPermittedError, match="Phó Chủ tịch không được phân công lĩnh vực"):
        extend(dossier, "mytho.phochutich")
    deputy = RegisterEntry.objects.get(official__username="mytho.phochutich", mode=Mode.DEPUTY)
    deputy.fields.add(*Field.objects.filter(versions=dossier.version_id))
    extend(dossier, "mytho.phochutich")
    pdf = pdf_of(tmp_path, dossier, "04")
    assert block_of(pdf, "TM. ỦY BAN NHÂN DÂN", "Bùi Thị Phó Chủ Tịch") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "Bùi Thị Phó Chủ Tịch",
    ]
    assert "THỦ TRƯỞNG CƠ QUAN" not in text_of(pdf)


def test_form_05_of_a_committee_is_signed_tm_by_its_chairman(tmp_path: Path) -> None:
    dossier = birth_in_processing()
    with clock.frozen(TUESDAY_9AM):
        perform(
            dossier,
            Action.STOP,
            actor=user("mytho.lanhdao"),
            reason="Người nộp đề nghị dừng để bổ sung giấy tờ khác",
            inputs=Inputs(stop=StopRequest("Đơn đề nghị dừng giải quyết của ông Nguyễn Văn An", date(2026, 3, 10))),
        )
    pdf = pdf_of(tmp_path, dossier, "05")
    assert block_of(pdf, "TM. ỦY BAN NHÂN DÂN", "Đặng Văn Chủ Tịch") == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "Đặng Văn Chủ Tịch",
    ]
    text = text_of(pdf)
    assert "Ông/bà chưa nộp khoản phí, lệ phí nào cho hồ sơ này." in text
    assert "THỦ TRƯỞNG CƠ QUAN" not in text


def test_the_unit_whose_step_ran_late_issues_the_apology(tmp_path: Path) -> None:
    other, head = department_officer(), department_head()  # the department and its director are registered
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.motcua"))
        complete_step(dossier, actor=user("stp.chuyenvien"))  # to the other department: 3 working days
    with clock.frozen(datetime(2026, 3, 20, 9, 0, tzinfo=VIETNAM)):  # a week later
        complete_step(dossier, actor=other)
        perform(
            dossier,
            Action.EXTEND,
            actor=user("stp.lanhdao"),
            reason="Sở Nông nghiệp và Môi trường trả lời chậm",
            inputs=Inputs(new_due_at=datetime(2026, 4, 7, 9, 0, tzinfo=VIETNAM), signer=head),
        )
    pdf = pdf_of(tmp_path, dossier, "04")
    text = text_of(pdf, layout=False)
    assert "UBND TỈNH ĐỒNG THÁP SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG Mã hồ sơ" in text
    assert "chậm tại bước «Lấy ý kiến Sở NN&MT» của Sở Nông nghiệp và Môi trường" in text
    assert "Sở Nông nghiệp và Môi trường chân thành xin lỗi ông/bà" in text
    assert block_of(pdf, "GIÁM ĐỐC", "Trương Văn Môi Trường")[-1] == "Trương Văn Môi Trường"
    assert "Phạm Văn Giám Đốc" not in text and "SỞ TƯ PHÁP" not in text


def test_form_05_records_the_request_and_the_settlement_of_the_fee_paid(tmp_path: Path) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")  # 200.000 đ paid at reception
        perform(dossier, Action.START, actor=user("stp.motcua"))
    request = "Đơn đề nghị dừng giải quyết hồ sơ của ông Nguyễn Văn An"
    refused = [
        (None, "request"),
        (StopRequest(request, date(2026, 3, 11)), "requested_on"),  # after today
        (StopRequest(request, date(2026, 3, 9)), "requested_on"),  # before the dossier was filed
        (StopRequest(request, date(2026, 3, 10)), "refund"),
        (StopRequest(request, date(2026, 3, 10), refund=250_000, settlement="Hoàn trả"), "refund"),
        (StopRequest(request, date(2026, 3, 10), refund=0), "settlement"),
    ]
    for stop, field in refused:
        with clock.frozen(TUESDAY_9AM), pytest.raises(DomainError) as error:
            perform(dossier, Action.STOP, actor=user("stp.lanhdao"), reason="Theo đề nghị", inputs=Inputs(stop=stop))
        assert error.value.field == field, stop
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING
    assert not dossier.events.filter(action=Action.STOP).exists()
    settlement = "Hoàn trả phí tại Bộ phận Một cửa Sở Tư pháp trong 05 ngày làm việc."
    with clock.frozen(TUESDAY_9AM):
        perform(
            dossier,
            Action.STOP,
            actor=user("stp.lanhdao"),
            reason="Người nộp không tiếp tục thực hiện thủ tục",
            inputs=Inputs(stop=StopRequest(request, date(2026, 3, 10), refund=200_000, settlement=settlement)),
        )
    text = text_of(pdf_of(tmp_path, dossier, "05"), layout=False)
    assert f"Xét đề nghị: {request} (ngày 10/03/2026)" in text
    assert "Phí, lệ phí đã nộp: 200.000 đ; số tiền hoàn trả: 200.000 đ." in text and settlement in text
    assert "GIÁM ĐỐC" in text and "Phạm Văn Giám Đốc" in text


def test_a_form_04_printed_after_a_later_pause_gives_the_dates_the_letter_gave(tmp_path: Path) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")  # due Tuesday 31/03 09:00
        perform(dossier, Action.START, actor=user("stp.motcua"))
    promised = datetime(2026, 4, 8, 17, 0, tzinfo=VIETNAM)
    with clock.frozen(datetime(2026, 3, 20, 9, 0, tzinfo=VIETNAM)):
        perform(
            dossier, Action.EXTEND, actor=user("stp.lanhdao"), reason="Chờ ý kiến", inputs=Inputs(new_due_at=promised)
        )
    paper = dossier.case.components.order_by("position")[0]
    with clock.frozen(datetime(2026, 3, 23, 9, 0, tzinfo=VIETNAM)):  # Monday
        asked = (SupplementRequest(paper.pk, "Tờ khai chưa ký"),)
        perform(dossier, Action.REQUEST_SUPPLEMENT, actor=user("stp.motcua"), reason="Tờ khai", supplements=asked)
    with clock.frozen(datetime(2026, 3, 25, 9, 0, tzinfo=VIETNAM)):  # Wednesday: two working days paused
        perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=user("stp.motcua"))
    moved = Dossier.objects.get(pk=dossier.pk)
    assert moved.original_due_at == datetime(2026, 4, 2, 9, 0, tzinfo=VIETNAM)  # the statistics date moved
    assert moved.due_at == datetime(2026, 4, 10, 17, 0, tzinfo=VIETNAM)  # and so did the promise
    text = text_of(pdf_of(tmp_path, dossier, "04"), layout=False)
    assert "hẹn trả kết quả: Sau 9 giờ 00 phút, ngày 31/03/2026." in text  # as issued on 20/03
    assert "hẹn trả kết quả: Sau 17 giờ 00 phút, ngày 08/04/2026." in text
    assert "02/04/2026" not in text and "10/04/2026" not in text


@pytest.mark.parametrize(
    ("received_on", "notice"), [(date(2025, 9, 12), True), (date(2025, 9, 15), False)], ids=["before", "from"]
)
def test_a_dossier_received_before_circular_03_2025_says_so_on_its_forms(
    tmp_path: Path, received_on: date, notice: bool
) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = receive()
    moment = datetime.combine(received_on, datetime.min.time(), VIETNAM).replace(hour=9)
    Dossier.objects.filter(pk=dossier.pk).update(submitted_at=moment, received_at=moment)  # an older dossier's dates
    said = (
        "Hồ sơ tiếp nhận ngày 12/09/2025, trước ngày Thông tư 03/2025/TT-VPCP có hiệu lực (15/09/2025); biểu mẫu áp "
        "dụng khi đó theo Thông tư 01/2018/TT-VPCP, có số và tên khác. Hệ thống chỉ cung cấp bộ biểu mẫu theo Thông "
        "tư 03/2025/TT-VPCP."
    )
    text = text_of(pdf_of(tmp_path, dossier, "01"), layout=False)
    page = browser_for("mytho.motcua").get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    if notice:
        assert f"{said} Bản này in theo Mẫu số 01 của Thông tư 03/2025/TT-VPCP." in text
        assert 'data-form-set-notice="true"' in page and said in page
    else:
        assert "Thông tư 01/2018" not in text and "data-form-set-notice" not in page


def test_the_dossier_page_asks_for_the_request_the_fee_settlement_and_the_signer(tmp_path: Path) -> None:
    with clock.frozen(TUESDAY_9AM):
        dossier = file("1.999015", officer="stp.motcua", at="82.STP")
        perform(dossier, Action.START, actor=user("stp.motcua"))
        leader = browser_for("stp.lanhdao")
        page = leader.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
        assert 'name="nguoi-ky"' in page and "Người ký văn bản xin lỗi của Sở Tư pháp" in page
        assert 'name="de-nghi"' in page and "Phí, lệ phí người nộp đã nộp: 200.000 đ." in page
        stop = f"/can-bo/ho-so/{dossier.code}/thao-tac/stop/"
        form = {"ly-do": "Theo đề nghị", "de-nghi": "Đơn của ông An", "ngay-de-nghi": "2026-03-10"}
        refused = leader.post(stop, {**form, "hoan-tra": "1.000"}, follow=True).content.decode()
        assert "Số tiền hoàn trả phải là số đồng" in refused
        leader.post(stop, {**form, "hoan-tra": "0", "xu-ly-phi": "Không hoàn trả: đã thẩm định xong hồ sơ"})
    event = Dossier.objects.get(pk=dossier.pk).events.get(action=Action.STOP)
    assert event.details["request"] == "Đơn của ông An" and event.details["requested_on"] == "2026-03-10"
    assert (event.details["fee_paid"], event.details["refund"]) == (200_000, 0)
