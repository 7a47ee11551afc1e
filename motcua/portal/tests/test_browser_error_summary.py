"""Real Chromium: the error summary takes the focus, and its links take the citizen to the field to fix."""

import pytest
from playwright.sync_api import Page, expect

from motcua.demo.seed import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_summary_is_focused_and_its_link_focuses_the_field(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("stp.motcua")
    page.get_by_label("Mật khẩu", exact=True).fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Có lỗi cần sửa")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử")).to_be_focused()
