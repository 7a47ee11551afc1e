"""Benchmarks: each figure beside a reference measured in the same run, on this machine.

Run with `make bench`. Starts a private PostgreSQL cluster and a production server (granian, production settings)
on 127.0.0.1, measures, and stops both. The HTTP figures are taken with BENCH_DOSSIERS (default 1,000,000) synthetic
dossiers in the database (bench/dossiers_generate.py). Not a test: nothing here fails on a slow machine.
"""

import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from django_otp.oath import TOTP
from outbox import bench_outbox, connect
from stack import bench_stack

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_DIR = Path(os.environ.get("BENCH_PGDIR", ROOT / "var" / "pg-bench"))
PG_PORT = os.environ.get("BENCH_PGPORT", "54330")  # another port lets two checkouts run benchmarks side by side
HTTP_PORT = int(os.environ.get("BENCH_HTTP_PORT", "8765"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
# The 766 dashboard is measured at DOSSIERS and again after growing the table to this many (0: skip).
INDICES_DOSSIERS = int(os.environ.get("BENCH_INDICES_DOSSIERS", "10000000"))
WORKERS = 2
SERVER_ARGS = ["--host", "127.0.0.1", "--port", str(HTTP_PORT), "--workers", str(WORKERS), "--blocking-threads", "1"]
# Public tracking is throttled per address (60/min by default); lifted here, else wrk would measure 429 answers. The
# throttle keeps each address's request times for one period, and wrk is a single address: a per-second period keeps
# that list near what a busy real address has, where a minute would make it 60,000 entries, read and written on every
# request.
TRACKING_RATE = "100000000/s"
OFFICER, OFFICER_PASSWORD = "mytho.motcua", "Demo@2026"  # one-stop officer of 28261.TTPVHCC in the demo
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # every demo official's key (motcua/demo/seed.py)
CODE_STEPS_USED: dict[str, int] = {}
SPECIALIST = "mytho.chuyenvien"  # specialist of 28261.UBND, the busiest competent unit in the generated data
CHAIRMAN = "mytho.lanhdao"  # its chairman, who signs its results
rows: list[tuple[str, float, str, float | None]] = []
PG_URL = ""


def run(*args: str | Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr


def pg(*args: str | Path) -> str:
    """Run a PostgreSQL client tool against the bench cluster (trust authentication on loopback)."""
    return run(*args, "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres")


def pgbench_tps(*args: str) -> float:
    out = pg(PG_BIN / "pgbench", "-c", "4", "-j", "2", "-T", str(SECONDS), *args, "bench")
    return float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]


def wrk_rps(path: str, headers: list[str] | None = None, script: str = "", *script_args: str) -> float:
    out = wrk(path, headers, script, *script_args)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def wrk(path: str, headers: list[str] | None = None, script: str = "", *script_args: str) -> str:
    """Load the server for SECONDS from 8 connections; a Lua script in bench/ may shape the requests."""
    extra = [arg for header in headers or [] for arg in ("-H", header)]
    if script:
        extra += ["-s", str(ROOT / "bench" / script)]
    url = f"http://127.0.0.1:{HTTP_PORT}{path}"
    out = run("wrk", "-t2", "-c8", f"-d{SECONDS}s", *extra, url, *(["--", *script_args] if script_args else []))
    if "Non-2xx" in out:
        raise RuntimeError(f"{path} answered errors under load:\n{out}")
    return out


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def bench_deadlines() -> None:
    """Due-date computations per second: the cumulative-minute index against the day-by-day loop."""
    sys.path.insert(0, str(ROOT))
    from motcua.worktime import official
    from motcua.worktime.arithmetic import VIETNAM, NaiveCalendar, WorkCalendar

    entries = [entry for year in range(2020, 2031) for entry in official.entries_for(year)]
    off = frozenset(e.day for e in entries if e.kind == official.OFF)
    working = frozenset(e.day for e in entries if e.kind == official.WORKING)
    fast = WorkCalendar(
        off_days=off, extra_working_days=working, version="bench", first=date(2020, 1, 1), last=date(2030, 12, 31)
    )
    naive = NaiveCalendar(off_days=off, extra_working_days=working)
    rng = random.Random(766)
    starts = [
        datetime(2026, 1, 1, 7, tzinfo=VIETNAM) + timedelta(minutes=rng.randrange(365 * 24 * 60))
        for _ in range(20_000)
    ]
    for n in (5, 30):
        fast_rate = _rate(lambda s, n=n: fast.add_working_days(s, n), starts)
        naive_rate = _rate(lambda s, n=n: naive.add_working_days(s, n), starts[:5_000])
        rows.append(
            (f"due date, {n} working days, indexed (per s)", fast_rate, "day-by-day loop", fast_rate / naive_rate)
        )


def _rate(compute: Callable[[datetime], object], starts: list[datetime]) -> float:
    best = 0.0
    for _ in range(3):
        began = time.perf_counter()
        for start in starts:
            compute(start)
        best = max(best, len(starts) / (time.perf_counter() - began))
    return best


def bench_catalogue_search(pg_url: str) -> None:
    """Search p95 on SQLite and on PostgreSQL, each beside a naive icontains scan on the same database."""
    sqlite = ROOT / "var" / "bench-catalogue.sqlite3"
    sqlite.unlink(missing_ok=True)
    for label, url in (("SQLite", f"sqlite:///{sqlite}"), ("PostgreSQL", f"{pg_url}/catalogue_bench")):
        out = run(
            VENV_BIN / "python", ROOT / "bench" / "catalogue_search.py", label, env={**os.environ, "DATABASE_URL": url}
        )
        figure, value, reference, reference_value = out.strip().splitlines()[-1].split("\t")
        # Lower is better for latency: the ratio says how many times faster than the reference it is.
        rows.append((figure, float(value), reference, float(reference_value) / float(value)))


def bench_answers_search(pg_url: str) -> None:
    """Published answers search p95 on PostgreSQL (its trigram index), beside a naive icontains scan."""
    out = run(
        VENV_BIN / "python", ROOT / "bench" / "answers_search.py", "PostgreSQL",
        env={**os.environ, "DATABASE_URL": f"{pg_url}/answers_bench", "SECRET_KEY": "bench-only-" + "x" * 50},
    )  # fmt: skip
    figure, value, reference, reference_value = out.strip().splitlines()[-1].split("\t")
    rows.append((figure, float(value), reference, float(reference_value) / float(value)))


def bench_signing() -> None:
    """Signing one result PDF (tuned against pyHanko's default path) and verifying it, median milliseconds."""
    out = run(VENV_BIN / "python", ROOT / "bench" / "signing.py")
    for line in [line for line in out.splitlines() if line.count("\t") == 3]:
        figure, value, reference, reference_value = line.split("\t")
        # Lower is better: the ratio says how many times faster than the reference it is.
        ratio = float(reference_value) / float(value) if reference_value else None
        rows.append((figure, float(value), reference, ratio))


def bench_eforms() -> None:
    """The birth-registration e-form rendered and checked, and its result generated and signed, median and p95."""
    out = run(VENV_BIN / "python", ROOT / "bench" / "eforms.py")
    for line in [line for line in out.splitlines() if line.count("\t") == 3]:
        figure, value, reference, reference_value = line.split("\t")
        rows.append((figure, float(value), reference, float(reference_value) / float(value)))


def main() -> None:
    bench_deadlines()
    bench_signing()
    bench_eforms()
    bench_http()
    print_table()


def bench_http() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: run `make setup-dev` (apt package wrk).")
    global PG_URL
    base_url = PG_URL = run(ROOT / "scripts" / "pg.sh", "start", PG_DIR, env={**os.environ, "PGPORT": PG_PORT}).strip()
    server = None
    try:
        for db in ("bench", "motcua_bench", "catalogue_bench", "answers_bench"):
            pg(PG_BIN / "dropdb", "--if-exists", db)
            pg(PG_BIN / "createdb", db)
        pg(PG_BIN / "pgbench", "-i", "-s", "10", "-q", "bench")
        tpcb = pgbench_tps()
        rows.append(("pgbench TPC-B, scale 10, 4 clients (tps)", tpcb, "", None))
        rows.append(("pgbench select-only, 4 clients (tps)", pgbench_tps("-S"), "", None))

        env = {
            **os.environ,
            "DATABASE_URL": f"{base_url}/motcua_bench",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "SECURE_SSL_REDIRECT": "0",
            "DJANGO_SETTINGS_MODULE": "motcua.settings.base",
        }
        run(VENV_BIN / "motcua", "demo", "--no-serve", env=env)
        # Every HTTP figure below is measured with the dossiers in the database.
        generate_dossiers(env)
        queue = generate_results(env)
        server = subprocess.Popen(
            [VENV_BIN / "granian", "--interface", "wsgi", "motcua.wsgi:application", *SERVER_ARGS],
            env={**env, "DJANGO_SETTINGS_MODULE": "motcua.settings.production", "MOTCUA_TRACKING_RATE": TRACKING_RATE},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(f"http://127.0.0.1:{HTTP_PORT}/healthz")
        token, officer_token = api_token("quantri"), api_token(OFFICER)
        trivial = wrk_rps("/healthz")
        rows.append((f"trivial view /healthz, granian {WORKERS} workers (req/s)", trivial, "", None))
        auth = [f"Authorization: Token {token}"]
        for label, path in [
            ("GET /api/v1/units?parent=82 (50 rows + identifiers)", "/api/v1/units?parent=82"),
            ("GET /api/v1/units?search=sa%20dec (diacritic-free)", "/api/v1/units?search=sa%20dec"),
        ]:
            value = wrk_rps(path, auth)
            rows.append((f"{label} (req/s)", value, "trivial view", value / trivial))
        bench_dossiers(server.pid, officer_token, trivial, tpcb, queue)
        bench_outbox(
            rows,
            {**env, "DJANGO_SETTINGS_MODULE": "motcua.settings.production"},
            connect(f"{base_url}/motcua_bench"),
            HTTP_PORT,
            SECONDS,
            officer_token,
        )
        bench_catalogue_search(base_url)
        bench_answers_search(base_url)
        bench_indices(env)
        # nginx in front of two servers on the same cluster and dossiers (bench/stack.py); this server makes room.
        server.send_signal(signal.SIGTERM)
        server.wait(10)
        server = None
        bench_stack(rows, PG_DIR, PG_PORT, "motcua_bench", tpcb)
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(10)
        run(ROOT / "scripts" / "pg.sh", "stop", PG_DIR)


def generate_dossiers(env: dict[str, str]) -> None:
    out = run(VENV_BIN / "python", ROOT / "bench" / "dossiers_generate.py", "--count", str(DOSSIERS), env=env)
    rate = float(re.search(r"\(([\d,]+) rows/s", out).group(1).replace(",", ""))  # type: ignore[union-attr]
    rows.append((f"generate {DOSSIERS:,} dossiers with events and papers, COPY (rows/s)", rate, "", None))


Queue = tuple[int, int, int, str, str]  # listed, may sign, candidates, the specialist's dossier, the chairman's first


def generate_results(env: dict[str, str]) -> Queue:
    """Give the finished dossiers their results and the chairman a signing queue (bench/results_generate.py); return
    what his list shows and what the rules let him sign, the candidates the list reads, the specialist's dossier and
    the chairman's first one."""
    out = run(VENV_BIN / "python", ROOT / "bench" / "results_generate.py", env=env)
    print(out.strip().splitlines()[-2])  # what was written, shown above the table
    listed, may_sign, candidates, held, first = out.strip().splitlines()[-1].split("\t")
    return int(listed), int(may_sign), int(candidates), held, first


def bench_dossiers(server: int, officer_token: str, trivial: float, tpcb: float, queue: Queue) -> None:
    """Intake, public tracking and the officers' work list with DOSSIERS dossiers, beside trivial references."""
    orm = wrk_rps("/api/v1/units/82")
    label = f"trivial ORM read GET /api/v1/units/82, {WORKERS} workers (req/s)"
    rows.append((label, orm, "trivial view", orm / trivial))

    # Count what reached the database: a 2xx that wrk saw is not proof that a dossier was created.
    before = dossier_count()
    postmaster = int((PG_DIR / "data" / "postmaster.pid").read_text().split()[0])
    cpu_before = cpu_seconds(server), cpu_seconds(postmaster)
    out = wrk("/api/v1/dossiers", None, "intake.lua", officer_token, str(time.time_ns()))
    cpu_used = cpu_seconds(server) - cpu_before[0], cpu_seconds(postmaster) - cpu_before[1]
    created = dossier_count() - before
    seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1))  # type: ignore[union-attr]
    label = f"POST /api/v1/dossiers counter intake, {WORKERS} workers (dossiers/s)"
    intake = created / seconds
    rows.append((label, intake, "pgbench TPC-B", intake / tpcb))
    # Where the time goes: on these cores, N dossiers/s leaves cores / N seconds of CPU for each, wrk's included.
    rows.append(("  CPU per dossier: the server's processes (ms)", 1000 * cpu_used[0] / created, "", None))
    rows.append(("  CPU per dossier: PostgreSQL's processes (ms)", 1000 * cpu_used[1] / created, "", None))
    # The same request with a key already used: authentication, parsing and the stored answer, no intake. One
    # connection makes the first request alone, so that the load never meets it in progress.
    key = f"replay-{time.time_ns()}"
    script = ROOT / "bench" / "intake.lua"
    url = f"http://127.0.0.1:{HTTP_PORT}/api/v1/dossiers"
    run("wrk", "-t1", "-c1", "-d1s", "-s", script, url, "--", officer_token, key, "replay")
    replayed = wrk_rps("/api/v1/dossiers", None, "intake.lua", officer_token, key, "replay")
    rows.append(("  the same POST replayed by its Idempotency-Key (req/s)", replayed, "intake", replayed / intake))
    bench_feedback(intake)

    with tempfile.TemporaryDirectory() as tmp:
        codes = Path(tmp) / "codes.txt"
        # 5,000 dossiers from all over the table, old and new, as citizens' lookups would be.
        sampled = (
            "SELECT code || ' ' || tracking_secret FROM dossiers_dossier TABLESAMPLE SYSTEM (1) ORDER BY random() "
            "LIMIT 5000"
        )
        codes.write_text(pg(PG_BIN / "psql", "-At", "-d", "motcua_bench", "-c", sampled))
        tracking = wrk_rps("/", None, "tracking.lua", str(codes))
    label = f"GET /api/v1/tracking/{{code}}?secret, throttle {TRACKING_RATE} (req/s)"
    rows.append((label, tracking, "trivial ORM read", tracking / orm))

    cookie = officer_session()
    reference = latencies_ms(cookie, "/api/v1/units/82")
    work_list = latencies_ms(cookie, "/can-bo/ho-so/")
    for index, name in enumerate(("median", "p95")):
        label = f"officer list /can-bo/ho-so/ page 1, 200 sequential, {name} (ms)"
        # Lower is better for latency: the ratio says how many times faster than the reference it is.
        rows.append((label, work_list[index], f"ORM read {name}", reference[index] / work_list[index]))
    bench_processing(reference)
    bench_rules(reference, queue)


def bench_feedback(intake: float) -> None:
    """Cases over HTTP beside the same run's counter intake (a case is simpler than a dossier, so it should be
    received at least as fast): reports about another dossier each, proved by its receipt; and PAKN about a
    regulation, each routed by the competence table to another commune or department."""
    dossiers = (
        "SELECT code || ' ' || tracking_secret FROM dossiers_dossier TABLESAMPLE SYSTEM (1) ORDER BY random() "
        "LIMIT 5000"
    )
    agencies = "SELECT code FROM organizations_unit WHERE type IN ('commune_committee', 'department') ORDER BY code"
    for what, script, sample in (("report by receipt", "feedback.lua", dossiers),
                                 ("PAKN routed by competence", "pakn.lua", agencies)):  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            lines = Path(tmp) / "lines.txt"
            lines.write_text(pg(PG_BIN / "psql", "-At", "-d", "motcua_bench", "-c", sample))
            before = row_count("feedback_feedbackcase")
            out = wrk("/api/v1/feedback", None, script, str(lines), str(time.time_ns()))
        created = row_count("feedback_feedbackcase") - before  # counted in the database, not from wrk's answers
        seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1))  # type: ignore[union-attr]
        label = f"POST /api/v1/feedback {what}, {WORKERS} workers (cases/s)"
        rows.append((label, created / seconds, "intake", created / seconds / intake))


