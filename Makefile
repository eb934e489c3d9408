# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install migrate load serve clean messages compile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=true $(BIN)/python manage.py migrate --no-input

load: migrate
	DEBUG=true $(BIN)/python manage.py load_report

## run: install, migrate, load the report (once), serve on http://127.0.0.1:8000
run: load
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

## test: the whole suite (on PostgreSQL when DATABASE_URL points there, else SQLite)
test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## messages: collect interface text into locale/ru/LC_MESSAGES/django.po (needs gettext)
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l ru --add-location=file --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests

## compile: compile the translations into the committed django.mo (needs gettext)
compile: install
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
