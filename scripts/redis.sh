#!/usr/bin/env bash
# Start (or reuse) a private Redis on 127.0.0.1 and print its REDIS_URL; the shared store of rate limits and lockouts.
# Usage: scripts/redis.sh start|stop [DIR]   (DIR defaults to var/redis; REDIS_PORT to 63790)
set -euo pipefail
cd "$(dirname "$0")/.."
action=$1
dir=$(realpath -m "${2:-var/redis}")

case "$action" in
  start)
    port=${REDIS_PORT:-63790}
    mkdir -p "$dir"
    if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
      # The append-only file keeps the counters when Redis itself restarts, as Debian's service does with snapshots.
      redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" \
        --logfile "$dir/log" --appendonly yes --save "" >/dev/null
      for _ in $(seq 50); do
        redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
      done
      redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null || { echo "Redis không khởi động được, xem $dir/log" >&2; exit 1; }
    fi
    echo "$port" >"$dir/port"
    echo "redis://127.0.0.1:$port/0"
    ;;
  stop)
    [ -f "$dir/port" ] && redis-cli -h 127.0.0.1 -p "$(cat "$dir/port")" shutdown >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
