"""Benchmarks of the deployment as a province runs it: nginx in front of two application servers (scripts/stack.sh).

Called from bench/run.py on its cluster and dossiers, or alone (`python bench/stack.py`: a stack of its own with the
demo data). Three parts, each printed beside a reference measured in the same run:
- crash and retry: BENCH_STACK_INTAKES (10,000) intakes from 8 clients through nginx while one application server is
  killed with SIGKILL at random moments and started again; every client repeats with its Idempotency-Key until
  answered. Expected: that many dossiers, receipt events and outbox messages, no duplicate, none missing;
- mixed load through nginx on the two servers (citizens tracking, officers' list and intake, a leader's dashboard)
  against the same mix on one server, beside pgbench;
- the cost of hardening: tracking and sign-in throughput with the shared limits (Redis counters, django-axes) against
  the same requests with them off (a settings module with a dummy cache and axes disabled).
"""

import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
STACK_DIR = ROOT / "var" / "stack-bench"
PORT, APP_PORTS, REDIS_PORT = 8770, (8771, 8772), 63795
PLAIN_PORT = 8773  # one more server, for the hardening figures
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
INTAKES = int(os.environ.get("BENCH_STACK_INTAKES", "10000"))
PASSWORD = "Demo@2026"
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
OFFICER, LEADER, CITIZEN = "mytho.motcua", "mytho.lanhdao", "0912345678"
TRACKING_RATE = "100000000/s"  # as bench/run.py: wrk is one address, and the throttle is still counted
INTAKE = {
    "procedure": "1.001193",
    "case": 0,
    "channel": 1,
    "receiving_unit": "28261.TTPVHCC",
    "applicant": {"name": "Trần Thị Bình", "citizen_id": "087195004321", "phone": "0901234567"},
    "papers": [
        {"component": "GT01", "originals": 1},
        {"component": "GT02", "originals": 1},
        {"component": "GT_TT", "copies": 1},
    ],
}
# One wrk script for the mixed load: 70 % tracking, 15 % the officers' list, 10 % intake, 5 % a leader's dashboard.
# Intake keys carry the start time: the warm-up run and the measured one create dossiers, never replay each other.
MIXED_LUA = r"""
local paths, n = {}, 0
function setup(thread) thread:set("id", (count or 0)); count = (count or 0) + 1 end
function init(args)
  for line in io.lines(args[1]) do
    local code, secret = line:match("^(%S+)%s+(%S+)$")
    paths[#paths + 1] = "/api/v1/tracking/" .. code .. "?secret=" .. secret
  end
  officer, leader, token, prefix = args[2], args[3], args[4], args[5] .. "-" .. os.time() .. "-" .. id .. "-"
  body = args[6]
  math.randomseed(766 + id)
end
request = function()
  n = n + 1
  local r = math.random(100)
  if r <= 70 then return wrk.format("GET", paths[n % #paths + 1]) end
  if r <= 85 then return wrk.format("GET", "/can-bo/ho-so/", {Cookie = officer}) end
  if r <= 95 then
    return wrk.format("POST", "/api/v1/dossiers", {["Authorization"] = "Token " .. token,
      ["Content-Type"] = "application/json", ["Idempotency-Key"] = prefix .. n}, body)
  end
  return wrk.format("GET", "/can-bo/chi-so/", {Cookie = leader})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("mixed\t%.2f\t%.2f\t%.2f\t%d\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""
SIGN_IN_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function init(args) wrk.body = args[1] end
"""
LIMITS_OFF = """from motcua.settings.production import *  # noqa: F403

# The hardening cost's reference: no shared counter is read or written, no sign-in is checked against a lockout.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
AXES_ENABLED = False
"""


