"""The head-of-unit page (GET /api/v1/units/{code}/overview) with many dossiers and BENCH_TASKS (default 200,000)
directive tasks, beside a trivial API read (GET /api/v1/units/{code}) on the same database connection, in the same
run. Goal: median ≤ 30 ms, p95 ≤ 60 ms.

    DATABASE_URL=postgres://... .venv/bin/python bench/reform_overview.py [--runs 200]

Run after `motcua demo --no-serve` and bench/dossiers_generate.py (then `motcua indices rebuild --write`); the tasks
are generated here by bench/reform_tasks.py's generator if the table has fewer than BENCH_TASKS. Both views are
called in-process through DRF (authenticated as the caller), so the figures are the page's work: its queries, the
QĐ 766 board over the counters, and the JSON; not the HTTP server's. Prints one tab-separated line per page:
figure, value, reference, reference value (the p95 is on a line of its own).
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from reform_tasks import NOW, generate  # noqa: E402
from rest_framework.test import APIRequestFactory, force_authenticate  # noqa: E402

from motcua.api.reform_overview import UnitOverviewView  # noqa: E402
from motcua.api.units import UnitViewSet  # noqa: E402
from motcua.core import clock  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.organizations.models import User  # noqa: E402
from motcua.reform.models import Task  # noqa: E402

# (who asks, which unit): the busiest commune's chairman, a department's director, the province monitor.
PAGES = [("mytho.lanhdao", "28261.UBND"), ("stp.lanhdao", "82.STP"), ("giamsat", "82")]
overview_view = UnitOverviewView.as_view()
unit_view = UnitViewSet.as_view({"get": "retrieve"})
factory = APIRequestFactory()


def timed(call: Callable[[], object], runs: int) -> list[float]:
    for _ in range(3):
        call()  # warm the caches (the unit tree, the index version, the calendars)
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def page(user: User, code: str) -> Callable[[], object]:
    def call() -> object:
        request = factory.get(f"/api/v1/units/{code}/overview", HTTP_HOST="127.0.0.1")
        force_authenticate(request, user=user)
        answer = overview_view(request, code=code)
        assert answer.status_code == 200, answer.data
        return answer.render()

    return call


def trivial(user: User, code: str) -> Callable[[], object]:
    def call() -> object:
        request = factory.get(f"/api/v1/units/{code}", HTTP_HOST="127.0.0.1")
        force_authenticate(request, user=user)
        answer = unit_view(request, code=code)
        assert answer.status_code == 200, answer.data
        return answer.render()

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    began = time.perf_counter()
    generate()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reform_task")
    dossiers, tasks = Dossier.objects.count(), Task.objects.count()
    print(f"{dossiers:,} dossiers, {tasks:,} tasks ready in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    size = f"{dossiers / 1e6:.1f} M dossiers, {tasks / 1e3:.0f} k tasks"
    with clock.frozen(NOW):
        for username, code in PAGES:
            user = User.objects.get(username=username)
            with CaptureQueriesContext(connection) as queries:
                page(user, code)()
            measured, reference = timed(page(user, code), args.runs), timed(trivial(user, code), args.runs)
            median, p95 = statistics.median(measured), statistics.quantiles(measured, n=20)[-1]
            print(
                f"head-of-unit page {code}, {size}, median (ms)\t{median:.2f}\t"
                f"trivial API read /units/{code}\t{statistics.median(reference):.2f}"
            )
            print(
                f"head-of-unit page {code}, p95 (ms)\t{p95:.2f}\t"
                f"trivial API read, p95\t{statistics.quantiles(reference, n=20)[-1]:.2f}"
            )
            print(f"{code}: {len(queries)} queries per page", file=sys.stderr)


if __name__ == "__main__":
    main()
