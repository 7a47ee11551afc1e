"""Real Chromium: a person opens the portal, signs in as an officer and reaches the back-office home."""

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.demo.seed import DEMO_PASSWORD, seed
from motcua.dossiers.tests.factories import load_catalogue, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_from_the_portal(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)  # transactional tests start from an empty database
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cổng dịch vụ công")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("stp.motcua")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(live_server.url + "/can-bo/")
    expect(page.get_by_role("heading", name="Quầy tiếp nhận và trả kết quả")).to_be_visible()
    expect(page.get_by_role("cell", name="Sở Tư pháp")).to_be_visible()


def test_counter_intake_from_the_keyboard(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=True)
    page.goto(live_server.url + "/dang-nhap/?next=/can-bo/tiep-nhan/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("mytho.motcua")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    # The search box has the cursor: type, Enter, then Tab to the first result and Enter.
    expect(page.get_by_label("Tìm thủ tục")).to_be_focused()
    page.keyboard.type("dang ky khai sinh")
    page.keyboard.press("Enter")
    first = page.locator("ol.results a").first
    expect(first).to_contain_text("Đăng ký khai sinh")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    # The intake form: the name field has the cursor and the counter is preselected.
    expect(page.get_by_label("Họ và tên người nộp")).to_be_focused()
    page.keyboard.type("Lê Văn Cường")
    page.keyboard.press("Tab")
    page.keyboard.type("087090000111")
    for originals in page.get_by_label("Số bản chính:").all():
        originals.press("Control+A")
        originals.press_sequentially("1")
    page.keyboard.press("Enter")  # implicit submission from a text field
    expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(page.get_by_role("link", name=re.compile(r"^Mẫu 01"))).to_be_visible()


def test_province_monitor_opens_the_dashboard_and_drills_down(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    """The 766 dashboard in Chromium: the score, the trend chart beside its table, and the dossiers behind a number."""
    seed(catalogue=False)
    load_catalogue()
    dossier = receive()
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("giamsat")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Chỉ số phục vụ (QĐ 766)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chỉ số chất lượng phục vụ người dân, doanh nghiệp")
    expect(page.get_by_test_id("score")).to_be_visible()
    expect(page.locator("figure svg")).to_be_visible()
    expect(page.locator("tr[data-indicator='4.3']")).to_contain_text("chưa có dữ liệu")
    expect(page.locator("tr[data-indicator='5.2']")).to_contain_text("không phát sinh")  # no PAKN in the period
    page.locator("#so-lieu").get_by_role("link", name="1", exact=True).first.click()
    expect(page.get_by_test_id("count")).to_contain_text("1 mục")
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()
