"""Scans people upload, accepted by what they are, not by their first bytes.

A file that starts with `%PDF-` may still be a web page, a program or a ZIP archive that other software opens as such
(a polyglot), and a real PDF may carry JavaScript, a command to launch a program, or files of its own. So a PDF is
parsed and every object it holds is looked at; an image is decoded and encoded again, which keeps the picture and
drops everything else (metadata such as the place a photo was taken, comments, bytes appended after the image).
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from PIL import ExifTags, Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .errors import DomainError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# Magic numbers of the accepted types: the name and the browser's claim are not trusted.
SIGNATURES = {b"%PDF-": PDF, b"\xff\xd8\xff": JPEG, b"\x89PNG\r\n\x1a\n": PNG}
KIND_NAMES = {PDF: "PDF", JPEG: "ảnh JPEG", PNG: "ảnh PNG"}
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
# Names that make a PDF do something when opened, or carry other files (ISO 32000-1 §12.6 actions, §7.11.4 embedded
# files, §12.7.8 XFA forms, which hold scripts of their own).
_ACTIVE_NAMES = frozenset({"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/RichMedia"})
# What makes other software take the bytes for something else: browsers sniff the first 512 bytes for markup
# (WHATWG MIME Sniffing §7.1), and Windows and Linux run files that start with MZ or ELF.
_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)\b", re.IGNORECASE)
_EXECUTABLES = (b"MZ", b"\x7fELF", b"#!")
_SNIFFED_BYTES = 512
# Ends of each type: what follows them is not part of the file and is looked at as a possible second format.
_PNG_END = b"IEND\xaeB`\x82"
_JPEG_END = b"\xff\xd9"
_PDF_END = b"%%EOF"
_ZIP_END, _ZIP_END_SIZE, _ZIP_ENTRY = b"PK\x05\x06", 22, b"PK\x03\x04"
# A walk through a PDF's objects stops here; a scanned paper has a few hundred objects.
MAX_PDF_OBJECTS = 100_000


@dataclass(frozen=True)
class CheckedScan:
    """An accepted scan: its type, and the bytes to store (an image re-encoded; a PDF as it was sent)."""

    content_type: str
    content: bytes


def check_structure(content: bytes) -> CheckedScan:
    """Return the scan to store, or raise DomainError saying in Vietnamese why the file is refused."""
    content_type = next((kind for magic, kind in SIGNATURES.items() if content.startswith(magic)), None)
    if content_type is None:
        raise DomainError("Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).")
    _refuse_polyglot(content, content_type)
    if content_type == PDF:
        _refuse_active_pdf(content)
        return CheckedScan(PDF, content)
    return CheckedScan(content_type, _reencoded(content, content_type))


def _refuse_polyglot(content: bytes, content_type: str) -> None:
    kind = KIND_NAMES[content_type]
    end_marker = {PDF: _PDF_END, PNG: _PNG_END, JPEG: _JPEG_END}[content_type]
    end = content.rfind(end_marker)
    trailing = content[end + len(end_marker) :].lstrip() if end >= 0 else b""
    if _ends_as_zip(content) or trailing.startswith(_ZIP_ENTRY):
        raise DomainError(f"Tệp vừa là {kind} vừa là tệp nén ZIP; không nhận tệp ghép hai định dạng.")
    # The head after the signature line, and whatever follows the file's end, are where a second format hides.
    for part in (content[:_SNIFFED_BYTES], trailing[:_SNIFFED_BYTES]):
        if _MARKUP.search(part):
            raise DomainError(f"Tệp {kind} có chứa mã trang web (HTML); không nhận tệp ghép hai định dạng.")
    if trailing.startswith(_EXECUTABLES) or _after_header(content).startswith(_EXECUTABLES):
        raise DomainError(f"Tệp {kind} có chứa một chương trình máy tính; không nhận tệp ghép hai định dạng.")


def _ends_as_zip(content: bytes) -> bool:
    """Tell whether the file ends with a ZIP archive's end record, which is where ZIP readers start reading.

    The record (APPNOTE.TXT §4.3.16) is 22 bytes and a comment whose length it gives; both must reach the end of the
    file exactly, so that four bytes of a compressed image that happen to spell its signature are not taken for one.
    """
    tail = content[-(_ZIP_END_SIZE + 0xFFFF) :]
    start = tail.rfind(_ZIP_END)
    while start >= 0:
        record = tail[start : start + _ZIP_END_SIZE]
        if len(record) == _ZIP_END_SIZE and start + _ZIP_END_SIZE + int.from_bytes(record[20:], "little") == len(tail):
            return True
        start = tail.rfind(_ZIP_END, 0, start)
    return False


def _after_header(content: bytes) -> bytes:
    """Return what follows a PDF's first line (`%PDF-1.7`), where a file pretending to be a PDF starts its payload."""
    if not content.startswith(b"%PDF-"):
        return b""
    line_end = re.search(rb"[\r\n]+", content[:64])
    return content[line_end.end() :] if line_end else b""


