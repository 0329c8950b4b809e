# The two set-up commands of the README: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test bench ui replay clean

$(STAMP): pyproject.toml setup.py constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/nba-backfill demo

test: install
	bash scripts/install_browser.sh
	$(PY) -m pytest nba_backfill_tests

bench: install
	$(PY) scripts/bench.py

# Opens the demo's instance in the UI; the replay serves the source on :8765 meanwhile.
ui: install
	$(VENV)/bin/nba-backfill replay-server --port 8765 & \
	NBA_BACKFILL_STATS_URL=http://127.0.0.1:8765/stats NBA_BACKFILL_RATE_LIMIT_SECONDS=0 \
	DAGSTER_HOME=$${DAGSTER_HOME:-$$PWD/.nba_backfill/dagster} $(VENV)/bin/dagster dev -w workspace.yaml; \
	kill %1

clean:
	rm -rf $(VENV) .nba_backfill
