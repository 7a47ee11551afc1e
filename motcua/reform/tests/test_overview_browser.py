"""Real Chromium: a leader opens the head-of-unit page, follows an overdue task to its page and its evidence file."""

import pytest
from playwright.sync_api import Page, expect

from motcua.demo.reform import seed_reform
from motcua.demo.seed import DEMO_COMMUNE, DEMO_PASSWORD, PROVINCE, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_follows_an_overdue_task_to_its_evidence(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)  # transactional tests start from an empty database
    seed_reform(PROVINCE, DEMO_COMMUNE)
    page.goto(live_server.url + "/dang-nhap/?next=/can-bo/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("mytho.lanhdao")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator("a[data-unit-overview]", has_text="Ủy ban nhân dân").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng quan đơn vị")
    expect(page.locator("#chi-so-766")).to_be_visible()
    page.locator("a#nhiem-vu-qua-han").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ quá hạn")
    page.get_by_role("link", name="Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn tồn đọng").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    evidence = page.locator("a[data-evidence]", has_text="bien-ban-so-hoa.pdf")
    expect(evidence).to_be_visible()
    answer = page.request.get(live_server.url + (evidence.get_attribute("href") or ""))
    assert answer.status == 200 and answer.body().startswith(b"%PDF")
