"""Real Chromium under the Content-Security-Policy: htmx and the pages' scripts work, and nothing is refused."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from motcua.core.tests.samples import pdf
from motcua.demo.seed import DEMO_PASSWORD, seed
from motcua.dossiers.models import Upload
from motcua.dossiers.tests.factories import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def refusals(page: Page) -> Iterator[list[str]]:
    """Collect what the browser reports as refused by the policy, in the console and as violation events."""
    seen: list[str] = []

    def heard(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            seen.append(message.text)

    page.on("console", heard)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " (e) => console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`));"
    )
    seed(catalogue=False)  # transactional tests start from an empty database
    load_catalogue()
    yield seen


def sign_in(page: Page, base: str, username: str, then: str = "") -> None:
    page.goto(f"{base}/dang-nhap/{then}")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_htmx_search_autosave_and_upload_work_under_the_policy(live_server, page: Page, refusals: list[str]) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page.goto(base + "/thu-tuc/")
    page.get_by_role("searchbox").press_sequentially("khai sinh")
    expect(page).to_have_url(re.compile(r"khai(\+|%20)sinh"))  # htmx asked for the results and pushed the address

    sign_in(page, base, "0912345678")
    page.goto(base + "/nop-ho-so/1.001193/")
    page.get_by_label("Xã, phường nơi cư trú").select_option(label="Phường Mỹ Tho")
    expect(page.locator("#trang-thai-luu")).to_contain_text("Đã lưu")  # saved by htmx as the citizen types
    page.get_by_label("Tải lên bản quét: Giấy chứng sinh").set_input_files(
        {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": pdf("Giấy chứng sinh")}
    )
    expect(page.get_by_text("giay-chung-sinh.pdf")).to_be_visible()
    assert Upload.objects.count() == 1
    assert refusals == []


def test_intake_script_api_docs_and_admin_under_the_policy(live_server, page: Page, refusals: list[str]) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    sign_in(page, base, "mytho.motcua", then="?next=/can-bo/tiep-nhan/%3Fthu-tuc%3D1.001193")
    page.get_by_label("Người nộp là").select_option("organisation")
    expect(page.get_by_label("Mã số thuế")).to_be_visible()  # shown by intake.js, now a static file
    commune = page.get_by_role("combobox", name="Xã, phường nơi cư trú")
    commune.press_sequentially("dao thanh")
    expect(page.get_by_role("option", name="Phường Đạo Thạnh (28249)")).to_be_visible()
    page.goto(base + "/can-bo/")
    page.goto(base + "/api/docs/")
    expect(page.locator(".swagger-ui")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, base, "quantri", then="?next=/quan-tri/")
    expect(page.locator("#site-name")).to_contain_text("Quản trị hệ thống một cửa")
    assert refusals == []
