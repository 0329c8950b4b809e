"""Every function of the ``nba_backfill/dagster_private`` package on a real Dagster instance: an upgrade that moves
or changes a non-public API, the SQLite schema or the semantics the SQLite readers reproduce fails here first,
loudly (dagster is pinned to 1.13.27 in pyproject.toml).

``backfills`` on an instance that holds real asset backfills is exercised under a real daemon in
``sensors/test_self_healing_e2e.py``; here it runs on an empty instance (the call path and the status enum). The
SQLite readers (``sqlite_checks``, ``sqlite_partitions``) are compared with the Dagster calls on instances whose
``dagster.yaml`` is the project's own and two other SQLite layouts, through every status: PASSED, FAILED with its
description, STALE, NOT_RUN; MATERIALIZED, FAILED (also the failure Dagster's status cache keeps after a later
attempt that did not materialize), IN_PROGRESS and MISSING. ``validation/test_validate_cli.py`` compares them on
the demo's instance.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import dagster as dg
import pytest

from nba_backfill.calendar import daily_partitions
from nba_backfill.dagster_private import (
    backfill_run_request,
    backfills,
    latest_materialization_targets,
    mark_run_failed,
    recorded_check_results,
    requested_backfill_targets,
    run_worker_pid,
    target_materialization,
)
from nba_backfill_tests.imports import loaded_modules

KEY = dg.AssetKey(["nba_raw", "probe"])
CHECK = dg.AssetCheckKey(KEY, "points_positive")


def test_backfill_run_request_round_trips_different_partitions_per_asset():
    plan = {KEY: ["2026-01-20"], dg.AssetKey(["nba_precompute", "probe"]): ["2026-01-21", "2026-01-22"]}
    request = backfill_run_request(plan, {"nba_backfill/trigger": "test"})
    assert request.tags == {"nba_backfill/trigger": "test"}
    assert requested_backfill_targets(request) == plan


def test_latest_materialization_targets_equal_the_public_records():
    """The index-column read equals ``fetch_materializations``' newest record per partition (storage id, run id,
    timestamp to the microsecond the column keeps), on a re-materialized partition too.
    """
    @dg.asset(key=KEY, partitions_def=daily_partitions)
    def probe() -> None:
        return None

    days = ["2026-01-19", "2026-01-20", "2026-01-21"]
    with dg.instance_for_test() as instance:
        assert dg.materialize([probe], instance=instance, tags={
            "dagster/asset_partition_range_start": days[0], "dagster/asset_partition_range_end": days[-1]}).success
        assert dg.materialize([probe], partition_key=days[1], instance=instance).success  # newer, other run
        targets = latest_materialization_targets(instance, KEY, days + ["2026-01-22"])
        records = instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=KEY), limit=10).records
    newest = {}
    for record in records:  # newest first
        newest.setdefault(record.partition_key, record)
    assert sorted(targets) == days  # a partition never materialized has no target
    for day in days:
        assert (targets[day].storage_id, targets[day].run_id) == (newest[day].storage_id, newest[day].run_id)
        assert abs(targets[day].timestamp - newest[day].timestamp) < 1e-5
    assert targets[days[1]].run_id != targets[days[0]].run_id


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


class _NoStore(dg.IOManager):
    """Outputs of ``None`` over several partitions (the default IO manager refuses range runs)."""

    def handle_output(self, context, obj) -> None:
        """Store nothing."""

    def load_input(self, context) -> None:
        """Nothing to load."""


def test_the_local_instance_uses_the_pooled_event_log_and_the_short_backfill_cadence(tmp_path, monkeypatch):
    """The local dagster.yaml names both classes; a range run's events land in Dagster's own SQLite files, which
    Dagster's stock storage reads back unchanged (the UI and other processes use the stock reader's schema):
    materializations, the asset's ``asset_keys`` row and the checks' rows, also when written as batches.
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

        @dg.multi_asset(outs={"probe": dg.AssetOut(key=KEY)}, partitions_def=daily_partitions,
                        check_specs=[dg.AssetCheckSpec(CHECK.name, asset=KEY)])
        def probe(context):
            yield dg.Output(None, output_name="probe")
            for day in context.partition_keys:  # the project's checks: one evaluation per partition
                yield dg.AssetCheckEvaluation(asset_key=KEY, check_name=CHECK.name, partition=day,
                                              passed=day != "2026-01-20")
            yield dg.Output(None, output_name=f"nba_raw__probe_{CHECK.name}")

        batches: list[list[str]] = []
        store_batch = PooledSqliteEventLogStorage.store_event_batch
        monkeypatch.setattr(PooledSqliteEventLogStorage, "store_event_batch", lambda self, events: (
            batches.append(sorted(e.dagster_event_type.value for e in events)), store_batch(self, events))[1])
        days = ["2026-01-19", "2026-01-20", "2026-01-21"]
        runs = [dg.materialize([probe], instance=instance, resources={"io_manager": _NoStore()}, tags={
            "dagster/asset_partition_range_start": days[0], "dagster/asset_partition_range_end": days[-1]})
            for _ in range(2)]  # the second run updates the asset's row and plans the check again
        assert all(r.success for r in runs)
        # Dagster batches a run's planned events and one output's materializations (the variable the storage
        # sets); the pooled storage writes each batch with one statement per table.
        assert os.environ["DAGSTER_EVENT_BATCH_SIZE"] == "1000"
        assert batches == [["ASSET_CHECK_EVALUATION_PLANNED", *["ASSET_MATERIALIZATION_PLANNED"] * 3],
                           ["ASSET_MATERIALIZATION"] * 3] * 2
        stock = SqliteEventLogStorage(str(tmp_path / "dagster" / "history" / "runs"))
        records = stock.fetch_materializations(dg.AssetRecordsFilter(asset_key=KEY), limit=10).records
        assert sorted(r.partition_key for r in records) == sorted(days * 2)
        assert len(stock.get_logs_for_run(runs[1].run_id)) == len(instance.all_logs(runs[1].run_id))
        # asset_keys: the row the pooled storage upserts (UPDATE, then INSERT only for a new asset)
        [asset] = stock.get_asset_records([KEY])
        latest = asset.asset_entry.last_materialization_record
        assert (latest.run_id, latest.partition_key) == (runs[1].run_id, days[-1])
        assert asset.asset_entry.last_run_id == runs[1].run_id
        # asset_check_executions: one planned row per partition and run (serialized once), then its evaluation
        history = stock.get_asset_check_execution_history(CHECK, limit=10)
        assert sorted((h.run_id, h.partition, h.status.value) for h in history) == sorted(
            (r.run_id, day, "FAILED" if day == "2026-01-20" else "SUCCEEDED") for r in runs for day in days)
        assert stock.has_table("asset_check_executions") and instance.event_log_storage.has_table(
            "asset_check_executions")
        instance.event_log_storage.wipe()  # open shards are closed before their files go
        assert instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=KEY), limit=10).records == []
    finally:
        controller.DEFAULT_DAEMON_INTERVAL_SECONDS = default_interval


