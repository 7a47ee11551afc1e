"""Real Chromium: a citizen finds a procedure by typing without diacritics and reads what to bring."""

import pytest
from playwright.sync_api import Page, expect

from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, RECORDS, sample
from motcua.demo.seed import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_as_you_type_and_open_a_procedure(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    import_catalogue([BIRTH, RECORDS, sample(("MATTHC", "1.000002"), ("TENTTHC", "Đăng ký lại khai sinh"))])
    page.goto(live_server.url + "/thu-tuc/")
    page.get_by_label("Tìm thủ tục (gõ có dấu hoặc không dấu)").fill("dang ki khai sinh")
    results = page.locator("#ket-qua ol li")
    expect(results).to_have_count(2)  # htmx replaced the list without a page load
    expect(results.first).to_contain_text("Đăng ký khai sinh")
    assert "q=dang%20ki%20khai%20sinh" in page.url  # the URL is shareable
    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.get_by_text("Đây là danh sách đầy đủ giấy tờ")).to_be_visible()
    expect(page.get_by_role("cell", name="Giấy chứng sinh")).to_be_visible()
