"""Serve a stored file that someone else sent (a citizen's scan) without letting it act in our origin."""

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from django.core.files import File
from django.http import FileResponse

SUFFIXES = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}
# Quotes, backslashes and path separators could break the header or the path; control and format characters
# (CR/LF, a right-to-left override hiding the real extension) too.
_UNSAFE = re.compile(r'["\\/]+')
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(name: str, content_type: str, *, as_attachment: bool = False) -> str:
    """Return a Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 8187)."""
    visible = "".join(" " if unicodedata.category(c) in _INVISIBLE else c for c in _UNSAFE.sub(" ", name))
    cleaned = " ".join(visible.split()).lstrip(". ") or "tep"
    suffixes = SUFFIXES.get(content_type, ())
    # The name saved on disk must announce what the bytes are, whatever the sender called the file.
    if suffixes and not cleaned.lower().endswith(suffixes):
        cleaned += suffixes[0]
    folded = unicodedata.normalize("NFD", cleaned.replace("Đ", "D").replace("đ", "d"))
    ascii_name = _NOT_ASCII_WORD.sub("_", "".join(c for c in folded if unicodedata.category(c) != "Mn")).strip("_")
    if not ascii_name or ascii_name.startswith("."):  # nothing was left of the stem (a name in another script)
        ascii_name = "tep" + ascii_name
    kind = "attachment" if as_attachment else "inline"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


def serve_untrusted(file: File[Any], *, content_type: str, name: str, as_attachment: bool = False) -> FileResponse:
    """Stream a file as its checked type, never sniffed, cached or allowed to run script in our origin."""
    if content_type not in SUFFIXES:  # only checked types are stored; anything else is never shown in the browser
        content_type, as_attachment = "application/octet-stream", True
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, content_type, as_attachment=as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF can carry JavaScript and a polyglot can pass for a page: the sandbox gives it an origin of its own.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