# --- the SQLite readers against the Dagster calls ----------------------------------------------------------------

DAYS = ["2026-01-19", "2026-01-20", "2026-01-21", "2026-01-22", "2026-01-23"]
# What the probe asset does per day in the next run: "ok", "raise" (step failure), "skip" (no output), or "wait"
# (block until released, to catch the run in progress); what its check says: passed unless the day is listed.
ASSET_DOES: dict[str, str] = {}
CHECK_FAILS = {"2026-01-20": "2026-01-20: game 0022500615 NYK points 0 (team box score: 0 vs 120)"}
STARTED, RELEASE = threading.Event(), threading.Event()


@dg.asset(key=KEY, partitions_def=daily_partitions, output_required=False)
def probe_asset(context):
    action = ASSET_DOES.get(context.partition_key, "ok")
    if action == "raise":
        raise RuntimeError(f"source empty for {context.partition_key}")
    if action == "wait":
        STARTED.set()
        assert RELEASE.wait(60)
    if action != "skip":
        yield dg.Output(None)


PROBE_SPEC = dg.AssetCheckSpec("points_positive", asset=KEY, partitions_def=daily_partitions)


@dg.multi_asset_check(specs=[PROBE_SPEC])
def probe_checks(context):
    for day in context.partition_keys:
        [record] = context.instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=KEY, asset_partitions=[day]), limit=1).records
        yield dg.AssetCheckEvaluation(
            asset_key=KEY, check_name=CHECK.name, passed=day not in CHECK_FAILS, partition=day,
            description=CHECK_FAILS.get(day, f"{day}: expected 14 team rows, found 14"),
            target_materialization_data=target_materialization(record.storage_id, record.run_id, record.timestamp))
    yield dg.Output(None, output_name=PROBE_SPEC.get_python_identifier())


