#!/usr/bin/env bash
# Start (or reuse) a private PostgreSQL 15 cluster on 127.0.0.1 and print its DATABASE_URL base.
# Usage: scripts/pg.sh start|stop [DIR]   (DIR defaults to var/pg; PGPORT to 54329)
set -euo pipefail
cd "$(dirname "$0")/.."
action=$1
dir=$(realpath -m "${2:-var/pg}")
port=${PGPORT:-54329}
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    mkdir -p "$dir/run"
    if [ "$(id -u)" -eq 0 ]; then
      chown -R postgres "$dir"
      # postgres must be able to traverse every parent directory of the cluster.
      p=$dir; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/run -c fsync=off -c max_connections=200" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$port"
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
