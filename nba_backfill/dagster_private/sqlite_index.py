"""Where a SQLite-backed Dagster instance keeps its runs and its event-log index, opened read-only without Dagster.

The layout is Dagster 1.13.27's (``dagster/_core/instance/ref.py``, ``storage/sqlite_storage.py``,
``storage/event_log/sqlite/sqlite_event_log.py``): with no storage block in ``dagster.yaml``, or with
``storage: sqlite: base_dir: B`` (B defaults to the instance folder), the run storage is ``B/history/runs.db``
and the event log's cross-run index shard is ``B/history/runs/index.db`` (per-run shards beside it). With legacy
per-storage blocks, ``event_log_storage`` of class ``SqliteEventLogStorage`` — or any class of this package,
such as the project's pooled SQLite event-log storage, which keeps the same files — puts the index at
``<its base_dir>/index.db``, and ``run_storage`` of class ``SqliteRunStorage`` the runs at
``<its base_dir>/runs.db``. Anything else (``postgres``, ``mysql``, another class, an ``instance_class``) is
not read here: :func:`open_sqlite_instance` returns None and the caller goes through the Dagster API.

The index holds what the readers need: ``event_logs`` (a copy of every asset and asset-check event),
``asset_keys`` (wipe time, the partition-status cache) and ``asset_check_executions``; ``runs`` holds run
statuses. :func:`open_sqlite_instance` checks those columns, so a schema change reads as "not SQLite".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SQLITE_EVENT_LOG_MODULES = ("dagster._core.storage.event_log", "dagster._core.storage.event_log.sqlite",
                            "dagster._core.storage.event_log.sqlite.sqlite_event_log")
SQLITE_RUN_MODULES = ("dagster._core.storage.runs", "dagster._core.storage.runs.sqlite",
                      "dagster._core.storage.runs.sqlite.sqlite_run_storage")
THIS_PACKAGE = "nba_backfill.dagster_private"

# table → the columns the readers use (Dagster 1.13.27: storage/event_log/schema.py, storage/runs/schema.py)
INDEX_COLUMNS = {
    "event_logs": {"id", "run_id", "event", "dagster_event_type", "timestamp", "asset_key", "partition"},
    "asset_keys": {"asset_key", "asset_details", "cached_status_data"},
    "asset_check_executions": {"id", "asset_key", "check_name", "partition", "run_id", "execution_status",
                               "evaluation_event", "evaluation_event_storage_id",
                               "materialization_event_storage_id"},
}
RUNS_COLUMNS = {"runs": {"run_id", "status"}}


@dataclass(frozen=True)
class SqliteInstance:
    """Read-only connections to a SQLite instance: ``index`` (the event log's index shard) and ``runs``."""

    index: sqlite3.Connection
    runs: sqlite3.Connection

    def close(self) -> None:
        """Close both connections."""
        self.index.close()
        self.runs.close()


def _value(value: object) -> str | None:
    """A config string, or ``{env: NAME}`` resolved from the environment (None when unset or not a string)."""
    if isinstance(value, dict) and set(value) == {"env"}:
        return os.environ.get(str(value["env"]))
    return value if isinstance(value, str) else None


def _block_dir(block: object, modules: tuple[str, ...], class_name: str) -> Path | None:
    """``base_dir`` of a ``{module, class, config: {base_dir}}`` storage block of a known SQLite class."""
    if not isinstance(block, dict):
        return None
    module, cls = block.get("module"), block.get("class")
    ours = isinstance(module, str) and (module == THIS_PACKAGE or module.startswith(THIS_PACKAGE + "."))
    if not ((module in modules and cls == class_name) or ours):
        return None
    base = _value((block.get("config") or {}).get("base_dir"))
    return Path(base) if base else None


def sqlite_files(dagster_home: Path) -> tuple[Path, Path] | None:
    """(event-log index file, runs file) of the instance whose ``dagster.yaml`` is in ``dagster_home``.

    Returns:
        The two paths (they may not exist yet), or None when the instance is not SQLite-backed in a layout
        known here (see the module docstring).

    Raises:
        OSError: ``dagster.yaml`` cannot be read.
        yaml.YAMLError: ``dagster.yaml`` is not YAML.
    """
    import yaml

    config = yaml.safe_load((dagster_home / "dagster.yaml").read_text()) or {}
    if not isinstance(config, dict) or "instance_class" in config:
        return None
    if any(config.get(k) for k in ("run_storage", "event_log_storage", "schedule_storage")):
        history = dagster_home / "history"
        events = config.get("event_log_storage")
        runs = config.get("run_storage")
        event_dir = (_block_dir(events, SQLITE_EVENT_LOG_MODULES, "SqliteEventLogStorage") if events
                     else history / "runs")
        run_dir = _block_dir(runs, SQLITE_RUN_MODULES, "SqliteRunStorage") if runs else history
        if event_dir is None or run_dir is None:
            return None
        return event_dir / "index.db", run_dir / "runs.db"
    storage = config.get("storage")
    if not storage:
        base = dagster_home
    elif isinstance(storage, dict) and set(storage) == {"sqlite"}:
        base_dir = _value((storage["sqlite"] or {}).get("base_dir"))
        if not base_dir:
            return None
        base = Path(base_dir)
    else:
        return None
    return base / "history" / "runs" / "index.db", base / "history" / "runs.db"


def _connect(path: Path) -> sqlite3.Connection:
    # mode=ro: never creates or migrates anything; WAL readers see committed writes of running runs.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)


def _has_columns(con: sqlite3.Connection, wanted: dict[str, set[str]]) -> bool:
    for table, columns in wanted.items():
        present = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
        if not columns <= present:
            return False
    return True


def open_sqlite_instance(dagster_home: Path) -> SqliteInstance | None:
    """Read-only connections to the instance in ``dagster_home`` if it is SQLite-backed with Dagster 1.13's
    tables; None otherwise (another storage, no ``dagster.yaml``, files or columns absent): use the Dagster API.

    Raises:
        yaml.YAMLError: ``dagster.yaml`` is not YAML.
        sqlite3.Error: a file exists but is not a SQLite database.
    """
    if not (dagster_home / "dagster.yaml").exists():
        return None
    files = sqlite_files(dagster_home)
    if files is None or not all(f.is_file() for f in files):
        return None
    index, runs = _connect(files[0]), _connect(files[1])
    if _has_columns(index, INDEX_COLUMNS) and _has_columns(runs, RUNS_COLUMNS):
        return SqliteInstance(index, runs)
    index.close()
    runs.close()
    return None


def db_asset_key(asset: str) -> str:
    """An asset key as Dagster stores it (``AssetKey.to_string()``): ``nba_raw/x`` → ``["nba_raw", "x"]``."""
    return json.dumps(asset.split("/"))


def wipe_filter(asset_details: str | None) -> tuple[str, list]:
    """The SQL condition (`` AND timestamp > ?``) and parameter that drop an asset's events from before its last
    wipe, from its ``asset_keys.asset_details``; ``("", [])`` when it was never wiped.
    """
    details = json.loads(asset_details) if asset_details else {}
    wiped = details.get("last_wipe_timestamp") if isinstance(details, dict) else None
    if not wiped:
        return "", []
    when = dt.datetime.fromtimestamp(wiped, dt.timezone.utc).replace(tzinfo=None)
    return " AND timestamp > ?", [when.strftime("%Y-%m-%d %H:%M:%S.%f")]  # SQLAlchemy's SQLite DATETIME text
