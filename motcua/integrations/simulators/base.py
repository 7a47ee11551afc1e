"""What every simulator shares: a threaded HTTP/1.1 server, JSON routes, and a control endpoint that makes it fail.

`POST /_control` with `{"mode": "down"|"slow"|"error"|"throttle"|"reject"|"timeout"|"normal", "seconds": N,
"delay": S}` changes how every other request is answered until N seconds have passed: `down` drops the connection
unanswered, `slow` answers after S seconds, `error` answers 500, `throttle` 429, `reject` 400, `timeout` holds the
request for S seconds (longer than the client waits) and then drops it. Time is read from `now`, so tests drive it.
"""

import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MODES = {"normal", "down", "slow", "error", "throttle", "reject", "timeout"}
FAILURE_STATUS = {"error": 500, "throttle": 429, "reject": 400}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> "Response":
        return cls(status, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def html(cls, text: str, status: int = 200) -> "Response":
        return cls(status, text.encode("utf-8"), "text/html; charset=utf-8")

    @classmethod
    def page(cls, title: str, body: str, status: int = 200) -> "Response":
        """A whole Vietnamese HTML page around `body` (markup the caller has escaped)."""
        head = f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
        return cls.html(f"{head}<body>{body}</body></html>", status)

    @classmethod
    def redirect(cls, location: str) -> "Response":
        return cls(302, b"", "text/plain", {"Location": location})


Route = Callable[[Request], Response]


class Simulator:
    """A national system's stand-in: routes by (method, path), failures on demand, one lock for its state."""

    name = "simulator"

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self.now = now
        self.lock = threading.Lock()
        self.mode, self.until, self.delay = "normal", 0.0, 1.0
        self.routes: dict[tuple[str, str], Route] = {}
        self.prefixes: list[tuple[str, str, Route]] = []  # (method, path prefix, handler), for paths with a name
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    def route(self, method: str, path: str, handler: Route) -> None:
        self.routes[(method, path)] = handler

    def route_prefix(self, method: str, prefix: str, handler: Route) -> None:
        self.prefixes.append((method, prefix, handler))

    def _handler(self, request: Request) -> Route | None:
        found = self.routes.get((request.method, request.path))
        for method, prefix, handler in self.prefixes if found is None else ():
            if request.method == method and request.path.startswith(prefix):
                return handler
        return found

    def control(self, mode: str, seconds: float = 60.0, delay: float = 1.0) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        with self.lock:
            self.mode, self.until, self.delay = mode, self.now() + seconds, delay

    def current_mode(self) -> tuple[str, float]:
        with self.lock:
            if self.mode != "normal" and self.now() >= self.until:
                self.mode = "normal"
            return self.mode, self.delay

    def handle(self, request: Request) -> Response | None:
        """Answer one request, or None to drop the connection unanswered."""
        if request.path == "/_control" and request.method == "POST":
            return self._control(request)
        if request.path.startswith("/_"):  # the simulator's own log and reset answer whatever the mode
            handler = self._handler(request)
            return handler(request) if handler else Response.json({"error": "not found"}, 404)
        mode, delay = self.current_mode()
        if mode == "down":
            return None
        if mode == "timeout":
            time.sleep(delay)
            return None
        if mode == "slow":
            time.sleep(delay)
        if mode in FAILURE_STATUS:
            return Response.json({"error": mode}, FAILURE_STATUS[mode])
        handler = self._handler(request)
        if handler is None:
            return Response.json({"error": "not found"}, 404)
        return handler(request)

    def _control(self, request: Request) -> Response:
        try:
            data = request.json() or {}
            self.control(str(data.get("mode", "normal")), float(data.get("seconds", 60)), float(data.get("delay", 1)))
        except (ValueError, TypeError, AttributeError):
            return Response.json({"error": f"mode must be one of {sorted(MODES)}"}, 400)
        return Response.json({"mode": self.mode, "seconds": max(0.0, self.until - self.now())})

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
        """Bind (port 0: any free port) and return the server; call `serve_forever` or `start` to answer."""
        self.server = _Server((host, port), _handler_for(self))
        return self.server

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve from a background thread and return the base URL (tests and the demo)."""
        server = self.serve(host, port)
        threading.Thread(target=server.serve_forever, name=self.name, daemon=True).start()
        self.url = f"http://{host}:{server.server_address[1]}"
        return self.url

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of connections from a worker's threads waits instead of being refused


def _handler_for(simulator: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a client reuses its connection, as with the real systems
        # Headers and body leave in two writes: without this, Nagle's algorithm holds the body for the client's
        # delayed acknowledgement, 40 ms on every answer.
        disable_nagle_algorithm = True

        def _answer(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
            response = simulator.handle(request)
            if response is None:
                self.close_connection = True
                self.connection.close()
                return
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
