"""Real Chromium at the counter: the organisation's fields follow "Người nộp là", the commune is found by name."""

import pytest
from playwright.sync_api import Page, expect

from motcua.demo.seed import DEMO_PASSWORD, seed
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import load_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organisation_fields_and_commune_search(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)  # transactional tests start from an empty database
    load_catalogue()
    page.goto(live_server.url + "/dang-nhap/?next=/can-bo/tiep-nhan/%3Fthu-tuc%3D1.001193")
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc thư điện tử").fill("mytho.motcua")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Họ và tên người nộp")).to_be_focused()

    # A person: the organisation's fields are hidden; an organisation: they are shown.
    organisation = page.locator("#to-chuc")
    expect(organisation).to_be_hidden()
    expect(page.get_by_label("Mã số thuế")).to_be_hidden()
    page.get_by_label("Người nộp là").select_option("organisation")
    expect(page.get_by_label("Mã số thuế")).to_be_visible()
    page.get_by_label("Người nộp là").select_option("person")
    expect(organisation).to_be_hidden()

    # The commune by name without diacritics: suggestions from the units API, then the code is what is posted.
    page.get_by_label("Họ và tên người nộp").fill("Lê Văn Cường")
    commune = page.get_by_role("combobox", name="Xã, phường nơi cư trú")
    commune.press_sequentially("dao thanh")
    option = page.get_by_role("option", name="Phường Đạo Thạnh (28249)")
    expect(option).to_be_visible()
    commune.press("Enter")  # picks the highlighted suggestion, does not send the form
    expect(page.locator("#xa-phuong-da-chon")).to_have_text("Đã chọn: Phường Đạo Thạnh (mã 28249)")
    expect(page.locator("#id_commune")).to_have_value("28249")
    expect(commune).to_have_value("Phường Đạo Thạnh")
    for originals in page.get_by_label("Số bản chính:").all():
        originals.fill("1")
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
    assert Dossier.objects.get().competent_unit.code == "28249.UBND"
