# casetracker: `make run` sets up and starts everything; `make test` runs every check.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: run serve test test-fast lock setup db demo backup restore lint typecheck migrations-check pytest bench docs clean messages screenshots

# Development installs the runtime set and the dev group (requirements-dev.lock); the
# production image installs requirements.lock alone (Dockerfile).
# System packages it needs (Debian/Ubuntu names; .ci/run installs them when missing):
# PyICU builds against ICU (libicu-dev pkg-config g++), WeasyPrint loads Pango at run time
# (libpango-1.0-0 libpangoft2-1.0-0, and a font such as fonts-dejavu-core).
$(VENV)/.installed: requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

# Re-pin both locks from pyproject.toml (keeps current pins where they still fit;
# `make lock UPGRADE=1` takes the newest). The runtime lock is resolved inside the
# dev lock, so both pin the same version of every shared package.
# followthemoney asks for sqlalchemy[mypy], so mypy (and what only it needs) would ship:
# the runtime lock leaves them out and the image installs it with --no-deps (Dockerfile).
NOT_SHIPPED := mypy mypy-extensions librt pathspec
lock: setup
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version 3.11 --quiet \
	    --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --quiet \
	    --custom-compile-command "make lock" -c requirements-dev.lock -o requirements.lock \
	    $(foreach p,$(NOT_SHIPPED),--no-emit-package $(p))

setup: $(VENV)/.installed

# Test-only JavaScript (axe-core for the browser tests' accessibility check), from package-lock.json.
node_modules/.installed: package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# Refresh docs/screenshots/ (the README shows them) from the browser tests.
screenshots: setup node_modules/.installed
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser

# Translations (fr, ar): the compiled .mo files are committed; this rebuilds them from the .po files.
messages: setup
	$(BIN)/python manage.py compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

# Each step runs with the PostgreSQL and Redis that config/services.py finds, or with the
# embedded ones it starts (data in .services/) and stops when the steps end; one process
# holds them, so Ctrl-C stops the servers too. SERVICES=embedded forces them.
WITH_SERVICES := $(BIN)/python -m config.services
MANAGE        := $(BIN)/python manage.py
DB_STEPS      := "$(MANAGE) ensure_database" "$(MANAGE) migrate --no-input"
DEMO_STEPS    := $(DB_STEPS) "$(MANAGE) seed_demo" "$(MANAGE) demo_logins"

db: setup
	$(WITH_SERVICES) $(DB_STEPS)

demo: setup
	$(WITH_SERVICES) $(DEMO_STEPS)

# Backups (docs/operations.md, "Backups"). `make backup` writes
# $(BACKUP_DIR)/casetracker-<UTC time>.dump and its .manifest.json. `make restore
# BACKUP=<a .dump>` checks it against its manifest, then restores it into the database of
# DATABASE_URL (INTO=name: another database of the same server), created if missing; one
# that is not empty is refused unless FORCE=1.
BACKUP_DIR  ?= backups
RESTORE_ARGS = $(BACKUP)$(if $(INTO), --database $(INTO))$(if $(filter 1 true yes,$(FORCE)), --force)

backup: setup
	$(WITH_SERVICES) "$(MANAGE) backup --dir $(BACKUP_DIR)"

restore: setup
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=<a .dump> [INTO=db] [FORCE=1]" >&2; exit 2; }
	$(WITH_SERVICES) "$(MANAGE) restore $(RESTORE_ARGS)"

# Development mode is asked for here, never a default: settings default to DEBUG off
# (migrations-check, docs, messages and bench run on a developer machine too).
db demo run serve migrations-check docs messages bench: export DEBUG ?= true
backup restore: export DEBUG ?= true

# `make run`: the development server (reloads on every edit), the workers and beat.
run: setup
	$(WITH_SERVICES) $(DEMO_STEPS) \
	    "$(MANAGE) collectstatic --no-input --verbosity 0" "$(BIN)/honcho start -f Procfile"

# `make serve`: the web process as deployed (gunicorn, config/gunicorn.py: the command of
# docker-compose and the Dockerfile) on 127.0.0.1:$(PORT), with the settings of the
# environment (DEBUG=true unless set); no workers (`make run` starts those).
serve: setup
	$(WITH_SERVICES) $(DB_STEPS) "$(MANAGE) collectstatic --no-input --verbosity 0" \
	    "$(BIN)/gunicorn config.wsgi:application --config python:config.gunicorn --bind 127.0.0.1:$(PORT)"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy .

migrations-check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

# The suite in two passes: the tests that start no process in parallel (pytest-xdist,
# a database per worker), then the `slow` ones (Celery workers, Redis, Chromium, live
# servers, subprocesses), one at a time: they time real processes on 2 cores.
XDIST ?= 2
pytest: setup node_modules/.installed
	$(WITH_SERVICES) "$(BIN)/pytest -m 'not slow' -n $(XDIST)" "$(BIN)/pytest -m slow"

test: lint typecheck migrations-check pytest

# The quick loop while working: everything but the `slow` tests (under 2 minutes).
test-fast: setup
	$(WITH_SERVICES) "$(BIN)/pytest -m 'not slow' -n $(XDIST) -q"

# The pipeline's latency, then the API and web at a coalition's scale (bench/api.py):
# SCALE=small (default, a few minutes) or SCALE=full (5k cases ... 1M events).
SCALE ?= small
bench: setup
	$(BIN)/python bench/pipeline.py
	SCALE=$(SCALE) $(BIN)/python bench/api.py
	$(BIN)/python bench/interpol.py
	$(BIN)/python bench/search.py

docs: setup
	$(BIN)/python manage.py workflow_docs

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .mypy_cache .ruff_cache
