"""The asset checks inside real Dagster runs: the replay of stats.nba.com, DuckDB and a Dagster instance.

Two stored box scores are corrupted the way a bad source answer that still parses would be: NYK's points zeroed
in 0022500622 on 2026-01-21 (NYK scored 120 = 2·46 + 16 + 12) and one SAS player listed twice in 0022500615 on
2026-01-20. A range run 2026-01-20 … 2026-01-21 of the box-score tables and phase 3 must record each check per
partition (with the date and game in the message) and the blocking checks must keep phase 3 from running on
that data. When the source serves the real box scores again, the same runs succeed and every check passes.
"""

from __future__ import annotations

import dagster as dg
import pytest

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.checks import analytics, raw
from nba_backfill.definitions import build_defs
from nba_backfill.logic.schedule import boxscore_object_name
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.resources.local_object_store import LocalObjectStore
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer
from nba_backfill.validation.recorded import recorded_checks

DAYS = ("2026-01-20", "2026-01-21")
BOX_AND_PHASE3 = tuple(k for k in NIGHTLY if k != BOXSCORE_FILES_KEY)


@pytest.fixture()
def pipeline(tmp_path):
    """Settings, instance and code location of a fresh local deployment pointed at the replay server."""
    settings = local_settings(tmp_path)
    with ReplayServer() as replay:
        defs = build_defs(settings, resource_overrides={
            "nba_stats": NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)})
        yield settings, project_instance(settings), defs


def _corrupt_stored_box_scores(settings) -> None:
    store = LocalObjectStore(root=str(settings.lake_path))
    name = boxscore_object_name("2026-01-21", "0022500622")
    payload = store.get_json(name)
    home = payload["boxScoreTraditional"]["homeTeam"]
    assert (home["teamTricode"], home["statistics"]["points"]) == ("NYK", 120)
    home["statistics"]["points"] = 0
    store.put_json(name, payload)
    name = boxscore_object_name("2026-01-20", "0022500615")
    payload = store.get_json(name)
    away = payload["boxScoreTraditional"]["awayTeam"]
    assert away["teamTricode"] == "SAS"
    away["players"].append(away["players"][0])
    store.put_json(name, payload)


def test_a_blocking_check_stops_phase3_and_records_each_partition_of_the_range_run(pipeline):
    settings, instance, defs = pipeline
    assert materialize_range(defs, instance, PlannedRun(tuple(SOURCES), *DAYS)).success
    assert materialize_range(defs, instance, PlannedRun((BOXSCORE_FILES_KEY,), *DAYS)).success
    _corrupt_stored_box_scores(settings)

    outcome = materialize_range(defs, instance, PlannedRun(BOX_AND_PHASE3, *DAYS))
    assert not outcome.success
    failure = "\n".join(outcome.failures)
    assert "nba_raw/nbac_team_boxscore complete_and_consistent failed on 1 of 2 dates" in failure
    assert "2026-01-21: game 0022500622, NYK row: points = 2·FGM + FG3M + FTM fails (0 vs 120)" in failure
    assert "nba_raw/nbac_player_boxscore sums_match_team_keys_unique failed on 2 of 2 dates" in failure
    # The box scores were written (the check reads them), phase 3 never ran on them.
    for key in (analytics.OFFENSE, analytics.DEFENSE, analytics.PLAYERS):
        assert instance.get_materialized_partitions(key) == set()
    warehouse = DuckDBWarehouse(path=str(settings.warehouse_path))
    assert warehouse.query("SELECT count(*) AS n FROM nba_raw.nbac_team_boxscore")["n"][0] == 28
    assert warehouse.query("SELECT count(*) AS n FROM information_schema.tables "
                           "WHERE table_schema = 'nba_analytics'")["n"][0] == 0

    keys = [raw.TEAM_BOX.key, raw.PLAYER_BOX.key]
    recorded = recorded_checks(instance, keys, DAYS)
    assert {(k.name, day): recorded[(k, day)].status for k in keys for day in DAYS} == {
        ("complete_and_consistent", "2026-01-20"): "PASSED", ("complete_and_consistent", "2026-01-21"): "FAILED",
        ("sums_match_team_keys_unique", "2026-01-20"): "FAILED",
        ("sums_match_team_keys_unique", "2026-01-21"): "FAILED",
    }
    sas = recorded[(raw.PLAYER_BOX.key, "2026-01-20")].description
    assert sas.startswith("2026-01-20: expected 147 player rows, found 148; 2 problems:\n- 2026-01-20: "
                          "nba_raw.nbac_player_boxscore key (game_id=0022500615, player_id=")
    assert "game 0022500615, SAS: player sums differ from the team row" in sas
    assert recorded[(raw.PLAYER_BOX.key, "2026-01-21")].description.startswith(
        "2026-01-21: expected 156 player rows, found 156; 1 problem:\n- 2026-01-21: game 0022500622, NYK: player "
        "sums differ from the team row — points 120 vs team 0")

    # The source serves the real box score again: the same runs repair the day, the checks pass, phase 3 runs.
    assert materialize_range(defs, instance, PlannedRun((BOXSCORE_FILES_KEY,), *DAYS)).success
    assert materialize_range(defs, instance, PlannedRun(BOX_AND_PHASE3, *DAYS)).success
    assert instance.get_materialized_partitions(analytics.OFFENSE) == set(DAYS)
    again = recorded_checks(instance, keys + [analytics.OFFENSE_ROWS.key, analytics.DEFENSE_MIRROR.key], DAYS)
    assert {r.status for r in again.values()} == {"PASSED"} and len(again) == 8


def test_the_check_alone_fails_on_a_corrupted_copy_of_the_demo_naming_date_and_game(demo_warehouse_copy):
    warehouse = DuckDBWarehouse(path=str(demo_warehouse_copy))
    with warehouse.connect() as con:
        con.execute("DELETE FROM nba_raw.nbac_team_boxscore WHERE game_id = '0022500622' AND team_abbr = 'BKN'")
    defs = build_defs(local_settings(demo_warehouse_copy.parent))
    result = dg.materialize(
        [*defs.assets, *defs.asset_checks], selection=dg.AssetSelection.checks(raw.TEAM_BOX.key),
        resources=defs.resources, instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
        tags={"dagster/asset_partition_range_start": "2026-01-20", "dagster/asset_partition_range_end": "2026-01-21"})
    evaluations = {e.partition: e for e in result.get_asset_check_evaluations()}
    assert evaluations["2026-01-20"].passed and not evaluations["2026-01-21"].passed
    assert evaluations["2026-01-21"].metadata["expected"].value == 14
    assert evaluations["2026-01-21"].metadata["found"].value == 13
    assert "2026-01-21: game 0022500622 (BKN at NYK) has 1 team row (1 home, 0 away" in \
        evaluations["2026-01-21"].description
