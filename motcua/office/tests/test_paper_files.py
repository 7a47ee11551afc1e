"""Every paper visible: the office dossier page lists each scan; only those who see the dossier get its bytes."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalogue.models import Component
from motcua.catalogue.selectors import get_version_on
from motcua.core import clock
from motcua.core.tests import samples
from motcua.dossiers import drafts
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, Upload
from motcua.dossiers.selectors import get_dossier_for, papers_of
from motcua.dossiers.services import SupplementRequest, perform
from motcua.dossiers.tests.factories import TUESDAY_9AM, birth_filing, load_catalogue, unit, user
from motcua.organizations.models import User, UserKind

pytestmark = pytest.mark.django_db
CITIZEN = "0912345678"
# Distinctive bytes, so that a denial can be shown to serve none of them.
# Real files: scans are parsed, and images encoded again (a PNG from Pillow comes back byte for byte).
PDF = samples.pdf("SCAN-BYTES-TO-KHAI")
PNG = samples.image("PNG")


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        yield


def components() -> list[Component]:
    return list(
        Component.objects.filter(case__version__procedure__code="1.001193", case__position=0).order_by("position")
    )


def online_with_scans(declarations: int = 1) -> Dossier:
    """Submit online through the draft, with `declarations` scans of the first paper and one of the second."""
    citizen = user(CITIZEN)
    draft = drafts.draft_for(citizen, get_version_on("1.001193"))  # type: ignore[arg-type]
    drafts.save_fields(draft, {"receiving_unit": "28261.TTPVHCC", "commune": "28261", "case": "0"})
    first, second = components()
    for number in range(declarations):
        with clock.frozen(TUESDAY_9AM - timedelta(minutes=declarations - number)):
            name = "Tờ khai.pdf" if number == 0 else f"Tờ khai trang {number + 1}.pdf"
            drafts.store_upload(draft, first, name, PDF + bytes(number), by=citizen)
    drafts.store_upload(draft, second, "Giấy chứng sinh.png", PNG, by=citizen)
    return drafts.submit_draft(draft.pk, citizen=citizen).dossier


def at_counter_with_scan() -> Dossier:
    scans = {components()[0]: ("Tờ khai tại quầy.pdf", PDF)}
    officer, counter = user("mytho.motcua"), unit("28261.TTPVHCC")
    return drafts.receive_with_scans(birth_filing(), officer=officer, receiving_unit=counter, scans=scans).dossier


def browser(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(user(username))
    return client


def body(response: HttpResponse) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]


def file_url(dossier: Dossier, upload: Upload) -> str:
    return f"/can-bo/ho-so/{dossier.code}/tep/{upload.pk}/"


def test_an_online_dossier_shows_each_scan_with_a_working_link() -> None:
    dossier = online_with_scans()
    declaration = dossier.uploads.get(component=components()[0])
    officer = browser("mytho.motcua")
    html = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Tờ khai.pdf" in html and "Giấy chứng sinh.png" in html
    assert f'<code title="{declaration.sha256}">{declaration.sha256[:12]}…</code>' in html
    assert "Nguyễn Văn Dân" in html and "10/03/2026 09:00" in html and f"{len(PDF)}\xa0byte" in html
    assert "Đã số hóa" in html and "(bắt buộc)" in html and "Chưa có tệp" not in html
    links = set(re.findall(rf'href="(/can-bo/ho-so/{dossier.code}/tep/\d+/)"', html))
    assert links == {file_url(dossier, upload) for upload in dossier.uploads.all()}
    assert body(officer.get(file_url(dossier, declaration))) == PDF
    assert f'<img src="{file_url(dossier, dossier.uploads.get(component=components()[1]))}" loading="lazy"' in html
    assert f'<iframe src="{file_url(dossier, declaration)}" loading="lazy"' in html


def test_a_counter_dossier_shows_the_scan_taken_at_the_counter() -> None:
    dossier = at_counter_with_scan()
    [scan] = dossier.uploads.all()
    officer = browser("mytho.motcua")
    html = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Tờ khai tại quầy.pdf" in html and "Võ Thị Một Cửa" in html and "Chưa có tệp" in html  # the certificate
    assert f'href="{file_url(dossier, scan)}"' in html
    assert body(officer.get(file_url(dossier, scan))) == PDF
    officer.cookies["django_language"] = "en"
    english = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Attached files" in english and "No file yet" in english and "Download" in english


def test_a_supplement_scan_joins_the_paper_oldest_first() -> None:
    dossier = online_with_scans()
    officer, citizen = user("mytho.motcua"), user(CITIZEN)
    perform(dossier, Action.ACCEPT, actor=officer)
    certificate = components()[1]
    with clock.frozen(TUESDAY_9AM + timedelta(hours=1)):
        request = SupplementRequest(certificate.pk, "Quét lại rõ hơn")
        perform(dossier, Action.REQUEST_SUPPLEMENT, actor=officer, reason="Bản quét mờ", supplements=(request,))
        drafts.store_upload(
            Dossier.objects.get(pk=dossier.pk), certificate, "Chứng sinh rõ.png", PNG + b"2", by=citizen
        )
    [_, row] = papers_of(dossier)
    assert [u.original_name for u in row.uploads] == ["Giấy chứng sinh.png", "Chứng sinh rõ.png"]
    html = browser("mytho.motcua").get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert html.index("Giấy chứng sinh.png") < html.index("Chứng sinh rõ.png") and "10/03/2026 10:00" in html


@pytest.mark.parametrize(
    ("username", "status"),
    [
        (None, 302),  # to the sign-in page
        (CITIZEN, 403),  # the owner, on the officers' address
        ("0987654321", 403),
        ("stp.motcua", 404),  # another unit
        ("mytho.motcua", 200),  # the receiving unit's one-stop officer
        ("mytho.lanhdao", 200),  # the competent unit's leader
        ("quantri", 200),  # an administrator sees every dossier (get_dossier_for)
        ("giamsat", 200),  # so does the province's monitor
    ],
)
def test_the_office_file_address_serves_only_those_who_see_the_dossier(username: str | None, status: int) -> None:
    User.objects.create_user("0987654321", kind=UserKind.CITIZEN, phone="0987654321")
    dossier = online_with_scans()
    assert dossier.competent_unit.code == "28261.UBND"
    scan = dossier.uploads.get(component=components()[0])
    response = browser(username).get(file_url(dossier, scan))
    assert response.status_code == status
    if username in {"quantri", "giamsat"}:
        assert get_dossier_for(user(username), dossier.code) == dossier
    if status == 302:
        assert response["Location"] == f"/dang-nhap/?next={file_url(dossier, scan)}"
    if status != 200:
        assert b"SCAN-BYTES" not in body(response) and "Content-Disposition" not in response
        return
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == "inline; filename=\"To_khai.pdf\"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the dossier page's own preview frame


def test_a_download_is_an_attachment_named_for_its_type() -> None:
    dossier = online_with_scans()
    image = dossier.uploads.get(component=components()[1])
    response = browser("mytho.motcua").get(file_url(dossier, image), {"tai-ve": "1"})
    assert response["Content-Type"] == "image/png" and body(response) == PNG
    expected = "attachment; filename=\"Giay_chung_sinh.png\"; filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh.png"
    assert response["Content-Disposition"] == expected


def test_an_upload_is_reached_only_through_its_own_dossier() -> None:
    dossier, other = online_with_scans(), at_counter_with_scan()
    officer = browser("mytho.motcua")  # sees both dossiers
    [foreign] = other.uploads.all()
    draft = drafts.draft_for(user(CITIZEN), get_version_on("1.001193"))  # type: ignore[arg-type]
    pending = drafts.store_upload(draft, components()[0], "Chưa nộp.pdf", PDF, by=user(CITIZEN))
    for upload_id in (foreign.pk, pending.pk, 999_999):
        response = officer.get(f"/can-bo/ho-so/{dossier.code}/tep/{upload_id}/")
        assert response.status_code == 404 and b"SCAN-BYTES" not in body(response)


def test_a_hostile_file_name_gives_a_safe_header() -> None:
    dossier = at_counter_with_scan()
    Upload.objects.filter(dossier=dossier).update(original_name='Tờ "khai"\r\nSet-Cookie: a=1/../..\\đơn.exe')
    [scan] = dossier.uploads.all()
    header = browser("mytho.motcua").get(file_url(dossier, scan))["Content-Disposition"]
    assert header == (
        'inline; filename="To_khai_Set-Cookie_a_1_.._.._don.exe.pdf"; '
        "filename*=UTF-8''T%E1%BB%9D%20khai%20Set-Cookie%3A%20a%3D1%20..%20..%20%C4%91%C6%A1n.exe.pdf"
    )


def test_the_papers_cost_three_queries_and_the_page_the_same_for_1_or_5_scans(
    django_assert_num_queries,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    one, five = online_with_scans(1), online_with_scans(5)
    assert [len(row.uploads) for row in papers_of(one)] == [1, 1]
    with django_assert_num_queries(3):
        assert [len(row.uploads) for row in papers_of(five)] == [5, 1]
    officer = browser("mytho.motcua")
    officer.get(f"/can-bo/ho-so/{five.code}/")  # the session and per-process caches are warm for both pages
    with CaptureQueriesContext(connection) as few:
        assert "Tờ khai.pdf" in officer.get(f"/can-bo/ho-so/{one.code}/").content.decode()
    with django_assert_max_num_queries(len(few)):
        assert "Tờ khai trang 5.pdf" in officer.get(f"/can-bo/ho-so/{five.code}/").content.decode()
