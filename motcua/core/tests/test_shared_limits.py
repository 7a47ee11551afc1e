"""Limits hold across server processes and restarts: Redis when REDIS_URL is set, else the database cache.

The processes here are real ones, started with the production settings module (motcua.settings.base), as two
application servers and then a restarted one would be.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import override_settings

from motcua.core.cache import TABLE, AtomicDatabaseCache
from motcua.core.ratelimit import count_failure, give_back_try, take_try, tries_spent

ROOT = Path(__file__).resolve().parents[3]
TRIES = 10  # MOTCUA_TRACKING_PHONE_TRIES's default, which the README promises
HITS = 150

# One application server: waits for the start signal, then counts HITS hits and makes its share of phone-digit tries.
SERVER = """
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from django.conf import settings
from django.core.cache import caches
from motcua.core.ratelimit import count_hit, take_try
scope, code, hits, tries, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
Path(str(go) + "." + str(os.getpid())).touch()
while not go.exists():
    time.sleep(0.01)
counted = [count_hit(scope, "203.0.113.7", 3600) for _ in range(hits)]
allowed = [take_try("tracking-phone", code, settings.MOTCUA_TRACKING_PHONE_TRIES, 86400) for _ in range(tries)]
print(json.dumps({"backend": type(caches["default"]).__name__, "counted": counted, "allowed": allowed}))
"""


def servers(env: dict[str, str], plan: list[tuple[int, int]], tmp_path: Path, scope: str, code: str) -> list[dict]:  # type: ignore[type-arg]
    """Start one process per (hits, tries) in `plan`, let them all go at once, and return what each counted."""
    go = tmp_path / f"go-{uuid.uuid4().hex}"
    started = [
        subprocess.Popen(
            [sys.executable, "-c", SERVER, scope, code, str(hits), str(tries), str(go)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for hits, tries in plan
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob(f"{go.name}.*"))) < len(started) and time.monotonic() < deadline:
        if any(process.poll() is not None for process in started):
            break
        time.sleep(0.05)
    go.touch()
    answers = []
    for process in started:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        answers.append(json.loads(out.strip().splitlines()[-1]))
    return answers


def server_env(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings.base", **settings)
    return env


@pytest.fixture
def redis_env() -> dict[str, str]:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("MOTCUA_REQUIRE_REDIS") or os.environ.get("CI"):
            pytest.fail("REDIS_URL is not set: scripts/test.sh starts a private Redis (scripts/redis.sh)")
        pytest.skip("no REDIS_URL: run through scripts/test.sh, or start scripts/redis.sh and export REDIS_URL")
    return server_env(REDIS_URL=url)


@pytest.fixture
def database_env(tmp_path: Path, db: None) -> dict[str, str]:
    """The test database when it is PostgreSQL (its cache table made by migrate), else a fresh SQLite file."""
    if connection.vendor == "postgresql":
        given = connection.settings_dict
        password = f":{given['PASSWORD']}" if given["PASSWORD"] else ""
        url = f"postgres://{given['USER']}{password}@{given['HOST']}:{given['PORT']}/{given['NAME']}"
        return server_env(DATABASE_URL=url)
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'motcua.sqlite3'}")
    # A fresh install: migrate creates the cache table (motcua.core's migration 0001).
    subprocess.run(
        [sys.executable, "-m", "motcua", "migrate", "core", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=180
    )
    return env


def check_limits_are_shared(env: dict[str, str], tmp_path: Path, backend: str) -> None:
    scope, code = f"test-{uuid.uuid4().hex}", f"H{uuid.uuid4().hex[:10].upper()}"
    first, second = servers(env, [(HITS, 6), (HITS, 5)], tmp_path, scope, code)
    assert first["backend"] == second["backend"] == backend
    # Counted together, at the same moment, in two processes: every hit has its own number, none is lost.
    assert sorted(first["counted"] + second["counted"]) == list(range(1, 2 * HITS + 1))
    # 11 wrong phone-digit tries across both servers: 10 are allowed, then the code stops answering to digits.
    assert sorted(first["allowed"] + second["allowed"]) == [False] + [True] * TRIES
    (restarted,) = servers(env, [(1, 1)], tmp_path, scope, code)
    assert restarted["counted"] == [2 * HITS + 1]  # a restart keeps the counts
    assert restarted["allowed"] == [False]


def test_limits_hold_across_processes_and_restarts_on_redis(redis_env: dict[str, str], tmp_path: Path) -> None:
    check_limits_are_shared(redis_env, tmp_path, "CountingRedisCache")


def test_limits_hold_across_processes_and_restarts_on_the_database(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    check_limits_are_shared(database_env, tmp_path, "AtomicDatabaseCache")


DATABASE_CACHE = {"default": {"BACKEND": "motcua.core.cache.AtomicDatabaseCache", "LOCATION": TABLE}}


@pytest.fixture
def database_cache(db: None) -> Iterator[None]:
    with override_settings(CACHES=DATABASE_CACHE):
        yield


def stored_expiry(key: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {TABLE} WHERE cache_key = %s", [cache.make_key(key)])
        return cursor.fetchone()[0]


def test_an_increment_on_the_database_cache_keeps_the_entry_expiry(database_cache: None) -> None:
    assert isinstance(caches["default"], AtomicDatabaseCache)
    cache.add("lock", 0, timeout=86400)
    expires = stored_expiry("lock")
    assert cache.incr("lock") == 1 and cache.incr("lock", 2) == 3 and cache.decr("lock") == 2
    # Django's own DatabaseCache rewrote the entry with its default timeout: a day-long lock ended after 5 minutes.
    assert stored_expiry("lock") == expires


def test_an_increment_of_a_missing_or_expired_entry_is_refused(database_cache: None) -> None:
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")
    cache.set("gone", 5, timeout=-1)  # stored already expired
    with pytest.raises(ValueError, match="not found"):
        cache.incr("gone")


def test_a_right_answer_hands_its_try_back_so_only_wrong_tries_count(database_cache: None) -> None:
    for _ in range(5):  # the owner looks the dossier up again and again with the right digits
        assert take_try("phone", "H123", 3, 86400)
        give_back_try("phone", "H123", 86400)
    assert [take_try("phone", "H123", 3, 86400) for _ in range(4)] == [True, True, True, False]


def test_anything_typed_counts_on_the_database_cache_however_long(database_cache: None) -> None:
    typed = "a" * 300 + "@\x00\u202e.vn"  # longer than the cache table's 255-character key
    for _ in range(3):
        count_failure("password-reset-email", typed, 3600)
    assert tries_spent("password-reset-email", typed, 3, 3600)
    assert not tries_spent("password-reset-email", typed[1:], 1, 3600)
