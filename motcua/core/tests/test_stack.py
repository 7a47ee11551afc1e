"""The deployment as a province runs it, on this machine: nginx in front of two application servers (scripts/stack.sh).

The stack brings its own PostgreSQL, Redis and demo data, so these tests run once in `make test`, on its PostgreSQL
pass; requests go over HTTP to nginx or straight to one application server, and the counts are read from the stack's
database.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[3]
STACK_DIR = ROOT / "var" / "stack-test"
# Ports of their own, so that a developer's stack (scripts/stack.sh start, 8780…) may keep running beside the tests.
PORT, APP_PORTS, PG_PORT, REDIS_PORT = 8790, (8791, 8792), 54341, 63794
DEMO_PASSWORD = "Demo@2026"
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # the demo officials' key (motcua/demo/seed.py)
OFFICER, CITIZEN = "mytho.motcua", "0912345678"
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


def _skip_reason() -> str:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "the stack runs its own PostgreSQL: these tests run once, on the PostgreSQL pass of `make test`"
    return ""


pytestmark = pytest.mark.skipif(bool(_skip_reason()), reason=_skip_reason() or "-")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.body)  # type: ignore[no-any-return]


def request(port: int, method: str, path: str, body: object = None, headers: dict[str, str] | None = None) -> Answer:
    """One request on a new connection; a JSON body for dicts, a form for strings."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Host": "127.0.0.1", **(headers or {})}
    data = None
    if isinstance(body, dict):
        data, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
    elif isinstance(body, str):
        data, sent["Content-Type"] = body.encode(), "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, data, sent)
        response = connection.getresponse()
        headers: dict[str, str] = {}
        for name, value in response.getheaders():  # several Set-Cookie lines are kept, one per line
            headers[name.lower()] = f"{headers[name.lower()]}\n{value}" if name.lower() in headers else value
        return Answer(response.status, headers, response.read())
    finally:
        connection.close()


def database() -> psycopg.Connection:  # type: ignore[type-arg]
    return psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/motcua", autocommit=True)


def scalar(sql: str, *params: object) -> object:
    with database() as connection:
        row = connection.execute(sql, params).fetchone()
    return row[0] if row else None


