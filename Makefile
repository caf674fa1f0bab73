# The two commands of the README: `make run` (set up, then the main job on SQLite against the
# bundled fixture sites) and `make test` (set up, then lint, type-check and the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest serve evaluate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m crawler run

test: lint typecheck pytest

lint: $(STAMP)
	$(PY) -m ruff check crawler tests benchmarks

typecheck: $(STAMP)
	$(PY) -m mypy

pytest: $(STAMP)
	$(PY) -m pytest

serve: $(STAMP)
	$(PY) -m crawler serve

evaluate: $(STAMP)
	$(PY) -m crawler evaluate

clean:
	rm -rf $(VENV) data output runs .pytest_cache .mypy_cache .ruff_cache
