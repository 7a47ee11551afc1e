"""The citizen sees the scans of their own dossier per paper and opens them; nobody else does through the portal."""

import re

import pytest

from motcua.core import clock
from motcua.dossiers.tests.factories import TUESDAY_9AM, load_catalogue, user
from motcua.office.tests.test_paper_files import CITIZEN, PDF, body, browser, components, online_with_scans
from motcua.organizations.models import User, UserKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        yield


def test_the_citizen_sees_each_paper_with_their_scans() -> None:
    dossier = online_with_scans()
    html = browser(CITIZEN).get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    assert "Giấy tờ đã nộp" in html and "Tờ khai.pdf" in html and "Giấy chứng sinh.png" in html
    assert "Bạn" in html and "10/03/2026 09:00" in html
    links = set(re.findall(rf'href="(/ca-nhan/ho-so/{dossier.code}/tep/\d+/)"', html))
    assert links == {f"/ca-nhan/ho-so/{dossier.code}/tep/{u.pk}/" for u in dossier.uploads.all()}
    assert "/can-bo/" not in html


def test_a_scan_taken_by_the_counter_names_no_official() -> None:
    dossier = online_with_scans()
    dossier.uploads.update(uploaded_by=user("mytho.motcua"))
    html = browser(CITIZEN).get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    assert "Công chức tiếp nhận" in html and "Võ Thị Một Cửa" not in html


@pytest.mark.parametrize(
    ("username", "status"),
    [(None, 302), (CITIZEN, 200), ("0987654321", 404), ("mytho.motcua", 403)],
)
def test_the_portal_file_address_serves_only_the_applicant(username: str | None, status: int) -> None:
    User.objects.create_user("0987654321", kind=UserKind.CITIZEN, phone="0987654321")
    dossier = online_with_scans()
    scan = dossier.uploads.get(component=components()[0])
    url = f"/ca-nhan/ho-so/{dossier.code}/tep/{scan.pk}/"
    response = browser(username).get(url)
    assert response.status_code == status
    if status != 200:
        assert b"SCAN-BYTES" not in body(response) and "Content-Disposition" not in response
        return
    assert body(response) == PDF and response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    download = browser(username).get(url, {"tai-ve": "1"})
    assert download["Content-Disposition"].startswith('attachment; filename="To_khai.pdf"')
