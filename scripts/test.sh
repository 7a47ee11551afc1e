#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL (a private cluster unless DATABASE_URL is given), browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
stop_on_exit=""
trap 'eval "$stop_on_exit"' EXIT

# The tests of the shared limits store need Redis: a private one unless REDIS_URL is given. They are not skipped here.
if [ -z "${REDIS_URL:-}" ]; then
  stop_on_exit+="scripts/redis.sh stop var/redis-test;"
  REDIS_URL=$(REDIS_PORT=${REDIS_PORT:-63791} scripts/redis.sh start var/redis-test)
fi
export REDIS_URL MOTCUA_REQUIRE_REDIS=1

echo "== Bộ kiểm thử trên SQLite"
DATABASE_URL=sqlite://:memory: .venv/bin/pytest "$@"

echo "== Bộ kiểm thử trên PostgreSQL"
if [ -n "${DATABASE_URL:-}" ]; then
  pg_url=$DATABASE_URL
else
  stop_on_exit+="scripts/pg.sh stop var/pg-test;"
  pg_url="$(scripts/pg.sh start var/pg-test)/motcua"
fi
DATABASE_URL=$pg_url .venv/bin/pytest "$@"