def bench_processing(reference: tuple[float, float]) -> None:
    """A competent unit's step queue, page 1, and the deadline watch with the generated steps in the database."""
    queue = latencies_ms(officer_session(SPECIALIST), "/can-bo/hang-doi/?xem=don-vi")
    for index, name in enumerate(("median", "p95")):
        label = f"unit queue /can-bo/hang-doi/ 28261.UBND page 1, {name} (ms)"
        rows.append((label, queue[index], f"ORM read {name}", reference[index] / queue[index]))
    env = {**os.environ, "DATABASE_URL": f"{PG_URL}/motcua_bench", "DJANGO_SETTINGS_MODULE": "motcua.settings.base"}
    out = run(VENV_BIN / "python", ROOT / "bench" / "deadline_watch.py", env=env)
    for line in out.strip().splitlines()[-2:]:
        label, dossiers, steps, running, ms = line.split("\t")
        examined = int(dossiers) + int(steps)
        # Rows read against the running dossiers: the watch must grow with the near-due rows, not with the table.
        rows.append((f"deadline watch ({label}): rows examined", examined, f"{int(running):,} running", None))
        rows.append((f"deadline watch ({label}): duration (ms)", float(ms), "", None))


def bench_rules(reference: tuple[float, float], queue: Queue) -> None:
    """The pages that ask the dossier rules what a person may do: a dossier being processed, opened by the specialist
    who holds its step and by the chairman at his signing step, and the chairman's signing list; then the rules
    themselves in process."""
    signable, may_sign, candidates, held, first = queue
    if not signable:
        raise RuntimeError(f"{CHAIRMAN} has nothing to sign: the signing list would be measured empty")
    agree = "agree" if may_sign == signable else "DIFFER"
    shown = f"/can-bo/ky-so/ shows {signable} of {candidates} candidates"
    print(f"check: {shown}, the rules let {CHAIRMAN} sign {may_sign}: {agree}")  # shown above the table
    specialist, chairman = officer_session(SPECIALIST), officer_session(CHAIRMAN)
    for who, cookie, code in (("specialist's step", specialist, held), ("chairman signs", chairman, first)):
        page = latencies_ms(cookie, f"/can-bo/ho-so/{code}/")
        for index, name in enumerate(("median", "p95")):
            label = f"dossier page /can-bo/ho-so/{{code}}/, {who}, {name} (ms)"
            rows.append((label, page[index], f"ORM read {name}", reference[index] / page[index]))
    # The list is the rules' answer: count its rows, so that an empty or partial list is never measured as fast.
    listed = len(set(re.findall(r'href="/can-bo/ky-so/([^"/]+)/"', fetch(chairman, "/can-bo/ky-so/"))))
    if listed != signable:
        raise RuntimeError(f"/can-bo/ky-so/ lists {listed} dossiers, signable_dossiers_for gave {signable}")
    signing = latencies_ms(chairman, "/can-bo/ky-so/")
    for index, name in enumerate(("median", "p95")):
        label = f"signing list /can-bo/ky-so/, {listed} rows of {candidates} read, {name} (ms)"
        rows.append((label, signing[index], f"ORM read {name}", reference[index] / signing[index]))
    env = {**os.environ, "DATABASE_URL": f"{PG_URL}/motcua_bench", "DJANGO_SETTINGS_MODULE": "motcua.settings.base"}
    cases = ["--case", "specialist's step", held, SPECIALIST, "--case", "chairman signs", first, CHAIRMAN]
    for line in run(VENV_BIN / "python", ROOT / "bench" / "dossier_rules.py", *cases, env=env).splitlines():
        if line.count("\t") != 3:
            print(line)  # which actions the rules allowed, shown above the table
            continue
        figure, value, reference_name, reference_value = line.split("\t")
        rows.append((figure, float(value), reference_name, float(reference_value) / float(value)))


