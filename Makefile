# Randnotiz: `make run` serves the seeded app on http://127.0.0.1:8000/, `make test` runs the suite.
# With DATABASE_URL=postgres://... set, both use PostgreSQL instead of the SQLite default.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv venv-dev run test lint format migrations-check check bench bench-quick clean loadtest pg-restart-check annotator-bundle lighthouse

help:
	@echo "make run               install, migrate, seed and serve http://$(HOST):$(PORT)/ (SQLite)"
	@echo "make test              run the whole test suite"
	@echo "make lint              ruff check and format check"
	@echo "make format            ruff format and fix"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make annotator-bundle  build Apache Annotator for the browser tests (needs npm)"
	@echo "make bench             full benchmark on PostgreSQL; writes bench/results/latest.md"
	@echo "make bench-quick       smaller benchmark, under 3 minutes (bench/results/tmp/)"
	@echo "make loadtest          readers and editors against gunicorn for LOADTEST_SECONDS (60)"
	@echo "make lighthouse        Lighthouse on every public page, phone and desktop; docs/lighthouse.md"
	@echo "make pg-restart-check  OPT-IN: stops and restarts the machine's PostgreSQL (DATABASE_URL)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Randnotiz needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

run: venv
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed
	@echo
	@echo "Randnotiz runs on http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@echo "Create an editor login with:  DEBUG=1 $(PY) manage.py createsuperuser"
	@echo "then sign in at http://$(HOST):$(PORT)/admin/"
	@echo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: venv-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: venv-dev
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

check: lint migrations-check test

# Apache Annotator bundled for tests/browser/test_w3c_selectors.py from the pinned npm packages
# in tests/browser/annotator/ (needs npm and the registry once); the test builds it when missing.
annotator-bundle: venv-dev
	$(PY) -m tests.support.annotator

# The benchmark needs PostgreSQL (BENCH_DATABASE_URL, default randnotiz_bench_data on
# 127.0.0.1:5432) and wrk; Redis on 127.0.0.1:6379 is used for the cached-page figure if it runs.
bench: venv
	$(PY) -m bench.run $(BENCH_ARGS)

bench-quick: venv
	$(PY) -m bench.run --quick $(BENCH_ARGS)

# Not part of `make test`: bounded in time, reports requests/s, p50/p99, 5xx and lost writes.
loadtest: venv-dev
	$(PY) scripts/loadtest.py

# Not part of `make test` (minutes): Lighthouse pinned in tools/lighthouse (npm ci installs it
# there, never globally) with Debian's Chromium; exits 1 under 100 in any category.
LIGHTHOUSE_DIR := tools/lighthouse
$(LIGHTHOUSE_DIR)/node_modules/.package-lock.json: $(LIGHTHOUSE_DIR)/package-lock.json
	npm ci --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund

lighthouse: venv $(LIGHTHOUSE_DIR)/node_modules/.package-lock.json
	$(PY) scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

# Not part of `make test`, and disruptive: stops the real PostgreSQL for a few seconds.
pg-restart-check: venv-dev
	PYTHON=$(PY) scripts/pg_restart_check.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis \
		tests/browser/annotator/build tests/browser/annotator/node_modules \
		$(LIGHTHOUSE_DIR)/node_modules
