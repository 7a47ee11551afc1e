"""Forms 01-03 rendered to PDF: their text as pdftotext reads it, their QR code as zbarimg decodes it."""

import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from motcua.catalogue.models import Component, Fee
from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, RECORDS, sample
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import DomainError
from motcua.documents import forms
from motcua.documents.forms import FORMS, render_form
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, FeeCollection
from motcua.dossiers.services import (
    Applicant,
    Filing,
    Paper,
    SupplementRequest,
    perform,
    receive_at_counter,
    submit_online,
)
from motcua.dossiers.tests.factories import TUESDAY_9AM
from motcua.organizations.models import Unit, User

pytestmark = pytest.mark.django_db
PERSON = Applicant(
    name="Nguyễn Văn An",
    citizen_id="082090001234",
    phone="0912345678",
    email="an.nguyen@example.vn",
    address="Số 12 đường Ấp Bắc, Phường Mỹ Tho",
)
CENTRE = "28261.TTPVHCC"
# A procedure with many papers, for a receipt that does not fit on one page.
MANY_PAPERS = sample(
    ("MATTHC", "1.000002"),
    ("TENTTHC", "Đăng ký lại khai sinh có yếu tố nước ngoài"),
    (
        "THANHPHANHOSO.0.GIAYTO",
        [
            {
                **BIRTH["THANHPHANHOSO"][0]["GIAYTO"][0],
                "MAGIAYTO": f"GT{n}",
                "TENGIAYTO": f"Giấy tờ số {n}: bản sao giấy tờ chứng minh nhân thân, nơi cư trú của người yêu cầu",
                "BATBUOC": n == 1,
            }
            for n in range(1, 19)
        ],
    ),
)


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    import_catalogue([BIRTH, RECORDS, MANY_PAPERS])


@pytest.fixture(autouse=True)
def frozen_clock():  # type: ignore[no-untyped-def]
    with clock.frozen(TUESDAY_9AM) as at:
        yield at


def user(name: str) -> User:
    return User.objects.get(username=name)


def birth_papers() -> list[Component]:
    return list(Component.objects.filter(case__version__procedure__code="1.001193").order_by("position"))


def birth_filing(channel: int = 1, applicant: Applicant = PERSON) -> Filing:
    papers = birth_papers()
    return Filing(
        case_id=papers[0].case_id,
        channel=channel,
        applicant=applicant,
        papers=(Paper(papers[0].pk, originals=1), Paper(papers[1].pk, originals=1, copies=2)),
    )


def received(applicant: Applicant = PERSON) -> Dossier:
    centre = Unit.objects.get(code=CENTRE)
    return receive_at_counter(
        birth_filing(applicant=applicant), officer=user("mytho.motcua"), receiving_unit=centre
    ).dossier


def online() -> Dossier:
    centre = Unit.objects.get(code=CENTRE)
    return submit_online(birth_filing(channel=2), citizen=user("0912345678"), receiving_unit=centre).dossier


def write(tmp_path: Path, dossier: Dossier, number: str) -> Path:
    path = tmp_path / f"form{number}.pdf"
    path.write_bytes(render_form(dossier, number))
    return path


def layout_of(pdf: Path, *pages: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *pages, pdf, "-"], capture_output=True, text=True, check=True
    ).stdout


def text_of(pdf: Path, *, layout: bool = True) -> str:
    """Return the PDF's text with runs of whitespace collapsed, so that wrapped lines still match.

    The layout mode keeps printed lines but interleaves side-by-side columns (a wrapped table cell is split by the
    cells beside it); the reading order keeps each cell whole.
    """
    if layout:
        return re.sub(r"\s+", " ", layout_of(pdf))
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text)


def assert_header(pdf: Path, dossier: Dossier, superior: str, issuer: tuple[str, ...], date_line: str) -> None:
    """Check the Nghị định 30/2020 header: the issuing unit on the left, the national header on the right."""
    lines = layout_of(pdf).splitlines()
    top = next(line for line in lines if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line)
    assert top.index(superior) < top.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = next(line for line in lines if "Độc lập - Tự do - Hạnh phúc" in line)
    assert motto.index(issuer[0]) < motto.index("Độc lập")
    assert_contains(text_of(pdf), *issuer, date_line, "Mã hồ sơ:", dossier.code)
    assert date_line in next(line for line in lines if "năm 20" in line).strip()


