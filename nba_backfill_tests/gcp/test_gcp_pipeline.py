"""The same pipeline on ``local`` (DuckDB + folder + SQLite instance) and on ``gcp`` (BigQuery + GCS emulators +
a Postgres-backed Dagster instance): every table agrees row for row, and the sensor, the checks and the CLI
behave the same.

Scenario on three real game dates (2026-01-19 … 2026-01-21, 8 + 7 + 8 final games), through the replay of
stats.nba.com and real Dagster runs, identical for both deployments:

1. schedule + props as one range run; one nightly run per date while the replay serves HTTP 200 with empty
   statistics for every game of 2026-01-20 (the incident's fault): that night fails loudly;
2. a gap-sensor tick (``dg.build_sensor_context``) requests 2026-01-20 with its downstream closure;
3. the source recovers: every asset over the three dates as one range run (raw → phase 5 and grading, with
   every check), then the same run again (nothing may duplicate);
4. a stat correction in the raw object of 0022500615 (2026-01-20: a made 2 moves from one SAS player to a
   teammate, as the league's corrections between players do; the final score stands), processed again from the
   object store: box scores, phase 3 and phases 4–5 of 2026-01-20 … 2026-01-21 as one range run (grading of
   the 20th, factors and predictions of the 21st change).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

import dagster as dg
import pandas as pd
import pytest
from click.testing import CliRunner

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.cli import app
from nba_backfill.dagster_private import requested_backfill_targets
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.logic.schedule import boxscore_object_name
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES
from nba_backfill.operate.runner import RunOutcome, materialize_partition, materialize_range, project_instance
from nba_backfill.schemas import ALL_TABLES
from nba_backfill.schemas.table import Table
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.sensors.gap_sensor import gap_sensor
from nba_backfill.settings import Settings, local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer
from nba_backfill.validation.recorded import recorded_checks
from nba_backfill_tests.gcp.deployment import REPORT, gcp_environment, make_gcp_settings

pytestmark = pytest.mark.gcp

DAYS = ("2026-01-19", "2026-01-20", "2026-01-21")
BAD_DAY = "2026-01-20"
EDIT_GAME = "0022500615"  # 2026-01-20, SAS away (real)
BOX_AND_PHASE3 = [k for k in NIGHTLY if k != BOXSCORE_FILES_KEY]
runner = CliRunner()


@dataclass
class Deployment:
    """One deployment after the scenario: what it ran and what its sensor said."""

    name: str
    settings: Settings
    env: dict[str, str]
    instance: dg.DagsterInstance
    defs: dg.Definitions
    resources: dict
    runs: dict[str, RunOutcome] = field(default_factory=dict)
    gap_tick: object = None
    gap_tick_after: object = None
    seconds: float = 0.0
    jobs: dict[str, Counter] = field(default_factory=dict)  # BigQuery jobs per run: (kind, table) -> count


class _JobLog(logging.Handler):
    """Collects the BigQuery jobs the warehouse logs (``bigquery <kind> <table> (<n> dates): …``)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.jobs: Counter = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        kind, table = record.args[0], record.args[1]
        self.jobs[(kind, table.split(".", 1)[1])] += 1


def _gap_tick(deployment: Deployment):
    resources = {"warehouse": deployment.resources["warehouse"], "scope": deployment.resources["scope"]}
    return gap_sensor(dg.build_sensor_context(instance=deployment.instance, resources=resources))


def _correct_a_stat(store) -> None:
    """A stat correction between two SAS players: one's made 2 becomes the other's (the team line and the final
    score are unchanged, so the raw checks still hold).
    """
    name = boxscore_object_name(BAD_DAY, EDIT_GAME)
    payload = store.get_json(name)
    team = payload["boxScoreTraditional"]["awayTeam"]
    assert team["teamTricode"] == "SAS"
    gains = max(team["players"], key=lambda p: p["statistics"]["fieldGoalsAttempted"]
                - p["statistics"]["fieldGoalsMade"])
    loses = next(p for p in team["players"] if p is not gains
                 and p["statistics"]["fieldGoalsMade"] > p["statistics"]["threePointersMade"])
    gains["statistics"]["fieldGoalsMade"] += 1
    gains["statistics"]["points"] += 2
    loses["statistics"]["fieldGoalsMade"] -= 1
    loses["statistics"]["points"] -= 2
    store.put_json(name, payload)


def _counting_jobs(d: Deployment, step: str, run):
    """Run ``run()`` and keep the BigQuery jobs it started under ``step`` (for the README's cost model)."""
    handler, logger = _JobLog(), logging.getLogger("nba_backfill.resources.bigquery_warehouse")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        d.runs[step] = run()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    d.jobs[step] = handler.jobs


