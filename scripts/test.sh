#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL (a private cluster unless DATABASE_URL is given), browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Bộ kiểm thử trên SQLite"
DATABASE_URL=sqlite://:memory: .venv/bin/pytest "$@"

echo "== Bộ kiểm thử trên PostgreSQL"
if [ -n "${DATABASE_URL:-}" ]; then
  pg_url=$DATABASE_URL
else
  trap 'scripts/pg.sh stop var/pg-test' EXIT
  pg_url="$(scripts/pg.sh start var/pg-test)/motcua"
fi
DATABASE_URL=$pg_url .venv/bin/pytest "$@"
