"""Real Chromium: a citizen files online, an officer accepts it, the citizen sees the new status."""

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.core.tests import samples
from motcua.demo.seed import DEMO_PASSWORD, seed
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = samples.pdf()


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_citizen_files_officer_accepts_citizen_sees_it(live_server, page: Page, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    load_catalogue()
    base = live_server.url
    sign_in(page, base, "0912345678")
    page.goto(base + "/thu-tuc/1.001193/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Xã, phường nơi cư trú").select_option(label="Phường Mỹ Tho")
    page.get_by_label("Nơi nộp và nhận kết quả").select_option(label="Trung tâm Phục vụ hành chính công Phường Mỹ Tho")
    expect(page.locator("#trang-thai-luu")).to_contain_text("Đã lưu")
    for label in ("Tải lên bản quét: Tờ khai đăng ký khai sinh theo mẫu", "Tải lên bản quét: Giấy chứng sinh"):
        page.get_by_label(label).set_input_files({"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(page.get_by_text("scan.pdf")).to_have_count(2)
    page.get_by_role("button", name="Tiếp tục").click()  # no tờ khai for this case: how to receive the result
    page.get_by_label("Nhận trực tiếp tại nơi nộp hồ sơ").check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra thông tin trước khi nộp")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("[data-status]")).to_have_text("Mới đăng ký")
    code = Dossier.objects.get().code

    officer = browser.new_context().new_page()
    sign_in(officer, base, "mytho.motcua")
    officer.goto(f"{base}/can-bo/ho-so/{code}/")
    officer.get_by_role("button", name="Tiếp nhận hồ sơ trực tuyến").click()
    expect(officer.locator("[data-status]")).to_contain_text("Được tiếp nhận")

    page.reload()
    expect(page.locator("[data-status]")).to_have_text("Được tiếp nhận")
