import pytest
from rest_framework.test import APIClient

from motcua.catalogue.models import ProcedureVersion
from motcua.catalogue.services import import_catalogue
from motcua.catalogue.tests.samples import BIRTH, RECORDS, sample
from motcua.conftest import client_for

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    import_catalogue([BIRTH, RECORDS])


def test_anyone_searches_and_reads_procedures(role_client: tuple[str, APIClient]) -> None:
    _, client = role_client
    body = client.get("/api/v1/procedures", {"search": "dang ki khai sinh"}).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "version": 1,
        "effective_from": "2025-07-01",
        "effective_to": None,
        "levels": [3],
        "online_level": "toan_trinh",
        "is_cross_boundary": True,
    }
    detail = client.get("/api/v1/procedures/2.001417").json()
    assert detail["record"] == RECORDS


def test_filters(api: APIClient) -> None:
    assert [p["code"] for p in api.get("/api/v1/procedures", {"level": 1}).json()["results"]] == ["2.001417"]
    assert [p["code"] for p in api.get("/api/v1/procedures", {"agency": "commune_committee"}).json()["results"]] == [
        "1.001193"
    ]
    assert api.get("/api/v1/procedures", {"level": 2}).json()["code"] == "invalid"


def test_version_on_a_day(api: APIClient) -> None:
    import_catalogue([sample(("MOTCUA.HIEULUCTU", "01/03/2026"), ("TENTTHC", "Đăng ký khai sinh (sửa đổi)"))])
    assert api.get("/api/v1/procedures/1.001193", {"on": "2026-02-28"}).json()["version"] == 1
    assert api.get("/api/v1/procedures/1.001193", {"on": "2026-03-01"}).json()["name"] == "Đăng ký khai sinh (sửa đổi)"
    missing = api.get("/api/v1/procedures/1.001193", {"on": "2025-06-30"})
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM
    assert missing.json()["detail"] == "Không có thủ tục mã 1.001193 có hiệu lực vào ngày 30/06/2025."
    assert api.get("/api/v1/procedures/khong-co").status_code == 404


EXPECTED = {
    "anonymous": 401,
    "citizen": 403,
    "officer_other_unit": 403,
    "officer_of_unit": 403,
    "leader": 403,
    "admin": 201,
}


def test_only_admins_import(role_client: tuple[str, APIClient]) -> None:
    role, client = role_client
    new = sample(("MATTHC", "1.000894"), ("TENTTHC", "Đăng ký khai tử"))
    before = ProcedureVersion.objects.count()
    response = client.post("/api/v1/procedures/import", {"procedures": [new]}, format="json")
    assert response.status_code == EXPECTED[role]
    if EXPECTED[role] == 201:
        assert response.json() == {"created": ["1.000894"], "unchanged": []}
        assert ProcedureVersion.objects.count() == before + 1
    else:
        assert response["Content-Type"] == PROBLEM
        assert ProcedureVersion.objects.count() == before


def test_import_problems_are_listed_per_record_and_field() -> None:
    bad = sample(("MATTHC", "1.000894"), ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.DONVITINH", "Tuần"))
    response = client_for("quantri").post("/api/v1/procedures/import", {"procedures": [BIRTH, bad]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "catalogue_rejected"
    assert body["errors"] == [
        {
            "record": "#2 (1.000894)",
            "field": "CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH",
            "message": "đơn vị tính chỉ nhận: Ngày làm việc, Ngày, Giờ làm việc, Trong ngày.",
        }
    ]
    assert not ProcedureVersion.objects.filter(procedure__code="1.000894").exists()
