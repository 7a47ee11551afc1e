"""Directive tasks at scale: the watch's rows examined beside the open tasks, and the KPIs beside a naive count.

Generates BENCH_TASKS (default 200,000) tasks over five years for every agency of the seeded province, on the
database DATABASE_URL names (migrated and seeded: `motcua migrate && motcua demo --no-serve`), then prints:
- the watch's candidate query under EXPLAIN ANALYZE (PostgreSQL): the index it uses and the rows it reads, beside
  the open tasks and all tasks; then the watch itself, a catch-up run and the steady run a cron job sees;
- one year's KPIs for every unit from the grouped query (`kpi.compute`) beside the same figures counted in Python
  over every task row of the year (the naive way), checked equal, with the ratio.
Not a test, and not part of bench/run.py: nothing here fails on a slow machine. Re-running adds no second batch.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from motcua.core import clock  # noqa: E402
from motcua.organizations.models import AGENCY_TYPES, Membership, Position, Role, Unit, User, UserKind  # noqa: E402
from motcua.reform.models import Directive, Task  # noqa: E402
from motcua.reform.models.tasks import PeriodKind  # noqa: E402
from motcua.reform.tasks import kpi  # noqa: E402
from motcua.reform.tasks.clocks import due_at, kpi_uses_extension  # noqa: E402
from motcua.reform.tasks.lifecycle import OPEN, Status  # noqa: E402
from motcua.reform.tasks.watch import candidates, watch_tasks  # noqa: E402
from motcua.worktime.selectors import calendar_for  # noqa: E402

TASKS = int(os.environ.get("BENCH_TASKS", "200000"))
PER_DIRECTIVE = 10
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=clock.VIETNAM)  # the clock the benchmark runs at
FIRST_DAY = date(2022, 1, 1)
DAYS = (NOW.date() + timedelta(days=60) - FIRST_DAY).days
BATCH = 5_000


def tracker() -> User:
    account, made = User.objects.get_or_create(username="bench.theodoi", defaults={"kind": UserKind.STAFF})
    if made:
        Membership.objects.create(user=account, unit=Unit.objects.get(code="82.VP"), position=Position.SPECIALIST,
                                  role=Role.DIRECTIVE_TRACKER, valid_from=date(2020, 1, 1))  # fmt: skip
    return account


def generate() -> None:
    """Five years of tasks: most completed (some late, some returned first), some open, a few cancelled."""
    if Task.objects.count() >= TASKS:
        return
    rng, by = random.Random(20260101), tracker()
    units = list(Unit.objects.filter(type__in=AGENCY_TYPES, valid_to__isnull=True).values_list("pk", flat=True))
    calendar = calendar_for(None)
    made = 0
    while made < TASKS:
        with transaction.atomic():
            directives = []
            for _ in range(BATCH // PER_DIRECTIVE):
                source = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 60))
                entered = datetime.combine(source, clock_time(9), tzinfo=clock.VIETNAM) + timedelta(
                    hours=rng.randrange(60)
                )
                directives.append(Directive(
                    source_kind="van_ban", source_number=f"{rng.randrange(9999)}/UBND", source_date=source,
                    leader_name="Chủ tịch", urgency="thuong", entered_at=entered, entered_by=by,
                    entry_due_at=entered,
                ))  # fmt: skip
            tasks = []
            for directive in Directive.objects.bulk_create(directives):
                for position in range(1, PER_DIRECTIVE + 1):
                    tasks.append(_task(rng, directive, position, rng.choice(units), calendar))
            Task.objects.bulk_create(tasks, batch_size=BATCH)
            made += len(tasks)
        print(f"\r{made:,} tasks", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def _task(rng: random.Random, directive: Directive, position: int, unit: int, calendar):  # type: ignore[no-untyped-def]
    assigned = directive.entered_at
    deadline = None if rng.random() < 0.05 else assigned.date() + timedelta(days=rng.randrange(5, 90))
    due = due_at(calendar, deadline)
    fields = {"status": Status.DONE, "percent": 100, "accepted_at": assigned + timedelta(days=1)}
    roll = rng.random()
    if due is not None and due > NOW - timedelta(days=120) and roll < 0.6:  # recent: still open, some overdue
        fields = {"status": rng.choice([Status.NEW, Status.IN_PROGRESS, Status.REDO, Status.AWAITING_CONFIRMATION]),
                  "percent": rng.randrange(0, 100)}  # fmt: skip
    elif roll < 0.03:
        fields = {"status": Status.CANCELLED}
    if fields["status"] == Status.DONE:
        finish = (due or assigned + timedelta(days=30)) + timedelta(days=rng.randrange(-20, 8))
        asked = max(finish, assigned)
        fields |= {"completion_asked_at": asked, "confirmed_at": asked + timedelta(days=1),
                   "returned_count": 1 if rng.random() < 0.06 else 0, "document_number": "1/BC"}  # fmt: skip
    overdue_flagged = fields["status"] in OPEN and due is not None and due < NOW - timedelta(days=30)
    return Task(
        directive=directive, position=position, content="Nhiệm vụ thử tải", lead_unit_id=unit, deadline_on=deadline,
        original_due_at=due, due_at=due, assigned_at=assigned, alert_level=2 if overdue_flagged else 0, **fields,
    )  # fmt: skip


def explain_watch() -> None:
    total, open_ = Task.objects.count(), Task.objects.filter(status__in=sorted(OPEN)).count()
    query = candidates(NOW, calendar_for(None)).only("pk")
    if connection.vendor != "postgresql":
        print("watch plan (SQLite):", query.explain())
        return
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]
    examined, indexes = _rows_read(plan), _indexes(plan)
    print(f"watch query: {plan['Node Type']} on {', '.join(indexes) or '-'}; rows examined {examined:,} "
          f"(returned {plan['Actual Rows']:,}) vs open tasks {open_:,}, all tasks {total:,}; "
          f"{plan['Actual Total Time']:.2f} ms")  # fmt: skip


def _rows_read(node: dict) -> int:  # type: ignore[type-arg]
    """Table rows a plan's scans read: those they returned plus those their filters or rechecks removed, over every
    loop. A bitmap index scan yields row addresses, which its heap scan reads: counted there, once."""
    here = 0
    if "Scan" in node["Node Type"] and node["Node Type"] != "Bitmap Index Scan":
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        here = (read + node.get("Rows Removed by Index Recheck", 0)) * node.get("Actual Loops", 1)
    return here + sum(_rows_read(child) for child in node.get("Plans", []))


def _indexes(node: dict) -> list[str]:  # type: ignore[type-arg]
    found = [node["Index Name"]] if "Index Name" in node else []
    return found + [name for child in node.get("Plans", []) for name in _indexes(child)]


def run_watch() -> None:
    for label in ("catch-up", "steady"):
        with clock.frozen(NOW):
            began = time.perf_counter()
            report = watch_tasks()
            elapsed = (time.perf_counter() - began) * 1000
        print(f"watch {label}: examined {report.examined:,}, flagged {report.flagged:,}, {elapsed:.0f} ms")


def naive(first: date, last: date) -> dict[int, tuple[int, int, int, int, int]]:
    """The same figures counted in Python over every task row of the period."""
    field = "due_at" if kpi_uses_extension() else "original_due_at"
    start = datetime.combine(first, clock_time(0), tzinfo=clock.VIETNAM)
    end = datetime.combine(last + timedelta(days=1), clock_time(0), tzinfo=clock.VIETNAM)
    counts: dict[int, list[int]] = {}
    rows = Task.objects.filter(~Q(status__in=[Status.POSTPONED, Status.CANCELLED])).values_list(
        "lead_unit", "status", field, "completion_asked_at", "returned_count"
    )
    for unit, status, due, asked, returned in rows.iterator(chunk_size=10_000):
        if due is None or not start <= due < end:
            continue
        row = counts.setdefault(unit, [0, 0, 0, 0, 0])
        row[0] += 1
        on_time = status == Status.DONE and returned == 0 and asked is not None and asked <= due
        row[1] += on_time
        row[2] += status == Status.DONE and not on_time
        row[3] += status in OPEN and due < NOW
        row[4] += returned > 0
    return {unit: tuple(row) for unit, row in counts.items()}  # type: ignore[misc]


def bench_kpis() -> None:
    period = kpi.Period(PeriodKind.YEAR, 2025, 1)
    fast, slow = [], []
    for _ in range(5):
        began = time.perf_counter()
        figures = kpi.compute(period.first, period.last, now=NOW)
        fast.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        counted = naive(period.first, period.last)
        slow.append((time.perf_counter() - began) * 1000)
    grouped = {k.unit_id: (k.assigned, k.done_on_time, k.done_late, k.overdue_open, k.returned) for k in figures}
    assert grouped == counted, "the grouped query and the naive count disagree"
    quick, naive_ms = statistics.median(fast), statistics.median(slow)
    print(f"KPIs 2025, {len(grouped)} units, {sum(v[0] for v in grouped.values()):,} tasks judged: grouped query "
          f"{quick:.0f} ms (median of 5) vs naive count {naive_ms:.0f} ms: {naive_ms / quick:.1f}x")  # fmt: skip


def main() -> None:
    began = time.perf_counter()
    generate()
    print(f"{Task.objects.count():,} tasks ready in {time.perf_counter() - began:.0f} s ({connection.vendor})")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE reform_task")
    explain_watch()
    run_watch()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE reform_task")  # what autovacuum does between two cron runs
    explain_watch()
    bench_kpis()


if __name__ == "__main__":
    main()
