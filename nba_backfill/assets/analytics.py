"""Phase 3 (``nba_analytics``): team offense/defense and player game summaries, each from the same day's raw rows."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE3, table_asset_kwargs, table_in
from nba_backfill.assets.day_metadata import add_day_metadata, games, split_by_day
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.analytics import (
    PLAYER_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    TEAM_OFFENSE_GAME_SUMMARY,
)
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_TEAM_BOXSCORE


@dg.asset(**table_asset_kwargs(TEAM_OFFENSE_GAME_SUMMARY, PHASE3),
          ins={"nbac_team_boxscore": table_in(NBAC_TEAM_BOXSCORE)})
def team_offense_game_summary(context: dg.AssetExecutionContext, nbac_team_boxscore: pd.DataFrame) -> pd.DataFrame:
    """One row per team per game: possessions, offensive rating, pace, true shooting % (see logic.team_summaries)."""
    out = build_team_offense_game_summary(nbac_team_boxscore)
    _games_vs_input(context, out, nbac_team_boxscore)
    return out


@dg.asset(**table_asset_kwargs(TEAM_DEFENSE_GAME_SUMMARY, PHASE3),
          ins={"nbac_team_boxscore": table_in(NBAC_TEAM_BOXSCORE)})
def team_defense_game_summary(context: dg.AssetExecutionContext, nbac_team_boxscore: pd.DataFrame) -> pd.DataFrame:
    """One row per defending team per game: the opponent's offense line flipped (same possessions value)."""
    out = build_team_defense_game_summary(build_team_offense_game_summary(nbac_team_boxscore))
    _games_vs_input(context, out, nbac_team_boxscore)
    return out


@dg.asset(**table_asset_kwargs(PLAYER_GAME_SUMMARY, PHASE3),
          ins={"nbac_player_boxscore": table_in(NBAC_PLAYER_BOXSCORE),
               "nbac_team_boxscore": table_in(NBAC_TEAM_BOXSCORE)})
def player_game_summary(context: dg.AssetExecutionContext, nbac_player_boxscore: pd.DataFrame,
                        nbac_team_boxscore: pd.DataFrame) -> pd.DataFrame:
    """One row per player per game: minutes, points, usage rate, true shooting %; a DNP is flagged, not 0."""
    out = build_player_game_summary(nbac_player_boxscore, nbac_team_boxscore)
    _games_vs_input(context, out, nbac_team_boxscore)
    return out


def _games_vs_input(context: dg.AssetExecutionContext, out: pd.DataFrame, team_box: pd.DataFrame) -> None:
    """Per partition: its row count, and the games of the day's raw team box score vs the games summarized."""
    raw = split_by_day(team_box)
    add_day_metadata(context, out, lambda day, rows: {
        "games_expected": games(raw.get(day, team_box.iloc[0:0])), "games_found": games(rows)})
