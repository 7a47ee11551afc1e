"""Hostile input is refused with a 400 and changes nothing; every answer under /api/ is problem+json.

Each case was a server error (or Django's English HTML) before. Run these on PostgreSQL: SQLite stores a NUL byte
where PostgreSQL refuses it, so on SQLite several of the old failures did not show.
"""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from rest_framework.test import APIClient

from motcua.api.models import IdempotencyRecord
from motcua.conftest import browser_for, client_for
from motcua.core import clock
from motcua.core.hostile import MAX_JSON_DEPTH
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue
from motcua.organizations.models import Unit, User

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
FILING = {
    "procedure": "1.001193",
    "channel": 1,
    "receiving_unit": "28261.TTPVHCC",
    "applicant": {"name": "Trần Thị Bình", "citizen_id": "087195004321", "phone": "0901234567"},
    "papers": [{"component": "GT1", "originals": 1}, {"component": "GT2", "originals": 1}],
}


def officer() -> APIClient:
    client = client_for("mytho.motcua")
    client.raise_request_exception = False  # a server error must show as the 500 it is, not as a test error
    return client


def assert_refused_characters(response: object) -> None:
    assert response.status_code == 400, response.content  # type: ignore[attr-defined]
    assert response["Content-Type"] == PROBLEM  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["status"], body["code"], body["title"]) == (400, "invalid_characters", "Dữ liệu không hợp lệ")
    assert "ký tự không được phép" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tracking/%00?secret=x",
        "/api/v1/tracking/28261-260310-0001?secret=%00",
        "/api/v1/procedures/%00",
        "/api/v1/procedures?search=%00",
        "/api/v1/units?search=%00",
        "/api/v1/units?parent=%00",
        "/api/v1/units?type=%00",
        "/api/v1/units?%00=1",
        "/api/v1/calendar/due?start=2026-03-10T09:00:00%2B07:00&working_days=3&unit=%00",
        "/api/v1/dossiers/%00",
        "/api/v1/dossiers/%00/events",
        "/api/v1/dossiers/%00/national-record",
        "/api/v1/dossiers?unit=%00",
        "/api/v1/verify/%00",
    ],
)
def test_a_nul_byte_in_a_path_or_query_is_a_problem_not_a_server_error(url: str) -> None:
    assert_refused_characters(officer().get(url))


@pytest.mark.parametrize("url", ["/thu-tuc/%00/", "/tra-cuu/%00/", "/thu-tuc/?q=%00", "/can-bo/ho-so/%00/"])
def test_a_nul_byte_on_a_page_is_the_vietnamese_400_page(url: str) -> None:
    browser = browser_for("mytho.motcua")
    browser.raise_request_exception = False
    response = browser.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_nul_byte_in_a_json_body_is_refused_and_creates_nothing() -> None:
    load_catalogue()
    cache.clear()
    before = Dossier.objects.count()
    with clock.frozen(TUESDAY_9AM):
        response = officer().post("/api/v1/dossiers", {**FILING, "receiving_unit": "28261\u0000"}, format="json")
        assert_refused_characters(response)
        named = {**FILING, "applicant": {**FILING["applicant"], "name": "Trần\u0000Bình"}}  # type: ignore[dict-item]
        assert_refused_characters(officer().post("/api/v1/dossiers", named, format="json"))
        assert_refused_characters(officer().post("/api/v1/dossiers", {"x\u0000": 1}, format="json"))
    assert Dossier.objects.count() == before


def test_a_lone_surrogate_in_json_is_refused() -> None:
    body = '{"username": "\\ud800", "password": "x"}'  # valid JSON; no UTF-8 encoder can send it on
    response = APIClient().generic("POST", "/api/v1/auth/token", body, content_type="application/json")
    assert_refused_characters(response)


