"""Real Chromium: an official signs in with the password, then the code of their authenticator app."""

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.demo.seed import DEMO_PASSWORD, DEMO_TOTP_KEY, seed
from motcua.organizations.tests.test_second_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_official_signs_in_with_the_code_of_the_app(live_server, page: Page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MOTCUA_STAFF_OTP_REQUIRED = True
    seed(catalogue=False)  # transactional tests start from an empty database
    page.goto(live_server.url + "/dang-nhap/?next=/can-bo/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("stp.motcua")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập mã xác thực")
    expect(page.get_by_label("Mã xác thực")).to_be_focused()
    page.keyboard.type(code_for(DEMO_TOTP_KEY))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    expect(page.get_by_role("heading", name="Quầy tiếp nhận và trả kết quả")).to_be_visible()
