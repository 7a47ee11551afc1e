"""The six-month CCHC report drafts of every demo unit (their TTHC figures for the BNV window, 15/12 to 14/06),
read from the QĐ 766 counters, beside the naive GROUP BY over the dossier table for the same window, in the same run
and on the same database.

    DATABASE_URL=postgres://... .venv/bin/python bench/reform_reports.py [--runs 20]

Run after `motcua demo --no-serve` and bench/dossiers_generate.py (then `motcua indices rebuild --write`, or pass
--rebuild to bench/indices_dashboard.py once). Prints one tab-separated line: figure, value, reference, reference
value; the goal is at least 100 times faster than the reference and at most 2 s.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402
from indices_dashboard import NAIVE, NAIVE_ONLINE_PROCEDURES  # noqa: E402

from motcua.core import clock  # noqa: E402
from motcua.core.clock import VIETNAM  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.indices.scope import UnitTree  # noqa: E402
from motcua.reform.reports import drafts  # noqa: E402
from motcua.reform.reports.services import reporting_units, unit_due_day  # noqa: E402
from motcua.reform.reports.windows import Kind, Level, window  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    dossiers = Dossier.objects.count()
    label = f"{dossiers / 1e6:.0f} M" if dossiers >= 1e6 else f"{dossiers:,}"
    today = clock.today()
    # The latest six-month window already over.
    year = today.year if today > window(Kind.HALF, Level.PROVINCE, today.year, 15).cutoff_to else today.year - 1
    half = window(Kind.HALF, Level.COMMUNE, year, unit_due_day())
    period = drafts.window_period(half.cutoff_from, half.cutoff_to)
    units = [u for level in Level for u in reporting_units(level, half.cutoff_to)]
    tree = UnitTree.load()
    for _ in range(2):
        drafts.compute(period, units, tree)  # warm the caches
    samples = []
    for _ in range(args.runs):
        began = time.perf_counter()
        drafted = drafts.compute(period, units, UnitTree.load())
        samples.append((time.perf_counter() - began) * 1000)
    start = datetime.combine(period.start, clock_time.min, tzinfo=VIETNAM)
    end = datetime.combine(period.end + timedelta(days=1), clock_time.min, tzinfo=VIETNAM)
    naive = []
    with connection.cursor() as cursor:
        for _ in range(3):
            began = time.perf_counter()
            cursor.execute(NAIVE, {"start": start, "end": end, "end_day": end - timedelta(days=1)})
            rows = cursor.fetchall()
            cursor.execute(NAIVE_ONLINE_PROCEDURES, {"start": start, "end": end})
            cursor.fetchall()
            naive.append((time.perf_counter() - began) * 1000)
    median, naive_median = statistics.median(samples), statistics.median(naive)
    print(
        f"six-month CCHC report drafts of {len(units)} units, {label} dossiers, median (ms)\t{median:.2f}\t"
        f"naive GROUP BY over dossiers, same window\t{naive_median:.2f}"
    )
    print(f"ratio {naive_median / median:.0f}x, p95 {statistics.quantiles(samples, n=20)[-1]:.2f} ms", file=sys.stderr)
    province = next(u for u in units if u.type == "provincial_committee")
    received = sum(row[1] for row in rows)
    drafted_received = sum(drafted[u.pk]["received"] for u in units if u.pk != province.pk)
    print(f"check: received {drafted_received:,} (drafts) vs {received:,} (table)", file=sys.stderr)


if __name__ == "__main__":
    main()