MY_THO = ("UBND PHƯỜNG MỸ THO", ("TRUNG TÂM PHỤC VỤ HÀNH", "CHÍNH CÔNG"))


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])  # type: ignore[index]


def qr_of(pdf: Path) -> str:
    """Rasterise page 1 at 200 dpi, as a phone camera would see a print, and decode its QR code."""
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, pdf.with_suffix("")], check=True
    )
    png = pdf.with_suffix(".png")
    return subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True, check=True).stdout.strip()


def assert_contains(text: str, *expected: str) -> None:
    missing = [phrase for phrase in expected if phrase not in text]
    assert not missing, f"missing {missing} in: {text}"


HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Quét mã để tra cứu tiến độ hồ sơ")


def test_receipt_form_01_has_every_field_of_the_slip(tmp_path: Path) -> None:
    dossier = received()
    pdf = write(tmp_path, dossier, "01")
    assert pdf.read_bytes().startswith(b"%PDF-") and pages_of(pdf) == 1
    assert_header(pdf, dossier, *MY_THO, "Đồng Tháp, ngày 10 tháng 3 năm 2026")
    text = text_of(pdf)
    names = [c.name for c in birth_papers()]
    assert names == ["Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh"]
    assert_contains(
        text,
        *HEADER,
        "Mẫu số 01",
        "Đồng Tháp, ngày 10 tháng 3 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Trung tâm Phục vụ hành chính công Phường Mỹ Tho tiếp nhận hồ sơ của:",
        "Ông/bà: Nguyễn Văn An",
        "Số định danh cá nhân: 082090001234",
        "Địa chỉ: Số 12 đường Ấp Bắc, Phường Mỹ Tho",
        "Số điện thoại: 0912345678",
        "Thư điện tử: an.nguyen@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        *names,
        "Số lượng hồ sơ: 01 bộ",
        "Thời gian giải quyết hồ sơ theo quy định: 1 ngày làm việc",
        "Thời gian nhận hồ sơ: 09:00 10/03/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: Sau 9 giờ 00 phút, ngày 11/03/2026",
        "Phí, lệ phí: Miễn lệ phí",
        "Nơi nhận kết quả: Trung tâm Phục vụ hành chính công Phường Mỹ Tho",
        "Khi đến nhận kết quả, người nhận mang theo Giấy tiếp nhận này; trường hợp nhận thay phải có văn bản ủy quyền",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Võ Thị Một Cửa",
    )
    # The table row of the certificate: one original, two copies.
    assert re.search(
        r"Giấy chứng sinh\s+01\s+02", subprocess.check_output(["pdftotext", "-layout", pdf, "-"], text=True)
    )
    assert qr_of(pdf) == dossier.tracking_url()


def test_department_receipt_names_its_committee_case_and_fees(tmp_path: Path) -> None:
    papers = list(
        Component.objects.filter(case__version__procedure__code="2.001417", case__position=1).order_by("position")
    )
    filing = Filing(
        case_id=papers[0].case_id,
        channel=1,
        applicant=PERSON,
        papers=tuple(Paper(c.pk, originals=1) for c in papers),
        fee_id=Fee.objects.get(limit__version=papers[0].case.version_id, limit__channel=1, amount=100_000).pk,
        fee_collection=FeeCollection.AFTER,
    )
    stp = Unit.objects.get(code="82.STP")
    dossier = receive_at_counter(filing, officer=user("stp.motcua"), receiving_unit=stp).dossier
    pdf = write(tmp_path, dossier, "01")
    assert_header(pdf, dossier, "UBND TỈNH ĐỒNG THÁP", ("SỞ TƯ PHÁP",), "Đồng Tháp, ngày 10 tháng 3 năm 2026")
    assert_contains(
        text_of(pdf),
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam (trường hợp: Ủy quyền cho người khác nộp)",
        "Văn bản ủy quyền",
        "10 ngày làm việc",
        "Sau 9 giờ 00 phút, ngày 24/03/2026",
        "Phí, lệ phí: Sinh viên, người có công: 100.000 đ (thu sau)",
        "Nơi nhận kết quả: Sở Tư pháp",
        "Trần Văn Tiếp Nhận",
    )