def test_a_nul_byte_in_a_header_or_cookie_is_refused() -> None:
    before = IdempotencyRecord.objects.count()
    response = client_for("quantri").post(
        "/api/v1/units",
        {"code": "82.BQLKKT", "name": "Ban Quản lý", "type": "department", "parent": "82.UBND"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="khoa\x00",
    )
    assert_refused_characters(response)
    assert IdempotencyRecord.objects.count() == before and not Unit.objects.filter(code="82.BQLKKT").exists()
    cookie = 'sessionid="\\000abcdefghijk"'  # a quoted cookie's octal escape decodes to NUL
    browser = Client(raise_request_exception=False)
    assert_refused_characters(browser.get("/api/v1/units", HTTP_COOKIE=cookie))
    assert browser.get("/ca-nhan/", HTTP_COOKIE=cookie).status_code == 400


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/dang-nhap/", {"username": "quantri\x00", "password": "x"}),
        ("/quen-mat-khau/", {"email": "a\x00@example.vn"}),
        ("/dang-ky/", {"full_name": "Trần Bình", "phone": "0901234567\x00"}),
    ],
)
def test_a_nul_byte_in_a_form_post_is_the_vietnamese_400_page(url: str, form: dict[str, str]) -> None:
    users = User.objects.count()
    response = Client(raise_request_exception=False).post(url, form)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert User.objects.count() == users


def test_a_nul_byte_in_a_multipart_field_is_refused() -> None:
    plain = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.7\n", content_type="application/pdf")
    response = officer().post("/api/v1/dossiers/X/results", {"title": "\x00", "file": plain}, format="multipart")
    assert_refused_characters(response)


def test_an_unreadable_multipart_body_is_a_problem() -> None:
    response = officer().generic("POST", "/api/v1/verify", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "parse_error"


def test_deeply_nested_json_is_refused_before_it_is_parsed_by_the_view() -> None:
    client = APIClient(raise_request_exception=False)
    for body in ["[" * 1000, "[" * 100_000, "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)]:
        response = client.generic("POST", "/api/v1/auth/token", body, content_type="application/json")
        assert response.status_code == 400, body[:50]
        assert response["Content-Type"] == PROBLEM
        assert response.json()["code"] == "too_deep"
        assert f"tối đa {MAX_JSON_DEPTH} cấp" in response.json()["detail"]
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH  # as deep as allowed: the view reads it and says why not
    response = client.generic("POST", "/api/v1/auth/token", nested, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_creating_a_unit_without_its_parent_is_a_field_error() -> None:
    admin = client_for("quantri")
    admin.raise_request_exception = False
    before = Unit.objects.count()
    response = admin.post("/api/v1/units", {"code": "82.BQL", "name": "Ban Quản lý", "type": "department"})
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["parent"]
    assert Unit.objects.count() == before
    root = {"code": "83", "name": "Tỉnh Thử", "type": "province", "parent": None}
    assert admin.post("/api/v1/units", root, format="json").status_code == 201
    assert Unit.objects.get(code="83").parent is None


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_oversize_body_is_a_problem_in_vietnamese() -> None:
    body = json.dumps({"username": "quantri", "password": "x" * 2000})
    response = APIClient().generic("POST", "/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Nội dung quá lớn",
        "status": 413,
        "detail": "Nội dung gửi lên vượt quá dung lượng cho phép.",
        "code": "too_large",
    }
    page = Client().post("/dang-nhap/", {"username": "quantri", "password": "x" * 2000})
    assert page.status_code == 400 and "Yêu cầu không hợp lệ" in page.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/units/%C2%84", "/api/v1/khong-co", "/api/v1/", "/api/v2/units", "/api/x"])
def test_a_path_that_matches_nothing_under_api_is_a_problem(url: str) -> None:
    response = APIClient().get(url)
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert (response.json()["code"], response.json()["title"]) == ("not_found", "Không tìm thấy")
    page = Client().get("/khong-co/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_method_not_allowed_is_a_problem() -> None:
    response = client_for("quantri").delete("/api/v1/units/82.STP")
    assert response.status_code == 405 and response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_a_server_error_under_api_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("simulated")

    monkeypatch.setattr("motcua.api.units.list_units", broken)
    response = APIClient(raise_request_exception=False).get("/api/v1/units")
    assert response.status_code == 500 and response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Lỗi hệ thống" and response.json()["code"] == "server_error"
