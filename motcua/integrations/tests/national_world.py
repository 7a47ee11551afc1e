"""A national portal for the inbound tests: the simulator serving the files of a birth registration over HTTP."""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import default_storage
from django.test import override_settings

from motcua.core.tests import samples
from motcua.dossiers.models import Dossier, DossierEvent, NationalFiling, Upload
from motcua.integrations.simulators.base import Response, Simulator

TO_KHAI = samples.pdf("TO-KHAI")
CHUNG_SINH = samples.image("PNG")
FILES = {"/tep/to-khai": TO_KHAI, "/tep/chung-sinh": CHUNG_SINH}


def portal() -> Simulator:
    """The portal's file store: each path its file, and a few that fail in their own way."""
    simulator = Simulator()
    simulator.name = "dvcqg-files"
    for path, content in FILES.items():
        kind = "application/pdf" if content.startswith(b"%PDF") else "image/png"
        simulator.route("GET", path, lambda _r, c=content, k=kind: Response(200, c, k))
    simulator.route("GET", "/tep/trang-web", lambda _r: Response.html("<html><body>không phải tệp</body></html>"))
    simulator.route("GET", "/tep/chuyen-huong", lambda _r: Response.redirect("http://169.254.169.254/latest"))
    simulator.route("GET", "/tep/loi", lambda _r: Response.json({"error": "x"}, 500))
    return simulator


@contextmanager
def serving() -> Iterator[str]:
    """Start the portal and allow its host (and plain HTTP, as the simulator speaks it) for the test."""
    simulator = portal()
    base = simulator.start()
    try:
        host = base.removeprefix("http://")
        with override_settings(MOTCUA_DVCQG_FILE_HOSTS=[host], MOTCUA_DVCQG_FILE_SCHEMES=["http"]):
            yield base
    finally:
        simulator.stop()


def payload(base: str, **changes: Any) -> dict[str, Any]:
    """A birth registration as the portal hands it over: both papers, each a file on the portal."""
    body: dict[str, Any] = {
        "MaHoSo": "G22.99-260310-000123",
        "MaTTHC": "1.001193",
        "TenTTHC": "Đăng ký khai sinh",
        "KenhThucHien": 2,
        "LoaiDoiTuong": 1,
        "ChuHoSo": "Nguyễn Văn An",
        "SoGiayToChuHoSo": "082090001234",
        "SoDienThoai": "0912345678",
        "Email": "an@example.vn",
        "DiaChi": "Số 12 đường Ấp Bắc, Phường Mỹ Tho",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayNopHoSo": "20260310083000",
        "NoiNopHoSo": "28261.TTPVHCC",
        "TaiLieuNop": [
            {"TepDinhKemId": "1", "TenTepDinhKem": "to-khai.pdf", "MaThanhPhanHoSo": "GT1",
             "DuongDanTaiTepTin": f"{base}/tep/to-khai", "DuocSoHoa": 0, "DuocTaiSuDung": 0, "IsDeleted": False},
            {"TepDinhKemId": "2", "TenTepDinhKem": "chung-sinh.png", "MaThanhPhanHoSo": "GT2",
             "DuongDanTaiTepTin": f"{base}/tep/chung-sinh", "DuocSoHoa": 0, "DuocTaiSuDung": 0, "IsDeleted": False},
        ],
        "DanhSachLePhi": [],
    }  # fmt: skip
    body = copy.deepcopy(body)
    body.update(changes)
    return body


def stored_files() -> list[str]:
    """Every file in the upload store."""
    found = []
    folders, _ = default_storage.listdir("uploads") if default_storage.exists("uploads") else ([], [])
    for folder in folders:
        found += [f"uploads/{folder}/{name}" for name in default_storage.listdir(f"uploads/{folder}")[1]]
    return sorted(found)


def state() -> dict[str, Any]:
    """What a refused hand-over must leave as it was."""
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "uploads": Upload.objects.count(),
        "national": list(NationalFiling.objects.values_list("national_code", "fingerprint")),
        "files": stored_files(),
    }