def bench_indices(env: dict[str, str]) -> None:
    """The province's 766 dashboard (counters) against the naive GROUP BY, at DOSSIERS and at INDICES_DOSSIERS."""
    script = ROOT / "bench" / "indices_dashboard.py"
    sizes = [DOSSIERS] + ([INDICES_DOSSIERS] if INDICES_DOSSIERS > DOSSIERS else [])
    for size in sizes:
        count = dossier_count()
        missing = size - count
        # A dossier with its events, steps, papers and counters takes about 7 kB here; the WAL and the rebuild need
        # room beside it. Growing past the free disk would stop PostgreSQL mid-load: say so and measure what fits.
        needed = database_bytes() / max(count, 1) * missing * 1.3
        free = shutil.disk_usage(PG_DIR).free
        if missing > 0 and needed > free:
            room = f"about {needed / 1e9:.0f} GB, {free / 1e9:.0f} GB free under {PG_DIR}"
            print(f"766 dashboard at {size:,} dossiers not measured: growing the table needs {room} "
                  "(set BENCH_INDICES_DOSSIERS to a size that fits)")  # fmt: skip
            continue
        if missing > 0:  # grow the same table: the dashboard must not get slower with it
            run(VENV_BIN / "python", ROOT / "bench" / "dossiers_generate.py", "--count", str(missing), "--seed", "119",
                env=env)  # fmt: skip
        for line in run(VENV_BIN / "python", script, "--rebuild", env=env).splitlines():
            if line.count("\t") != 3:
                print(line)  # the figures check, shown above the table
                continue
            figure, value, reference, reference_value = line.split("\t")
            ratio = float(reference_value) / float(value) if reference_value else None
            rows.append((figure, float(value), reference, ratio))
        if size == DOSSIERS:  # the counters are rebuilt at the size: measure the reform app on them
            bench_reform(env)


