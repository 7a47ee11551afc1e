"""A stand-in for the national portal's synchronisation service (Cổng Dịch vụ công quốc gia).

It takes what a province sends (QĐ 31/2021/QĐ-TTg art. 30: dossier information, progress, results, feedback
answers), checks the bearer token, and applies each message id once: a message sent again is acknowledged and counted
as a redelivery, never applied twice. It also counts messages about one dossier that arrive out of order. `GET /_log`
tells what it saw; the tests and the benchmark read it.
"""

import os
import time
from collections import Counter
from collections.abc import Callable

from .base import Request, Response, Simulator
from .dvcqg_handover import Handover

TOKEN = os.environ.get("MOTCUA_DVCQG_TOKEN", "motcua-demo-dvcqg")
PATHS = {"/api/dong-bo/ho-so": "MaHoSo", "/api/dong-bo/phan-anh": "MaPAKN"}


class NationalPortal(Simulator):
    name = "Cổng DVCQG (mô phỏng)"

    def __init__(self, now: Callable[[], float] = time.monotonic, token: str = TOKEN) -> None:
        super().__init__(now)
        self.token = token
        self.applied: dict[str, tuple[str, int]] = {}  # message id → (subject, sequence)
        self.latest: dict[str, int] = {}  # subject → the highest sequence applied
        self.records: dict[str, dict[str, object]] = {}  # subject → the latest record
        self.counts: Counter[str] = Counter()
        for path, key in PATHS.items():
            self.route("POST", path, self._receiver(key))
        self.handover = Handover(self)  # the other direction: dossiers filed on the portal, handed to the province
        self.route("GET", "/_log", self._log)
        self.route("POST", "/_reset", self._reset)

    def _receiver(self, key: str) -> Callable[[Request], Response]:
        def receive(request: Request) -> Response:
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                return Response.json({"error": "unauthorised"}, 401)
            message_id, sequence = request.headers.get("X-Message-Id", ""), request.headers.get("X-Sequence", "")
            try:
                record = request.json()
                subject, number = str(record[key]), int(sequence)
            except (ValueError, KeyError, TypeError):
                return Response.json({"error": f"{key} và X-Sequence là bắt buộc"}, 400)
            if not message_id:
                return Response.json({"error": "X-Message-Id là bắt buộc"}, 400)
            with self.lock:
                self.counts["deliveries"] += 1
                if message_id in self.applied:
                    self.counts["redeliveries"] += 1
                    return Response.json({"MessageId": message_id, "KetQua": "DaNhan"})
                self.applied[message_id] = (subject, number)
                if number <= self.latest.get(subject, 0):
                    self.counts["out_of_order"] += 1
                self.latest[subject] = max(number, self.latest.get(subject, 0))
                self.records[subject] = record
                self.counts["applied"] += 1
            return Response.json({"MessageId": message_id, "KetQua": "ThanhCong"})

        return receive

    def _log(self, request: Request) -> Response:
        with self.lock:
            return Response.json({**dict(self.counts), "subjects": len(self.latest)})

    def _reset(self, request: Request) -> Response:
        with self.lock:
            self.applied.clear()
            self.latest.clear()
            self.records.clear()
            self.counts.clear()
        return Response.json({})


def build() -> NationalPortal:
    return NationalPortal()
