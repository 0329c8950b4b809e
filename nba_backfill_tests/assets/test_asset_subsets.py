"""The checked multi-assets are subsettable: one table of a multi-asset materializes alone (the UI's "Materialize"
of one table with its upstream), and a check runs alone without writing anything. Real replay, real DuckDB, one
real date.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.checks import analytics
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import SOURCES
from nba_backfill.operate.runner import materialize_partition, project_instance
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_TEAM_BOXSCORE
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

DAY = "2026-01-21"  # 7 final regular-season games in the bundled schedule → 14 team rows


def test_one_table_of_a_multi_asset_and_a_check_alone(tmp_path):
    settings = local_settings(tmp_path)
    day = [dt.date.fromisoformat(DAY)]
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        assert materialize_partition(defs, instance, DAY, selection=SOURCES).success
        team_only = [BOXSCORE_FILES_KEY, asset_key_for(NBAC_TEAM_BOXSCORE)]
        assert materialize_partition(defs, instance, DAY, selection=team_only).success
    warehouse = build_resources(settings)["warehouse"]
    assert warehouse.count_by_date(NBAC_TEAM_BOXSCORE, day) == {day[0]: 14}
    assert warehouse.count_by_date(NBAC_PLAYER_BOXSCORE, day) == {}  # not selected: not written

    # Phase 3's offense check alone, before phase 3 exists: it evaluates (and fails: 0 of 14 rows), writes nothing.
    result = dg.materialize([*defs.assets, *defs.asset_checks], selection=dg.AssetSelection.checks(
        analytics.OFFENSE_ROWS.key), resources=defs.resources, instance=instance, raise_on_error=False,
        tags={"dagster/asset_partition_range_start": DAY, "dagster/asset_partition_range_end": DAY})
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.partition == DAY and not evaluation.passed
    assert evaluation.metadata["expected"].value == 14 and evaluation.metadata["found"].value == 0
    assert not result.get_asset_materialization_events()
    assert warehouse.count_by_date(TEAM_OFFENSE_GAME_SUMMARY, day) == {}
    assert warehouse.count_by_date(PLAYER_GAME_SUMMARY, day) == {}
