"""The benchmark's pure-compute floor writes what the Dagster runs write (one date, raw → phase 3, no Dagster)."""

from __future__ import annotations

import datetime as dt

from nba_backfill.assets import ALL_ASSETS
from nba_backfill.definitions import build_resources
from nba_backfill.logic.schedule import final_in_scope_games
from nba_backfill.operate.compute_floor import compute_run
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.raw import NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

DAY = "2025-11-05"  # 12 final regular-season games (real schedule)


def test_compute_floor_builds_raw_to_phase_3_of_one_date(tmp_path):
    with ReplayServer() as replay:
        resources = {**build_resources(local_settings(tmp_path)),
                     "nba_stats": NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)}
        keys = tuple(k for a in ALL_ASSETS for k in a.keys
                     if k.path[0] in ("nba_raw", "nba_analytics") and k.path[1] != "odds_player_points_props")
        written = compute_run(resources, PlannedRun(keys, DAY, DAY))
    day = [dt.date.fromisoformat(DAY)]
    schedule, team, offense, players = resources["warehouse"].read_many(
        [(t, day) for t in (NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE, TEAM_OFFENSE_GAME_SUMMARY, PLAYER_GAME_SUMMARY)])
    finals = len(final_in_scope_games(schedule))
    assert finals > 0
    assert written[NBAC_TEAM_BOXSCORE.name] == len(team) == len(offense) == 2 * finals
    assert len(players) == written[PLAYER_GAME_SUMMARY.name] > 0
