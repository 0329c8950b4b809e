"""Every function of ``nba_backfill/dagster_private.py`` on a real Dagster instance: an upgrade that moves or
changes a non-public API fails here first, loudly (dagster is pinned to 1.13.27 in pyproject.toml).

``backfills`` on an instance that holds real asset backfills is exercised under a real daemon in
``sensors/test_self_healing_e2e.py``; here it runs on an empty instance (the call path and the status enum).
"""

from __future__ import annotations

import dagster as dg

from nba_backfill.calendar import daily_partitions
from nba_backfill.dagster_private import (
    backfill_run_request,
    backfills,
    mark_run_failed,
    recorded_check_results,
    requested_backfill_targets,
    run_worker_pid,
    target_materialization,
)

KEY = dg.AssetKey(["nba_raw", "probe"])
CHECK = dg.AssetCheckKey(KEY, "points_positive")


def test_backfill_run_request_round_trips_different_partitions_per_asset():
    plan = {KEY: ["2026-01-20"], dg.AssetKey(["nba_precompute", "probe"]): ["2026-01-21", "2026-01-22"]}
    request = backfill_run_request(plan, {"nba_backfill/trigger": "test"})
    assert request.tags == {"nba_backfill/trigger": "test"}
    assert requested_backfill_targets(request) == plan


def test_backfills_reads_an_empty_instance():
    with dg.instance_for_test() as instance:
        assert backfills(instance) == [] and backfills(instance, in_flight_only=True, limit=5) == []


def test_check_evaluations_per_partition_are_recorded_current_and_read_back():
    """The pattern of checks/evaluation.py: a check step yields one evaluation per partition, pointing at that
    partition's latest materialization, so the UI and ``recorded_check_results`` show it as current.
    """
    spec = dg.AssetCheckSpec("points_positive", asset=KEY, partitions_def=daily_partitions)

    @dg.asset(key=KEY, partitions_def=daily_partitions)
    def probe():
        return None

    @dg.multi_asset_check(specs=[spec])
    def probe_check(context):
        for day in context.partition_keys:
            [record] = context.instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=KEY, asset_partitions=[day]), limit=1).records
            passed = day != "2026-01-20"
            yield dg.AssetCheckEvaluation(
                asset_key=KEY, check_name=CHECK.name, passed=passed, partition=day,
                description="" if passed else "2026-01-20: game 0022500615 NYK points 0",
                target_materialization_data=target_materialization(record.storage_id, record.run_id,
                                                                   record.timestamp))
        yield dg.Output(None, output_name=spec.get_python_identifier())

    with dg.instance_for_test() as instance:
        for day in ("2026-01-20", "2026-01-21"):
            assert dg.materialize([probe, probe_check], partition_key=day, instance=instance).success
        records = {r.partition: r for r in recorded_check_results(instance, [CHECK], ["2026-01-20", "2026-01-21"])}
    assert records["2026-01-21"].status == "PASSED"
    assert records["2026-01-20"].status == "FAILED"
    assert records["2026-01-20"].description == "2026-01-20: game 0022500615 NYK points 0"


def test_a_run_logs_its_worker_pid_and_can_be_marked_failed_from_outside():
    import os

    @dg.asset
    def probe() -> int:
        return 1

    with dg.instance_for_test() as instance:
        result = dg.materialize([probe], instance=instance)
        pid, logged_at = run_worker_pid(instance, result.run_id)
        assert pid == os.getpid() and logged_at > 0
        run = instance.get_run_by_id(result.run_id)
        mark_run_failed(instance, run, "process gone (test)")
        assert instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.FAILURE
        [event] = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        assert event.message == "process gone (test)"


def test_the_local_instance_uses_the_pooled_event_log_and_the_short_backfill_cadence(tmp_path):
    """The local dagster.yaml names both classes; a range run's events land in Dagster's own SQLite files, which
    Dagster's stock storage reads back unchanged (the UI and other processes use the stock reader's schema).
    """
    import dagster._daemon.controller as controller
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    from nba_backfill.dagster_private import LocalRunCoordinator, PooledSqliteEventLogStorage
    from nba_backfill.operate.runner import project_instance
    from nba_backfill.settings import local_settings

    default_interval = controller.DEFAULT_DAEMON_INTERVAL_SECONDS
    try:
        instance = project_instance(local_settings(tmp_path))
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        assert isinstance(instance.run_coordinator, LocalRunCoordinator)
        assert instance.run_coordinator.dequeue_interval_seconds == 1
        assert controller.DEFAULT_DAEMON_INTERVAL_SECONDS == 2  # what the backfill daemon's loop reads

        @dg.asset(key=KEY, partitions_def=daily_partitions)
        def probe(context) -> None:
            return None

        result = dg.materialize([probe], instance=instance, tags={
            "dagster/asset_partition_range_start": "2026-01-19", "dagster/asset_partition_range_end": "2026-01-21"})
        assert result.success
        stock = SqliteEventLogStorage(str(tmp_path / "dagster" / "history" / "runs"))
        records = stock.fetch_materializations(dg.AssetRecordsFilter(asset_key=KEY), limit=10).records
        assert sorted(r.partition_key for r in records) == ["2026-01-19", "2026-01-20", "2026-01-21"]
        assert len(stock.get_logs_for_run(result.run_id)) == len(instance.all_logs(result.run_id))
        instance.event_log_storage.wipe()  # open shards are closed before their files go
        assert instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=KEY), limit=10).records == []
    finally:
        controller.DEFAULT_DAEMON_INTERVAL_SECONDS = default_interval
