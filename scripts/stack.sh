#!/usr/bin/env bash
# On this one machine, what a province runs on several: a private nginx in front of two granian servers (production
# settings), Redis, PostgreSQL and the task worker, rendered from deploy/ (the systemd units and the nginx site).
# Usage: scripts/stack.sh start|stop|status [DIR]   (DIR defaults to var/stack)
# Ports: STACK_PORT (nginx, 8780), STACK_APP_PORTS ("8781 8782"), STACK_PGPORT (54340), STACK_REDIS_PORT (63793).
# The demo data (accounts, catalogue) is loaded after the first migrate step; STACK_DEMO=0 skips it, and removing
# DIR/demo.loaded loads it again. STACK_PGDIR and STACK_DB put the stack on a cluster that is already there (the
# benchmarks' one, with its dossiers): the stack then leaves that cluster running when it stops.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
action=${1:-}
dir=$(realpath -m "${2:-var/stack}")
port=${STACK_PORT:-8780}
read -ra app_ports <<<"${STACK_APP_PORTS:-8781 8782}"
pg_port=${STACK_PGPORT:-54340}
pg_dir=$(realpath -m "${STACK_PGDIR:-$dir/pg}")
db=${STACK_DB:-motcua}
redis_port=${STACK_REDIS_PORT:-63793}
units=deploy/systemd
log=$dir/log

# The Environment= or ExecStart= lines of a unit, with the checkout in place of /srv/motcua and $2 in place of %i.
unit_values() { sed -n "s/^$2=//p" "$units/$1" | sed -e "s|/srv/motcua|$root|g" -e "s|%i|${3:-}|g"; }

# `env` with the stack's settings and then the unit's Environment= lines, ready to prefix a unit's command.
unit_env() {
  local assignments=()
  mapfile -t assignments < <(unit_values "$1" Environment)
  unit_env_command=(env "${stack_env[@]}" "${assignments[@]}")
}

# A process killed with SIGKILL stays a zombie until the machine's init reaps it: that one is not running.
alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ! ps -o stat= -p "$pid" | grep -q Z
}

# Start a long-running command in a session of its own, so that stop (and a test's SIGKILL) reaches its workers too.
launch() {
  local pidfile=$1 logfile=$2
  shift 2
  alive "$pidfile" && return 0
  setsid "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

wait_http() {
  for _ in $(seq 300); do
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$1 không trả lời; xem $log/" >&2
  return 1
}

# Stop a session started by launch: TERM to the whole group, KILL after 15 s.
halt() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

render_nginx() {
  local conf=$dir/nginx
  mkdir -p "$conf/tmp"
  sed -e "s|listen 80;|listen 127.0.0.1:$port;|" \
    -e "s|127.0.0.1:8001|127.0.0.1:${app_ports[0]}|" -e "s|127.0.0.1:8002|127.0.0.1:${app_ports[1]}|" \
    -e "s|/srv/motcua/var/static/|$dir/static/|" \
    -e "s|proxy_pass http://motcua_app;|&\n        proxy_bind 127.0.0.2;|" deploy/nginx/motcua.conf >"$conf/motcua.conf"
  # The site file changed under this script: refuse to run an nginx that would not be the stack's.
  # nginx connects from 127.0.0.2, the one address the servers take X-Forwarded-For from: anything else on this
  # machine reaches them from 127.0.0.1, like a client that goes round the proxy.
  for expected in "listen 127.0.0.1:$port;" "127.0.0.1:${app_ports[0]} " "127.0.0.1:${app_ports[1]} " "$dir/static/" \
    "proxy_bind 127.0.0.2;"; do
    grep -qF "$expected" "$conf/motcua.conf" || { echo "deploy/nginx/motcua.conf: '$expected' không thay được" >&2; exit 1; }
  done
  cat >"$conf/nginx.conf" <<EOF
# Rendered by scripts/stack.sh: a private nginx around deploy/nginx/motcua.conf.
worker_processes 1;
pid $conf/nginx.pid;
error_log $conf/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $conf/access.log;
    client_body_temp_path $conf/tmp/body;
    proxy_temp_path $conf/tmp/proxy;
    fastcgi_temp_path $conf/tmp/fastcgi;
    uwsgi_temp_path $conf/tmp/uwsgi;
    scgi_temp_path $conf/tmp/scgi;
    sendfile on;
    keepalive_timeout 65;
    include $conf/motcua.conf;
}
EOF
}

# nginx as an ordinary user: www-data when this script runs as root, which may read the static files and write only
# its own directory.
as_nginx() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u www-data -- "$@"; else "$@"; fi
}

start_nginx() {
  local conf=$dir/nginx
  if [ "$(id -u)" -eq 0 ]; then
    chown -R www-data "$conf"
    p=$dir; while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    chmod -R o+rX "$dir/static"
  fi
  as_nginx nginx -t -q -p "$conf" -c "$conf/nginx.conf" -e "$conf/error.log"
  if ! alive "$conf/nginx.pid"; then
    as_nginx nginx -p "$conf" -c "$conf/nginx.conf" -e "$conf/error.log"
  fi
}

