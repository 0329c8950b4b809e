#!/usr/bin/env bash
# Install the offline test backends for the gcp deployment (idempotent; safe to re-run):
#   - .bqemu/ : a separate venv with bqemulator 1.4.0 (BigQuery emulator) on duckdb 1.5.5 and the duckdb
#     extensions from PyPI wheels (copied into ~/.duckdb offline; bqemulator would otherwise download them).
#     It cannot share the project venv (its grpcio pins conflict with constraints.txt).
#   - PostgreSQL server binaries (initdb, pg_ctl) from Debian, for a throwaway Dagster instance database.
#   - gcp-storage-emulator is NOT installed here: it is in the project's dev extra
#     (pip install -c constraints.txt -e '.[dev]').
# Environment: PYTHON (default python3.11) builds .bqemu; BQEMU_DIR overrides its location.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3.11}"
BQEMU_DIR="${BQEMU_DIR:-$ROOT/.bqemu}"
BQEMU_PINS=(bqemulator==1.4.0 duckdb==1.5.5 duckdb-extensions==1.5.5 duckdb-extension-spatial==1.5.5
            duckdb-extension-avro==1.5.5 numpy==2.4.6)

log() { printf '[install_emulators] %s\n' "$*"; }

# --- BigQuery emulator venv --------------------------------------------------------------------------------
bqemu_ok() {
    [ -x "$BQEMU_DIR/bin/python" ] && "$BQEMU_DIR/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m, sys
want = {"bqemulator": "1.4.0", "duckdb": "1.5.5", "duckdb-extension-spatial": "1.5.5",
        "duckdb-extension-avro": "1.5.5", "duckdb-extensions": "1.5.5"}
sys.exit(0 if all(m.version(k) == v for k, v in want.items()) and m.version("numpy") else 1)
PY
}
if bqemu_ok; then
    log "bqemulator venv ok: $BQEMU_DIR"
else
    log "creating $BQEMU_DIR (about 1.5 min; the spatial extension wheel is 80 MB)"
    "$PYTHON" -m venv "$BQEMU_DIR"
    "$BQEMU_DIR/bin/pip" install -q --disable-pip-version-check "${BQEMU_PINS[@]}"
    printf '*\n' > "$BQEMU_DIR/.gitignore"   # keep the venv out of git without touching the repo's .gitignore
fi
# Copy the bundled extensions into ~/.duckdb/extensions/v1.5.5/<platform> (no network). Cheap; always run,
# because HOME may differ between runs (CI, another user).
"$BQEMU_DIR/bin/python" -c "from duckdb_extensions import import_extension as i; i('spatial'); i('avro')"
log "duckdb extensions spatial + avro installed for $(id -un) (HOME=$HOME)"

# --- PostgreSQL server binaries ----------------------------------------------------------------------------
pg_bindir() {
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"; return 0
    fi
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
}
if dir="$(pg_bindir)"; then
    log "postgres binaries ok: $dir"
else
    log "installing Debian postgresql (initdb/pg_ctl not found)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
    dir="$(pg_bindir)" || { log "postgresql installed but initdb/pg_ctl still not found"; exit 1; }
    log "postgres binaries ok: $dir"
fi

# --- project venv check (informational) ----------------------------------------------------------------------
PROJECT_PY="${PROJECT_PYTHON:-$ROOT/.venv/bin/python}"
if [ -x "$PROJECT_PY" ] && "$PROJECT_PY" -c "import gcp_storage_emulator" 2>/dev/null; then
    log "gcp-storage-emulator ok in $PROJECT_PY"
else
    log "gcp-storage-emulator missing from the project venv: pip install -c constraints.txt -e '.[dev]'"
fi