def run_scenario(name: str, settings: Settings, env: dict[str, str], replay: ReplayServer) -> Deployment:
    began = time.monotonic()
    client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
    defs = build_defs(settings, resource_overrides={"nba_stats": client})
    d = Deployment(name, settings, env, project_instance(settings), defs, build_resources(settings))
    every_asset = tuple(key for assets_def in defs.assets for key in assets_def.keys)
    first, last = DAYS[0], DAYS[-1]

    replay.set_faults({"rules": [{"kind": "empty_stats", "dates": [BAD_DAY]}]})
    d.runs["sources"] = materialize_range(defs, d.instance, PlannedRun(tuple(SOURCES), first, last))
    for day in DAYS:
        d.runs[f"nightly {day}"] = materialize_partition(defs, d.instance, day, selection=NIGHTLY)
    d.gap_tick = _gap_tick(d)
    replay.set_faults({})
    # the repair and phases 4–5 (with every check) as one range run, then the same run again
    d.runs["full"] = materialize_range(defs, d.instance, PlannedRun(every_asset, first, last))
    _counting_jobs(d, "re-run", lambda: materialize_range(defs, d.instance, PlannedRun(every_asset, first, last)))
    _correct_a_stat(d.resources["object_store"])
    corrected = (*BOX_AND_PHASE3, *FEATURES)  # from the corrected object down to the 21st's predictions
    d.runs["corrected"] = materialize_range(defs, d.instance, PlannedRun(corrected, BAD_DAY, last))
    d.gap_tick_after = _gap_tick(d)
    d.seconds = time.monotonic() - began
    return d


@pytest.fixture(scope="module")
def deployments(tmp_path_factory, bigquery_server, storage_server, dagster_pg_env):
    """``{"local": Deployment, "gcp": Deployment}`` after the same scenario against the same replay."""
    scope = {"season_start": DAYS[0], "season_end": DAYS[-1]}
    local = local_settings(tmp_path_factory.mktemp("local_home"), **scope)
    cloud = make_gcp_settings(tmp_path_factory.mktemp("gcp_home"), bigquery_server, storage_server, **scope)
    local_env = {"NBA_BACKFILL_DEPLOYMENT": "local", "NBA_BACKFILL_HOME": str(local.home),
                 "DAGSTER_HOME": str(local.dagster_home), "NBA_BACKFILL_SEASON_START": DAYS[0],
                 "NBA_BACKFILL_SEASON_END": DAYS[-1]}
    with pytest.MonkeyPatch.context() as mp, ReplayServer() as replay:
        for key, value in dagster_pg_env.items():  # what the gcp dagster.yaml reads
            mp.setenv(key, value)
        out = {"local": run_scenario("local", local, local_env, replay),
               "gcp": run_scenario("gcp", cloud, gcp_environment(cloud, dagster_pg_env), replay)}
        yield out
        for d in out.values():
            d.instance.dispose()


def _days() -> list[dt.date]:
    return [dt.date.fromisoformat(d) for d in DAYS]


def _rows(table: Table, df: pd.DataFrame) -> list[tuple]:
    """Rows as comparable tuples (missing values as None, floats exact)."""
    df = df.astype(object).where(df.notna(), None)
    return [tuple(r) for r in df.itertuples(index=False, name=None)]


def test_every_run_went_the_same_way_and_the_gcp_instance_is_postgres(deployments):
    local, cloud = deployments["local"], deployments["gcp"]
    assert type(cloud.instance.run_storage).__name__ == "PostgresRunStorage"
    assert type(cloud.instance.event_log_storage).__name__ == "PostgresEventLogStorage"
    assert type(local.instance.run_storage).__name__ == "SqliteRunStorage"
    outcome = {name: {step: run.success for step, run in d.runs.items()} for name, d in deployments.items()}
    assert outcome["gcp"] == outcome["local"]
    assert [step for step, ok in outcome["gcp"].items() if not ok] == [f"nightly {BAD_DAY}"], \
        {step: run.failures for step, run in cloud.runs.items()}
    assert "EmptyStatsError" in "\n".join(cloud.runs[f"nightly {BAD_DAY}"].failures) or \
        "empty" in "\n".join(cloud.runs[f"nightly {BAD_DAY}"].failures).lower()
    # the runs, materializations and partitions are in Postgres
    schedule = dg.AssetKey(["nba_raw", "nbac_schedule"])
    assert cloud.instance.get_materialized_partitions(schedule) == set(DAYS)
    assert len(cloud.instance.get_run_records()) == len(cloud.runs)
    REPORT.extend(f"{d.name} scenario ({len(d.runs)} runs): {d.seconds:.1f} s" for d in deployments.values())
    for step, jobs in cloud.jobs.items():  # the cost model's query counts (README, Production on GCP)
        per_kind = Counter()
        for (kind, _), n in jobs.items():
            per_kind[kind] += n
        REPORT.append(f"gcp BigQuery jobs of the {step} run: {dict(per_kind)}; per table: "
                      + json.dumps({f"{k}:{t}": n for (k, t), n in sorted(jobs.items())}))


