# Marketplace: `make run` starts the site with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The test suite's services; override on the command line or in the environment.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/marketplace)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)

# The benchmark's own database: seeding a million listings must not touch anything else.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/marketplace_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/2
BENCH_ENV = DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" DEBUG=true \
	HUEY_NAME=marketplace-bench CACHE_KEY_PREFIX="mp-$(notdir $(BENCH_DATABASE_URL))"
# Listings: the search benchmark at three scales (a database each), 100,000 for the load one.
bench-search: SCALES ?= 10000,100000,1000000
bench: SCALE ?= 100000

.PHONY: help install run test coverage lint format check-services bench-search bench screenshots

help:
	@echo "make run    install, migrate, load demo data, serve http://$(HOST):$(PORT) with the Huey consumer"
	@echo "make test   install and run the whole suite on PostgreSQL and Redis"
	@echo "make coverage  the whole suite with coverage, then the report of what it did not run"
	@echo "make lint   ruff check and format check"
	@echo "make screenshots  PNGs of the main pages on a phone and a desktop into docs/screenshots/"
	@echo "make bench-search  seed and time the search matrix at SCALES listings (default 10,000, 100,000, 1,000,000) and compare how p95 grows"
	@echo "make bench  seed SCALE listings (default 100,000), load-test every page under gunicorn"

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

# Quiet on purpose: the addresses, the email outbox and the demo logins end the output.
# Seeding sends its emails itself (HUEY_IMMEDIATE), before the consumer starts.
run: install
	@$(PY) manage.py migrate --noinput -v0
	@SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} HUEY_IMMEDIATE=true $(PY) manage.py seed_demo --if-empty
	@HOST=$(HOST) PORT=$(PORT) scripts/run-dev

check-services: install node_modules/.installed
	@scripts/ensure-system-packages
	@DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(PY) scripts/check_services.py

# axe-core for the browser tests' accessibility checks, from package-lock.json; reinstalled
# when the lock changes (npm dates the files it unpacks in 1985, hence the stamp file).
node_modules/.installed: package.json package-lock.json
	@scripts/ensure-system-packages
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test: check-services
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DEBUG=true HUEY_NAME=marketplace-test \
		$(PY) -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The suite as `make test` runs it, measured by pytest-cov (a dev dependency, so `make
# install` keeps it); what is measured and reported: scripts/coverage.cfg.
coverage: check-services
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DEBUG=true HUEY_NAME=marketplace-test \
		$(PY) -m pytest -n auto --dist loadfile --cov --cov-config=scripts/coverage.cfg \
		--cov-report=term-missing:skip-covered $(PYTEST_ARGS)

# Not part of `make test`: pytest only provides the live server on PostgreSQL and Chromium.
screenshots: check-services
	DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" DEBUG=true HUEY_NAME=marketplace-screenshots \
		$(PY) -m pytest tests/browser/screenshots.py -q

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench-search: install
	@$(BENCH_ENV) $(PY) scripts/check_services.py
	@SCALES="$(SCALES)" BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" BENCH_REDIS_URL="$(BENCH_REDIS_URL)" \
		BENCH_DATABASE_URL_1000000="$(or $(BENCH_DATABASE_URL_1000000),$(BENCH_DATABASE_URL))" \
		$(PY) scripts/bench-search

# A few minutes: gunicorn with production settings on loopback, wrk row by row (see README).
bench: install
	@scripts/ensure-bench-packages
	@$(BENCH_ENV) $(PY) scripts/check_services.py
	@$(BENCH_ENV) $(PY) scripts/create_database.py
	@$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	@$(BENCH_ENV) LOG_LEVEL=WARNING $(PY) manage.py seed_demo --scale $(SCALE)
	@$(BENCH_ENV) $(PY) manage.py bench --scale $(SCALE)
