"""Officers' dossier pages: list, intake, dossier page, actions; citizens and other units are kept out."""

import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Component, Fee
from motcua.core import clock
from motcua.core.tests import samples
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, Upload
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, online, receive, user
from motcua.notifications.models import OutgoingMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        yield


def signed_in(client: Client, username: str) -> Client:
    client.force_login(user(username))
    return client


def test_list_shows_the_units_dossiers_sorted_by_due(client: Client) -> None:
    first, second = receive(), online()
    html = signed_in(client, "mytho.motcua").get("/can-bo/ho-so/").content.decode()
    assert first.code in html and second.code in html
    assert "Sắp đến hạn" in html  # due tomorrow 09:00: within one working day
    other = signed_in(Client(), "stp.motcua").get("/can-bo/ho-so/").content.decode()
    assert first.code not in other
    assert signed_in(Client(), "0912345678").get("/can-bo/ho-so/").status_code == 403


def test_counter_intake_page_receives_and_opens_the_dossier(client: Client) -> None:
    officer = signed_in(client, "mytho.motcua")
    assert "Đăng ký khai sinh" in officer.get("/can-bo/tiep-nhan/", {"q": "khai sinh"}).content.decode()
    page = officer.get("/can-bo/tiep-nhan/", {"thu-tuc": "1.001193"}).content.decode()
    components = list(Component.objects.filter(case__version__procedure__code="1.001193").order_by("position"))
    assert all(c.name in page for c in components)
    form = {
        "submission_key": submission_key(page),
        "receiving_unit": user("mytho.motcua").memberships.get().unit_id,
        "channel": 1,
        "applicant_kind": "person",
        "name": "Lê Văn Cường",
        "citizen_id": "087090000111",
        "phone": "0909090909",
    }
    missing = officer.post("/can-bo/tiep-nhan/?thu-tuc=1.001193", {**form, f"goc-{components[0].pk}": 1})
    assert "Còn thiếu giấy tờ bắt buộc: Giấy chứng sinh." in missing.content.decode()
    assert not Dossier.objects.exists()
    papers = {f"goc-{c.pk}": 1 for c in components}
    done = officer.post("/can-bo/tiep-nhan/?thu-tuc=1.001193", {**form, **papers}, follow=True)
    dossier = Dossier.objects.get()
    assert done.redirect_chain[-1][0] == f"/can-bo/ho-so/{dossier.code}/"
    html = done.content.decode()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in html and "Mẫu 01" in html


def test_a_counter_form_sent_twice_is_received_once(client: Client) -> None:
    """A double click or a resend of the same page: one dossier, one receipt, and the second answer says so."""
    officer = signed_in(client, "mytho.motcua")
    page = officer.get("/can-bo/tiep-nhan/", {"thu-tuc": "1.001193"}).content.decode()
    key = submission_key(page)
    components = Component.objects.filter(case__version__procedure__code="1.001193", case__position=0)
    form = {
        "receiving_unit": user("mytho.motcua").memberships.get().unit_id,
        "channel": 1,
        "applicant_kind": "person",
        "name": "Lê Văn Cường",
        "submission_key": key,
        **{f"goc-{c.pk}": 1 for c in components},
    }
    first = officer.post("/can-bo/tiep-nhan/?thu-tuc=1.001193", form, follow=True)
    messages = OutgoingMessage.objects.count()
    second = officer.post("/can-bo/tiep-nhan/?thu-tuc=1.001193", form, follow=True)
    dossier = Dossier.objects.get()
    assert first.redirect_chain[-1][0] == second.redirect_chain[-1][0] == f"/can-bo/ho-so/{dossier.code}/"
    assert f"hồ sơ {dossier.code} đã được tiếp nhận, không tạo hồ sơ mới" in second.content.decode()
    assert dossier.events.count() == 1 and OutgoingMessage.objects.count() == messages
    assert submission_key(officer.get("/can-bo/tiep-nhan/", {"thu-tuc": "1.001193"}).content.decode()) != key
    without = officer.post("/can-bo/tiep-nhan/?thu-tuc=1.001193", {**form, "submission_key": ""})
    assert "Trường này là bắt buộc" in without.content.decode() and Dossier.objects.count() == 1