def bench_reform(env: dict[str, str]) -> None:
    """The reform app at DOSSIERS dossiers and BENCH_TASKS tasks: the task watch's rows examined and the KPIs
    (bench/reform_tasks.py, which also generates the tasks), the six-month report drafts of every unit
    (bench/reform_reports.py) and the head-of-unit page (bench/reform_overview.py), each beside its reference."""
    out = run(VENV_BIN / "python", ROOT / "bench" / "reform_tasks.py", env=env)
    moments = iter(("after the load", "after VACUUM ANALYZE"))  # the script explains the watch's query twice
    for line in out.splitlines():
        if watched := re.search(r"rows examined ([\d,]+) .*vs open tasks ([\d,]+)", line):
            examined, open_ = (int(n.replace(",", "")) for n in watched.groups())
            rows.append((f"task watch, {next(moments, '')}: rows examined", examined, f"{open_:,} open tasks", None))
        elif kpis := re.search(r"grouped query (\d+) ms .*naive count (\d+) ms", line):
            grouped, naive = (float(n) for n in kpis.groups())
            rows.append(("task KPIs of every unit for a year, grouped query (ms)", grouped, "naive count",
                         naive / max(grouped, 0.001)))  # fmt: skip
        elif line.startswith("watch "):
            print(line)
    for script in ("reform_reports.py", "reform_overview.py"):
        for line in run(VENV_BIN / "python", ROOT / "bench" / script, env=env).splitlines():
            if line.count("\t") != 3:
                print(line)
                continue
            figure, value, reference, reference_value = line.split("\t")
            # Lower is better for latency: the ratio says how many times faster than the reference it is.
            rows.append((figure, float(value), reference, float(reference_value) / float(value)))


