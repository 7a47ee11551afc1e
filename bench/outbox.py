"""The outbox to the national portal, measured against the DVCQG simulator on this machine (issue 20).

1. Delivery throughput: the worker drains synthetic national messages (copies of a real dossier record), beside a
   plain HTTP POST loop that sends the same bodies to the same simulator from as many threads, in the same run.
2. Sync lag: event commit → acknowledgement, p50 and p95, while counter intake runs at full speed through wrk,
   beside that run's intake latency (wrk's own percentiles).
"""

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SIM_PORT = int(os.environ.get("BENCH_DVCQG_PORT", "8766"))
MESSAGES = int(os.environ.get("BENCH_OUTBOX_MESSAGES", "20000"))
THREADS = 8  # the worker's default MOTCUA_OUTBOX_THREADS
PATH = "/api/dong-bo/ho-so"
TOKEN = "motcua-demo-dvcqg"

Rows = list[tuple[str, float, str, float | None]]
Sql = Callable[[str], str]


def bench_outbox(rows: Rows, env: dict[str, str], sql: Sql, port: int, seconds: int, token: str) -> None:
    simulator = subprocess.Popen(
        [sys.executable, "-m", "motcua", "simulate", "dvcqg", "--port", str(SIM_PORT)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker_env = {**env, "MOTCUA_DVCQG_URL": f"http://127.0.0.1:{SIM_PORT}", "MOTCUA_DVCQG_TOKEN": TOKEN}
    try:
        _wait(SIM_PORT)
        record = sql(
            "SELECT payload::text FROM outbox_outboundmessage WHERE queue = 'dvcqg' AND kind = 'dossier' LIMIT 1"
        )
        body = record.strip().encode("utf-8")
        loop = _post_loop(body, MESSAGES)
        rows.append((f"plain HTTP POST loop to the DVCQG simulator, {THREADS} threads (msg/s)", loop, "", None))
        with _running_worker(worker_env, sql) as worker:
            _queue_copies(sql, "BENCH", MESSAGES)
            started = time.perf_counter()
            _wait_drained(worker, sql)
            outbox = MESSAGES / (time.perf_counter() - started)
        label = f"outbox worker → DVCQG simulator, {MESSAGES:,} messages, one worker (msg/s)"
        rows.append((label, outbox, "plain POST loop", outbox / loop))
        _sync_lag(rows, worker_env, sql, f"http://127.0.0.1:{port}/api/v1/dossiers", seconds, token)
    finally:
        simulator.terminate()
        simulator.wait(10)


def connect(dsn: str) -> Sql:
    """A query function on one kept connection, answering as `psql -At` prints (a process per poll costs a core)."""
    connection = psycopg.connect(dsn, autocommit=True)

    def sql(query: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(query)  # type: ignore[arg-type] - the benchmark's own text
            if cursor.description is None:
                return ""
            return "\n".join("|".join("" if v is None else str(v) for v in row) for row in cursor.fetchall())

    return sql


def _wait(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/_log")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the DVCQG simulator did not start")


def _post_loop(body: bytes, count: int) -> float:
    """The reference: the same bodies POSTed with kept-alive connections, each with its own message id."""

    def send(share: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", SIM_PORT, timeout=10)
        connection.connect()
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as the product's transport does
        for n in range(share):
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {TOKEN}",
                "X-Message-Id": str(uuid.uuid4()),
                "X-Sequence": str(n + 1),
            }
            connection.request("POST", PATH, body, headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"the simulator answered {response.status}")

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, [count // THREADS] * THREADS))
    return (count // THREADS * THREADS) / (time.perf_counter() - started)


def _queue_copies(sql: Sql, prefix: str, count: int) -> None:
    """Synthetic national messages: copies of a real dossier record, each its own subject."""
    sql(
        "INSERT INTO outbox_outboundmessage (message_id, queue, kind, key, sequence, topic, payload, created_at, "
        "pending_since, state, attempts, next_attempt_at, claimed_by, answer) "
        f"SELECT gen_random_uuid(), 'dvcqg', 'dossier', '{prefix}-' || n || '-' || extract(epoch FROM now()), 1, "
        "'dossier.receive', (SELECT payload FROM outbox_outboundmessage WHERE kind = 'dossier' LIMIT 1), now(), "
        f"now(), 'pending', 0, now(), '', '' FROM generate_series(1, {count}) AS n"
    )


def _pending(sql: Sql) -> int:
    return int(sql("SELECT count(*) FROM outbox_outboundmessage WHERE state = 'pending'").strip())


@contextlib.contextmanager
def _running_worker(env: dict[str, str], sql: Sql) -> Iterator[subprocess.Popen[str]]:
    """One worker process, started and ready: what was queued before (intake, feedback, a probe) is delivered, so a
    figure measures delivery, not the process's start."""
    worker = _worker(env)
    try:
        _queue_copies(sql, "PROBE", 1)
        _wait_drained(worker, sql)
        yield worker
    finally:
        worker.terminate()
        worker.wait(10)


def _wait_drained(worker: subprocess.Popen[str], sql: Sql, limit: float = 600) -> None:
    deadline = time.monotonic() + limit
    while _pending(sql) and time.monotonic() < deadline:
        _check_alive(worker)
        time.sleep(0.05)


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "motcua", "integrations", "worker"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _check_alive(worker: subprocess.Popen[str]) -> None:
    if worker.poll() is not None:
        raise RuntimeError(
            f"the outbox worker stopped ({worker.returncode}):\n{worker.stderr.read() if worker.stderr else ''}"
        )


def _sync_lag(rows: Rows, env: dict[str, str], sql: Sql, url: str, seconds: int, token: str) -> None:
    with _running_worker(env, sql) as worker:
        since = sql("SELECT now()").strip()
        script = ROOT / "bench" / "intake.lua"
        command = [
            "wrk",
            "-t2",
            "-c8",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            url,
            "--",
            token,
            str(time.time_ns()),
        ]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        _wait_drained(worker, sql, limit=120)
    lags = sql(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at)), "
        "percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at)), count(*) "
        f"FROM outbox_outboundmessage WHERE queue = 'dvcqg' AND created_at >= '{since}' AND key NOT LIKE 'PROBE-%'"
    ).strip()
    p50, p95, count = (float(value) for value in lags.split("|"))
    intake = _wrk_percentiles(out)
    rows.append((f"sync lag event → DVCQG acknowledgement during intake, {int(count):,} messages, p50 (ms)",
                 1000 * p50, "intake p50", intake[0] / (1000 * p50)))  # fmt: skip
    rows.append(("sync lag event → DVCQG acknowledgement during intake, p95 (ms)",
                 1000 * p95, "intake p99", intake[1] / (1000 * p95)))  # fmt: skip


def _wrk_percentiles(out: str) -> tuple[float, float]:
    """wrk --latency: the 50 % and 99 % request latencies, in ms."""

    def value(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"wrk printed no {percent}% latency:\n{out}")
        number, unit = float(match.group(1)), match.group(2)
        return number / 1000 if unit == "us" else number * 1000 if unit == "s" else number

    return value("50"), value("99")
