"""Partition status of an asset per day, read from a SQLite instance without Dagster.

Reproduces the public ``instance.get_status_by_partition`` of Dagster 1.13.27 for a daily partitions definition
(``storage/partition_status_cache.py``), read-only:

- materialized: the days in the asset's stored status cache (``asset_keys.cached_status_data``) plus the days
  materialized after the cache's ``latest_storage_id`` (all materialized days when there is no cache);
- failed: the cache's failed days, less the days materialized since, plus the days whose latest materialization
  attempt after the cache's cursor (a planned materialization not followed by one) belongs to a FAILURE run;
- in progress: the days whose such attempt belongs to a run not finished yet (a deleted run counts as neither);
- status: IN_PROGRESS, else FAILED, else MATERIALIZED, else MISSING (also when the asset has no materialization
  or planned materialization at all).

Differences, by design: Dagster writes the refreshed cache back (a read-only reader cannot), and it discards a
cache written for another partitions definition (``partitions_def_id``, a hash of the definition's repr that
needs Dagster); the stored cache is used as is. Both only matter for a day whose run failed and whose later
attempt was canceled or deleted: Dagster keeps such a day FAILED once a refresh has seen the failure.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from nba_backfill.dagster_private.sqlite_index import db_asset_key, wipe_filter
from nba_backfill.seasons import TIMEZONE

MATERIALIZATION, PLANNED = "ASSET_MATERIALIZATION", "ASSET_MATERIALIZATION_PLANNED"
FINISHED = ("SUCCESS", "FAILURE", "CANCELED")


def _in_subset(serialized: str | None, days: Sequence[str]) -> set[str]:
    """The ``days`` inside a serialized time-window subset (``{"time_windows": [[start_ts, end_ts], …]}``)."""
    if not serialized:
        return set()
    loaded = json.loads(serialized)
    windows = loaded if isinstance(loaded, list) else loaded["time_windows"]
    tz = ZoneInfo(TIMEZONE)
    starts = {d: dt.datetime.combine(dt.date.fromisoformat(d), dt.time(), tz).timestamp() for d in days}
    return {d for d, ts in starts.items() if any(start <= ts < end for start, end in windows)}


def _materialized_after(con: sqlite3.Connection, key: str, days: Sequence[str], wipe: tuple[str, list],
                        after: int | None) -> set[str]:
    marks = ",".join("?" * len(days))
    return {row[0] for row in con.execute(
        f"SELECT DISTINCT partition FROM event_logs WHERE asset_key = ? AND dagster_event_type = ? "
        f"AND partition IN ({marks}) AND id > ?{wipe[0]}", [key, MATERIALIZATION, *days, after or 0, *wipe[1]])}


def _unfinished_attempts(con: sqlite3.Connection, key: str, days: Sequence[str], wipe: tuple[str, list],
                         after: int | None) -> dict[str, str]:
    """Day → run id of its latest planned materialization after ``after`` not followed by a materialization."""
    marks = ",".join("?" * len(days))
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for kind, partition, event_id, run_id in con.execute(
            f"SELECT e.dagster_event_type, e.partition, e.id, e.run_id FROM event_logs e JOIN ("
            f"SELECT max(id) AS id FROM event_logs WHERE asset_key = ? AND dagster_event_type IN (?, ?) "
            f"AND partition IN ({marks}) AND id > ?{wipe[0]} GROUP BY dagster_event_type, partition) m "
            f"ON e.id = m.id", [key, MATERIALIZATION, PLANNED, *days, after or 0, *wipe[1]]):
        latest[(kind, partition)] = (event_id, run_id)
    return {day: planned[1] for (kind, day), planned in latest.items() if kind == PLANNED
            and planned[0] > latest.get((MATERIALIZATION, day), (0, ""))[0]}


def partition_status(index: sqlite3.Connection, runs: sqlite3.Connection, asset: str,
                     days: Sequence[str]) -> dict[str, str]:
    """Per day of ``days``: MATERIALIZED, FAILED, IN_PROGRESS or MISSING, as ``get_status_by_partition`` says.

    Args:
        index: read-only connection to the event-log index (``sqlite_index.open_sqlite_instance``).
        runs: read-only connection to the run storage.
        asset: the asset key as a user string (``nba_raw/nbac_schedule``).
        days: partition keys of the daily partitions (``YYYY-MM-DD``).

    Returns:
        One status per day of ``days``.

    Raises:
        sqlite3.Error: a database cannot be read.
    """
    days = list(days)
    key = db_asset_key(asset)
    row = index.execute("SELECT asset_details, cached_status_data FROM asset_keys WHERE asset_key = ?",
                        [key]).fetchone()
    wipe = wipe_filter(row[0] if row else None)
    any_event = index.execute(f"SELECT 1 FROM event_logs WHERE asset_key = ? AND dagster_event_type IN (?, ?)"
                              f"{wipe[0]} LIMIT 1", [key, MATERIALIZATION, PLANNED, *wipe[1]]).fetchone()
    if not days or any_event is None:
        return dict.fromkeys(days, "MISSING")
    cache = json.loads(row[1]) if row and row[1] else None
    if cache:
        new = _materialized_after(index, key, days, wipe, cache["latest_storage_id"])
        materialized = _in_subset(cache.get("serialized_materialized_partition_subset"), days) | new
        failed = _in_subset(cache.get("serialized_failed_partition_subset"), days) - new
        earliest = cache.get("earliest_in_progress_materialization_event_id")
        cursor = earliest - 1 if earliest else cache["latest_storage_id"]
    else:
        materialized, failed, cursor = _materialized_after(index, key, days, wipe, None), set(), None
    attempts = _unfinished_attempts(index, key, days, wipe, cursor)
    run_ids = sorted(set(attempts.values()))
    statuses = dict(runs.execute(f"SELECT run_id, status FROM runs WHERE run_id IN ({','.join('?' * len(run_ids))})",
                                 run_ids)) if run_ids else {}
    in_progress = {d for d, r in attempts.items() if r in statuses and statuses[r] not in FINISHED}
    failed |= {d for d, r in attempts.items() if statuses.get(r) == "FAILURE"}
    return {d: "IN_PROGRESS" if d in in_progress else "FAILED" if d in failed
            else "MATERIALIZED" if d in materialized else "MISSING" for d in days}