def _refuse_active_pdf(content: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DomainError("Tệp PDF có đặt mật khẩu nên không kiểm tra được; hãy gửi bản không có mật khẩu.")
        found = next(_active_names(reader), None)
    except DomainError:
        raise
    except Exception as error:  # a parser failing on a hostile file, however it fails, means it is not read
        raise DomainError(
            "Tệp PDF bị hỏng hoặc không đúng cấu trúc nên không đọc được; hãy lưu lại hoặc quét lại thành PDF."
        ) from error
    if found is not None:
        raise DomainError(
            "Tệp PDF có mã chạy tự động (JavaScript), lệnh mở chương trình hoặc tệp đính kèm bên trong "
            f"({found.lstrip('/')}); chỉ nhận bản quét giấy tờ: hãy in lại ra PDF hoặc quét lại."
        )


def _active_names(reader: PdfReader) -> Iterator[str]:
    """Yield each name of _ACTIVE_NAMES found as a key or a value in any object of the PDF."""
    # From the trailer (catalogue, document information) and from every object the cross-reference tables list, so
    # that an object no page points at is looked at too: a reader that repairs the file may still find it.
    pending: list[Any] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    walked = 0
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            if (value.idnum, value.generation) in seen:
                continue
            seen.add((value.idnum, value.generation))
            value = value.get_object()
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            raise DomainError("Tệp PDF có quá nhiều đối tượng để kiểm tra; hãy in lại ra PDF hoặc quét lại.")
        if isinstance(value, DictionaryObject):
            yield from (str(key) for key in value if key in _ACTIVE_NAMES)
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)
        elif isinstance(value, NameObject) and value in _ACTIVE_NAMES:
            yield str(value)


def _reencoded(content: bytes, content_type: str) -> bytes:
    limit: int = settings.MOTCUA_MAX_SCAN_PIXELS
    try:
        with Image.open(io.BytesIO(content), formats=[_PILLOW_FORMATS[content_type]]) as image:
            width, height = image.size  # read from the header, before any pixel is decoded
            if width * height > limit:
                raise DomainError(
                    f"Ảnh quá lớn ({width} × {height} điểm ảnh); hãy chụp hoặc quét với độ phân giải thấp hơn "
                    f"(tối đa {limit // 1_000_000} triệu điểm ảnh)."
                )
            image.load()
            return _encode(image, content_type)
    except DomainError:
        raise
    except Image.DecompressionBombError as error:
        raise DomainError("Ảnh quá lớn; hãy chụp hoặc quét với độ phân giải thấp hơn.") from error
    except Exception as error:  # whatever way the decoder fails, the picture cannot be vouched for
        raise DomainError("Tệp ảnh bị hỏng hoặc không đọc được; hãy chụp hoặc quét lại.") from error


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    turned = image.getexif().get(ExifTags.Base.Orientation, 1) not in (0, 1)
    # A phone's photo is stored sideways with a note to turn it: turn it now, since the note is dropped with the rest.
    upright = ImageOps.exif_transpose(image) if turned else image
    if content_type == PNG:
        upright.save(out, "PNG")
    elif not turned:
        # The same quantisation as the original: encoding again loses nothing more.
        upright.save(out, "JPEG", quality="keep", subsampling="keep")
    else:
        upright.save(out, "JPEG", quality=90)
    return out.getvalue()