def _run(instance: dg.DagsterInstance, day: str, action: str = "ok", with_check: bool = True) -> bool:
    ASSET_DOES[day] = action
    try:
        return dg.materialize([probe_asset, probe_checks] if with_check else [probe_asset], partition_key=day,
                              instance=instance, raise_on_error=False).success
    finally:
        ASSET_DOES.pop(day)


def _both(instance: dg.DagsterInstance, home: Path) -> tuple[dict[str, tuple], dict[str, str]]:
    """The SQLite readers' answers (check results by day, status by day), asserted equal to the Dagster calls'."""
    from nba_backfill.dagster_private.sqlite_checks import latest_check_results
    from nba_backfill.dagster_private.sqlite_index import open_sqlite_instance
    from nba_backfill.dagster_private.sqlite_partitions import partition_status
    from nba_backfill.sensors.partition_status import partition_status as dagster_partition_status

    sqlite = open_sqlite_instance(home)
    assert sqlite is not None
    try:  # the SQLite readers first: the Dagster status call then refreshes the cache they read as it was
        mine = {r.partition: (r.status, r.description, r.run_id)
                for r in latest_check_results(sqlite.index, [(KEY.to_user_string(), CHECK.name)], DAYS)}
        mine_status = partition_status(sqlite.index, sqlite.runs, KEY.to_user_string(), DAYS)
    finally:
        sqlite.close()
    theirs = {r.partition: (r.status, r.description, r.run_id)
              for r in recorded_check_results(instance, [CHECK], DAYS)}
    assert {r.key for r in recorded_check_results(instance, [CHECK], DAYS)} <= {CHECK}
    assert mine == theirs
    assert mine_status == dagster_partition_status(instance, KEY, DAYS)
    return mine, mine_status


def test_the_sqlite_readers_return_what_dagster_returns_through_every_status(tmp_path):
    from nba_backfill.settings import ensure_dagster_home, local_settings

    home = ensure_dagster_home(local_settings(tmp_path))  # the project's own dagster.yaml: SQLite storage
    instance = dg.DagsterInstance.from_config(str(home))
    checks, status = _both(instance, home)
    assert (checks, status) == ({}, dict.fromkeys(DAYS, "MISSING"))

    for day in DAYS[:3]:
        assert _run(instance, day)
    assert _run(instance, "2026-01-21", with_check=False)  # re-materialized without its check: result STALE
    assert not _run(instance, "2026-01-22", "raise")  # the asset fails: its check stays planned (NOT_RUN)
    checks, status = _both(instance, home)
    assert {day: result[:2] for day, result in checks.items()} == {
        "2026-01-19": ("PASSED", ""),
        "2026-01-20": ("FAILED", CHECK_FAILS["2026-01-20"]),
        "2026-01-21": ("STALE", "2026-01-21: expected 14 team rows, found 14"),
        "2026-01-22": ("NOT_RUN", ""),
    }
    assert status == {"2026-01-19": "MATERIALIZED", "2026-01-20": "MATERIALIZED", "2026-01-21": "MATERIALIZED",
                      "2026-01-22": "FAILED", "2026-01-23": "MISSING"}

    # A failure Dagster's status cache has seen stays FAILED after a later run that materializes nothing.
    assert not _run(instance, "2026-01-19", "raise")
    assert _both(instance, home)[1]["2026-01-19"] == "FAILED"  # (the Dagster call stores the cache)
    assert _run(instance, "2026-01-19", "skip")
    checks, status = _both(instance, home)
    assert (checks["2026-01-19"][0], status["2026-01-19"]) == ("NOT_RUN", "FAILED")
    assert _run(instance, "2026-01-19")  # a new materialization clears it
    assert _both(instance, home)[1]["2026-01-19"] == "MATERIALIZED"

    # A run caught in flight.
    STARTED.clear()
    RELEASE.clear()
    ASSET_DOES["2026-01-23"] = "wait"
    worker = threading.Thread(target=dg.materialize, args=([probe_asset, probe_checks],),
                              kwargs={"partition_key": "2026-01-23", "instance": instance, "raise_on_error": False})
    worker.start()
    try:
        assert STARTED.wait(60)
        checks, status = _both(instance, home)
        assert (checks["2026-01-23"][0], status["2026-01-23"]) == ("NOT_RUN", "IN_PROGRESS")
    finally:
        RELEASE.set()
        worker.join(60)
        ASSET_DOES.pop("2026-01-23")
    checks, status = _both(instance, home)
    assert (checks["2026-01-23"][0], status["2026-01-23"]) == ("PASSED", "MATERIALIZED")


