"""The national portal's other direction, for the demo: a citizen files on DVCQG and the portal hands the dossier over
to the province (`POST /api/v1/national/dossiers`), its papers as links to files the portal keeps (`GET /tep/…`).

`GET /` shows a form; `POST /nop-ho-so` makes a sample dossier (a birth registration by default) with a blank PDF for
each paper and hands it over with the channel account's token (`MOTCUA_DVCQG_PROVINCE_TOKEN`, which `motcua demo`
issues), then shows the province's answer.
"""

import html
import io
import json
import os
import urllib.error
import urllib.request
from itertools import count
from urllib.parse import parse_qs

from pypdf import PdfWriter

from motcua.core import clock

from .base import Request, Response, Simulator

DEFAULTS = {
    "MaTTHC": "1.001193",
    "papers": "GT01,GT02,GT_TT",
    "NoiNopHoSo": "28261.TTPVHCC",
    "ChuHoSo": "Trần Thị Bình",
    "SoGiayToChuHoSo": "087195004321",
    "SoDienThoai": "0901234567",
}


def blank_pdf() -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(595, 842)  # A4 in points
    writer.write(out)
    return out.getvalue()


class Handover:
    """Files the portal keeps and dossiers it hands over, added to a simulator's routes."""

    def __init__(self, simulator: Simulator) -> None:
        self.files: dict[str, bytes] = {}
        self.serial = count(1)
        self.province = os.environ.get("MOTCUA_DVCQG_PROVINCE_URL", "http://127.0.0.1:8000").rstrip("/")
        self.token = os.environ.get("MOTCUA_DVCQG_PROVINCE_TOKEN", "")
        simulator.route("GET", "/", self._form)
        simulator.route("POST", "/nop-ho-so", self._hand_over)
        simulator.route_prefix("GET", "/tep/", self._file)

    def _file(self, request: Request) -> Response:
        content = self.files.get(request.path.removeprefix("/tep/"))
        if content is None:
            return Response.json({"error": "không có tệp"}, 404)
        return Response(200, content, "application/pdf")

    def _form(self, request: Request) -> Response:
        fields = "".join(
            f'<p><label>{name} <input name="{name}" value="{html.escape(value)}"></label></p>'
            for name, value in DEFAULTS.items()
        )
        return Response.page(
            "Cổng DVCQG (mô phỏng)",
            "<h1>Cổng Dịch vụ công quốc gia (mô phỏng)</h1>"
            "<p>Nộp một hồ sơ mẫu trên Cổng và chuyển về hệ thống một cửa của tỉnh.</p>"
            f'<form method="post" action="/nop-ho-so">{fields}<button>Nộp và chuyển về tỉnh</button></form>',
        )

    def payload(self, base: str, fields: dict[str, str]) -> dict[str, object]:
        now = clock.now().astimezone(clock.VIETNAM)
        code = f"G22.99-{now:%y%m%d}-{next(self.serial):06d}-{os.getpid() % 1000:03d}"
        papers = []
        for paper in (p.strip() for p in fields["papers"].split(",") if p.strip()):
            name = f"{code}-{paper}.pdf"
            self.files[name] = blank_pdf()
            papers.append({"MaThanhPhanHoSo": paper, "TenTepDinhKem": name, "DuongDanTaiTepTin": f"{base}/tep/{name}"})
        return {
            "MaHoSo": code,
            "MaTTHC": fields["MaTTHC"],
            "KenhThucHien": 2,
            "LoaiDoiTuong": 1,
            "ChuHoSo": fields["ChuHoSo"],
            "SoGiayToChuHoSo": fields["SoGiayToChuHoSo"],
            "SoDienThoai": fields["SoDienThoai"],
            "NgayNopHoSo": f"{now:%Y%m%d%H%M%S}",
            "NoiNopHoSo": fields["NoiNopHoSo"],
            "TaiLieuNop": papers,
            "DanhSachLePhi": [],
        }

    def _hand_over(self, request: Request) -> Response:
        typed = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        body = self.payload(f"http://{request.headers.get('Host', '127.0.0.1')}", {**DEFAULTS, **typed})
        status, answer = self.send(body)
        return Response.page(
            "Kết quả chuyển hồ sơ",
            f"<h1>Tỉnh trả lời: {status}</h1><p>Mã hồ sơ trên Cổng: {html.escape(str(body['MaHoSo']))}</p>"
            f"<pre>{html.escape(json.dumps(answer, ensure_ascii=False, indent=2))}</pre>"
            '<p><a href="/">Nộp hồ sơ khác</a></p>',
        )

    def send(self, body: dict[str, object]) -> tuple[int, object]:
        request = urllib.request.Request(  # noqa: S310 - the province's address, from the configuration
            f"{self.province}/api/v1/national/dossiers",
            json.dumps(body, ensure_ascii=False).encode("utf-8"),
            {"Content-Type": "application/json", "Authorization": f"Token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - as above
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
        except (OSError, ValueError) as error:
            return 0, {"error": f"Không gọi được hệ thống của tỉnh: {error}"}