def test_every_table_agrees_row_for_row_and_no_date_has_duplicates(deployments):
    local, cloud = deployments["local"], deployments["gcp"]
    days = _days()
    compared = different = 0
    lines = []
    for table in ALL_TABLES:
        a = local.resources["warehouse"].read_slices(table, days)
        b = cloud.resources["warehouse"].read_slices(table, days)
        key = list(dict.fromkeys(("game_date", *table.primary_key)))
        for name, df in (("local", a), ("gcp", b)):
            assert not df.duplicated(subset=key).any(), f"{name} {table.qualified_name} has duplicate keys"
        rows_a, rows_b = _rows(table, a), _rows(table, b)
        only_a = len(set(rows_a) - set(rows_b))
        only_b = len(set(rows_b) - set(rows_a))
        compared += max(len(rows_a), len(rows_b))
        different += only_a + only_b
        lines.append(f"{table.qualified_name}: {len(rows_a)} local / {len(rows_b)} gcp rows, "
                     f"{only_a + only_b} different")
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)
    REPORT.extend([*lines, f"parity: {compared} rows compared over {len(ALL_TABLES)} tables, "
                                      f"{different} rows different"])
    assert different == 0 and compared > 2500


def test_the_stat_correction_reached_phase_3_and_the_next_days_predictions(deployments):
    from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY

    cloud = deployments["gcp"]
    summary = cloud.resources["warehouse"].read_slices(PLAYER_GAME_SUMMARY, [dt.date.fromisoformat(BAD_DAY)])
    sas = summary[summary["game_id"] == EDIT_GAME]
    payload = cloud.resources["object_store"].get_json(boxscore_object_name(BAD_DAY, EDIT_GAME))
    team = payload["boxScoreTraditional"]["awayTeam"]
    assert int(sas[sas["team_abbr"] == "SAS"]["points"].sum()) == team["statistics"]["points"]
    # every SAS player's phase-3 points are the corrected object's (the two corrected players included)
    corrected = {int(p["personId"]): p["statistics"]["points"] for p in team["players"]}
    stored = sas[sas["team_abbr"] == "SAS"].set_index("player_id")["points"].astype(int).to_dict()
    assert {pid: stored.get(pid) for pid in corrected if pid in stored} == {
        pid: pts for pid, pts in corrected.items() if pid in stored}
    # the raw objects agree too: names and payloads (but the response's own timestamp, meta.time)
    local_store, gcp_store = deployments["local"].resources["object_store"], cloud.resources["object_store"]
    names = local_store.list("nba-com/")
    assert names == gcp_store.list("nba-com/") and len(names) == 23  # 8 + 7 + 8 final games
    differ = [n for n in names if {**local_store.get_json(n), "meta": None} != {**gcp_store.get_json(n), "meta": None}]
    assert differ == []


def test_gap_sensor_on_gcp_requests_the_failed_day_with_its_closure_then_sees_no_gap(deployments):
    cloud = deployments["gcp"]
    result = cloud.gap_tick
    assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
    targets = {k.to_user_string(): v for k, v in requested_backfill_targets(result.run_requests[0]).items()}
    assert targets["nba_raw/nbac_team_boxscore"] == [BAD_DAY]
    assert targets["nba_precompute/player_composite_factors"] == date_range(dt.date(2026, 1, 21),
                                                                            dt.date(2026, 2, 10))
    local_targets = requested_backfill_targets(deployments["local"].gap_tick.run_requests[0])
    assert {k.to_user_string(): v for k, v in local_targets.items()} == targets
    assert cloud.gap_tick_after.skip_reason.skip_message == \
        "no gaps: every watched date holds what its schedule owes"


def test_checks_of_the_range_runs_are_recorded_per_partition_in_postgres_like_local(deployments):
    statuses = {}
    for name, d in deployments.items():
        keys = list(d.defs.resolve_asset_graph().asset_check_keys)
        statuses[name] = {(k.to_user_string(), day): r.status for (k, day), r in
                          recorded_checks(d.instance, keys, DAYS).items()}
    assert statuses["gcp"] == statuses["local"]
    assert statuses["gcp"][("nba_raw/nbac_team_boxscore:complete_and_consistent", BAD_DAY)] == "PASSED"
    assert statuses["gcp"][("nba_precompute/player_composite_factors:window_complete", DAYS[-1])] in (
        "PASSED", "FAILED")
    assert len(statuses["gcp"]) >= 8 * len(DAYS)


def _cli(d: Deployment, *args: str):
    result = runner.invoke(app, list(args), env={**d.env, "COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_validate_grade_and_gaps_commands_print_the_same_on_gcp(deployments):
    local, cloud = deployments["local"], deployments["gcp"]
    validate = [_cli(d, "validate", DAYS[0], DAYS[-1], "--format", "json") for d in (local, cloud)]
    assert validate[1].exit_code == validate[0].exit_code
    reports = [json.loads(r.output) for r in validate]
    assert reports[1] == reports[0] and [r["date"] for r in reports[1]] == list(DAYS)
    day = _cli(cloud, "validate", DAYS[-1])
    assert f"overall {DAYS[-1]}:" in day.output
    grade = [_cli(d, "grade", DAYS[0], DAYS[-1]) for d in (local, cloud)]
    assert grade[1].exit_code == grade[0].exit_code == 0 and grade[1].output == grade[0].output
    assert "ensemble_v1_1" in grade[1].output
    gaps = [_cli(d, "gaps") for d in (local, cloud)]
    assert gaps[1].exit_code == gaps[0].exit_code == 0, gaps[1].output
    assert "no gaps" in gaps[1].output