@pytest.mark.parametrize("layout", ["storage_sqlite_env", "legacy_event_log_storage"])
def test_the_sqlite_readers_follow_the_instance_layout(tmp_path, monkeypatch, layout):
    """``storage: sqlite`` with the folder from the environment, and a legacy ``event_log_storage`` block (the
    layout of the project's pooled SQLite event-log storage: same files under its ``base_dir``).
    """
    from nba_backfill.dagster_private.sqlite_index import sqlite_files

    home = tmp_path / "dagster"
    home.mkdir()
    monkeypatch.setenv("PROBE_STORAGE", str(tmp_path / "state"))
    (home / "dagster.yaml").write_text({
        "storage_sqlite_env": "storage:\n  sqlite:\n    base_dir: {env: PROBE_STORAGE}\n",
        "legacy_event_log_storage": ("event_log_storage:\n  module: dagster._core.storage.event_log\n"
                                     "  class: SqliteEventLogStorage\n  config:\n"
                                     "    base_dir: {env: PROBE_STORAGE}\n"),
    }[layout])
    instance = dg.DagsterInstance.from_config(str(home))
    assert _run(instance, "2026-01-20") and _run(instance, "2026-01-21")
    index, runs = sqlite_files(home)
    assert index.is_file() and runs.is_file()
    assert index.parent == (tmp_path / "state" / "history" / "runs" if layout == "storage_sqlite_env"
                            else tmp_path / "state")
    checks, status = _both(instance, home)
    assert {day: result[0] for day, result in checks.items()} == {"2026-01-20": "FAILED", "2026-01-21": "PASSED"}
    assert status["2026-01-20"] == status["2026-01-21"] == "MATERIALIZED"


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("run_queue:\n  max_concurrent_runs: 1\n", ("history/runs/index.db", "history/runs.db")),
    ("storage:\n  sqlite:\n    base_dir: /srv/dagster\n", ("/srv/dagster/history/runs/index.db",
                                                           "/srv/dagster/history/runs.db")),
    ("event_log_storage:\n  module: nba_backfill.dagster_private\n  class: PooledSqliteEventLogStorage\n"
     "  config:\n    base_dir: /srv/events\n", ("/srv/events/index.db", "history/runs.db")),
    ("run_storage:\n  module: dagster._core.storage.runs\n  class: SqliteRunStorage\n  config:\n"
     "    base_dir: /srv/runs\n", ("history/runs/index.db", "/srv/runs/runs.db")),
    ("storage:\n  postgres:\n    postgres_db:\n      hostname: db\n", None),
    ("event_log_storage:\n  module: dagster_postgres\n  class: PostgresEventLogStorage\n  config: {}\n", None),
    ("instance_class:\n  module: some.module\n  class: CustomInstance\n", None),
])
def test_sqlite_files_read_the_layout_from_dagster_yaml(tmp_path, yaml_text, expected):
    from nba_backfill.dagster_private.sqlite_index import sqlite_files

    (tmp_path / "dagster.yaml").write_text(yaml_text)
    found = sqlite_files(tmp_path)
    assert found == (None if expected is None else tuple(tmp_path / p for p in expected))


def test_the_sqlite_modules_import_without_dagster():
    out = loaded_modules("import nba_backfill.dagster_private.sqlite_checks, nba_backfill.dagster_private."
                         "sqlite_partitions; from nba_backfill.dagster_private import sqlite_index", ("dagster",))
    assert out == "[]"


