"""Audit appends per second (hash chain, lock, one INSERT) beside plain INSERTs into a table without a chain.

Run on a scratch database: `DATABASE_URL=postgres://… .venv/bin/python bench/audit_append.py` (or SQLite). Each row is
its own transaction, as a request's would be; then the same with THREADS writers at once. Not a test.
"""

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from motcua.audit.models import Kind  # noqa: E402
from motcua.audit.services import record  # noqa: E402
from motcua.core import clock  # noqa: E402

ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "2000"))
THREADS = int(os.environ.get("BENCH_AUDIT_THREADS", "4"))
DETAILS = {"view": "office:dossier", "path": "/can-bo/ho-so/000.00.00.H00-260310-0001/"}


def chained() -> None:
    record(Kind.PERSONAL_DATA_VIEW, object_type="dossier", object_id="000.00.00.H00-260310-0001", details=DETAILS)


def plain() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_plain_audit (at, kind, object_type, object_id, client_address, details) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [clock.now(), Kind.PERSONAL_DATA_VIEW.value, "dossier", "000.00.00.H00-260310-0001", "", str(DETAILS)],
        )


def per_second(append: object, threads: int) -> float:
    each = ROWS // threads

    def work() -> None:
        try:
            for _ in range(each):
                append()  # type: ignore[operator]
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return each * threads / (time.perf_counter() - began)


def main() -> None:
    call_command("migrate", verbosity=0)
    key = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_plain_audit (id {key} PRIMARY KEY, at TIMESTAMP WITH TIME ZONE, "
            "kind VARCHAR(32), object_type VARCHAR(64), object_id VARCHAR(64), client_address VARCHAR(64), "
            "details TEXT)"
        )
    connections.close_all()
    label = connection.vendor
    threads = THREADS if label == "postgresql" else 1  # SQLite has one writer at a time anyway
    for writers in sorted({1, threads}):
        ours, reference = per_second(chained, writers), per_second(plain, writers)
        print(
            f"audit appends/s, {label}, {writers} writer(s)\t{ours:.0f}\tplain INSERT/s\t{reference:.0f}"
            f"\tratio\t{ours / reference:.2f}"
        )


if __name__ == "__main__":
    main()