class Stack:
    def __init__(self, pg_dir: Path, pg_port: str, database: str, *, demo: bool) -> None:
        self.pg_port, self.database = pg_port, database
        self.env = {
            **os.environ,
            "STACK_PORT": str(PORT),
            "STACK_APP_PORTS": " ".join(map(str, APP_PORTS)),
            "STACK_PGPORT": pg_port,
            "STACK_PGDIR": str(pg_dir),
            "STACK_DB": database,
            "STACK_REDIS_PORT": str(REDIS_PORT),
            "STACK_DEMO": "1" if demo else "0",
            "MOTCUA_TRACKING_RATE": TRACKING_RATE,
        }
        for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)

    def script(self, action: str) -> str:
        done = subprocess.run(
            [ROOT / "scripts" / "stack.sh", action, STACK_DIR], env=self.env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"stack.sh {action}:\n{done.stdout}{done.stderr}")
        return done.stdout.strip()

    def sql(self, query: str) -> str:
        args = ["-h", "127.0.0.1", "-p", self.pg_port, "-U", "postgres", "-d", self.database, "-At", "-c", query]
        return subprocess.run([PG_BIN / "psql", *args], capture_output=True, text=True, check=True).stdout.strip()

    def server_env(self, settings_module: str) -> dict[str, str]:
        """The environment of one more application server on the stack's database and Redis."""
        return {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/{self.database}",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "SECRET_KEY": "stack-" + (STACK_DIR / "secret_key").read_text(),
            "MOTCUA_DATA_DIR": str(STACK_DIR / "data"),
            "SECURE_SSL_REDIRECT": "0",
            "MOTCUA_TRACKING_RATE": TRACKING_RATE,
            "DJANGO_SETTINGS_MODULE": settings_module,
        }


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body, {"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def second_factor(stack: Stack, username: str) -> str:
    """A code of the demo key for a 30-second step the account has not used yet (the server takes the next one)."""
    used = stack.sql(
        "SELECT d.last_t FROM otp_totp_totpdevice d JOIN organizations_user u ON u.id = d.user_id "
        f"WHERE u.username = '{username}'"
    )
    step = max(int(time.time()) // 30, int(used or -1) + 1)
    while step > int(time.time()) // 30 + 1:
        time.sleep(1)
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    totp.time = step * 30
    return f"{totp.token():06d}"


def api_token(stack: Stack, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD, "otp": second_factor(stack, username)}).encode()
    status, _, answer = request(PORT, "POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
    if status != 200:
        raise RuntimeError(f"{username} got no token: {answer!r}")
    return str(json.loads(answer)["token"])


def session(stack: Stack, username: str) -> str:
    """Sign in through the form and the second step, as a browser does; return the Cookie header."""
    cookies: dict[str, str] = {}

    def call(method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Referer": f"http://127.0.0.1{path}"}
        body = None
        if form is not None:
            body, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        status, answer_headers, page = request(PORT, method, path, body, headers)
        for name, value in answer_headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";", 1)[0]
        location = next((v for k, v in answer_headers if k.lower() == "location"), "")
        return status, location, page.decode()

    def csrf(page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

    _, _, page = call("GET", "/dang-nhap/")
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(page)}
    _, location, _ = call("POST", "/dang-nhap/", form)
    if "/ma-xac-thuc/" in location:
        path = urllib.parse.urlparse(location).path
        _, _, page = call("GET", path)
        call("POST", path, {"code": second_factor(stack, username), "csrfmiddlewaretoken": csrf(page)})
    if "sessionid" not in cookies:
        raise RuntimeError(f"{username} could not sign in")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def intake(token: str, key: str, marker: str, tally: dict[str, int], lock: threading.Lock) -> None:
    """One intake through nginx, repeated with the same key until answered (a killed server answers nothing)."""
    body = json.dumps({**INTAKE, "applicant": {**INTAKE["applicant"], "address": f"{marker} {key}"}}).encode()  # type: ignore[dict-item]
    headers = {"Authorization": f"Token {token}", "Idempotency-Key": key, "Content-Type": "application/json"}
    while True:
        try:
            status, _, _ = request(PORT, "POST", "/api/v1/dossiers", body, headers)
        except OSError:
            status = 0
        if status == 201:
            return
        if status not in {0, 409, 502, 503, 504}:
            raise RuntimeError(f"intake {key} answered {status}")
        with lock:
            tally["retries"] += 1
        time.sleep(0.2)


def bench_crash(stack: Stack, rows: list) -> None:  # type: ignore[type-arg]
    token, run = api_token(stack, OFFICER), uuid.uuid4().hex[:8]
    marker = f"Bench-crash-{run}"
    keys = [f"crash-{run}-{n}" for n in range(INTAKES)]
    tally, lock, finished = {"retries": 0, "kills": 0}, threading.Lock(), threading.Event()

    def client(mine: list[str]) -> None:
        for key in mine:
            intake(token, key, marker, tally, lock)

    def killer() -> None:
        rng = random.Random(run)
        while not finished.wait(rng.uniform(2, 8)):
            os.killpg(int((STACK_DIR / f"app-{APP_PORTS[0]}.pid").read_text()), signal.SIGKILL)
            tally["kills"] += 1
            time.sleep(rng.uniform(0.5, 3))
            stack.script("start")  # starts the killed server again, and waits for it

    began = time.monotonic()
    clients = [threading.Thread(target=client, args=(keys[n::8],)) for n in range(8)]
    chaos = threading.Thread(target=killer)
    for thread in [*clients, chaos]:
        thread.start()
    for thread in clients:
        thread.join()
    finished.set()
    chaos.join()
    seconds = time.monotonic() - began
    time.sleep(5)  # the worker delivers the outbox after each commit
    like = f"applicant_address LIKE '{marker} %'"
    dossiers = int(stack.sql(f"SELECT count(*) FROM dossiers_dossier WHERE {like}"))
    distinct = int(stack.sql(f"SELECT count(DISTINCT applicant_address) FROM dossiers_dossier WHERE {like}"))
    events = stack.sql(
        "SELECT count(*) FROM dossiers_dossierevent e JOIN dossiers_dossier d ON d.id = e.dossier_id "
        f"WHERE d.{like} AND e.action = 'receive'"
    )
    messages = stack.sql(
        "SELECT count(*) FROM notifications_outgoingmessage o JOIN dossiers_dossier d ON d.code = o.reference "
        f"WHERE d.{like}"
    )
    expected = f"{INTAKES:,} expected"
    label = f"crash and retry: {INTAKES:,} intakes, 8 clients, {tally['kills']} SIGKILLs"
    rows.append((f"{label}: dossiers", dossiers, expected, None))
    rows.append(("  duplicates (dossiers for one key beyond the first)", dossiers - distinct, "0 expected", None))
    rows.append(("  missing (keys without a dossier)", INTAKES - distinct, "0 expected", None))
    rows.append(("  receipt events", int(events), expected, None))
    rows.append(("  outbox messages", int(messages), expected, None))
    rows.append(("  client retries (502, 409 or no answer)", tally["retries"], "", None))
    rows.append(("  intakes per second, crashes included", INTAKES / seconds, "", None))


def wrk(port: int, path: str, script: Path, *args: str, seconds: int = SECONDS) -> str:
    """Load one address from 8 connections for SECONDS, after 2 seconds of the same load that are not counted: a
    server started or restarted a moment ago warms its workers, connections and prepared statements first."""
    if seconds == SECONDS:
        wrk(port, path, script, *args, seconds=2)
    # A leader's dashboard may take seconds under this load: slow is measured, not counted as a socket error.
    load = ["-t2", "-c8", f"-d{seconds}s", "--timeout", "30s", "-s", str(script)]
    out = subprocess.run(
        ["wrk", *load, f"http://127.0.0.1:{port}{path}", "--", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out


def requests_per_second(out: str) -> float:
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def tracking_codes(stack: Stack, tmp: Path) -> Path:
    """5,000 dossier codes with their receipts' secrets, as citizens track them (bench/tracking.lua reads them)."""
    codes = tmp / "codes.txt"
    if not codes.exists():
        sampled = "SELECT code || ' ' || tracking_secret FROM dossiers_dossier ORDER BY random() LIMIT 5000"
        codes.write_text(stack.sql(sampled) + "\n")
    return codes


def bench_mixed(stack: Stack, rows: list, tmp: Path, pgbench_tps: float | None) -> None:  # type: ignore[type-arg]
    codes = tracking_codes(stack, tmp)
    script = tmp / "mixed.lua"
    script.write_text(MIXED_LUA)
    officer, leader, token = session(stack, OFFICER), session(stack, LEADER), api_token(stack, OFFICER)
    total = int(stack.sql("SELECT count(*) FROM dossiers_dossier"))
    measured = {}
    for name, port in (("nginx, 2 servers", PORT), ("1 server", APP_PORTS[1])):
        run = f"mixed-{uuid.uuid4().hex[:8]}"
        out = wrk(port, "/", script, str(codes), officer, leader, token, run, json.dumps(INTAKE))
        p50, p95, p99, errors = out.strip().splitlines()[-1].split("\t")[1:]
        measured[name] = (requests_per_second(out), float(p50), float(p95), float(p99), int(errors))
    single = measured["1 server"][0]
    for name, (rate, p50, p95, p99, errors) in measured.items():
        reference, base = ("1 server", single) if name != "1 server" else ("pgbench TPC-B", pgbench_tps)
        label = f"mixed load at {total:,} dossiers, {name} (req/s)"
        rows.append((label, rate, reference if base else "", rate / base if base else None))
        rows.append((f"  p50 / p95 / p99 (ms): {p50:.1f} / {p95:.1f} / {p99:.1f}", p99, "", None))
        rows.append(("  errors (non-2xx or socket)", errors, "0 expected", None))


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:  # type: ignore[type-arg]
    args = ["--interface", "wsgi", "motcua.wsgi:application", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        [VENV_BIN / "granian", *args, "--workers", "2", "--blocking-threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(600):
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on {port} did not start")


def bench_hardening(stack: Stack, rows: list, tmp: Path) -> None:  # type: ignore[type-arg]
    """Each figure twice with the limits on and off, alternately, on one server started the same way; best of two."""
    (tmp / "motcua_limits_off.py").write_text(LIMITS_OFF)
    sign_in = tmp / "sign_in.lua"
    sign_in.write_text(SIGN_IN_LUA)
    citizen = json.dumps({"username": CITIZEN, "password": PASSWORD})
    codes = tracking_codes(stack, tmp)
    best: dict[tuple[str, str], float] = {}
    for _ in range(2):
        for mode, module in (("on", "motcua.settings.production"), ("off", "motcua_limits_off")):
            env = {**stack.server_env(module), "PYTHONPATH": str(tmp), "MOTCUA_TRUSTED_PROXIES": "1"}
            server = start_server(env, PLAIN_PORT)
            try:
                tracking = requests_per_second(wrk(PLAIN_PORT, "/", ROOT / "bench" / "tracking.lua", str(codes)))
                signing_in = requests_per_second(wrk(PLAIN_PORT, "/api/v1/auth/token", sign_in, citizen))
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(30)
            for figure, value in (("tracking", tracking), ("sign-in", signing_in)):
                best[figure, mode] = max(best.get((figure, mode), 0.0), value)
    for figure, label in (("tracking", "GET /api/v1/tracking/{code}?secret"), ("sign-in", "POST /api/v1/auth/token")):
        on, off = best[figure, "on"], best[figure, "off"]
        rows.append((f"hardening: {label}, shared limits on (req/s)", on, "limits off", on / off))
        rows.append(("  slower with the limits on (%, goal <= 15)", 100 * (1 - on / off), "", None))


def bench_stack(rows: list, pg_dir: Path, pg_port: str, database: str, pgbench_tps: float | None = None,  # type: ignore[type-arg]
                *, demo: bool = False) -> None:  # fmt: skip
    """Start the stack on this cluster and database, run the three parts, and stop what the stack started."""
    stack = Stack(pg_dir, pg_port, database, demo=demo)
    print(f"stack: {stack.script('start')}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bench_crash(stack, rows)
            bench_mixed(stack, rows, Path(tmp), pgbench_tps)
            bench_hardening(stack, rows, Path(tmp))
    finally:
        stack.script("stop")


if __name__ == "__main__":
    # Alone: a stack with its own cluster and the demo data; the table as bench/run.py prints it.
    sys.path.insert(0, str(ROOT / "bench"))
    from run import print_table
    from run import rows as table

    bench_stack(table, STACK_DIR / "pg", os.environ.get("BENCH_STACK_PGPORT", "54342"), "motcua", demo=True)
    print_table()
