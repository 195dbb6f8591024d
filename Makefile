# dateline: two commands on a fresh machine that has Python 3.11 and make.
#   make demo   set up, ingest the bundled samples into demo.duckdb, print a summary and a timeline
#   make test   set up, run the whole test suite (slow tests included)
PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup demo test lint bench clean

setup: $(VENV)/.synced $(VENV)/.gazetteer

# uv itself comes from the package registry into a private tools venv, so nothing is
# installed system-wide.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

# The offline gazetteer is compiled from the installed data packages (about half a minute),
# again whenever its build code or its curated data change.
$(VENV)/.gazetteer: $(VENV)/.synced src/dateline/geo/build.py src/dateline/geo/names.py $(wildcard src/dateline/resources/places/*)
	$(VENV)/bin/dateline gazetteer build --force
	touch $@

demo: setup
	rm -f demo.duckdb
	$(VENV)/bin/dateline ingest examples/ --db demo.duckdb
	$(VENV)/bin/dateline timeline --db demo.duckdb
	$(VENV)/bin/dateline timeline --db demo.duckdb --days 5

test: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

bench: setup
	$(VENV)/bin/python benchmarks/throughput.py
	$(VENV)/bin/python benchmarks/gazetteer.py
	$(VENV)/bin/python benchmarks/corpus.py
	$(VENV)/bin/python benchmarks/spark.py

clean:
	rm -rf $(VENV) $(TOOLS) demo.duckdb .pytest_cache .ruff_cache