def submission_key(page: str) -> str:
    """The one-time key the intake page puts in its form, as a browser would send it back."""
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', page).group(1)  # type: ignore[union-attr]


def test_counter_intake_records_fee_owner_and_scanned_papers(client: Client) -> None:
    officer = signed_in(client, "stp.motcua")
    page = officer.get("/can-bo/tiep-nhan/", {"thu-tuc": "2.001417"}).content.decode()
    assert "Sinh viên, người có công: 100.000 đ" in page and "Thu trước" in page
    fee = Fee.objects.get(limit__version__procedure__code="2.001417", limit__channel=1, amount=100_000)
    [paper] = Component.objects.filter(case__version__procedure__code="2.001417", case__position=0, is_mandatory=True)
    form = {
        "submission_key": submission_key(page),
        "receiving_unit": user("stp.motcua").memberships.get().unit_id,
        "channel": 1,
        "applicant_kind": "person",
        "name": "Lê Văn Cường",
        "owner_name": "Lê Thị Chủ",
        "owner_address": "Phường Cao Lãnh, tỉnh Đồng Tháp",
        f"goc-{paper.pk}": 1,
        f"so-hoa-{paper.pk}": "on",
        "fee": fee.pk,
    }
    unstated = officer.post("/can-bo/tiep-nhan/?thu-tuc=2.001417", form).content.decode()
    assert "trước hay thu sau" in unstated and not Dossier.objects.exists()
    renamed = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 not a scan", content_type="application/pdf")
    bad_scan = officer.post("/can-bo/tiep-nhan/?thu-tuc=2.001417", {**form, f"tep-{paper.pk}": renamed})
    assert f"Bản quét «{paper.name}»: Chỉ nhận tệp PDF" in bad_scan.content.decode()
    assert not Dossier.objects.exists() and not Upload.objects.exists()
    scan = SimpleUploadedFile("to-khai.pdf", samples.pdf("scanned at the counter"), content_type="application/pdf")
    del form[f"so-hoa-{paper.pk}"]  # the attached scan alone marks the paper digitised
    officer.post("/can-bo/tiep-nhan/?thu-tuc=2.001417", {**form, "fee_collection": "before", f"tep-{paper.pk}": scan})
    dossier = Dossier.objects.get()
    assert (dossier.fee, dossier.fee_collection, dossier.owner_name) == (fee, "before", "Lê Thị Chủ")
    assert dossier.components.get().is_digitised
    assert dossier.uploads.get().component == paper
    facts = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "100.000 đ — Thu trước" in facts and "Lê Thị Chủ, Phường Cao Lãnh" in facts


def test_dossier_page_actions(client: Client) -> None:
    dossier = online()
    officer = signed_in(client, "mytho.motcua")
    html = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Tiếp nhận hồ sơ trực tuyến" in html and "Từ chối tiếp nhận" in html
    refused = officer.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/refuse/", {"ly-do": ""}, follow=True)
    assert "Cần ghi rõ lý do" in refused.content.decode()
    assert Dossier.objects.get().status == Status.SUBMITTED
    officer.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/accept/")
    assert Dossier.objects.get().status == Status.RECEIVED
    assert signed_in(Client(), "stp.motcua").get(f"/can-bo/ho-so/{dossier.code}/").status_code == 404
    stranger = signed_in(Client(), "stp.motcua").post(f"/can-bo/ho-so/{dossier.code}/thao-tac/start/")
    assert stranger.status_code == 404 and Dossier.objects.get().status == Status.RECEIVED


def test_refusal_from_the_page_prints_the_guidance_on_form_03(client: Client) -> None:
    dossier = online()
    officer = signed_in(client, "mytho.motcua")
    guidance = "Nộp tại Ủy ban nhân dân phường nơi cư trú của người được khai sinh."
    form = {"ly-do": "Không thuộc thẩm quyền của phường", "huong-dan": guidance}
    officer.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/refuse/", form)
    assert Dossier.objects.get().status == Status.REFUSED
    pdf = officer.get(f"/can-bo/ho-so/{dossier.code}/mau-03.pdf")
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Hướng dẫn: Nộp tại Ủy ban nhân dân phường" in " ".join(text.split())
