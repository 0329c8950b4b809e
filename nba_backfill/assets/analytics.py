"""Phase 3 (``nba_analytics``): team offense/defense and player game summaries, each from the same day's raw rows."""


import functools
from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE3, checked_asset_kwargs, selected_tables, table_in
from nba_backfill.assets.day_metadata import add_day_metadata, games, split_by_day
from nba_backfill.checks.analytics import ANALYTICS_CHECKS, evaluate_analytics
from nba_backfill.checks.evaluation import specs
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.analytics import (
    PLAYER_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    TEAM_OFFENSE_GAME_SUMMARY,
)
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_TEAM_BOXSCORE


@dg.multi_asset(**checked_asset_kwargs(
    [TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, PLAYER_GAME_SUMMARY], PHASE3, specs(ANALYTICS_CHECKS),
    ins={"nbac_team_boxscore": table_in(NBAC_TEAM_BOXSCORE), "nbac_player_boxscore": table_in(NBAC_PLAYER_BOXSCORE)}))
def nba_analytics(context: dg.AssetExecutionContext, nbac_team_boxscore: pd.DataFrame,
                  nbac_player_boxscore: pd.DataFrame, warehouse: Warehouse) -> Iterator:
    """The three phase-3 summaries of the run's dates from the day's raw box scores, in one step.

    Yields:
        ``team_offense_game_summary``: one row per team per game — possessions, offensive rating, pace, true
        shooting % (``logic/team_summaries.py``); ``team_defense_game_summary``: one row per defending team per
        game, the opponent's offense line flipped (same possessions value); ``player_game_summary``: one row per
        player per game — minutes, points, usage rate, true shooting %, a DNP flagged, not 0
        (``logic/player_summary.py``); then the phase-3 checks' results per date (``checks/analytics.py``).

    One step for the three (they read the same team box score): the team box score is read once, and a repair
    runs one step instead of three.
    """
    team, players = nbac_team_boxscore, nbac_player_boxscore
    offense = functools.cache(lambda: build_team_offense_game_summary(team))  # defense is built from it: once
    builders = {
        TEAM_OFFENSE_GAME_SUMMARY: offense,
        TEAM_DEFENSE_GAME_SUMMARY: lambda: build_team_defense_game_summary(offense()),
        PLAYER_GAME_SUMMARY: lambda: build_player_game_summary(players, team),
    }
    for table in selected_tables(context, list(builders)):  # none when only the checks run
        out = builders[table]()
        _games_vs_input(context, out, team, asset_key_for(table))
        yield dg.Output(out, output_name=table.name)
    yield from evaluate_analytics(context, warehouse)


def _games_vs_input(context: dg.AssetExecutionContext, out: pd.DataFrame, team_box: pd.DataFrame,
                    asset_key: dg.AssetKey) -> None:
    """Per partition: its row count, and the games of the day's raw team box score vs the games summarized."""
    raw = split_by_day(team_box)
    add_day_metadata(context, out, lambda day, rows: {
        "games_expected": games(raw.get(day, team_box.iloc[0:0])), "games_found": games(rows)}, asset_key=asset_key)