def test_a_long_receipt_runs_to_a_second_page_with_the_qr_on_the_first(tmp_path: Path) -> None:
    papers = list(Component.objects.filter(case__version__procedure__code="1.000002").order_by("position"))
    filing = Filing(
        case_id=papers[0].case_id, channel=1, applicant=PERSON, papers=tuple(Paper(c.pk, copies=1) for c in papers)
    )
    centre = Unit.objects.get(code=CENTRE)
    dossier = receive_at_counter(filing, officer=user("mytho.motcua"), receiving_unit=centre).dossier
    pdf = write(tmp_path, dossier, "01")
    assert pages_of(pdf) == 2
    assert qr_of(pdf) == dossier.tracking_url()
    second = layout_of(pdf, "-f", "2", "-l", "2")
    assert_contains(re.sub(r"\s+", " ", second), "NGƯỜI TIẾP NHẬN HỒ SƠ", "Võ Thị Một Cửa")
    assert second.lstrip().startswith("2")  # page numbers from the second page on (Nghị định 30/2020/NĐ-CP)
    assert_contains(text_of(pdf, layout=False), *(c.name for c in papers))  # wrapped cells stay whole


def test_tracking_url_and_form_titles() -> None:
    dossier = received()
    assert dossier.tracking_url() == f"http://127.0.0.1:8000/tra-cuu/{dossier.code}/?k={dossier.tracking_secret}"
    assert FORMS == {
        "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "05": "Thông báo dừng giải quyết hồ sơ",
        "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    }


def test_glyphs_come_from_embedded_noto_serif(tmp_path: Path) -> None:
    pdf = write(tmp_path, received(), "01")
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    families = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert families == {"Noto-Serif", "Noto-Serif-Bold", "Noto-Serif-Italic"}
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # embedded, so any printer shows the diacritics


def test_online_receipt_names_the_accepting_officer(tmp_path: Path) -> None:
    dossier = online()
    with pytest.raises(DomainError, match="chưa được tiếp nhận"):
        render_form(dossier, "01")
    with clock.frozen(datetime(2026, 3, 10, 14, 30, tzinfo=VIETNAM)):
        perform(dossier, Action.ACCEPT, actor=user("mytho.motcua"))
    dossier.refresh_from_db()
    pdf = write(tmp_path, dossier, "01")
    text = text_of(pdf)
    assert_contains(
        text,
        "Hình thức nộp: Trực tuyến",
        "Thời gian nhận hồ sơ: 14:30 10/03/2026",
        "Sau 14 giờ 30 phút, ngày 11/03/2026",
        "Võ Thị Một Cửa",
    )
    assert qr_of(pdf) == dossier.tracking_url()


def test_organisation_and_dossier_owner_appear_on_the_receipt(tmp_path: Path) -> None:
    company = Applicant(
        kind="organisation",
        name="Trần Thị Bích",
        phone="0987654321",
        organisation_name="Công ty TNHH Dịch vụ Hồ sơ Mỹ Tho",
        tax_code="1201234567",
        representative="Lê Văn Đức",
        owner_name="Phạm Thị Hồng",
        owner_address="Xã Tân Phước, tỉnh Đồng Tháp",
    )
    text = text_of(write(tmp_path, received(company), "01"))
    assert_contains(
        text,
        "Ông/bà: Trần Thị Bích",
        "Tổ chức: Công ty TNHH Dịch vụ Hồ sơ Mỹ Tho; mã số thuế: 1201234567",
        "Người đại diện: Lê Văn Đức",
        "Chủ hồ sơ: Phạm Thị Hồng; địa chỉ: Xã Tân Phước, tỉnh Đồng Tháp",
    )
    assert "Số định danh cá nhân" not in text  # none was given


def test_supplement_request_form_02_lists_every_paper_once(tmp_path: Path) -> None:
    dossier = received()
    declaration, certificate = birth_papers()
    with clock.frozen(datetime(2026, 3, 10, 15, 0, tzinfo=VIETNAM)):
        perform(
            dossier,
            Action.REQUEST_SUPPLEMENT,
            actor=user("mytho.motcua"),
            reason="Hồ sơ chưa đầy đủ, hợp lệ",
            supplements=(
                SupplementRequest(certificate.pk, "Bản chụp bị mờ, không đọc được số giấy"),
                SupplementRequest(declaration.pk, "Thiếu chữ ký của người đi khai sinh"),
            ),
        )
    pdf = write(tmp_path, dossier, "02")
    assert pages_of(pdf) == 1
    assert_header(pdf, dossier, *MY_THO, "Đồng Tháp, ngày 10 tháng 3 năm 2026")
    text = text_of(pdf)
    assert_contains(
        text,
        *HEADER,
        "Mẫu số 02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Ông/bà: Nguyễn Văn An",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "Ngày 10 tháng 3 năm 2026, Trung tâm Phục vụ hành chính công Phường Mỹ Tho đã nhận hồ sơ",
        "1. Tờ khai đăng ký khai sinh theo mẫu: Thiếu chữ ký của người đi khai sinh",
        "2. Giấy chứng sinh: Bản chụp bị mờ, không đọc được số giấy",
        "Lý do: Hồ sơ chưa đầy đủ, hợp lệ",
        "nêu đầy đủ, một lần",
        "thành phần hồ sơ đã được công bố của thủ tục «Đăng ký khai sinh»",
        "Nghị định 63/2010/NĐ-CP, Điều 18 khoản 6",
        "NGƯỜI HƯỚNG DẪN",
        "Võ Thị Một Cửa",
    )
    assert "Số định danh cá nhân" not in text  # the request may be sent by e-mail; the ID stays off it
    assert qr_of(pdf) == dossier.tracking_url()


def test_form_02_reprints_the_latest_request_with_its_round(tmp_path: Path) -> None:
    dossier = received()
    declaration, certificate = birth_papers()
    officer = user("mytho.motcua")
    perform(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=officer,
        reason="Lần đầu",
        supplements=(SupplementRequest(declaration.pk, "Sai ngày sinh"),),
    )
    perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=officer)
    perform(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=officer,
        reason="Lần hai",
        supplements=(SupplementRequest(certificate.pk, "Giấy chứng sinh hết hạn"),),
    )
    perform(dossier, Action.SUBMIT_SUPPLEMENT, actor=officer)  # resumed: the form can still be reprinted
    text = text_of(write(tmp_path, dossier, "02"))
    assert_contains(text, "(lần thứ 2)", "Giấy chứng sinh: Giấy chứng sinh hết hạn", "Lý do: Lần hai")
    assert "Sai ngày sinh" not in text


