"""The latest recorded result of each asset check per partition, read from a SQLite instance without Dagster.

Reproduces ``dagster_api.recorded_check_results`` (``get_asset_check_partition_info`` and
``get_asset_check_execution_history`` of Dagster 1.13.27's ``SqlEventLogStorage``) on the index shard:

- per (check, partition) the ``asset_check_executions`` row with the highest id among those with an evaluation
  event id (a planned row gets one when planned);
- its status: PLANNED → NOT_RUN; else, when the partition's latest materialization (the asset's latest one if
  that was unpartitioned) is not the one the result targeted → STALE; else SUCCEEDED → PASSED, otherwise FAILED;
- the description of a FAILED or STALE result: that of the partition's latest SUCCEEDED or FAILED evaluation.

Events from before an asset's last wipe are ignored, as Dagster does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nba_backfill.dagster_private.sqlite_index import db_asset_key, wipe_filter

MATERIALIZATION = "ASSET_MATERIALIZATION"


@dataclass(frozen=True)
class CheckResult:
    """The latest recorded execution of one check on one partition (``dagster_api.CheckRecord`` without Dagster).

    ``asset`` is the asset key as a user string (``nba_raw/nbac_team_boxscore``), ``check`` the check's name;
    ``status``: PASSED, FAILED, NOT_RUN or STALE; ``description`` the evaluation's text for FAILED / STALE;
    ``run_id`` the run that planned it.
    """

    asset: str
    check: str
    partition: str
    status: str
    description: str
    run_id: str


def _latest_materializations(con: sqlite3.Connection, key: str, partitions: list[str],
                             wipe: tuple[str, list]) -> tuple[dict[str, int], int | None]:
    """(partition → id of its latest materialization, id of the asset's latest one if it was unpartitioned)."""
    marks = ",".join("?" * len(partitions))
    by_partition = dict(con.execute(
        f"SELECT partition, max(id) FROM event_logs WHERE asset_key = ? AND dagster_event_type = ? "
        f"AND partition IN ({marks}){wipe[0]} GROUP BY partition", [key, MATERIALIZATION, *partitions, *wipe[1]]))
    last = con.execute(
        f"SELECT id, partition FROM event_logs WHERE asset_key = ? AND dagster_event_type = ?{wipe[0]} "
        "ORDER BY id DESC LIMIT 1", [key, MATERIALIZATION, *wipe[1]]).fetchone()
    return by_partition, (last[0] if last and last[1] is None else None)


def _description(con: sqlite3.Connection, key: str, check: str, partition: str) -> str:
    row = con.execute(
        "SELECT evaluation_event FROM asset_check_executions WHERE asset_key = ? AND check_name = ? "
        "AND partition = ? AND execution_status IN ('SUCCEEDED', 'FAILED') ORDER BY id DESC LIMIT 1",
        [key, check, partition]).fetchone()
    event = json.loads(row[0]) if row and row[0] else {}
    evaluation = (event.get("dagster_event") or {}).get("event_specific_data") or {}
    return evaluation.get("description") or ""


def latest_check_results(con: sqlite3.Connection, checks: Sequence[tuple[str, str]],
                         partitions: Iterable[str]) -> list[CheckResult]:
    """The latest recorded result of each (asset, check name) in ``checks`` on each of ``partitions`` that has one.

    Args:
        con: a read-only connection to the instance's event-log index (``sqlite_index.open_sqlite_instance``).
        checks: (asset key as a user string, check name) pairs.
        partitions: partition keys (``YYYY-MM-DD``).

    Returns:
        One :class:`CheckResult` per (check, partition) with a recorded execution, in ``checks`` order.

    Raises:
        sqlite3.Error: the index cannot be read (e.g. locked longer than the connection waits).
    """
    partitions = list(partitions)
    if not partitions:
        return []
    marks = ",".join("?" * len(partitions))
    out, materializations, details = [], {}, {}
    for asset, check in checks:
        key = db_asset_key(asset)
        if key not in materializations:
            row = con.execute("SELECT asset_details FROM asset_keys WHERE asset_key = ?", [key]).fetchone()
            details[key] = wipe_filter(row[0] if row else None)
            materializations[key] = _latest_materializations(con, key, partitions, details[key])
        by_partition, unpartitioned = materializations[key]
        rows = con.execute(
            f"SELECT partition, execution_status, materialization_event_storage_id, run_id "
            f"FROM asset_check_executions WHERE id IN (SELECT max(id) FROM asset_check_executions "
            f"WHERE asset_key = ? AND check_name = ? AND evaluation_event_storage_id IS NOT NULL "
            f"AND partition IN ({marks}) GROUP BY partition)", [key, check, *partitions]).fetchall()
        for partition, raw, target, run_id in rows:
            latest = max(filter(None, [by_partition.get(partition), unpartitioned]), default=None)
            if raw == "PLANNED":
                status = "NOT_RUN"
            elif latest is not None and latest != target:
                status = "STALE"
            else:
                status = "PASSED" if raw == "SUCCEEDED" else "FAILED"
            description = _description(con, key, check, partition) if status in ("FAILED", "STALE") else ""
            out.append(CheckResult(asset, check, partition, status, description, run_id))
    return out
