# The README's commands. Each one sets up what it needs on a fresh Debian 12 machine.
.PHONY: demo test check bench stack setup setup-dev lock clean

MOTCUA := .venv/bin/motcua
# Production settings need a key and a PostgreSQL URL to be checked; these never reach a running server.
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=motcua.settings.production DATABASE_URL=postgres://check@127.0.0.1/check \
	SECRET_KEY=check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ

demo: setup
	$(MOTCUA) demo

test: setup-dev
	scripts/test.sh

check: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy motcua
	.venv/bin/lint-imports
	DJANGO_SETTINGS_MODULE=motcua.settings.test $(MOTCUA) makemigrations --check --dry-run
	mkdir -p var
	DJANGO_SETTINGS_MODULE=motcua.settings.test $(MOTCUA) spectacular --validate --fail-on-warn --file var/openapi.yaml
	diff -u docs/openapi.yaml var/openapi.yaml
	$(DEPLOY_ENV) $(MOTCUA) check --deploy --fail-level WARNING

bench: setup-dev
	.venv/bin/python bench/run.py

# nginx, two application servers, Redis, PostgreSQL and the worker on this machine; `scripts/stack.sh stop` ends it.
stack: setup-dev
	scripts/stack.sh start

setup:
	scripts/setup.sh base

setup-dev:
	scripts/setup.sh dev

lock:
	UV_PYTHON_DOWNLOADS=never .venv/bin/uv pip compile -q --python-version 3.11 --generate-hashes requirements/base.in -o requirements/base.lock
	UV_PYTHON_DOWNLOADS=never .venv/bin/uv pip compile -q --python-version 3.11 --generate-hashes requirements/dev.in -o requirements/dev.lock

clean:
	rm -rf .venv var