def test_refusal_form_03_gives_the_reason(tmp_path: Path) -> None:
    dossier = online()
    with clock.frozen(datetime(2026, 3, 11, 8, 15, tzinfo=VIETNAM)):
        perform(
            dossier,
            Action.REFUSE,
            actor=user("mytho.motcua"),
            reason="Người được khai sinh cư trú ngoài tỉnh; hồ sơ không thuộc thẩm quyền tiếp nhận",
        )
    dossier.refresh_from_db()
    pdf = write(tmp_path, dossier, "03")
    assert pages_of(pdf) == 1
    assert_header(pdf, dossier, *MY_THO, "Đồng Tháp, ngày 11 tháng 3 năm 2026")
    text = text_of(pdf)
    assert_contains(
        text,
        *HEADER,
        "Mẫu số 03",
        "Đồng Tháp, ngày 11 tháng 3 năm 2026",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Ông/bà: Nguyễn Văn An",
        "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
        "từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        "Người được khai sinh cư trú ngoài tỉnh; hồ sơ không thuộc thẩm quyền tiếp nhận",
        "Xin thông báo để ông/bà được biết và thực hiện./.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Võ Thị Một Cửa",
    )
    assert qr_of(pdf) == dossier.tracking_url()
    with pytest.raises(DomainError, match="chưa được tiếp nhận"):
        render_form(dossier, "01")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("08", "Không có biểu mẫu số «08»"),
        ("04", "chưa được xin lỗi và gia hạn"),
        ("05", "không bị dừng giải quyết"),
        ("06", "chưa được chuyển xử lý"),
        ("1", "Không có biểu mẫu số «1»"),
        ("", "Không có biểu mẫu số"),
        ("02", "chưa có yêu cầu bổ sung, hoàn thiện"),
        ("03", "không bị từ chối tiếp nhận"),
    ],
)
def test_a_form_that_does_not_apply_is_refused_in_vietnamese(number: str, message: str) -> None:
    dossier = received()
    with pytest.raises(DomainError, match=message) as refused:
        render_form(dossier, number)
    assert refused.value.field == "number"


def test_rendering_fetches_nothing_from_outside() -> None:
    for url in ("http://example.com/logo.png", "https://example.com/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            forms.URL_FETCHER.fetch(url)
