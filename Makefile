# tiendo: `make run` serves the Long Biên demo; `make test` runs the whole suite;
# `make bench` times the rollups (bench/README.md; not part of `make test`).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint screenshots bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("tiendo needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo --print-accounts
	@echo "tiendo: http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@# The background jobs (reminders, e-mail) run beside gunicorn every 5 minutes and stop with it.
	$(BIN)/python manage.py run_jobs --loop 300 & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn tiendo.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --error-logfile -

test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	TIENDO_ENV=production SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=tiendo.example.vn DATABASE_URL=sqlite:///:memory: \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/mypy tiendo
	TIENDO_ENV=test $(BIN)/python -m pytest -n auto --cov --cov-report=term
	TIENDO_ENV=test $(BIN)/python scripts/test_postgres.py -n auto

screenshots: $(VENV)/.dev
	TIENDO_ENV=test $(BIN)/python scripts/screenshots.py
	TIENDO_SCREENSHOTS=docs/screenshots TIENDO_ENV=test $(BIN)/python -m pytest -q --no-cov -p no:cacheprovider \
	  tiendo/reporting/tests/test_browser_reporting.py tiendo/tasks/tests/test_browser_tasks.py \
	  tiendo/web/tests/test_browser_dashboard.py tiendo/reviews/tests/test_demo_report.py

# Rollup timings on generated data: DATABASE_URL's database, else a temporary SQLite file.
# BENCH_ARGS="--shape district --runs 20" to narrow it (see bench/README.md).
bench: $(VENV)/.runtime
	$(BIN)/python bench/rollups.py $(BENCH_ARGS)

# Excel and CSV import of a reporting round (100 000 figures) beside a bare bulk insert.
# BENCH_ARGS="--units 200 --runs 5" to change it (see bench/README.md).
.PHONY: bench-import
bench-import: $(VENV)/.runtime
	$(BIN)/python bench/reporting_import.py $(BENCH_ARGS)

# Review reports: the district's and a 500-ward city's full-term report, DOCX and PDF,
# beside the bare rollup query. BENCH_ARGS="--scope district --runs 5" (bench/README.md).
.PHONY: bench-reviews
bench-reviews: $(VENV)/.runtime
	$(BIN)/python bench/reviews.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache .coverage
