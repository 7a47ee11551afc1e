"""The province's QĐ 766 dashboard for six months, read from the counters, beside the naive GROUP BY over the dossier
table for the same period, in the same run and on the same database.

    DATABASE_URL=postgres://... .venv/bin/python bench/indices_dashboard.py [--rebuild]

--rebuild first replays every event into the counters (`motcua indices rebuild --write`), as after a COPY load.
Prints one tab-separated line per figure: figure, value, reference, reference value.
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from motcua.core import clock  # noqa: E402
from motcua.core.clock import VIETNAM  # noqa: E402
from motcua.dossiers import counters  # noqa: E402
from motcua.dossiers.models import Dossier, DossierEvent  # noqa: E402
from motcua.indices.periods import period_of  # noqa: E402
from motcua.indices.scope import scope_for  # noqa: E402
from motcua.indices.selectors import board  # noqa: E402
from motcua.organizations.models import User  # noqa: E402

# The same figures as the board, from the dossier table: the status figures of 2.1 and 9, the results and ratings of
# 3.3, 4.1, 4.2 and 5.4, and the procedures with an online dossier of 3.2 (`counters.returns_written_result` in SQL).
NAIVE = """
WITH versions AS (  -- a national record is read once per version, not once per dossier
  SELECT id, procedure_id,
    record ? 'KETQUATHUCHIEN' AND record -> 'KETQUATHUCHIEN' NOT IN ('null', '[]', '""', 'false') AS written
  FROM catalogue_procedureversion
),
signed AS (SELECT DISTINCT dossier_id FROM dossiers_resultdocument WHERE signature IS NOT NULL),
digitised AS (SELECT DISTINCT dossier_id FROM dossiers_dossiercomponent WHERE is_digitised),
unhappy AS (SELECT dossier_id FROM dossiers_dossierrating WHERE overall = 0 AND at >= %(start)s AND at < %(end)s)
SELECT d.competent_unit_id,
  count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s) AS received,
  count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s AND d.channel = 2) AS online,
  count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s AND g.dossier_id IS NOT NULL)
      AS digitised,
  count(*) FILTER (WHERE d.received_at < %(start)s AND (d.closed_at IS NULL OR d.closed_at >= %(start)s)) AS carried,
  count(*) FILTER (WHERE d.closed_at >= %(start)s AND d.closed_at < %(end)s AND d.status IN (7, 9, 10)
      AND (d.closed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date < (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
      AS early,
  count(*) FILTER (WHERE d.closed_at >= %(start)s AND d.closed_at < %(end)s AND d.status IN (7, 9, 10)
      AND (d.closed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
      AS on_time,
  count(*) FILTER (WHERE d.closed_at >= %(start)s AND d.closed_at < %(end)s AND d.status IN (7, 9, 10)
      AND (d.closed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
      AS late,
  count(*) FILTER (WHERE d.received_at < %(end)s AND (d.closed_at IS NULL OR d.closed_at >= %(end)s)) AS open,
  count(*) FILTER (WHERE d.received_at < %(end)s AND (d.closed_at IS NULL OR d.closed_at >= %(end)s)
      AND d.status IN (2, 4) AND d.due_at < %(end_day)s) AS overdue,
  count(*) FILTER (WHERE d.closed_at >= %(start)s AND d.closed_at < %(end)s AND d.status IN (9, 10) AND v.written)
      AS result_due,
  count(*) FILTER (WHERE d.closed_at >= %(start)s AND d.closed_at < %(end)s AND d.status IN (9, 10) AND v.written
      AND s.dossier_id IS NOT NULL) AS e_result,
  count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s AND d.channel = 2
      AND (NOT v.written OR s.dossier_id IS NOT NULL)) AS online_with_result,
  count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s AND g.dossier_id IS NOT NULL
      AND (NOT v.written OR s.dossier_id IS NOT NULL)) AS digitised_with_result,
  count(u.dossier_id) AS unsatisfied
FROM dossiers_dossier d
JOIN versions v ON v.id = d.version_id
LEFT JOIN signed s ON s.dossier_id = d.id
LEFT JOIN digitised g ON g.dossier_id = d.id
LEFT JOIN unhappy u ON u.dossier_id = d.id
WHERE d.received_at IS NOT NULL
GROUP BY d.competent_unit_id
"""
# Indicator 3.2's procedures with an online dossier, per unit: a DISTINCT beside the figures above made PostgreSQL
# sort every unit's rows, and took ten times as long as this query and the one above together.
NAIVE_ONLINE_PROCEDURES = """
SELECT d.competent_unit_id, count(DISTINCT v.procedure_id)
FROM dossiers_dossier d JOIN catalogue_procedureversion v ON v.id = d.version_id
WHERE d.received_at >= %(start)s AND d.received_at < %(end)s AND d.channel = 2
GROUP BY d.competent_unit_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    dossiers = Dossier.objects.count()
    label = f"{dossiers / 1e6:.0f} M" if dossiers >= 1e6 else f"{dossiers:,}"
    if args.rebuild:
        began = time.perf_counter()
        with transaction.atomic():
            counters.rewrite(counters.replay())
        seconds = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) dossiers_dossiercounter, dossiers_unitcounter")
        events = DossierEvent.objects.count()
        print(f"rebuild counters from {label} dossiers' events (events/s)\t{events / seconds:.0f}\t\t")
    today = clock.today()
    period = period_of("6thang", today.year, 1) if today.month > 6 else period_of("6thang", today.year - 1, 2)
    scope = scope_for(User.objects.get(username="giamsat"))
    province = scope.roots[0]
    for _ in range(3):
        board(scope, province, period)  # warm the caches and the worker
    samples = []
    for _ in range(args.runs):
        began = time.perf_counter()
        result = board(scope, province, period)
        samples.append((time.perf_counter() - began) * 1000)
    start = datetime.combine(period.start, clock_time.min, tzinfo=VIETNAM)
    end = datetime.combine(period.as_of + timedelta(days=1), clock_time.min, tzinfo=VIETNAM)
    naive = []
    with connection.cursor() as cursor:
        for _ in range(3):
            began = time.perf_counter()
            cursor.execute(NAIVE, {"start": start, "end": end, "end_day": end - timedelta(days=1)})
            rows = cursor.fetchall()
            cursor.execute(NAIVE_ONLINE_PROCEDURES, {"start": start, "end": end})
            cursor.fetchall()
            naive.append((time.perf_counter() - began) * 1000)
    counted = result.unit.figures
    received = sum(row[1] for row in rows)
    online = sum(row[2] for row in rows)
    median, naive_median = statistics.median(samples), statistics.median(naive)
    print(
        f"province 766 dashboard, {period.label}, {label} dossiers, median (ms)\t{median:.2f}\t"
        f"naive GROUP BY, same figures\t{naive_median:.2f}"
    )
    p95 = statistics.quantiles(samples, n=20)[-1]
    print(f"province 766 dashboard, {label} dossiers, p95 (ms)\t{p95:.2f}\t\t")
    # The counters follow the events; the generator marks some results (status 9/10) without an event, so only the
    # figures read at intake are expected to agree with the dossier table.
    agree = counted.received == received and counted.received_online == online
    online_results = sum(row[12] for row in rows)
    print(
        f"check: online with e-result {counted.received_online_result:,} (counters) vs {online_results:,} (table)",
        file=sys.stderr,
    )
    print(
        f"check: received {counted.received:,} (counters) vs {received:,} (table), online {counted.received_online:,} "
        f"vs {online:,}: {'agree' if agree else 'DIFFER'}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