def cpu_seconds(root: int) -> float:
    """Return the CPU time used so far by a process and its children (the server's workers, PostgreSQL's backends)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        except OSError:
            continue  # the process has ended
        if int(stat.parent.name) == root or int(fields[1]) == root:
            ticks += int(fields[11]) + int(fields[12])  # user and system time
    return ticks / os.sysconf("SC_CLK_TCK")


def database_bytes() -> int:
    return int(pg(PG_BIN / "psql", "-At", "-d", "motcua_bench", "-c", "SELECT pg_database_size('motcua_bench')"))


def dossier_count() -> int:
    return row_count("dossiers_dossier")


def row_count(table: str) -> int:
    return int(pg(PG_BIN / "psql", "-At", "-d", "motcua_bench", "-c", f"SELECT count(*) FROM {table}"))


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over plain HTTP: production settings mark them Secure, and the bench server is local."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        return True


def officer_session(username: str = OFFICER) -> str:
    """Sign in through the login form, as a browser would, and return the Cookie header of the signed-in session."""
    jar = http.cookiejar.CookieJar(policy=LoopbackCookies())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    url = f"http://127.0.0.1:{HTTP_PORT}/dang-nhap/"
    with opener.open(url) as response:
        page = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = {"username": username, "password": OFFICER_PASSWORD, "csrfmiddlewaretoken": csrf}
    with opener.open(urllib.request.Request(url, urllib.parse.urlencode(form).encode(), {"Referer": url})) as response:
        code_url, page = response.geturl(), response.read().decode()
    if "/ma-xac-thuc/" in code_url:  # officials' second step: the code of the demo authenticator key
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        form = {"code": second_factor_code(username), "csrfmiddlewaretoken": csrf}
        request = urllib.request.Request(code_url, urllib.parse.urlencode(form).encode(), {"Referer": code_url})
        with opener.open(request):
            pass
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise RuntimeError(f"{username} could not sign in")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def api_token(username: str) -> str:
    """Obtain an API token as an integration does: tokens are stored hashed, so none can be read from the database."""
    body = json.dumps(
        {"username": username, "password": OFFICER_PASSWORD, "otp": second_factor_code(username)}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{HTTP_PORT}/api/v1/auth/token", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.loads(response.read())["token"])


def second_factor_code(username: str) -> str:
    """Return the demo officials' TOTP code for a 30-second step this account has not used yet (each works once)."""
    step = max(int(time.time()) // 30, CODE_STEPS_USED.get(username, -1) + 1)
    while step > int(time.time()) // 30 + 1:  # the server accepts the code of the next step, no further
        time.sleep(1)
    CODE_STEPS_USED[username] = step
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    totp.time = step * 30
    return f"{totp.token():06d}"


def fetch(cookie: str, path: str) -> str:
    """Return the page a signed-in session gets."""
    connection = http.client.HTTPConnection("127.0.0.1", HTTP_PORT)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return page


def latencies_ms(cookie: str, path: str, count: int = 200) -> tuple[float, float]:
    """Return the median and p95 of sequential requests on one kept-alive connection, as a browser makes them, after
    a few to warm the worker up."""
    connection = http.client.HTTPConnection("127.0.0.1", HTTP_PORT)
    samples = []
    for _ in range(count + 10):
        began = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        samples.append((time.perf_counter() - began) * 1000)
    connection.close()
    samples = samples[10:]
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def print_table() -> None:
    print(f"{'figure':<66} {'value':>10}  {'reference':<16} {'ratio':>6}")
    for figure, value, reference, ratio in rows:
        ratio_text = f"{ratio:.2f}" if ratio is not None else ""
        value_text = f"{value:>10,.0f}" if value >= 100 else f"{value:>10.2f}"
        print(f"{figure:<66} {value_text}  {reference:<16} {ratio_text:>6}")


if __name__ == "__main__":
    main()
