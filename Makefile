# The two commands of the README: `make run` (set up, then the main job on SQLite against the
# bundled fixture sites) and `make test` (set up, then lint, type-check and the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast chromium lint typecheck pytest serve evaluate bench baseline clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m crawler run

test: chromium lint typecheck pytest

# The browser test drives the system Chromium (Debian's chromium package; no browser download).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "chromium: $(CHROMIUM) is installed"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "chromium: $(CHROMIUM) is missing and this is not root with apt-get:" \
		     "install it (apt-get install chromium) for the browser test, which skips without it"; \
	fi

lint: $(STAMP)
	$(PY) -m ruff check crawler tests benchmarks fixtures

typecheck: $(STAMP)
	$(PY) -m mypy

pytest: $(STAMP)
	$(PY) -m pytest

# The in-process tier alone (tests/unit/, seconds); make test runs both tiers.
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit

serve: $(STAMP)
	$(PY) -m crawler serve

# Developer tools live in benchmarks/, outside the shipped package: extraction quality beside
# trafilatura (fixtures, unseen sets, the public benchmark, ../shared/real-pages), and the
# speed, scale and fault benchmarks, each printing its figures.
evaluate: $(STAMP)
	$(PY) -m benchmarks.extraction

# The quality gate's baseline (benchmarks/baseline.json) and the README table made from it.
baseline: $(STAMP)
	$(PY) -m benchmarks.gate --write

bench: $(STAMP)
	$(PY) -m benchmarks.listings
	$(PY) -m benchmarks.neardup
	$(PY) -m benchmarks.store
	$(PY) -m benchmarks.incremental
	$(PY) -m benchmarks.warc
	$(PY) -m benchmarks.throughput 3000
	$(PY) -m benchmarks.faults --print

clean:
	rm -rf $(VENV) data output runs .pytest_cache .mypy_cache .ruff_cache
