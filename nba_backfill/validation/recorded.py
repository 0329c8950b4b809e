"""What the Dagster instance recorded per game date: the latest result of each check.

Used by ``nba-backfill validate``. Check results come through ``dagster_private.recorded_check_results`` (no
public API reads them in Dagster 1.13); partition status is ``sensors/partition_status.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import dagster as dg

from nba_backfill.dagster_private import CheckRecord, recorded_check_results

RecordedCheck = CheckRecord


def recorded_checks(instance: dg.DagsterInstance, keys: Sequence[dg.AssetCheckKey],
                    days: Iterable[str]) -> dict[tuple[dg.AssetCheckKey, str], RecordedCheck]:
    """Latest recorded result per (check, game date) for ``keys`` on ``days`` (absent: never executed).

    Raises:
        dagster errors of the instance's storage (e.g. an unmigrated instance).
    """
    return {(r.key, r.partition): r for r in recorded_check_results(instance, keys, days)}
