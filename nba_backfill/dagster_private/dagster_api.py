"""The non-public Dagster APIs this project calls through Dagster itself (dagster pinned to 1.13.27).

Everything else uses ``import dagster as dg`` and the instance's ``@public`` methods (``fetch_materializations``,
``get_status_by_partition``, ``get_run_records``, ``report_runless_asset_event``). What is here has no public
equivalent in 1.13:

- ``RunRequest.for_asset_graph_subset`` with ``AssetGraphSubset``: the way a sensor requests an *asset
  backfill* with a different partition set per asset (raw + phase 3 on the gap days, phases 4–5 on the
  21-day cascade). Dagster's own declarative-automation sensor uses the same path; the public
  ``RunRequest(asset_selection=..., partition_key_range=...)`` can only request one range for all assets.
- ``instance.get_backfills``: which backfills exist / are in flight and what they target, so the gap sensor
  never requests the same partitions twice and the CLI can follow the one a sensor launched.
- ``AssetCheckEvaluationTargetMaterializationData``: an ``AssetCheckEvaluation`` yielded for a partition is
  shown as current in the UI only when it points at that partition's latest materialization.
- The event-log storage's asset-check records (``get_asset_check_partition_info``,
  ``get_asset_check_execution_history``): the latest check result per partition, which ``nba-backfill
  validate`` reports (the UI's GraphQL ``assetCheckExecutions(partition: …)`` reads the same rows).
- ``instance.all_logs`` (engine events) and ``instance.report_run_failed``: the process id a run worker logs when
  it starts, and marking a run FAILURE from outside it. Dagster's run monitoring cannot tell that a run's process
  is gone under the default run launcher (``supports_check_run_worker_health`` is False; README, Fault matrix),
  so ``sensors/dead_runs.py`` does it for the local deployment.

``nba_backfill_tests/test_dagster_private.py`` exercises every function here on a real instance: a Dagster
upgrade that moves or changes one fails there first, loudly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import dagster as dg
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)
from dagster._core.definitions.assets.graph.asset_graph_subset import AssetGraphSubset
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.execution.backfill import BulkActionStatus
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from nba_backfill.calendar import daily_partitions

TargetMaterialization = AssetCheckEvaluationTargetMaterializationData


@dataclass(frozen=True)
class BackfillInfo:
    """One asset backfill: its id, tags, whether it is still in flight, and asset key → targeted partition keys."""

    backfill_id: str
    tags: dict[str, str]
    in_flight: bool
    targets: dict[dg.AssetKey, list[str]]


@dataclass(frozen=True)
class CheckRecord:
    """The latest recorded execution of one check on one partition.

    ``status``: PASSED, FAILED, NOT_RUN (planned by a run that never evaluated it) or STALE (the asset was
    re-materialized after this result). ``description`` is the evaluation's text for FAILED / STALE.
    """

    key: dg.AssetCheckKey
    partition: str
    status: str
    description: str
    run_id: str


def target_materialization(storage_id: int, run_id: str, timestamp: float) -> TargetMaterialization:
    """The pointer an ``AssetCheckEvaluation`` needs to be the current result of a partition."""
    return TargetMaterialization(storage_id=storage_id, run_id=run_id, timestamp=timestamp)


def backfill_run_request(plan: Mapping[dg.AssetKey, list[str]], tags: Mapping[str, str]) -> dg.RunRequest:
    """A sensor run request that the daemon turns into ONE asset backfill of ``plan`` (asset → partition keys)."""
    subset = AssetGraphSubset(partitions_subsets_by_asset_key={
        key: daily_partitions.empty_subset().with_partition_keys(keys) for key, keys in plan.items() if keys
    })
    return dg.RunRequest.for_asset_graph_subset(subset, tags=dict(tags))


def _info(backfill) -> BackfillInfo:
    targets: dict[dg.AssetKey, list[str]] = {}
    data = backfill.asset_backfill_data
    if data is not None:
        subset = data.target_subset
        for key in subset.asset_keys:
            targets[key] = sorted(subset.get_partitions_subset(key).get_partition_keys())
    return BackfillInfo(backfill.backfill_id, dict(backfill.tags), backfill.status == BulkActionStatus.REQUESTED,
                        targets)


def backfills(instance: dg.DagsterInstance, in_flight_only: bool = False,
              limit: int | None = None) -> list[BackfillInfo]:
    """Backfills of the instance, newest first (only unfinished ones with ``in_flight_only``)."""
    status = BulkActionStatus.REQUESTED if in_flight_only else None
    return [_info(b) for b in instance.get_backfills(status=status, limit=limit)]


def recorded_check_results(instance: dg.DagsterInstance, keys: Sequence[dg.AssetCheckKey],
                           partitions: Iterable[str]) -> list[CheckRecord]:
    """The latest recorded result of each check in ``keys`` on each of ``partitions`` that has one.

    One storage query for every status, then one per FAILED/STALE (check, partition) for its description.

    Raises:
        dagster errors of the instance's storage (e.g. an unmigrated instance).
    """
    storage = instance.event_log_storage
    status_enum = AssetCheckExecutionRecordStatus
    out = []
    for info in storage.get_asset_check_partition_info(list(keys), partition_keys=list(partitions)):
        if info.partition_key is None:
            continue
        raw = info.latest_execution_status
        if raw == status_enum.PLANNED:
            status = "NOT_RUN"
        elif not info.is_current:
            status = "STALE"
        else:
            status = "PASSED" if raw == status_enum.SUCCEEDED else "FAILED"
        description = ""
        if status in ("FAILED", "STALE"):
            history = storage.get_asset_check_execution_history(
                info.check_key, limit=1, status={status_enum.SUCCEEDED, status_enum.FAILED},
                partition_filter=PartitionKeyFilter(key=info.partition_key))
            if history and history[0].event and history[0].event.dagster_event:
                evaluation = history[0].event.dagster_event.event_specific_data
                description = getattr(evaluation, "description", "") or ""
        out.append(CheckRecord(info.check_key, info.partition_key, status, description, info.latest_planned_run_id))
    return out


def requested_backfill_targets(request: dg.RunRequest) -> dict[dg.AssetKey, list[str]]:
    """Asset key → partition keys of a :func:`backfill_run_request` (what a sensor tick asked for)."""
    subset = request.asset_graph_subset
    if subset is None:
        return {}
    return {key: sorted(subset.get_partitions_subset(key).get_partition_keys()) for key in subset.asset_keys}


def run_worker_pid(instance: dg.DagsterInstance, run_id: str) -> tuple[int, float] | None:
    """(pid, when it was logged) of the process executing a run, from its first engine event carrying a ``pid``.

    A run launched by the daemon logs "Started process for run (pid: N)"; an in-process run (``dg.materialize``)
    logs "Executing steps in process (pid: N)". None until the run has logged one.
    """
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.engine_event_data if entry.dagster_event else None
        pid = (data.metadata or {}).get("pid") if data else None
        if pid is not None:
            return int(pid.value), entry.timestamp
    return None


def mark_run_failed(instance: dg.DagsterInstance, run: dg.DagsterRun, message: str) -> None:
    """Record the run as FAILURE with ``message`` (what run monitoring does for a dead worker it can see)."""
    instance.report_run_failed(run, message)
