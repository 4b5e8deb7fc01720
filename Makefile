# make run          - the marketplace on http://127.0.0.1:8000/ with demo data (see README.md)
# make test         - lint, format, types, import contracts, migrations check and the test suite, as CI runs them
# make test-random  - the test suite alone, in a random order (pytest-randomly prints the seed to repeat it)

VENV := .venv
PYTHON := $(VENV)/bin/python
# Touched after a successful install; pip runs again only when pyproject.toml is newer.
INSTALLED := $(VENV)/.installed
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test

.PHONY: run test test-random check install services

run: install services
	bash scripts/ensure_fonts.sh
	bash scripts/run_demo.sh

test: check
	$(TEST_ENV) $(VENV)/bin/pytest -p no:randomly

test-random: install services
	bash scripts/ensure_chromium.sh
	$(TEST_ENV) $(VENV)/bin/pytest -p randomly

# Everything but the tests themselves: fast, and fails on the first problem.
check: install services
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_fonts.sh
	bash scripts/ensure_zbar.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(TEST_ENV) $(PYTHON) manage.py makemigrations --check --dry-run

install: $(INSTALLED)

$(INSTALLED): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install -e '.[dev]'
	touch $(INSTALLED)

$(PYTHON):
	python3 -m venv $(VENV)

services:
	bash scripts/ensure_services.sh
