"""Real Chromium: an officer opens the unit's queue, opens the dossier and completes the step from the page."""

import pytest
from playwright.sync_api import Page, expect

from motcua.demo.seed import DEMO_PASSWORD, seed
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import StepTask
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import user
from motcua.dossiers.tests.processing_factories import file, load_processing_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_completes_a_step_from_the_queue(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)  # transactional tests start from an empty database
    load_processing_catalogue()
    dossier = file("1.999015", officer="stp.motcua", at="82.STP")
    perform(dossier, Action.START, actor=user("stp.motcua"))
    page.goto(live_server.url + "/dang-nhap/?next=/can-bo/")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("stp.motcua")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Hồ sơ cần xử lý").first.click()
    page.get_by_role("link", name="Đơn vị: Sở Tư pháp").click()
    row = page.locator("table.queue tbody tr", has_text=dossier.code)
    expect(row).to_contain_text("1. Tiếp nhận")
    row.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    expect(page.get_by_text("Chuyển đến bước 2: Thẩm định — Sở Tư pháp.")).to_be_visible()
    page.get_by_role("button", name="Chuyển bước").click()
    expect(page.get_by_text("Đã chuyển bước.")).to_be_visible()
    expect(page.locator("table.steps tr.current")).to_contain_text("2. Thẩm định")
    assert StepTask.objects.get(dossier=dossier, position=1).state == 1
    # The queue no longer lists it as the one-stop step; the specialist's step is now the unit's.
    page.goto(live_server.url + "/can-bo/hang-doi/?xem=don-vi")
    expect(page.locator("table.queue tbody tr", has_text=dossier.code)).to_contain_text("2. Thẩm định")
