"""Scans checked by structure: PDFs parsed for active content, polyglots refused, images decoded and encoded again."""

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import pytest
from django.test import override_settings
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from motcua.core.errors import DomainError
from motcua.core.tests.samples import image, pdf
from motcua.core.uploads import JPEG, PDF, PNG, CheckedScan, check_structure


def written(build: Callable[[PdfWriter], None]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_action(action: str, **entries: str) -> Callable[[PdfWriter], None]:
    def build(writer: PdfWriter) -> None:
        values = {NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()}
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject(action), **values}
        )

    return build


def refused(content: bytes) -> str:
    with pytest.raises(DomainError) as caught:
        check_structure(content)
    return caught.value.message


def test_a_plain_pdf_is_stored_as_it_was_sent() -> None:
    sent = pdf("Tờ khai")
    assert check_structure(sent) == CheckedScan(PDF, sent)


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (lambda writer: writer.add_open_action(JavaScript("app.alert('x');")), "JavaScript"),
        (open_action("/JavaScript", JS="app.launchURL('http://evil.example')"), "JS"),
        (open_action("/Launch", F="cmd.exe"), "Launch"),
        (lambda writer: writer.add_attachment("hoa-don.exe", b"MZ\x90\x00"), "EmbeddedFile"),
    ],
    ids=["document-javascript", "open-action-javascript", "launch", "embedded-file"],
)
def test_pdfs_that_act_when_opened_or_carry_files_are_refused(build: Callable[[PdfWriter], None], named: str) -> None:
    message = refused(written(build))
    assert "mã chạy tự động" in message and f"({named})" in message


def test_javascript_is_found_under_an_escaped_name_and_in_an_object_no_page_points_at() -> None:
    # "/J#53" is the name /JS written with a hex escape, which a search of the raw bytes for "/JS" misses.
    content = written(open_action("/JavaScript", JS="app.alert(1)")).replace(b"/JS ", b"/J#53 ")
    assert b"/JS " not in content
    assert "mã chạy tự động" in refused(content)

    def orphan(writer: PdfWriter) -> None:
        writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/JavaScript")}))

    assert "mã chạy tự động" in refused(written(orphan))


def test_a_pdf_that_cannot_be_parsed_is_refused() -> None:
    # What passed before: the signature and a few bytes looking like PDF syntax.
    assert "không đọc được" in refused(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def test_a_pdf_locked_with_a_password_is_refused() -> None:
    assert "mật khẩu" in refused(written(lambda writer: writer.encrypt("bi-mat")))


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + pdf()[9:],
        pdf() + b"\n<!DOCTYPE html><html><script>alert(1)</script></html>",
    ],
    ids=["html-in-the-head", "html-after-eof"],
)
def test_a_pdf_that_is_also_a_web_page_is_refused(content: bytes) -> None:
    assert "HTML" in refused(content)


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\nMZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode", pdf() + b"MZ\x90\x00\x03"],
    ids=["executable-after-header", "executable-after-eof"],
)
def test_a_pdf_followed_by_a_program_is_refused(content: bytes) -> None:
    assert "chương trình" in refused(content)


def zipped() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return out.getvalue()


@pytest.mark.parametrize("first", [pdf(), image("PNG"), image("JPEG")], ids=["pdf", "png", "jpeg"])
def test_a_file_that_is_also_a_zip_archive_is_refused(first: bytes) -> None:
    assert "ZIP" in refused(first + zipped())


def test_bytes_that_only_look_like_a_zip_record_inside_a_file_are_not_a_zip() -> None:
    # The end record's signature inside the image, not at the end with its comment: no ZIP reader starts there.
    sent = image("JPEG", comment=b"PK\x05\x06" + bytes(18))
    assert b"PK\x05\x06" in sent and check_structure(sent).content_type == JPEG


def test_a_png_is_encoded_again_without_its_metadata_or_what_was_appended() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Nguyễn Văn Dân, 001099012345")
    sent = image("PNG", pnginfo=info) + b"\x00appended bytes that no image viewer shows"
    stored = check_structure(sent)
    assert stored.content_type == PNG
    assert b"001099012345" not in stored.content and b"appended" not in stored.content
    with Image.open(io.BytesIO(stored.content)) as picture:
        assert picture.size == (16, 12) and picture.getpixel((0, 0)) == (200, 30, 30)


def test_a_png_followed_by_a_web_page_is_refused() -> None:
    assert "HTML" in refused(image("PNG") + b"<html><script>alert(1)</script></html>")


def test_a_jpeg_loses_its_exif_and_is_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was held sideways; the picture is shown turned 90° clockwise
    exif[0x010F] = "Điện thoại của người nộp"
    stored = check_structure(image("JPEG", size=(40, 20), exif=exif.tobytes()))
    assert stored.content_type == JPEG and b"Exif" not in stored.content
    with Image.open(io.BytesIO(stored.content)) as picture:
        assert picture.size == (20, 40) and not picture.getexif()


def with_dimensions(png: bytes, width: int, height: int) -> bytes:
    """Rewrite a PNG's header (IHDR) to claim other dimensions, with a valid checksum, as a decompression bomb does."""
    header = png[12:16] + struct.pack(">II", width, height) + png[24:29]
    return png[:8] + png[8:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (8_000, 7_000)])
def test_an_image_too_large_to_decode_is_refused_before_decoding(width: int, height: int) -> None:
    assert "Ảnh quá lớn" in refused(with_dimensions(image("PNG"), width, height))


@override_settings(MOTCUA_MAX_SCAN_PIXELS=100)
def test_the_pixel_limit_is_a_setting() -> None:
    assert f"{16} × {12}" in refused(image("PNG"))


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, image("JPEG")[:200], image("PNG")[:40]],
    ids=["png-signature-only", "truncated-jpeg", "truncated-png"],
)
def test_an_image_that_cannot_be_decoded_is_refused(content: bytes) -> None:
    assert "không đọc được" in refused(content)
