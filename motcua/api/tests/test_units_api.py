import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from motcua.organizations.models import Unit

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def test_anyone_can_list_and_read_units(role_client: tuple[str, APIClient]) -> None:
    _, client = role_client
    listing = client.get("/api/v1/units", {"search": "sa dec", "type": "ward"})
    assert listing.status_code == 200
    assert [u["name"] for u in listing.json()["results"]] == ["Phường Sa Đéc"]
    detail = client.get("/api/v1/units/82.STP")
    assert detail.status_code == 200
    assert detail.json()["agency_identifier"] == "000.00.04.H20"


NEW_UNIT = {"code": "82.BQLKKT", "name": "Ban Quản lý các khu kinh tế", "type": "department", "parent": "82.UBND"}
EXPECTED_CREATE = {
    "anonymous": (401, "not_authenticated"),
    "citizen": (403, "permission_denied"),
    "officer_other_unit": (403, "permission_denied"),
    "officer_of_unit": (403, "permission_denied"),
    "leader": (403, "permission_denied"),
    "admin": (201, None),
}


def test_only_admins_create_units(role_client: tuple[str, APIClient]) -> None:
    role, client = role_client
    before = Unit.objects.count()
    response = client.post("/api/v1/units", NEW_UNIT, format="json")
    status, code = EXPECTED_CREATE[role]
    assert response.status_code == status
    if code:
        assert response["Content-Type"] == PROBLEM
        assert response.json()["code"] == code
        assert Unit.objects.count() == before
        assert not Unit.objects.filter(code="82.BQLKKT").exists()
    else:
        unit = Unit.objects.get(code="82.BQLKKT")
        assert (unit.parent.code, unit.province_code, unit.search_name) == (
            "82.UBND",
            "82",
            "ban quan ly cac khu kinh te",
        )
        assert Unit.objects.count() == before + 1


def test_only_admins_change_units(role_client: tuple[str, APIClient]) -> None:
    role, client = role_client
    response = client.patch("/api/v1/units/82.SKHCN", {"name": "Sở Khoa học, Công nghệ"}, format="json")
    status = EXPECTED_CREATE[role][0]
    if status == 201:
        assert response.status_code == 200
        assert Unit.objects.get(code="82.SKHCN").name == "Sở Khoa học, Công nghệ"
        assert Unit.objects.get(code="82.SKHCN").history.count() == 2
    else:
        assert response.status_code == status
        assert response["Content-Type"] == PROBLEM
        assert Unit.objects.get(code="82.SKHCN").name == "Sở Khoa học và Công nghệ"
        assert Unit.objects.get(code="82.SKHCN").history.count() == 1


def admin() -> APIClient:
    from motcua.conftest import client_for

    return client_for("quantri")


def test_bad_unit_input_gets_vietnamese_errors_per_field() -> None:
    before = Unit.objects.count()
    response = admin().post(
        "/api/v1/units", {"code": "82 x", "name": "", "type": "bogus", "parent": "999"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["status"]) == ("invalid", 400)
    assert set(body["errors"]) == {"code", "name", "type", "parent"}
    assert "Mã đơn vị chỉ gồm" in body["errors"]["code"][0]
    assert Unit.objects.count() == before


def test_a_repeated_create_with_one_idempotency_key_answers_the_first() -> None:
    before = Unit.objects.count()
    first = admin().post("/api/v1/units", NEW_UNIT, format="json", HTTP_IDEMPOTENCY_KEY="them-don-vi")
    again = admin().post("/api/v1/units", NEW_UNIT, format="json", HTTP_IDEMPOTENCY_KEY="them-don-vi")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json() and Unit.objects.count() == before + 1


def test_duplicate_code_is_a_conflict() -> None:
    response = admin().post("/api/v1/units", {**NEW_UNIT, "code": "82.STP"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "82.STP đã tồn tại" in response.json()["detail"]
    assert Unit.objects.get(code="82.STP").name == "Sở Tư pháp"


def test_validity_dates_must_be_ordered() -> None:
    response = admin().patch(
        "/api/v1/units/82.SYT", {"valid_from": "2026-01-02", "valid_to": "2026-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert Unit.objects.get(code="82.SYT").valid_to is None


def test_filters_and_pagination(api: APIClient) -> None:
    body = api.get("/api/v1/units", {"parent": "82", "type": "ward", "page_size": 5}).json()
    assert len(body["results"]) == 5
    assert body["count"] == Unit.objects.filter(parent__code="82", type="ward").count()
    assert all(u["parent"] == "82" and u["type"] == "ward" for u in body["results"])
    provinces = api.get("/api/v1/units", {"type": "province,central_city", "page_size": 100}).json()
    assert provinces["count"] == 34


def test_unit_list_runs_a_fixed_number_of_queries(api: APIClient) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/units", {"parent": "82", "page_size": 100}).status_code == 200
    assert len(queries) == 2  # count, page (identifiers and parents are annotations)


def test_detail_shows_identifier_history_and_successions(api: APIClient) -> None:
    body = api.get("/api/v1/units/87.1989").json()
    assert body["successors"] == ["82"] and body["type"] == "historic_province"
    assert api.get("/api/v1/units/82").json()["predecessors"] == ["82.1976", "87.1989"]


def test_unknown_unit_is_a_problem_in_vietnamese(api: APIClient) -> None:
    response = api.get("/api/v1/units/khong-ton-tai")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "about:blank",
        "title": "Không tìm thấy",
        "status": 404,
        "detail": "Không tìm thấy tài nguyên được yêu cầu.",
        "code": "not_found",
    }


def test_delete_is_not_offered(api: APIClient) -> None:
    response = admin().delete("/api/v1/units/82.STP")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert Unit.objects.filter(code="82.STP").exists()