def test_the_project_report_read_without_dagster_equals_the_report_through_dagster(tmp_path):
    """The project's own assets and checks on two real dates of the replay (as in ``checks/test_blocking_checks``):
    NYK's points zeroed in the stored box score of 0022500622 (2026-01-21; NYK scored 120). The range run fails
    on the blocking check, phase 3 never runs; then the team box score of 2026-01-21 is re-materialized without
    its check. At each step the SQLite readers return exactly the Dagster calls' records and statuses, and
    ``validate_days`` gives the same reports through both.
    """
    from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
    from nba_backfill.checks import raw
    from nba_backfill.definitions import build_defs, build_resources
    from nba_backfill.logic.schedule import boxscore_object_name
    from nba_backfill.operate.demo import NIGHTLY, SOURCES
    from nba_backfill.operate.runner import materialize_range, project_instance
    from nba_backfill.resources.readers import local_readers
    from nba_backfill.sensors.cascade_plan import PlannedRun
    from nba_backfill.settings import local_settings
    from nba_backfill.sources.nba_stats_client import NbaStatsClient
    from nba_backfill.sources.replay_server import ReplayServer
    from nba_backfill.validation.check_lines import LINE_CHECKS
    from nba_backfill.validation.recorded import DagsterRecords, SqliteRecords, open_records
    from nba_backfill.validation.render import as_json
    from nba_backfill.validation.report import validate_days

    settings, days = local_settings(tmp_path), ("2026-01-20", "2026-01-21")
    dates = [dt.date.fromisoformat(d) for d in days]
    resources = build_resources(settings)
    pairs = [(asset, name) for asset, names in LINE_CHECKS.values() for name in names]

    def compare() -> tuple[dict, list]:
        records = open_records(settings.dagster_home)
        assert isinstance(records, SqliteRecords)
        through_dagster = DagsterRecords(instance)
        try:
            mine = sorted(records.check_results(pairs, days), key=lambda r: (r.asset, r.check, r.partition))
            assert mine == sorted(through_dagster.check_results(pairs, days),
                                  key=lambda r: (r.asset, r.check, r.partition))
            for asset in dict.fromkeys(a for a, _ in LINE_CHECKS.values()):
                assert records.materialized_days(asset, days) == through_dagster.materialized_days(asset, days)
            fast = as_json(validate_days(*local_readers(settings), dates, records))
        finally:
            records.close()
        assert fast == as_json(validate_days(resources["warehouse"], resources["object_store"], dates, instance))
        return {(r.asset.split("/")[1], r.partition): (r.status, r.description) for r in mine}, fast

    with ReplayServer() as replay:
        defs = build_defs(settings, resource_overrides={
            "nba_stats": NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)})
        instance = project_instance(settings)
        assert materialize_range(defs, instance, PlannedRun(tuple(SOURCES), *days)).success
        assert materialize_range(defs, instance, PlannedRun((BOXSCORE_FILES_KEY,), *days)).success
        name = boxscore_object_name("2026-01-21", "0022500622")
        payload = resources["object_store"].get_json(name)
        assert payload["boxScoreTraditional"]["homeTeam"]["statistics"]["points"] == 120
        payload["boxScoreTraditional"]["homeTeam"]["statistics"]["points"] = 0
        resources["object_store"].put_json(name, payload)
        box_and_phase3 = tuple(k for k in NIGHTLY if k != BOXSCORE_FILES_KEY)
        assert not materialize_range(defs, instance, PlannedRun(box_and_phase3, *days)).success

        checks, report = compare()
        team_failure = ("2026-01-21: expected 14 team rows, found 14; 2 problems:\n- 2026-01-21: game 0022500622, NYK "
                        "row: points = 2·FGM + FG3M + FTM fails (0 vs 120)")
        assert checks[("nbac_team_boxscore", "2026-01-21")][0] == "FAILED"
        assert checks[("nbac_team_boxscore", "2026-01-21")][1].startswith(team_failure)
        assert checks[("nbac_player_boxscore", "2026-01-21")][1].startswith(
            "2026-01-21: expected 156 player rows, found 156; 1 problem:\n- 2026-01-21: game 0022500622, NYK: "
            "player sums differ from the team row — points 120 vs team 0")
        assert {status for (table, _), (status, _) in checks.items() if table.startswith(("team_", "player_g"))} == {
            "NOT_RUN"}  # phase 3 planned by the run, never executed (the blocking check stopped it)
        assert checks[("nbac_team_boxscore", "2026-01-20")] == ("PASSED", "")
        lines = {line["item"]: line for line in report[1]["lines"]}
        assert lines["nbac_team_boxscore rows"]["checks"] == "1 FAILED"
        assert lines["nbac_team_boxscore rows"]["problems"][-1].startswith(
            "check complete_and_consistent failed (run ") and team_failure.split("\n")[0] in \
            lines["nbac_team_boxscore rows"]["problems"][-1]
        assert (lines["team_offense_game_summary rows"]["checks"], lines["team_offense_game_summary rows"]["status"]) \
            == ("1 not run", "MISSING")

        # The team box score re-materialized without its check: the failed result is now STALE.
        assert dg.materialize([*defs.assets, *defs.asset_checks], partition_key="2026-01-21",
                              selection=dg.AssetSelection.assets(raw.TEAM, raw.PLAYER).without_checks(),
                              resources=defs.resources, instance=instance).success
        checks, report = compare()
        assert checks[("nbac_team_boxscore", "2026-01-21")][0] == "STALE"
        assert checks[("nbac_team_boxscore", "2026-01-21")][1].startswith(team_failure)
        lines = {line["item"]: line for line in report[1]["lines"]}
        assert lines["nbac_team_boxscore rows"]["checks"] == "1 stale"
