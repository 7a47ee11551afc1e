"""Fetch the files of a national dossier from the portal, from the hosts allowed and no other.

The addresses come from outside, so this is where a request forgery would start (OWASP SSRF prevention): only the
schemes and hosts of MOTCUA_DVCQG_FILE_SCHEMES and MOTCUA_DVCQG_FILE_HOSTS are asked, no proxy from the environment is
used, a redirect is not followed (it could lead anywhere), and no more than MOTCUA_MAX_UPLOAD_BYTES is read.
"""

import http.client
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from motcua.core.errors import DomainError


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


# Built without ProxyHandler's defaults: an http_proxy in the environment would otherwise see (and reach) the address.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def check_address(url: str) -> None:
    """Refuse an address outside the allowed schemes and hosts, before anything is asked of the network."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    host = (parts.hostname or "").lower()
    allowed = {entry.lower() for entry in settings.MOTCUA_DVCQG_FILE_HOSTS}
    if parts.scheme not in settings.MOTCUA_DVCQG_FILE_SCHEMES or not host or port == -1 or parts.username:
        raise DomainError("Đường dẫn tệp không hợp lệ hoặc không dùng giao thức được phép.")
    if host not in allowed and f"{host}:{port}" not in allowed:
        raise DomainError(f"Máy chủ {host} không nằm trong danh sách được phép tải tệp của Cổng Dịch vụ công.")


def fetch(url: str) -> bytes:
    """Return a file's bytes, or raise DomainError saying in Vietnamese why it could not be had."""
    check_address(url)
    limit: int = settings.MOTCUA_MAX_UPLOAD_BYTES
    too_big = DomainError(f"Tệp lớn hơn {limit // (1024 * 1024)} MB, giới hạn như tệp nộp trực tuyến.")
    request = urllib.request.Request(url, headers={"User-Agent": "motcua"})  # noqa: S310  # scheme checked above
    timeout: float = settings.MOTCUA_DVCQG_FILE_TIMEOUT
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise too_big
            content = _read(answer, limit + 1, time.monotonic() + timeout)
    except urllib.error.HTTPError as error:
        where = "chuyển hướng sang địa chỉ khác" if 300 <= error.code < 400 else f"trả lời lỗi {error.code}"
        raise DomainError(f"Không tải được tệp: máy chủ {where}.") from error
    except TimeoutError as error:
        raise DomainError("Không tải được tệp: máy chủ không trả lời kịp thời hạn chờ.") from error
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise DomainError("Không tải được tệp: không kết nối được hoặc kết nối bị ngắt.") from error
    if len(content) > limit:
        raise too_big
    return content


def _read(answer: Any, most: int, deadline: float) -> bytes:
    """Read up to `most` bytes by pieces; a server sending a byte now and then is cut off at the deadline."""
    pieces: list[bytes] = []
    size = 0
    while size < most:
        piece = answer.read(min(65536, most - size))
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(pieces)
