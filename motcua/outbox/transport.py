"""One HTTP POST with a kept-alive connection per thread and receiver, and what its answer means for a retry."""

import contextlib
import http.client
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

_local = threading.local()


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer at all (refused, dropped, timed out)
    body: str

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def permanent(self) -> bool:
        """The receiver refused the message itself: sending it again cannot help (but 408 and 429 are about timing)."""
        return self.status is not None and 400 <= self.status < 500 and self.status not in {408, 429}


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    for attempt in (1, 2):
        connection = _connection(parts.scheme, parts.netloc, timeout)
        try:
            connection.request("POST", path or "/", body, {"Content-Type": "application/json", **headers})
            response = connection.getresponse()
            text = response.read(64 * 1024).decode("utf-8", "replace")
            if response.will_close:
                _drop(parts.scheme, parts.netloc)
            return Answer(response.status, text)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as error:
            _drop(parts.scheme, parts.netloc)
            # A kept-alive connection the receiver had closed meanwhile: one fresh connection is worth a try.
            if attempt == 2:
                return Answer(None, f"{type(error).__name__}: {error}")
        except (OSError, http.client.HTTPException) as error:
            _drop(parts.scheme, parts.netloc)
            return Answer(None, f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
    return Answer(None, "")  # pragma: no cover - the loop always returns


class _Connection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        # A record is larger than the 2,000 bytes http.client joins to the headers: the body goes in a second
        # write, which Nagle's algorithm would hold for the receiver's delayed acknowledgement (40 ms a message).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _SecureConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _connection(scheme: str, netloc: str, timeout: float) -> http.client.HTTPConnection:
    pool: dict[tuple[str, str], http.client.HTTPConnection] = _local.__dict__.setdefault("pool", {})
    connection = pool.get((scheme, netloc))
    if connection is None:
        kind = _SecureConnection if scheme == "https" else _Connection
        connection = kind(netloc, timeout=timeout)
        pool[(scheme, netloc)] = connection
    connection.timeout = timeout
    if connection.sock is not None:
        connection.sock.settimeout(timeout)
    return connection


def _drop(scheme: str, netloc: str) -> None:
    pool = _local.__dict__.get("pool", {})
    connection = pool.pop((scheme, netloc), None)
    if connection is not None:
        with contextlib.suppress(OSError):  # closing a broken socket
            connection.close()
