# The two set-up commands of the README: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install emulators browser demo test test-quick test-gcp lint bench ui replay clean

$(STAMP): pyproject.toml setup.py constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tier (Playwright drives it; no browser download).
browser:
	bash scripts/install_browser.sh

# The gcp tier's local stand-ins: .bqemu/ (BigQuery emulator venv) and Postgres binaries (idempotent, ~1.5 min once).
emulators: install
	PROJECT_PYTHON=$(PY) scripts/gcp/install_emulators.sh

demo: install
	$(VENV)/bin/nba-backfill demo

test: install emulators browser
	$(VENV)/bin/ruff check .
	NBA_BACKFILL_REQUIRE_EMULATORS=1 $(PY) -m pytest nba_backfill_tests --durations=15

# One tier at a time, e.g. `make test-quick` (no demo, no daemon: about a minute).
test-quick: install
	$(PY) -m pytest nba_backfill_tests -m "not e2e and not daemon and not gcp and not browser"

# The gcp tier only: BigQuery + GCS emulators and a throwaway Postgres, started and stopped by the fixtures.
test-gcp: install emulators
	NBA_BACKFILL_REQUIRE_EMULATORS=1 $(PY) -m pytest nba_backfill_tests -m gcp

lint: install
	$(VENV)/bin/ruff check .

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
