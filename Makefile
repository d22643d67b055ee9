# Một Cửa: `make demo` runs the site with demo data on SQLite and a filesystem
# Celery broker; `make test` runs every check against PostgreSQL, Redis and Chromium.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Python >= 3.12: the first that works of python3.13, python3.12 and pyenv's builds
# (pyenv's shims answer "command not found" for versions that are not selected).
PYTHON ?= $(shell for p in python3.13 python3.12 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9]; do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# What the tests talk to; override any of them on the command line or in the environment.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/motcua
REDIS_URL ?= redis://127.0.0.1:6379/0
TEST_ENV := DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(REDIS_URL) \
	CACHE_URL=$(patsubst %/0,%/1,$(REDIS_URL)) CELERY_BROKER_URL=$(patsubst %/0,%/2,$(REDIS_URL)) \
	CELERY_RESULT_BACKEND=$(patsubst %/0,%/2,$(REDIS_URL)) DJANGO_ALLOW_ASYNC_UNSAFE=true \
	MOTCUA_VAR_DIR=$(CURDIR)/var/test

.PHONY: help install demo demo-serve demo-data test check lint format messages system-deps services clean

help:
	@echo "make demo   - set up and run the site with demo data at http://127.0.0.1:8000"
	@echo "              (DEMO_PORT=8001 for another port; make demo-serve skips the data load)"
	@echo "make test   - install what is needed and run every check and test"
	@echo "make check  - lint, migrations check and tests (same as test)"
	@echo "make format - format the code with ruff"

$(VENV)/.installed: pyproject.toml uv.lock
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed: install python3.12 and run again." >&2; exit 1; }
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || uv --version >/dev/null 2>&1 || \
	  $(PYTHON) -m pip install --quiet uv || $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	@# The uv of the chosen Python first: a pyenv shim named uv may exist and fail.
	@if $(PYTHON) -m uv --version >/dev/null 2>&1; then UV="$(PYTHON) -m uv"; else UV=uv; fi; \
	  $$UV sync --frozen --python $(PYTHON) --quiet
	@touch $@

install: $(VENV)/.installed

demo-data: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo

# The web server, a Celery worker and beat; Ctrl+C (or SIGTERM to make) stops all
# three: manage.py run_demo supervises them (procedures/management/commands/run_demo.py).
# DEMO_PORT chooses the port; `make demo-serve` runs them without loading the data.
DEMO_PORT ?= 8000
RUN_DEMO = exec $(MANAGE) run_demo --port $(DEMO_PORT)

demo: demo-data
	@$(RUN_DEMO)

demo-serve: install
	@$(RUN_DEMO)

# Debian packages the tests use: Chromium for the browser tests, poppler for
# reading PDFs back, gettext for the catalogs, redis-server for the alert tests'
# private broker (they stop and restart it). Installed only when missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing (install them with apt-get as root)." >&2; exit 1; \
	  fi; \
	fi

services: install
	@$(TEST_ENV) $(MANAGE) check_services

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache  # the apps' layers: pyproject.toml [tool.importlinter]
	$(VENV)/bin/mypy  # django-stubs, on the modules listed in pyproject.toml [tool.mypy]

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(MANAGE) makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench \
	  --ignore=templates/admin  # Django's own admin strings: its catalogs translate them
	$(MANAGE) compilemessages -l en -l vi --ignore=.venv

# The suite runs in TEST_PROCESSES pytest-xdist processes, a test file per process at a
# time (module-wide fixtures such as the demo load once); each process has its own test
# database, Redis databases and media folder (tests/conftest.py). Much of the suite waits
# on browsers, workers and subprocesses, so three processes pay off even on two cores.
TEST_PROCESSES ?= 3
test: install system-deps services lint
	$(MANAGE) makemigrations --check --dry-run  # models vs migrations: no database needed (SQLite in var/)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	$(TEST_ENV) $(VENV)/bin/pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

check: test

clean:
	rm -rf var/ $(VENV)
