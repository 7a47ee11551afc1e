"""Real Chromium, end to end: a birth registration from filing to the signed result in the citizen's hands.

Each person has a browser of their own and sees only their screens; every step asserts what that person reads.
The internal process of the test catalogue's birth registration (1.001193): 1. Tiếp nhận (one-stop officer of the
centre) → 2. Thẩm định (specialist of the commune) → 3. Ký (chairman, the signing step) → 4. Trả kết quả (centre).
"""

import hashlib
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from weasyprint import HTML

from motcua.demo.seed import DEMO_PASSWORD, seed
from motcua.demo.signing import seed_signing
from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.processing import Rating
from motcua.dossiers.tests.factories import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIZEN, COUNTER, SPECIALIST, CHAIRMAN = "0912345678", "mytho.motcua", "mytho.chuyenvien", "mytho.lanhdao"
FORM, BIRTH_PAPER = "Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh"
COMMUNE = "Ủy ban nhân dân Phường Mỹ Tho"
# The register numbers each body's documents from 01 every year; each test starts from an empty register.
FIRST_NUMBER = "01/GKS-UBND"

SignIn = Callable[[str], Page]


@pytest.fixture
def sign_in(live_server, browser: Browser) -> Iterator[SignIn]:  # type: ignore[no-untyped-def]
    """Seed the province and the test catalogue; then open a browser of one's own per person, signed in.

    Every browser is closed after the test.
    """
    seed(catalogue=False)  # transactional tests start from an empty database
    load_catalogue()
    seed_signing()  # the birth certificate's signing entry needs the procedure, which came after the seed
    contexts: list[BrowserContext] = []

    def open_as(username: str) -> Page:
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))
        return page

    yield open_as
    for context in contexts:
        context.close()


def scan(title: str) -> bytes:
    """Return a small real PDF, as a scanner would hand it over."""
    pdf: bytes = HTML(string=f"<h1>{title}</h1><p>Bản quét dùng cho kiểm thử.</p>").write_pdf()
    return pdf


def papers_row(page: Page, paper: str) -> Locator:
    """Return the row of the papers table that lists this paper and its scans."""
    return page.locator("table.papers tbody tr", has_text=paper)


