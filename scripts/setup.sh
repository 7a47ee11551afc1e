#!/usr/bin/env bash
# Prepare a fresh Debian 12 machine: system packages, .venv with the hash-locked requirements, translations.
# Usage: scripts/setup.sh [base|dev]   (dev adds the test and quality tools, Chromium, PostgreSQL and Redis)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-base}

apt_packages=(gettext fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0)
if [ "$profile" = dev ]; then
  apt_packages+=(postgresql postgresql-contrib redis-server nginx chromium poppler-utils zbar-tools wrk)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Thiếu gói hệ thống: ${missing[*]} — chạy lại với quyền root, hoặc: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "Cài gói hệ thống: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3.11}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
export UV_PYTHON_DOWNLOADS=never
lock=requirements/$profile.lock
if .venv/bin/python -m pip install -q uv 2>/dev/null && [ -x .venv/bin/uv ]; then
  .venv/bin/uv pip install -q --python .venv/bin/python -r "$lock"
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
else
  .venv/bin/python -m pip install -q --require-hashes -r "$lock"
  .venv/bin/python -m pip install -q --no-deps -e .
fi
.venv/bin/motcua compilemessages --ignore=.venv --ignore=var -v 0
