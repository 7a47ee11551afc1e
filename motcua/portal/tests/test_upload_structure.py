"""Scans sent through the portal and at the counter are checked by structure; a refused one leaves nothing stored."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from motcua.catalogue.models import Component
from motcua.core import clock
from motcua.core.tests.samples import image, pdf
from motcua.dossiers import drafts
from motcua.dossiers.models import Dossier, Draft, Upload
from motcua.dossiers.tests.factories import TUESDAY_9AM, birth_filing, load_catalogue, unit, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setting_up(db: None):  # type: ignore[no-untyped-def]
    load_catalogue()
    with clock.frozen(TUESDAY_9AM):
        yield


@pytest.fixture
def citizen(client: Client) -> Client:
    client.force_login(user("0912345678"))
    return client


def first_component() -> Component:
    return Component.objects.filter(case__version__procedure__code="1.001193").order_by("position")[0]


def upload_url(client: Client) -> str:
    client.get("/nop-ho-so/1.001193/")
    return f"/nop-ho-so/ban-nhap/{Draft.objects.get().pk}/tai-len/{first_component().pk}/"


def pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert('Bạn đã trúng thưởng');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_stored(content: bytes) -> bool:
    digest = hashlib.sha256(content).hexdigest()
    return default_storage.exists(f"uploads/{digest[:2]}/{digest}")


def with_zip(first: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("trang.html", "<script>alert(1)</script>")
    return first + out.getvalue()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (pdf_with_javascript(), "mã chạy tự động"),
        (b"%PDF-1.7\n%<html><script>alert(1)</script></html>\n" + pdf()[9:], "HTML"),
        (with_zip(image("PNG")), "ZIP"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "không đọc được"),
    ],
    ids=["pdf-javascript", "pdf-html-polyglot", "png-zip-polyglot", "pdf-unparseable"],
)
def test_a_refused_scan_is_explained_and_nothing_is_stored(citizen: Client, content: bytes, said: str) -> None:
    html = citizen.post(upload_url(citizen), {"tep": SimpleUploadedFile("to-khai.pdf", content)}).content.decode()
    assert said in html
    assert not Upload.objects.exists() and not is_stored(content)


def test_an_image_is_stored_encoded_again_without_its_metadata(citizen: Client) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "001099012345")
    sent = image("PNG", pnginfo=info) + b"trailing bytes"
    citizen.post(upload_url(citizen), {"tep": SimpleUploadedFile("giay-chung-sinh.png", sent)})
    upload = Upload.objects.get()
    with default_storage.open(upload.file.name) as stored:
        kept = stored.read()
    assert b"001099012345" not in kept and b"trailing" not in kept
    assert upload.size == len(kept) and upload.content_type == "image/png"
    with Image.open(io.BytesIO(kept)) as picture:
        assert picture.size == (16, 12)


def test_at_the_counter_a_bad_scan_refuses_the_intake_before_anything_is_created() -> None:
    scans = {first_component(): ("to-khai.pdf", pdf_with_javascript())}
    with pytest.raises(drafts.DomainError) as refused:
        drafts.receive_with_scans(
            birth_filing(), officer=user("mytho.motcua"), receiving_unit=unit("28261.TTPVHCC"), scans=scans
        )
    assert "mã chạy tự động" in refused.value.message
    assert not Dossier.objects.exists() and not Upload.objects.exists()
