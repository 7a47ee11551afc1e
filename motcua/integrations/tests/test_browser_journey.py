"""Real Chromium, the whole path of issue 20: a citizen signs in with VNeID, files online a procedure with a fee,
pays it on the payment platform, and the national portal receives the dossier marked paid online and filed through
a VNeID account — every national system its local simulator."""

import copy

import pytest
from django.db.models import Q
from playwright.sync_api import Page, expect

from motcua.core.tests import samples
from motcua.demo.seed import seed
from motcua.dossiers.models import Dossier
from motcua.integrations.simulators.dvcqg import NationalPortal
from motcua.integrations.simulators.payment import PaymentSimulator
from motcua.integrations.simulators.vneid import VneidSimulator
from motcua.integrations.tests.payment_world import load_paying_catalogue
from motcua.integrations.tests.vneid_support import CLAIMS, point_settings_at
from motcua.outbox import delivery
from motcua.outbox.models import OutboundMessage, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vneid_sign_in_then_file_then_pay_then_synced(live_server, page: Page, settings) -> None:  # type: ignore[no-untyped-def]
    seed(catalogue=False)
    load_paying_catalogue()
    base = live_server.url
    settings.MOTCUA_PUBLIC_BASE_URL = base
    vneid = VneidSimulator(
        client_id="motcua-test",
        client_secret="bi-mat-thu-nghiem",
        redirect_uris=[f"{base}/dang-nhap/vneid/ve/"],
        claims=CLAIMS,
    )
    payment, portal = PaymentSimulator(), NationalPortal()
    point_settings_at(settings, vneid.start())
    settings.MOTCUA_PAYMENT_URL = payment.start()
    # The browser may post the payment form on to the platform: the policy names it (settings/base.py).
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(settings.MOTCUA_PAYMENT_URL)
    settings.CONTENT_SECURITY_POLICY = policy
    settings.MOTCUA_DVCQG_URL = portal.start()
    try:
        page.goto(base + "/dang-nhap/")
        page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử VNeID").click()
        # A citizen the province has never seen: VNeID vouches for the ID, a new account is made.
        page.get_by_role("button", name="Lê Thị Hoa (082195007890)").click()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()

        page.goto(base + "/thu-tuc/1.999030/")
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
        page.get_by_label("Xã, phường nơi cư trú").select_option(label="Phường Mỹ Tho")
        page.get_by_label("Nơi nộp và nhận kết quả").select_option(
            label="Trung tâm Phục vụ hành chính công Phường Mỹ Tho"
        )
        expect(page.locator("#trang-thai-luu")).to_contain_text("Đã lưu")
        scan = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}
        uploads = page.locator("input[type=file]")
        for index in range(uploads.count()):
            uploads.nth(index).set_input_files(scan)
        expect(page.get_by_text("scan.pdf")).to_have_count(uploads.count())
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_label("Nhận trực tiếp tại nơi nộp hồ sơ").check()
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_role("button", name="Nộp hồ sơ").click()

        expect(page.get_by_text("8.000 đ").first).to_be_visible()  # the payment step, the pinned fee
        page.get_by_role("button", name="Thanh toán trực tuyến").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nền tảng thanh toán (mô phỏng)")
        page.get_by_role("button", name="Thanh toán", exact=True).click()
        expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "paid")
    finally:
        vneid.stop()
        payment.stop()
    try:
        while delivery.deliver_due("test"):
            pass
    finally:
        portal.stop()
    dossier = Dossier.objects.get()
    assert not OutboundMessage.objects.filter(~Q(state=State.DELIVERED)).exists()
    record = portal.records[dossier.code]
    assert record["TaiKhoanDuocXacThucVoiVNeID"] is True and record["DuocThanhToanTrucTuyen"] == 1
    assert record["TrangThaiHoSo"] == 1 and record["TaiLieuNop"]
    assert Dossier.objects.get(pk=dossier.pk).synced_at is not None