def second_factor(username: str) -> str:
    """A TOTP code of the demo key for a step this account has not used (each code works once, the next is valid)."""
    last = scalar(
        "SELECT d.last_t FROM otp_totp_totpdevice d JOIN organizations_user u ON u.id = d.user_id "
        "WHERE u.username = %s",
        username,
    )
    step = max(int(time.time()) // 30, int(last or -1) + 1)  # type: ignore[call-overload]
    while step > int(time.time()) // 30 + 1:
        time.sleep(1)
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    totp.time = step * 30
    return f"{totp.token():06d}"


def api_token(username: str) -> str:
    body = {"username": username, "password": DEMO_PASSWORD, "otp": second_factor(username)}
    answer = request(PORT, "POST", "/api/v1/auth/token", body)
    assert answer.status == 200, answer.body
    return str(answer.json()["token"])


def stack_script(action: str) -> str:
    """Run scripts/stack.sh on var/stack-test with the tests' ports, and return what it printed."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MOTCUA_REQUIRE_REDIS"}
    }
    env.update(
        STACK_PORT=str(PORT),
        STACK_APP_PORTS=" ".join(map(str, APP_PORTS)),
        STACK_PGPORT=str(PG_PORT),
        STACK_REDIS_PORT=str(REDIS_PORT),
        # Wrong sign-ins below come from 127.0.0.1 on every run: they must not lock the officers' address out.
        MOTCUA_LOGIN_FAILURES="1000",
    )
    script = ROOT / "scripts" / "stack.sh"
    done = subprocess.run([script, action, STACK_DIR], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"stack.sh {action}:\n{done.stdout}{done.stderr}"
    return done.stdout.strip()


@pytest.fixture(scope="module")
def stack() -> Iterator[str]:
    """Start the stack in var/stack-test for this module and stop all of it afterwards."""
    if not shutil.which("nginx"):
        if os.environ.get("MOTCUA_REQUIRE_REDIS") or os.environ.get("CI"):
            pytest.fail("nginx is missing: run `make setup-dev` (Debian package nginx)")
        pytest.skip("nginx is missing: run `make setup-dev` (Debian package nginx)")
    try:
        yield stack_script("start").splitlines()[-1]
    finally:
        stack_script("stop")


def test_the_stack_serves_pages_through_nginx_and_static_files_from_disk(stack: str) -> None:
    assert stack == f"http://127.0.0.1:{PORT}"
    page = request(PORT, "GET", "/thu-tuc/")
    assert page.status == 200 and "content-security-policy" in page.headers
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page.body)
    assert stylesheet, "the page links no stylesheet"
    static = request(PORT, "GET", stylesheet.group(1).decode())
    # Served by nginx itself: the application's own headers (Content-Security-Policy) are not on it.
    assert static.status == 200 and static.headers["server"].startswith("nginx")
    assert "content-security-policy" not in static.headers


def test_a_phone_digit_lock_counted_on_both_servers_holds(stack: str) -> None:
    token = api_token(OFFICER)
    applicant = {**INTAKE["applicant"], "phone": "0907654321"}  # type: ignore[dict-item]
    created = request(
        PORT, "POST", "/api/v1/dossiers", {**INTAKE, "applicant": applicant}, {"Authorization": f"Token {token}"}
    )
    assert created.status == 201, created.body
    code = created.json()["code"]
    first, second = APP_PORTS
    assert request(first, "GET", f"/api/v1/tracking/{code}?phone=4321").status == 200  # a right answer spends nothing
    # MOTCUA_TRACKING_PHONE_TRIES (10) wrong tries, half on each server: counted per process, each saw only 5.
    for attempt in range(10):
        assert request(APP_PORTS[attempt % 2], "GET", f"/api/v1/tracking/{code}?phone={1000 + attempt}").status == 404
    assert request(second, "GET", f"/api/v1/tracking/{code}?phone=4321").status == 404
    assert request(first, "GET", f"/api/v1/tracking/{code}?phone=4321").status == 404


def failed_sign_in_address(port: int, forwarded_for: str) -> str:
    """Fail one sign-in with a name never used, sent with this X-Forwarded-For; return the address axes recorded."""
    username = f"khong-co-{uuid.uuid4().hex[:12]}"
    body = {"username": username, "password": "sai-mat-khau"}
    answer = request(port, "POST", "/api/v1/auth/token", body, {"X-Forwarded-For": forwarded_for})
    assert answer.status in {400, 401}, answer.body
    return str(scalar("SELECT ip_address FROM axes_accessfailurelog WHERE username = %s", username))


def test_a_forwarded_address_is_believed_through_nginx(stack: str) -> None:
    # nginx appends the address it saw (here the loopback) to whatever the client wrote: the servers read that entry.
    assert failed_sign_in_address(PORT, "198.51.100.23") == "127.0.0.1"


def test_a_forwarded_address_sent_straight_to_a_server_is_not_believed(stack: str) -> None:
    # A client that reaches an application server without nginx writes the header itself: its own address counts.
    assert failed_sign_in_address(APP_PORTS[0], "203.0.113.9") == "127.0.0.1"


def signed_in_session(port: int, username: str) -> str:
    """Sign in through the form on one server, as a browser does, and return the session cookie."""
    page = request(port, "GET", "/dang-nhap/")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers["set-cookie"]).group(1)  # type: ignore[union-attr]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()  # type: ignore[union-attr]
    form = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
    headers = {"Cookie": f"csrftoken={csrf_cookie}", "Referer": f"http://127.0.0.1:{port}/dang-nhap/"}
    answer = request(port, "POST", "/dang-nhap/", form, headers)
    assert answer.status == 302, answer.body
    return re.search(r"sessionid=([^;]+)", answer.headers["set-cookie"]).group(1)  # type: ignore[union-attr]


def test_a_session_started_on_one_server_works_on_the_other(stack: str) -> None:
    first, second = APP_PORTS
    session = signed_in_session(first, CITIZEN)
    page = request(second, "GET", "/ca-nhan/", headers={"Cookie": f"sessionid={session}"})
    assert page.status == 200
    assert "Nguyễn Văn Dân".encode() in page.body  # the demo citizen's name: the session is theirs on this server too
    assert request(second, "GET", "/ca-nhan/").status == 302  # without it, the same page asks to sign in


def intake_with_retries(token: str, key: str, outcome: dict[str, list[object]]) -> None:
    """Send one intake through nginx and repeat it with the same Idempotency-Key until it is answered."""
    headers = {"Authorization": f"Token {token}", "Idempotency-Key": key}
    applicant = {**INTAKE["applicant"], "address": f"Kiểm thử {key}"}  # type: ignore[dict-item]
    for _ in range(100):
        try:
            answer = request(PORT, "POST", "/api/v1/dossiers", {**INTAKE, "applicant": applicant}, headers)
        except OSError:
            answer = None
        if answer is not None and answer.status == 201:
            outcome["codes"].append(answer.json()["code"])
            return
        outcome["retries"].append(answer.status if answer else "connection")
        time.sleep(0.2)
    outcome["failed"].append(key)


def test_killing_one_server_loses_no_request_the_client_repeats(stack: str) -> None:
    token, run = api_token(OFFICER), uuid.uuid4().hex[:8]
    keys = [f"stack-{run}-{n}" for n in range(96)]
    outcome: dict[str, list[object]] = {"codes": [], "retries": [], "failed": []}

    def client(mine: list[str]) -> None:
        for key in mine:
            intake_with_retries(token, key, outcome)

    # Eight clients keep eight intakes in flight, spread over both servers: the kill lands on some of them.
    clients = [threading.Thread(target=client, args=(keys[n::8],)) for n in range(8)]
    for thread in clients:
        thread.start()
    victim = STACK_DIR / f"app-{APP_PORTS[0]}.pid"
    deadline = time.monotonic() + 120
    while len(outcome["codes"]) < 16 and time.monotonic() < deadline:  # well under way, far from done
        time.sleep(0.05)
    os.killpg(int(victim.read_text()), signal.SIGKILL)  # the server and its workers, mid-request
    for thread in clients:
        thread.join(timeout=300)
    assert not outcome["failed"]
    assert outcome["retries"], "the server was killed between requests: nothing was lost, nothing was tested"
    # Exactly one dossier per key, whatever the server that died had done with it.
    dossiers = scalar(
        "SELECT count(*) FROM dossiers_dossier WHERE applicant_address LIKE %s", f"Kiểm thử stack-{run}-%"
    )
    assert (dossiers, len(set(outcome["codes"]))) == (len(keys), len(keys))
    stack_script("start")  # starts again what is not running: the killed server
    assert request(APP_PORTS[0], "GET", "/healthz").status == 200
