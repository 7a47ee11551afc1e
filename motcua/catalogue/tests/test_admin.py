"""The admin pages of the catalogue: upload, export, version history with its changes."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.catalogue.services import import_catalogue
from motcua.organizations.models import User

from .samples import BIRTH, RECORDS, sample

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(User.objects.get(username="quantri"))
    return client


def test_only_admins_reach_the_import_page(client: Client) -> None:
    client.force_login(User.objects.get(username="stp.lanhdao"))
    response = client.post(
        "/quan-tri/catalogue/procedure/nhap/", {"file": upload("a.json", json.dumps([BIRTH]).encode())}
    )
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]
    assert not Procedure.objects.exists()


def test_upload_imports_and_a_broken_upload_lists_problems_and_changes_nothing(admin_client: Client) -> None:
    response = admin_client.post(
        "/quan-tri/catalogue/procedure/nhap/", {"file": upload("a.json", json.dumps([BIRTH]).encode())}
    )
    assert "Đã tạo 1 phiên bản mới" in response.content.decode()
    broken = [sample(("MATTHC", "1.000001"), ("MOTCUA.QUYTRINH.0.BUOC.0.SOGIO", 9))]
    response = admin_client.post(
        "/quan-tri/catalogue/procedure/nhap/", {"file": upload("b.json", json.dumps(broken).encode())}
    )
    html = response.content.decode()
    assert "Tệp có 1 lỗi" in html and "#1 (1.000001)" in html and "tổng số giờ các bước" in html
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.001193"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "Chỉ nhận tệp .json hoặc .xlsx"),
        ("a.json", b"\xff\xfe khong phai", "không phải JSON UTF-8 hợp lệ"),
        ("a.xlsx", b"not a zip file", ""),
    ],
)
def test_wrong_files_are_refused_in_vietnamese(admin_client: Client, name: str, content: bytes, message: str) -> None:
    html = admin_client.post("/quan-tri/catalogue/procedure/nhap/", {"file": upload(name, content)}).content.decode()
    assert 'class="errorlist' in html and message in html
    assert not Procedure.objects.exists()


def test_export_json_and_excel(admin_client: Client) -> None:
    import_catalogue([BIRTH, RECORDS])
    exported = json.loads(admin_client.get("/quan-tri/catalogue/procedure/xuat/json/").content)
    assert exported["procedures"] == [BIRTH, RECORDS]
    workbook = admin_client.get("/quan-tri/catalogue/procedure/xuat/xlsx/")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert workbook.content[:2] == b"PK"


def test_version_page_shows_what_changed(admin_client: Client) -> None:
    import_catalogue([BIRTH])
    import_catalogue(
        [sample(("MOTCUA.HIEULUCTU", "01/03/2026"), ("CACHTHUCTHUCHIEN.0.THOIGIAN.0.PHILEPHI.0.SOTIEN", 8000))]
    )
    newer = ProcedureVersion.objects.get(number=2)
    html = admin_client.get(f"/quan-tri/catalogue/procedureversion/{newer.pk}/change/").content.decode()
    assert "PHILEPHI[0].SOTIEN</code>: 0 → 8000" in html


def test_a_published_version_is_shown_and_never_saved(admin_client: Client) -> None:
    import_catalogue([BIRTH])
    version = ProcedureVersion.objects.get()
    before = ProcedureVersion.objects.values().get()
    page = admin_client.get(f"/quan-tri/catalogue/procedureversion/{version.pk}/change/")
    assert page.status_code == 200 and "Thay đổi so với phiên bản trước" in page.content.decode()
    refused = admin_client.post(f"/quan-tri/catalogue/procedureversion/{version.pk}/change/", {})
    assert refused.status_code == 403  # was a server error: the model refused the save the form sent
    assert ProcedureVersion.objects.values().get() == before
