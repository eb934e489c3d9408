# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_SIZES ?= 0 1000 10000 100000
TYPED_MODULES := cases/dates.py cases/search.py cases/services.py cases/filters.py cases/custody.py cases/figures_on_a_date.py cases/caching.py casetracker/routers.py casetracker/middleware.py
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
PIP_COMPILE := $(VENV)/lock/bin/pip-compile
LOCK_OPTIONS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-header --no-emit-index-url --no-emit-find-links

.PHONY: run test test-browser lint typecheck install install-dev lock migrate load serve clean messages compile screenshots bench loadtest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements.txt (to run) and requirements-dev.txt (to test) are locks with hashes, made by `make lock`.
$(RUNTIME): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet pip==26.3
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(RUNTIME)

install-dev: $(DEV)

## lock: after editing requirements.in or requirements-dev.in, write the pinned, hashed locks
lock: | $(BIN)/python
	test -x $(PIP_COMPILE) || ($(PYTHON) -m venv $(VENV)/lock && $(VENV)/lock/bin/pip install --quiet pip-tools==7.5.3)
	$(PIP_COMPILE) $(LOCK_OPTIONS) -o requirements.txt requirements.in
	$(PIP_COMPILE) $(LOCK_OPTIONS) -o requirements-dev.txt requirements-dev.in

migrate: install
	DEBUG=true $(BIN)/python manage.py migrate --no-input

load: migrate
	DEBUG=true $(BIN)/python manage.py load_report

## run: install, migrate, load the report (once), serve on http://127.0.0.1:8000
run: load
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

# The production stack on this machine: DEBUG off, gunicorn, WhiteNoise serving the collected static
# files. Plain HTTP on the loopback only: SECURE_SSL_REDIRECT=false is this demonstration's one
# departure from production, which redirects to HTTPS. A SECRET_KEY from the environment, else one
# made once for this machine in .secret-key (ignored by git).
SERVE_ENV = DEBUG=false SECURE_SSL_REDIRECT=false SITE_URL="$${SITE_URL:-http://127.0.0.1:8000}" SECRET_KEY="$${SECRET_KEY:-$$(cat .secret-key)}"

.secret-key:
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Collected (and compressed) once, again only when a static file or a dependency changes.
staticfiles/staticfiles.json: $(shell find cases/static -type f 2>/dev/null) requirements.txt | $(RUNTIME) .secret-key
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input -v0

## serve: the production stack (gunicorn, DEBUG off) on http://127.0.0.1:8000
serve: load staticfiles/staticfiles.json .secret-key
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy
	$(SERVE_ENV) $(BIN)/gunicorn -c gunicorn.conf.py

## loadtest: 50 visitors for 60 s on the production stack over its own PostgreSQL database of 100,000
## people (built once): requests/s, p50, p95, errors -> benchmarks/results/loadtest.md
LOADTEST_PEOPLE ?= 100000
loadtest: install-dev staticfiles/staticfiles.json .secret-key
	$(BIN)/python benchmarks/loadtest.py --people $(LOADTEST_PEOPLE)

## test: the whole suite (on PostgreSQL when DATABASE_URL points there, else SQLite)
# One worker per core (pytest-xdist); a file's tests stay together, so data built once per module
# is built once.
test: install-dev
	$(BIN)/python -m pytest -q -m "not browser" -n auto --dist loadfile

## test-browser: the tests that drive Debian's Chromium (apt-get install chromium)
test-browser: install-dev
	$(BIN)/python -m pytest -q -m browser

## screenshots: the home, a person, the people list and the statistics at 375px and 1280px, into docs/screenshots/
screenshots: install-dev
	$(BIN)/python docs/screenshots.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## typecheck: mypy on the modules that carry type hints
typecheck: install-dev
	$(BIN)/mypy $(TYPED_MODULES)

## messages: collect interface text into locale/ru/LC_MESSAGES/django.po (needs gettext)
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l ru --add-location=file --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests

## compile: compile the translations into the committed django.mo (needs gettext)
compile: install
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles

## bench: server time of every public page, feed, API answer, export and admin list on the report alone and
## at 1,000, 10,000 and 100,000 people on PostgreSQL (databases casetracker_bench_<N>, filled once by
## generate_demo_data), and each page's growth from the smallest size to the largest
bench: install-dev
	$(BIN)/python benchmarks/pages.py --sizes $(BENCH_SIZES)
