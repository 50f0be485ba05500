# Cancéropôles portal. `make run` serves a development copy; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter ≥ 3.12 that actually runs: python3.13, python3.12, then pyenv's installs.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13 $$(pyenv root 2>/dev/null)/versions/3.12*/bin/python3.12; do \
	  command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	  && { command -v $$c; break; }; done)

.PHONY: help run test lint format bench messages check-python clean

help:
	@echo "make run     install, migrate, seed the demo data and serve http://$(HOST):$(PORT)"
	@echo "make test    install the dev dependencies and run the whole suite"
	@echo "make lint    ruff check and format check"
	@echo "make bench   benchmarks under bench/ (needs DATABASE_URL on PostgreSQL)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python >= 3.12 found (tried python3.13, python3.12, python3 and pyenv's 3.13/3.12)."; \
	  echo "Install Python 3.12 or 3.13, or run: make PYTHON=/path/to/python3.13 …"; exit 1; fi

$(VENV)/bin/activate: | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

.env:
	@echo "DJANGO_DEBUG=true" > .env
	@echo "Wrote .env for development (DJANGO_DEBUG=true). Production sets its variables in the environment."

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

run: $(VENV)/.installed .env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev .env
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed-dev .env
	$(PY) -m bench

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/portal.sqlite3 var/staticfiles
