"""Real Chromium: a citizen reports, from public tracking, a paper asked beyond the list; the commune's chairman and
the province monitor see it, and the monitor's QĐ 766 dashboard counts the dossier as one with a PAKN (5.4)."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.demo.seed import seed
from motcua.dossiers.tests.factories import load_catalogue, receive
from motcua.feedback.models import FeedbackCase
from motcua.portal.tests.test_browser_online import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_from_tracking_reaches_the_chairman_and_the_monitor_and_5_4(  # type: ignore[no-untyped-def]
    live_server, page: Page, browser: Browser
) -> None:
    seed(catalogue=False)
    load_catalogue()
    dossier = receive()  # at Phường Mỹ Tho's centre, today
    base = live_server.url
    monitor = browser.new_context().new_page()
    sign_in(monitor, base, "giamsat")
    monitor.goto(base + "/can-bo/chi-so/")
    expect(monitor.locator('[data-figure="reported"] a')).to_have_text("0")

    page.goto(f"{base}/tra-cuu/{dossier.code}/?k={dossier.tracking_secret}")
    page.get_by_role("link", name="Cán bộ yêu cầu giấy tờ không có trong danh mục? Phản ánh").click()
    expect(page.get_by_role("table")).to_contain_text("Giấy chứng sinh")  # the published papers, for comparison
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page).to_have_title(re.compile(r"^Lỗi: "))  # nothing named yet: errors beside each field
    page.get_by_label("Giấy tờ cán bộ yêu cầu nộp thêm").fill("Giấy xác nhận tình trạng hôn nhân")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Dân")
    page.get_by_label("Địa chỉ liên hệ").fill("Số 5 Lê Lợi, Phường Mỹ Tho")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi phản ánh, kiến nghị")
    case = FeedbackCase.objects.get()
    expect(page.locator("[data-report-filed]")).to_contain_text(case.code)

    chairman = browser.new_context().new_page()
    sign_in(chairman, base, "mytho.lanhdao")
    chairman.goto(base + "/can-bo/phan-anh/")
    expect(chairman.locator(f'[data-case="{case.code}"]')).to_contain_text("Giấy xác nhận tình trạng hôn nhân")
    monitor.goto(base + "/can-bo/phan-anh/")
    expect(monitor.locator(f'[data-case="{case.code}"]')).to_be_visible()
    monitor.goto(base + "/can-bo/chi-so/")
    expect(monitor.locator('[data-figure="reported"] a')).to_have_text("1")

    chairman.goto(f"{base}/can-bo/phan-anh/{case.code}/")
    chairman.get_by_role("button", name="Tiếp nhận xử lý").click()
    expect(chairman.locator("[data-case-status]")).to_have_text("Đang xử lý")
    page.goto(f"{base}/phan-anh/theo-doi/?ma={case.code}&k={case.tracking_secret}")
    expect(page.locator("[data-report-status]")).to_have_text("Đang xử lý")
