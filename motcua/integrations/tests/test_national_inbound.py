"""Dossiers handed over by the national portal: the files fetched over real HTTP from the portal's simulator."""

import hashlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from rest_framework.test import APIClient

from motcua.conftest import ROLES, client_for
from motcua.core import clock
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, NationalFiling
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue

from .national_world import TO_KHAI, payload, serving, state

pytestmark = pytest.mark.django_db
URL = "/api/v1/national/dossiers"


@pytest.fixture
def portal() -> Any:
    load_catalogue()
    with clock.frozen(TUESDAY_9AM), serving() as base:
        yield base


@pytest.fixture
def channel() -> APIClient:
    return client_for("dvcqg")


def test_a_dossier_from_the_portal_is_created_with_its_files(portal: str, channel: APIClient) -> None:
    before = Dossier.objects.count()
    response = channel.post(URL, payload(portal), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(code=body["code"])
    assert Dossier.objects.count() == before + 1
    assert body["national_code"] == "G22.99-260310-000123" and body["status"] == Status.SUBMITTED
    assert (dossier.channel, dossier.status, dossier.citizen) == (2, Status.SUBMITTED, None)
    assert dossier.submitted_at == datetime(2026, 3, 10, 8, 30, tzinfo=clock.VIETNAM)
    assert (dossier.receiving_unit.code, dossier.competent_unit.code) == ("28261.TTPVHCC", "28261.UBND")
    assert (dossier.applicant_name, dossier.applicant_citizen_id) == ("Nguyễn Văn An", "082090001234")
    assert dossier.version.procedure.code == "1.001193"
    [event] = dossier.events.all()
    assert (event.action, event.status_after, event.actor.username) == (Action.SUBMIT, Status.SUBMITTED, "dvcqg")
    uploads = {u.component.code: u for u in dossier.uploads.select_related("component")}
    assert set(uploads) == {"GT1", "GT2"}
    assert uploads["GT1"].sha256 == hashlib.sha256(TO_KHAI).hexdigest()
    assert default_storage.open(uploads["GT1"].file.name).read() == TO_KHAI
    assert uploads["GT2"].content_type == "image/png" and uploads["GT2"].size > 0
    assert all(c.is_digitised for c in dossier.components.all()) and dossier.components.count() == 2


def test_the_same_hand_over_again_answers_with_the_same_dossier(portal: str, channel: APIClient) -> None:
    first = channel.post(URL, payload(portal), format="json")
    after_first = state()
    again = channel.post(URL, payload(portal), format="json")
    reordered = channel.post(URL, dict(reversed(list(payload(portal).items()))), format="json")
    assert (first.status_code, again.status_code, reordered.status_code) == (201, 200, 200)
    assert again.json() == first.json() == reordered.json()
    assert state() == after_first


def test_other_content_under_the_same_code_is_a_conflict(portal: str, channel: APIClient) -> None:
    channel.post(URL, payload(portal), format="json")
    before = state()
    response = channel.post(URL, payload(portal, ChuHoSo="Nguyễn Văn Bình"), format="json")
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "conflict" and "G22.99-260310-000123" in response.json()["detail"]
    assert state() == before


FILE = "TaiLieuNop[1].DuongDanTaiTepTin"


def _without_birth_certificate(base: str) -> dict[str, Any]:
    body = payload(base)
    body["TaiLieuNop"] = body["TaiLieuNop"][:1]
    return body


def _file_at(base: str, path: str) -> dict[str, Any]:
    body = payload(base)
    body["TaiLieuNop"][1]["DuongDanTaiTepTin"] = path.replace("BASE", base)
    return body


INVALID = {
    "unknown procedure": (lambda b: payload(b, MaTTHC="9.999999"), "MaTTHC", "Không có thủ tục mã 9.999999"),
    "missing paper": (_without_birth_certificate, "TaiLieuNop", "Còn thiếu giấy tờ bắt buộc: Giấy chứng sinh"),
    "paper not of the case": (
        lambda b: payload(b, TaiLieuNop=[{**payload(b)["TaiLieuNop"][0], "MaThanhPhanHoSo": "SO-HO-KHAU"}]),
        "TaiLieuNop[0].MaThanhPhanHoSo",
        "không thuộc thành phần hồ sơ",
    ),
    "unreadable file": (lambda b: _file_at(b, "BASE/tep/loi"), FILE, "trả lời lỗi 500"),
    "missing file": (lambda b: _file_at(b, "BASE/tep/khong-co"), FILE, "trả lời lỗi 404"),
    "wrong type": (lambda b: _file_at(b, "BASE/tep/trang-web"), FILE, "Chỉ nhận tệp PDF, JPEG hoặc PNG"),
    "redirect": (lambda b: _file_at(b, "BASE/tep/chuyen-huong"), FILE, "chuyển hướng"),
    "disallowed host": (lambda b: _file_at(b, "http://169.254.169.254/latest"), FILE, "không nằm trong danh sách"),
    "disallowed port": (lambda b: _file_at(b, "http://127.0.0.1:1/tep/to-khai"), FILE, "không nằm trong danh sách"),
    "file scheme": (lambda b: _file_at(b, "file:///etc/passwd"), FILE, "giao thức được phép"),
    "malformed date": (lambda b: payload(b, NgayNopHoSo="31/02/2026"), "NgayNopHoSo", "không đúng định dạng"),
    "date in the future": (lambda b: payload(b, NgayNopHoSo="20260311090000"), "NgayNopHoSo", "tương lai"),
    "malformed ID number": (lambda b: payload(b, SoGiayToChuHoSo="08209000123"), "SoGiayToChuHoSo", "12"),
    "malformed tax code": (
        lambda b: payload(b, LoaiDoiTuong=2, SoGiayToChuHoSo="12345"),
        "SoGiayToChuHoSo",
        "Mã số thuế",
    ),
    "counter channel": (lambda b: payload(b, KenhThucHien=1), "KenhThucHien", "KenhThucHien = 2"),
    "no owner": (lambda b: payload(b, ChuHoSo=" "), "ChuHoSo", "Không được để trống"),
    "bad code": (lambda b: payload(b, MaHoSo="G22/../1"), "MaHoSo", "MaHoSo"),
    "unknown receiving unit": (lambda b: payload(b, NoiNopHoSo="99999.XX"), "NoiNopHoSo", "99999.XX"),
    "fee not listed": (
        lambda b: payload(b, DanhSachLePhi=[{"MaPhiLePhi": "X", "Gia": 50000}]),
        "DanhSachLePhi[0]",
        "50.000 đồng",
    ),
    "not an object": (lambda b: ["MaHoSo"], "non_field_errors", "đối tượng JSON"),
    "case out of range": (lambda b: payload(b, TruongHop=5), "TruongHop", "chỉ có 1 trường hợp"),
    "negative case": (lambda b: payload(b, TruongHop=-1), "TruongHop", "chỉ có 1 trường hợp"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_an_invalid_hand_over_creates_nothing(portal: str, channel: APIClient, case: str) -> None:
    make, field, reason = INVALID[case]
    before = state()
    response = channel.post(URL, make(portal), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert body["code"] == "invalid" and field in body["errors"], body
    assert any(reason in message for message in body["errors"][field]), body["errors"]
    assert state() == before


def test_a_file_larger_than_an_upload_may_be_is_refused(portal: str, channel: APIClient) -> None:
    before = state()
    with override_settings(MOTCUA_MAX_UPLOAD_BYTES=len(TO_KHAI) - 1):
        response = channel.post(URL, payload(portal), format="json")
    assert response.status_code == 400
    assert "MB" in response.json()["errors"]["TaiLieuNop[0].DuongDanTaiTepTin"][0]
    assert state() == before


def test_a_file_the_virus_scanner_refuses_creates_nothing(portal: str, channel: APIClient) -> None:
    before = state()
    with override_settings(MOTCUA_VIRUS_SCANNER="motcua.integrations.tests.test_national_inbound.infected"):
        response = channel.post(URL, payload(portal), format="json")
    assert response.status_code == 400
    assert "EICAR" in response.json()["errors"]["TaiLieuNop[0].DuongDanTaiTepTin"][0]
    assert state() == before


def infected(content: bytes) -> None:
    from motcua.core.errors import DomainError

    raise DomainError("Tệp nhiễm mã độc (EICAR-Test-File).")


def test_a_slow_portal_is_given_up_after_the_timeout(portal: str, channel: APIClient) -> None:
    before = state()
    with override_settings(MOTCUA_DVCQG_FILE_TIMEOUT=0.3):
        _control(portal, "timeout")
        response = channel.post(URL, payload(portal), format="json")
    _control(portal, "normal")
    assert response.status_code == 400
    assert "thời hạn chờ" in response.json()["errors"]["TaiLieuNop[0].DuongDanTaiTepTin"][0]
    assert state() == before


def _control(base: str, mode: str) -> None:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{base}/_control", json.dumps({"mode": mode, "seconds": 5, "delay": 1}).encode(), method="POST"
    )
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=5).read()


def test_the_version_in_force_on_the_filing_day_is_pinned(portal: str, channel: APIClient) -> None:
    from motcua.catalogue.services import import_catalogue
    from motcua.catalogue.tests.samples import BIRTH, sample

    import_catalogue([sample(("MOTCUA.HIEULUCTU", "10/03/2026"), ("TENTTHC", "Đăng ký khai sinh (mới)"), base=BIRTH)])
    filed_before = channel.post(URL, payload(portal, NgayNopHoSo="20260309160000"), format="json")
    filed_today = channel.post(URL, payload(portal, MaHoSo="G22.99-260310-000124"), format="json")
    assert (filed_before.status_code, filed_today.status_code) == (201, 201)
    assert (filed_before.json()["version"], filed_today.json()["version"]) == (1, 2)


@pytest.mark.parametrize("role", list(ROLES))
def test_only_the_channel_account_hands_dossiers_over(portal: str, role: str) -> None:
    before = state()
    response = client_for(ROLES[role]).post(URL, payload(portal), format="json")
    expected = (401, "not_authenticated") if role == "anonymous" else (403, "permission_denied")
    assert (response.status_code, response.json()["code"]) == expected
    assert state() == before


def test_tracking_answers_to_the_portal_code_with_the_same_secrecy(portal: str, channel: APIClient) -> None:
    code = channel.post(URL, payload(portal), format="json").json()["code"]
    dossier = Dossier.objects.get(code=code)
    public = APIClient()
    by_ours = public.get(f"/api/v1/tracking/{code}", {"secret": dossier.tracking_secret})
    by_theirs = public.get("/api/v1/tracking/g22.99-260310-000123", {"secret": dossier.tracking_secret})
    assert by_ours.status_code == by_theirs.status_code == 200
    assert by_theirs.json() == by_ours.json()
    assert public.get("/api/v1/tracking/G22.99-260310-000123", {"secret": "doan-sai"}).status_code == 404
    assert public.get("/api/v1/tracking/G22.99-260310-000123").status_code == 404
    assert public.get("/api/v1/tracking/G22.99-260310-000123", {"phone": "5678"}).status_code == 200
    page = APIClient().get(f"/tra-cuu/G22.99-260310-000123/?k={dossier.tracking_secret}")
    assert page.status_code == 200 and code in page.content.decode()
    assert "082090001234" not in page.content.decode() + str(by_theirs.json())


def test_the_national_code_is_kept_once(portal: str, channel: APIClient) -> None:
    channel.post(URL, payload(portal), format="json")
    assert NationalFiling.objects.get().national_code == "G22.99-260310-000123"
    assert clock.now() - NationalFiling.objects.get().received_at < timedelta(seconds=1)
