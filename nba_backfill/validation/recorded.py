"""What the Dagster instance recorded about the checks, per game date: latest result and its message.

Used by ``nba-backfill validate``. One storage query per check for the status of every asked date
(``get_asset_check_partition_info``), then one query per failed (check, date) for its description. These are
event-log storage methods of Dagster 1.13 (the UI's GraphQL ``assetCheckExecutions(partition: …)`` reads the
same rows); they sit here so a Dagster upgrade touches one module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import dagster as dg
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus as Status


@dataclass(frozen=True)
class RecordedCheck:
    """The latest recorded execution of one check on one game date.

    ``status`` is PASSED, FAILED, NOT_RUN (planned by a run that never evaluated it, e.g. the asset step
    failed) or STALE (the asset was re-materialized after this result; the check has not run since).
    """

    key: dg.AssetCheckKey
    partition: str
    status: str
    description: str
    run_id: str


def recorded_checks(instance: dg.DagsterInstance, keys: Sequence[dg.AssetCheckKey],
                    days: Iterable[str]) -> dict[tuple[dg.AssetCheckKey, str], RecordedCheck]:
    """Latest recorded result per (check, game date) for ``keys`` on ``days`` (absent: never executed).

    Raises:
        dagster errors of the instance's storage (e.g. an unmigrated instance).
    """
    storage = instance.event_log_storage
    days = list(days)
    out: dict[tuple[dg.AssetCheckKey, str], RecordedCheck] = {}
    for info in storage.get_asset_check_partition_info(list(keys), partition_keys=days):
        if info.partition_key is None:
            continue
        raw = info.latest_execution_status
        if raw == Status.PLANNED:
            status = "NOT_RUN"
        elif not info.is_current:
            status = "STALE"
        else:
            status = "PASSED" if raw == Status.SUCCEEDED else "FAILED"
        description = ""
        if status in ("FAILED", "STALE"):
            history = storage.get_asset_check_execution_history(
                info.check_key, limit=1, status={Status.SUCCEEDED, Status.FAILED},
                partition_filter=PartitionKeyFilter(key=info.partition_key))
            if history and history[0].event and history[0].event.dagster_event:
                evaluation = history[0].event.dagster_event.event_specific_data
                description = getattr(evaluation, "description", "") or ""
        out[(info.check_key, info.partition_key)] = RecordedCheck(
            info.check_key, info.partition_key, status, description, info.latest_planned_run_id)
    return out


def materialized_days(instance: dg.DagsterInstance, key: dg.AssetKey, days: Iterable[str]) -> set[str]:
    """The ``days`` on which ``key`` has a materialization (a day without games is materialized empty)."""
    return set(instance.get_latest_storage_id_by_partition(key, dg.DagsterEventType.ASSET_MATERIALIZATION,
                                                           set(days)))
