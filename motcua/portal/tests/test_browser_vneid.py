"""Real Chromium: a citizen with a password account signs in with VNeID (the simulator), links it with the code
sent to their phone, files online, and the dossier is marked as filed through VNeID for DVCQG."""

import pytest
from playwright.sync_api import Page, expect

from motcua.core.tests import samples
from motcua.demo.seed import seed
from motcua.dossiers.models import Dossier
from motcua.dossiers.national import sync_record
from motcua.dossiers.tests.factories import load_catalogue
from motcua.integrations.simulators.vneid import VneidSimulator
from motcua.integrations.tests.vneid_support import CLAIMS, point_settings_at, sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vneid_sign_in_links_the_account_and_the_dossier_filed_is_marked(live_server, page: Page, settings) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    load_catalogue()
    base = live_server.url
    simulator = VneidSimulator(
        client_id="motcua-test",
        client_secret="bi-mat-thu-nghiem",
        redirect_uris=[f"{base}/dang-nhap/vneid/ve/"],
        claims=CLAIMS,
    )
    point_settings_at(settings, simulator.start())
    try:
        page.goto(base + "/dang-nhap/")
        page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử VNeID").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập VNeID — hệ thống mô phỏng")
        page.get_by_role("button", name="Nguyễn Văn Dân (082090001234)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Liên kết tài khoản với VNeID")
        page.get_by_label("Mã xác nhận").fill(sent_code("0912345678"))
        page.get_by_role("button", name="Liên kết và đăng nhập").click()
        expect(page.get_by_text("Đã liên kết tài khoản với VNeID.")).to_be_visible()

        page.goto(base + "/thu-tuc/1.001193/")
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
        page.get_by_label("Xã, phường nơi cư trú").select_option(label="Phường Mỹ Tho")
        page.get_by_label("Nơi nộp và nhận kết quả").select_option(
            label="Trung tâm Phục vụ hành chính công Phường Mỹ Tho"
        )
        expect(page.locator("#trang-thai-luu")).to_contain_text("Đã lưu")
        scan = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}
        for label in ("Tải lên bản quét: Tờ khai đăng ký khai sinh theo mẫu", "Tải lên bản quét: Giấy chứng sinh"):
            page.get_by_label(label).set_input_files(scan)
        expect(page.get_by_text("scan.pdf")).to_have_count(2)
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_label("Nhận trực tiếp tại nơi nộp hồ sơ").check()
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_role("button", name="Nộp hồ sơ").click()
        expect(page.locator("[data-status]")).to_have_text("Mới đăng ký")
    finally:
        simulator.stop()
    dossier = Dossier.objects.get()
    assert dossier.is_vneid_verified and sync_record(dossier)["TaiKhoanDuocXacThucVoiVNeID"] is True
