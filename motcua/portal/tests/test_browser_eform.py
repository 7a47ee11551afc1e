"""Real Chromium: the tờ khai's errors (summary focused, its links focus the field), a section shown by a choice,
the review page, and the submission from it."""

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.core.tests import samples
from motcua.demo.seed import seed
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import load_catalogue
from motcua.eforms.tests.birth import ANSWERS, publish_birth_form
from motcua.portal.tests.test_browser_online import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_citizen_fixes_the_form_reviews_it_and_submits(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    load_catalogue()
    publish_birth_form()
    base = live_server.url
    sign_in(page, base, "0912345678")
    page.goto(base + "/nop-ho-so/1.001193/")
    page.get_by_label("Xã, phường nơi cư trú").select_option(label="Phường Mỹ Tho")
    page.get_by_label("Nơi nộp và nhận kết quả").select_option(label="Trung tâm Phục vụ hành chính công Phường Mỹ Tho")
    page.get_by_label("Tải lên bản quét: Giấy chứng sinh").set_input_files(
        {"name": "chung-sinh.pdf", "mimeType": "application/pdf", "buffer": samples.pdf("GIAY CHUNG SINH")}
    )
    expect(page.get_by_text("chung-sinh.pdf")).to_have_count(1)
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.locator("#phan-cha")).to_be_hidden()  # the father's section waits for its answer
    for name, value in ANSWERS.items():  # as fast as a person types: answers that redraw do not wait for it
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    # Two answers that each show or hide a section, the second before the first's redraw lands: the page ends as
    # the last answers say, and keeps every value chosen or typed meanwhile.
    page.locator('[name="cha_khai.co_cha"]').select_option("co")
    page.locator('[name="me_khai.co_me"]').select_option("khong")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#phan-cha")).to_be_visible()
    expect(page.locator("#phan-me")).to_be_hidden()
    expect(page.locator('[name="me.nguoi.ho_ten"]')).to_have_value(ANSWERS["me.nguoi.ho_ten"])
    page.locator('[name="me_khai.co_me"]').select_option("co")
    page.locator('[name="cha_khai.co_cha"]').select_option("khong")
    expect(page.locator("#phan-me")).to_be_visible()
    expect(page.locator("#phan-cha")).to_be_hidden()
    expect(page.locator('[name="tre.ho_ten"]')).to_have_value(ANSWERS["tre.ho_ten"])
    page.locator('[name="tre.ngay_sinh"]').fill("31/02/2026")
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page).to_have_title(re.compile(r"^Lỗi: "))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="theo dạng ngày/tháng/năm").click()
    expect(page.locator('[name="tre.ngay_sinh"]')).to_be_focused()
    expect(page.locator('[name="tre.ngay_sinh"]')).to_have_value("31/02/2026")  # nothing typed is lost
    page.locator('[name="tre.ngay_sinh"]').fill("01/03/2026")
    page.get_by_role("button", name="Tiếp tục").click()

    page.get_by_label("Nhận kết quả điện tử trực tuyến").check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra thông tin trước khi nộp")
    expect(page.locator("main")).to_contain_text("Nguyễn Minh An")
    expect(page.locator("main")).to_contain_text("01/03/2026")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("[data-status]")).to_have_text("Mới đăng ký")
    dossier = Dossier.objects.get()
    assert dossier.form_data["tre.ngay_sinh"] == "2026-03-01" and dossier.return_method == "online"
