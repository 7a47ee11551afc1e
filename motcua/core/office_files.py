"""Office documents (.docx, .xlsx, .odt) accepted as evidence, by what they are, not by their name.

They are ZIP packages (ECMA-376 Part 2, Open Packaging Conventions; ODF 1.2 Part 3). A package is opened, never
run: each entry's name and sizes are read from the central directory and the few parts that say what the package is
are read with a size cap. Refused: anything hidden before or after the archive, encrypted entries, paths that climb
out of the package, zip bombs (too many entries, too large once unpacked, compressed too well), macros (vbaProject,
ODF Basic and Scripts), ActiveX controls and embedded OLE objects, and relationships that fetch a remote template
or object when the file is opened (TargetMode="External" other than a hyperlink).
"""

import io
import re
import zipfile

from django.conf import settings

from .errors import DomainError
from .uploads import CheckedScan, _ends_as_zip

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
SUFFIXES = {DOCX: ".docx", XLSX: ".xlsx", ODT: ".odt"}
ZIP_ENTRY = b"PK\x03\x04"
MAX_ENTRIES = 1_000
MAX_RATIO = 100  # a text part compresses 5-20×; a bomb, thousands of times
MAX_PART = 2 * 1024 * 1024  # the descriptive parts read here ([Content_Types].xml, *.rels, mimetype)
# The main part each kind must have, with the content type [Content_Types].xml gives it.
OOXML_MAIN = {
    DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}
_ACTIVE_PARTS = re.compile(r"(?i)(vbaproject|vbadata|/activex/|/embeddings/|\.bin$|^basic/|^scripts/|^object ?\d)")
_EXTERNAL = re.compile(rb"""<Relationship\b[^>]*TargetMode\s*=\s*["']External["'][^>]*>""")
REFUSED = (
    "Tài liệu Office có macro, đối tượng nhúng hoặc liên kết tự tải khi mở; hãy lưu lại dạng .docx/.xlsx/.odt thường."
)


def is_office_package(content: bytes) -> bool:
    return content.startswith(ZIP_ENTRY)


def check_office_document(content: bytes) -> CheckedScan:
    """Return the document to store (as sent), or raise DomainError saying in Vietnamese why it is refused."""
    if not is_office_package(content) or not _ends_as_zip(content):
        raise DomainError("Tệp không phải tài liệu Office hợp lệ (.docx, .xlsx, .odt).")
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        entries = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DomainError("Tệp không phải tài liệu Office hợp lệ (.docx, .xlsx, .odt).") from None
    _refuse_unsafe_entries(entries)
    kind = _kind(package, {e.filename for e in entries})
    if any(_ACTIVE_PARTS.search(e.filename) for e in entries):
        raise DomainError(REFUSED)
    for entry in entries:
        if entry.filename.endswith(".rels"):
            for relationship in _EXTERNAL.findall(_read(package, entry.filename)):
                if b"/hyperlink" not in relationship:
                    raise DomainError(REFUSED)
    return CheckedScan(kind, content)


def _refuse_unsafe_entries(entries: list[zipfile.ZipInfo]) -> None:
    if not entries or len(entries) > MAX_ENTRIES:
        raise DomainError(f"Tài liệu Office có quá nhiều thành phần (tối đa {MAX_ENTRIES}).")
    if entries[0].header_offset != 0:
        raise DomainError("Tài liệu Office có dữ liệu lạ chèn trước nội dung; không nhận tệp ghép hai định dạng.")
    names = [e.filename for e in entries]
    if len(set(names)) != len(names):
        raise DomainError("Tài liệu Office có thành phần trùng tên.")
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES * 10
    if sum(e.file_size for e in entries) > limit:
        raise DomainError("Tài liệu Office quá lớn khi giải nén.")
    for entry in entries:
        name = entry.filename
        if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name or ":" in name or "\x00" in name:
            raise DomainError("Tài liệu Office có đường dẫn thành phần không hợp lệ.")
        if entry.flag_bits & 0x1:
            raise DomainError("Tài liệu Office có đặt mật khẩu nên không kiểm tra được; hãy gửi bản không mật khẩu.")
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > 1024 * 1024:
            raise DomainError("Tài liệu Office nén bất thường (có thể là tệp nén độc hại); không nhận.")


def _read(package: zipfile.ZipFile, name: str) -> bytes:
    if package.getinfo(name).file_size > MAX_PART:
        raise DomainError("Tài liệu Office có thành phần mô tả quá lớn.")
    try:
        return package.read(name)
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        raise DomainError("Tệp không phải tài liệu Office hợp lệ (.docx, .xlsx, .odt).") from None


def _kind(package: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names and _read(package, "mimetype").strip() == ODT.encode():
        return ODT
    if "[Content_Types].xml" in names:
        types = _read(package, "[Content_Types].xml")
        if b"macroEnabled" in types or b"vbaProject" in types:
            raise DomainError(REFUSED)
        for kind, (part, content_type) in OOXML_MAIN.items():
            if part in names and content_type.encode() in types:
                return kind
    raise DomainError("Chỉ nhận tài liệu Office dạng .docx, .xlsx hoặc .odt (kiểm tra theo nội dung tệp).")
