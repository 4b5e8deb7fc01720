# make run   - the marketplace on http://127.0.0.1:8000/ with demo data (see README.md)
# make test  - lint, format check, migrations check and the test suite, as CI runs them

VENV := .venv
PYTHON := $(VENV)/bin/python
# Touched after a successful install; pip runs again only when pyproject.toml is newer.
INSTALLED := $(VENV)/.installed
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test

.PHONY: run test install services

run: install services
	bash scripts/run_demo.sh

test: install services
	bash scripts/ensure_chromium.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PYTHON) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(VENV)/bin/pytest

install: $(INSTALLED)

$(INSTALLED): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install -e '.[dev]'
	touch $(INSTALLED)

$(PYTHON):
	python3 -m venv $(VENV)

services:
	bash scripts/ensure_services.sh
