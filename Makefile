# Two commands for a new user: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint format install bench

# Re-install only when the declared dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Links in e-mails, feeds and calendars point at the address served (ADDRESS).
ADDRESS ?= 127.0.0.1:8000
SITE_URL ?= http://$(ADDRESS)

run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo --password demo
	@# The background worker (the outbox's mail, in DEBUG printed here) beside the
	@# server, stopped with it.
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(ADDRESS)

test: $(VENV)/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

# While working: the suite without the browser, deployment and PostgreSQL-only tests
# (a minute or two less; `make test` and CI run them all).
test-fast: $(VENV)/.installed
	$(BIN)/pytest -m "not browser and not postgres_only" --ignore=tests/deployment $(PYTEST_ARGS)

# What CI checks before the tests: the linter, the formatting, the layers and the types.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	SECRET_KEY=ci-only SITE_URL=http://ci.invalid $(BIN)/mypy

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark at national scale on the local PostgreSQL (bench/run.py --help);
# ApacheBench is the load generator.
bench: $(VENV)/.installed
	command -v ab >/dev/null || (apt-get update -qq && apt-get install -y -qq apache2-utils)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