stack_environment() {
  mkdir -p "$dir/data" "$log"
  [ -s "$dir/secret_key" ] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n/+=' >"$dir/secret_key")
  stack_env=(
    "DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/$db"
    "REDIS_URL=redis://127.0.0.1:$redis_port/0"
    "SECRET_KEY=stack-$(cat "$dir/secret_key")"
    "MOTCUA_DATA_DIR=$dir/data"
    "STATIC_ROOT=$dir/static"
    "MOTCUA_PUBLIC_BASE_URL=http://127.0.0.1:$port"
    "MOTCUA_TRUSTED_PROXY_ADDRESSES=127.0.0.2"
    # Plain HTTP on the loopback: no TLS to redirect to (production keeps the redirect).
    "SECURE_SSL_REDIRECT=0"
  )
}

start() {
  stack_environment
  trap 'echo "Không khởi động được; dừng những gì đã chạy." >&2; stop' ERR
  PGPORT=$pg_port scripts/pg.sh start "$pg_dir" >/dev/null
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
    createdb -h 127.0.0.1 -p "$pg_port" -U postgres "$db"
  REDIS_PORT=$redis_port scripts/redis.sh start "$dir/redis" >/dev/null
  # The migrate step costs a minute (collectstatic compresses every file again): run it when a migration, a static
  # file or an installed package has changed since it last ran on this DIR.
  fingerprint=$( (find motcua -path '*/migrations/*.py' -o -path '*/static/*' -type f | sort | xargs stat -c '%n %s %Y'
    ls .venv/lib/python3.11/site-packages) | sha256sum)
  if [ "$(cat "$dir/migrated" 2>/dev/null)" != "$fingerprint" ]; then
    unit_env motcua-migrate.service
    while read -r line; do
      read -ra command <<<"$line"
      "${unit_env_command[@]}" "${command[@]}" >>"$log/migrate.log" 2>&1
    done < <(unit_values motcua-migrate.service ExecStart)
    echo "$fingerprint" >"$dir/migrated"
  fi
  if [ "${STACK_DEMO:-1}" = 1 ] && [ ! -f "$dir/demo.loaded" ]; then
    # Once per DIR (seeding again changes nothing but takes a minute); the demo refuses the production settings.
    env "${stack_env[@]}" DJANGO_SETTINGS_MODULE=motcua.settings.base .venv/bin/motcua demo --no-serve >>"$log/demo.log" 2>&1
    touch "$dir/demo.loaded"
  fi
  unit_env motcua-worker.service
  read -ra command <<<"$(unit_values motcua-worker.service ExecStart)"
  launch "$dir/worker.pid" "$log/worker.log" "${unit_env_command[@]}" "${command[@]}"
  unit_env motcua@.service
  for app_port in "${app_ports[@]}"; do
    read -ra command <<<"$(unit_values motcua@.service ExecStart "$app_port")"
    launch "$dir/app-$app_port.pid" "$log/app-$app_port.log" "${unit_env_command[@]}" "${command[@]}"
  done
  for app_port in "${app_ports[@]}"; do wait_http "http://127.0.0.1:$app_port/healthz"; done
  render_nginx
  start_nginx
  wait_http "http://127.0.0.1:$port/healthz"
  trap - ERR
  echo "http://127.0.0.1:$port"
}

stop() {
  [ -f "$dir/nginx/nginx.pid" ] && as_nginx nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/error.log" -s quit 2>/dev/null || true
  for _ in $(seq 50); do alive "$dir/nginx/nginx.pid" || break; sleep 0.1; done
  for pidfile in "$dir"/app-*.pid "$dir/worker.pid"; do halt "$pidfile"; done
  scripts/redis.sh stop "$dir/redis"
  [ "$pg_dir" != "$dir/pg" ] || scripts/pg.sh stop "$pg_dir"
}

status() {
  local state
  describe() { if "$@" >/dev/null 2>&1; then echo "chạy"; else echo "dừng"; fi; }
  echo "nginx       http://127.0.0.1:$port  $(describe alive "$dir/nginx/nginx.pid")"
  for app_port in "${app_ports[@]}"; do
    echo "granian     127.0.0.1:$app_port  $(describe alive "$dir/app-$app_port.pid")"
  done
  echo "worker      $(describe alive "$dir/worker.pid")"
  echo "redis       127.0.0.1:$redis_port  $(describe redis-cli -h 127.0.0.1 -p "$redis_port" ping)"
  state=$(describe pg_isready -q -h 127.0.0.1 -p "$pg_port")
  echo "postgresql  127.0.0.1:$pg_port  $state"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [DIR]" >&2; exit 2 ;;
esac