def hand_on(page: Page, *, to: str) -> None:
    """Press "Chuyển bước" after reading where the dossier goes next."""
    form = page.locator("form[action$='/thao-tac/chuyen-buoc/']")
    expect(form).to_contain_text(to)
    form.get_by_role("button", name="Chuyển bước", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã chuyển bước.")


def expect_status(page: Page, label: str) -> None:
    expect(page.locator("[data-status]")).to_have_text(label)


def expect_current_step(page: Page, step: str) -> None:
    expect(page.locator("table.steps tr.current")).to_contain_text(step)


def process_and_sign(open_as: SignIn, code: str, *, from_list: bool) -> str:
    """Take a dossier whose first step is done through drafting and signing; return the verification page's hash."""
    specialist = open_as(SPECIALIST)
    specialist.goto(f"/can-bo/ho-so/{code}/")
    expect_current_step(specialist, "2. Thẩm định")
    result_form = specialist.locator("form", has_text="Kết quả giải quyết (PDF) để trình ký")
    # Filed without the e-form: nothing to fill a result from, so the specialist attaches the one drafted.
    expect(result_form.locator("[data-generate-refusal]")).to_contain_text("không nộp kèm tờ khai điện tử")
    expect(result_form.get_by_role("button", name="Tạo kết quả từ tờ khai")).to_have_count(0)
    expect(result_form.get_by_label("Tên kết quả")).to_have_value("Giấy khai sinh")  # the register's document type
    result_form.get_by_label("Tệp PDF").set_input_files(
        {"name": "giay-khai-sinh.pdf", "mimeType": "application/pdf", "buffer": scan("Giấy khai sinh")}
    )
    result_form.get_by_role("button", name="Đính kèm tệp").click()
    expect(specialist.get_by_role("status")).to_contain_text("Đã đính kèm kết quả giải quyết.")
    expect(specialist.locator("ul.results li")).to_have_count(1)
    expect(specialist.locator("ul.results li")).to_contain_text("chờ ký")
    hand_on(specialist, to=f"Chuyển đến bước 3: Ký — {COMMUNE}.")
    expect_current_step(specialist, "3. Ký")

    chairman = open_as(CHAIRMAN)
    if from_list:  # the signing list offers exactly this dossier
        chairman.goto("/can-bo/ky-so/")
        rows = chairman.locator("table.data tbody tr")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(code)
        expect(rows).to_contain_text("Giấy khai sinh")
        rows.get_by_role("link", name="Xem và ký").click()
    else:  # or the dossier page leads there
        chairman.goto(f"/can-bo/ho-so/{code}/")
        expect_current_step(chairman, "3. Ký")
        chairman.get_by_role("link", name="Xem và ký số kết quả").click()
    expect(chairman).to_have_url(re.compile(rf"/can-bo/ky-so/{re.escape(code)}/$"))
    expect(chairman.get_by_role("heading", level=1)).to_have_text(f"Ký số kết quả hồ sơ {code}")
    preview = chairman.locator("iframe.pdf-preview")
    expect(preview).to_be_visible()
    source = preview.get_attribute("src") or ""
    assert re.fullmatch(rf"/can-bo/ho-so/{re.escape(code)}/ket-qua/\d+\.pdf", source), source
    shown = chairman.request.get(source)
    assert shown.status == 200
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.body().startswith(b"%PDF")
    facts = chairman.locator("dl.facts")
    expect(facts).to_contain_text("TM. ỦY BAN NHÂN DÂN")
    expect(facts).to_contain_text("CHỦ TỊCH")
    expect(facts).to_contain_text(FIRST_NUMBER)
    chairman.get_by_label("Tôi đã xem toàn bộ nội dung văn bản trên và đồng ý ký ban hành.").check()
    chairman.get_by_role("button", name="Ký số", exact=True).click()

    expect(chairman).to_have_url(re.compile(r"/xac-thuc/[^/]+$"))
    expect(chairman.locator("ul.messages")).to_contain_text(f"Đã ký số văn bản số {FIRST_NUMBER}.")
    verdict = chairman.locator("[data-valid]")
    expect(verdict).to_have_attribute("data-valid", "true")
    expect(verdict).to_contain_text("Hợp lệ")
    expect(chairman.locator("dl.facts")).to_contain_text(FIRST_NUMBER)
    expect(chairman.locator("dl.facts")).to_contain_text("Đặng Văn Chủ Tịch")
    signed_hash = chairman.locator("dt:text-is('Mã băm SHA-256 của văn bản') + dd").inner_text().strip()
    # Signing completed the signing step: the dossier is back at the counter's return step.
    chairman.goto(f"/can-bo/ho-so/{code}/")
    expect_current_step(chairman, "4. Trả kết quả")
    # The signed file is a result of its own, after the draft it was made from.
    expect(chairman.locator("ul.results li").last).to_contain_text("đã ký số")
    return signed_hash


def finish_and_return(counter: Page, code: str, *, channel: str) -> None:
    """The one-stop officer completes the last step and hands the result back."""
    counter.goto(f"/can-bo/ho-so/{code}/")
    expect_current_step(counter, "4. Trả kết quả")
    hand_on(counter, to="Đây là bước cuối: hồ sơ được ghi nhận đã giải quyết xong, chờ trả kết quả.")
    expect_status(counter, "Đã xử lý xong")
    expect(counter.locator("table.steps tr.current")).to_have_count(0)
    returning = counter.locator("form[data-action='return-result']")
    returning.get_by_label("Hình thức trả kết quả").select_option(label=channel)
    returning.get_by_role("button", name="Trả kết quả").click()
    expect(counter.get_by_role("status")).to_contain_text("Đã thực hiện: Trả kết quả.")
    expect_status(counter, "Đã trả kết quả")


def test_online_filing_to_signed_result_and_rating(sign_in: SignIn, tmp_path: Path) -> None:
    # The citizen files online, one real scan per required paper.
    citizen = sign_in(CITIZEN)
    citizen.goto("/thu-tuc/1.001193/")
    citizen.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    citizen.get_by_label("Xã, phường nơi cư trú").select_option(label="Phường Mỹ Tho")
    citizen.get_by_label("Nơi nộp và nhận kết quả").select_option(
        label="Trung tâm Phục vụ hành chính công Phường Mỹ Tho"
    )
    expect(citizen.locator("#trang-thai-luu")).to_contain_text("Đã lưu")
    scans = {
        FORM: ("to-khai.pdf", scan("Tờ khai đăng ký khai sinh")),
        BIRTH_PAPER: ("chung-sinh.pdf", scan("Giấy chứng sinh")),
    }
    for paper, (name, content) in scans.items():
        citizen.get_by_label(f"Tải lên bản quét: {paper}").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": content}
        )
        expect(citizen.locator(".paper", has_text=paper)).to_contain_text(name)
    citizen.get_by_role("button", name="Tiếp tục").click()  # no tờ khai for this case: how to receive the result
    citizen.get_by_label("Nhận trực tiếp tại nơi nộp hồ sơ").check()
    citizen.get_by_role("button", name="Tiếp tục").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Kiểm tra thông tin trước khi nộp")
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    expect_status(citizen, "Mới đăng ký")
    code = Dossier.objects.get().code
    expect(citizen.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")

    # The one-stop officer sees each scan under its paper, opens it, accepts and starts processing.
    counter = sign_in(COUNTER)
    counter.goto(f"/can-bo/ho-so/{code}/")
    expect_status(counter, "Mới đăng ký")
    for paper, (name, content) in scans.items():
        link = papers_row(counter, paper).get_by_role("link", name=name)
        expect(link).to_be_visible()
        opened = counter.request.get(link.get_attribute("href") or "")
        assert opened.status == 200
        assert opened.headers["content-type"] == "application/pdf"
        assert opened.headers["content-disposition"].startswith("inline")
        assert opened.body() == content
    download = papers_row(counter, FORM).get_by_role("link", name="Tải về").get_attribute("href") or ""
    assert download.endswith("?tai-ve=1")
    assert counter.request.get(download).headers["content-disposition"].startswith("attachment")
    counter.get_by_role("button", name="Tiếp nhận hồ sơ trực tuyến").click()
    expect_status(counter, "Được tiếp nhận")
    counter.get_by_role("button", name="Chuyển xử lý").click()
    expect_status(counter, "Đang xử lý")
    expect_current_step(counter, "1. Tiếp nhận")
    hand_on(counter, to=f"Chuyển đến bước 2: Thẩm định — {COMMUNE}.")
    expect_current_step(counter, "2. Thẩm định")

    # The specialist attaches the result drafted, the chairman signs it from the signing list.
    signed_hash = process_and_sign(sign_in, code, from_list=True)

    # The one-stop officer completes the last step and returns the result online.
    finish_and_return(counter, code, channel="Trực tuyến")

    # The citizen downloads exactly the signed PDF and rates the service.
    citizen.reload()
    expect_status(citizen, "Đã trả kết quả")
    result_link = citizen.get_by_role("link", name=re.compile(r"^Tải kết quả: "))
    expect(result_link).to_be_visible()
    expect(citizen.get_by_role("link", name="Xác thực chữ ký số")).to_be_visible()
    fetched = citizen.request.get(result_link.get_attribute("href") or "")
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "application/pdf"
    signed = fetched.body()
    assert signed.startswith(b"%PDF")
    assert hashlib.sha256(signed).hexdigest() == signed_hash
    saved = tmp_path / "ket-qua.pdf"
    saved.write_bytes(signed)
    checked = subprocess.run(["pdfsig", str(saved)], capture_output=True, text=True, check=False)
    assert checked.stdout.count("Signature #") == 1, checked.stdout + checked.stderr
    assert "Signature Validation: Signature is Valid." in checked.stdout, checked.stdout

    rating = citizen.locator("form", has_text="Đánh giá mức độ hài lòng")
    rating.get_by_label("Việc nộp hồ sơ, nhận kết quả có thuận tiện không?").select_option(label="Rất hài lòng")
    rating.get_by_label("Anh/chị hài lòng thế nào với việc giải quyết hồ sơ này?").select_option(label="Hài lòng")
    rating.get_by_label("Ý kiến khác (không bắt buộc)").fill("Nhận kết quả trực tuyến rất nhanh")
    rating.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_role("status")).to_contain_text("Cảm ơn bạn đã đánh giá")
    expect(citizen.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
    recorded = DossierRating.objects.get(dossier__code=code)
    assert (recorded.convenience, recorded.overall, recorded.comment) == (
        Rating.VERY_SATISFIED,
        Rating.SATISFIED,
        "Nhận kết quả trực tuyến rất nhanh",
    )


def test_counter_intake_through_every_step_by_hand_on(sign_in: SignIn) -> None:
    # The one-stop officer receives the dossier at the counter; the commune is found by its name.
    counter = sign_in(COUNTER)
    counter.goto("/can-bo/tiep-nhan/?thu-tuc=1.001193")
    expect(counter.get_by_role("heading", level=1)).to_contain_text("Tiếp nhận hồ sơ: Đăng ký khai sinh")
    counter.get_by_label("Họ và tên người nộp").fill("Lê Văn Cường")
    counter.get_by_label("Số định danh cá nhân").fill("082090000111")
    commune = counter.get_by_role("combobox", name="Xã, phường nơi cư trú")
    commune.press_sequentially("my tho")
    counter.get_by_role("option", name="Phường Mỹ Tho (28261)").click()
    expect(counter.locator("#xa-phuong-da-chon")).to_have_text("Đã chọn: Phường Mỹ Tho (mã 28261)")
    for paper in (FORM, BIRTH_PAPER):
        counter.get_by_label(f"Số bản chính: {paper}").fill("1")
    counter.get_by_label(f"Bản quét: {FORM}").set_input_files(
        {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": scan("Tờ khai đăng ký khai sinh")}
    )
    counter.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(counter.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
    code = Dossier.objects.get().code
    expect(counter.get_by_role("status")).to_have_text(f"Đã tiếp nhận hồ sơ {code}.")
    expect(counter.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    expect_status(counter, "Được tiếp nhận")
    expect(papers_row(counter, FORM).get_by_role("link", name="to-khai.pdf")).to_be_visible()
    expect(papers_row(counter, BIRTH_PAPER)).to_contain_text("Chưa có tệp")

    # Every step is handed on with "Chuyển bước"; the result is attached and signed where the process calls for it.
    counter.get_by_role("button", name="Chuyển xử lý").click()
    expect_status(counter, "Đang xử lý")
    expect_current_step(counter, "1. Tiếp nhận")
    hand_on(counter, to=f"Chuyển đến bước 2: Thẩm định — {COMMUNE}.")
    process_and_sign(sign_in, code, from_list=False)
    finish_and_return(counter, code, channel="Tại bộ phận một cửa")
    expect(counter.locator("ol.timeline")).to_contain_text("Trả kết quả: Đã trả kết quả")
