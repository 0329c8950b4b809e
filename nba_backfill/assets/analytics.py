"""Phase 3 (``nba_analytics``): team offense/defense and player game summaries, each from the same day's raw rows."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import table_asset_kwargs, table_in
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.analytics import (
    PLAYER_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    TEAM_OFFENSE_GAME_SUMMARY,
)
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_TEAM_BOXSCORE


@dg.asset(**table_asset_kwargs(TEAM_OFFENSE_GAME_SUMMARY, "analytics"),
          ins={"nbac_team_boxscore": table_in(NBAC_TEAM_BOXSCORE)})
def team_offense_game_summary(nbac_team_boxscore: pd.DataFrame) -> pd.DataFrame:
    """One row per team per game: possessions, offensive rating, pace, true shooting % (see logic.team_summaries)."""
    return build_team_offense_game_summary(nbac_team_boxscore)


@dg.asset(**table_asset_kwargs(TEAM_DEFENSE_GAME_SUMMARY, "analytics"),
          ins={"nbac_team_boxscore": table_in(NBAC_TEAM_BOXSCORE)})
def team_defense_game_summary(nbac_team_boxscore: pd.DataFrame) -> pd.DataFrame:
    """One row per defending team per game: the opponent's offense line flipped (same possessions value)."""
    return build_team_defense_game_summary(build_team_offense_game_summary(nbac_team_boxscore))


@dg.asset(**table_asset_kwargs(PLAYER_GAME_SUMMARY, "analytics"),
          ins={"nbac_player_boxscore": table_in(NBAC_PLAYER_BOXSCORE),
               "nbac_team_boxscore": table_in(NBAC_TEAM_BOXSCORE)})
def player_game_summary(nbac_player_boxscore: pd.DataFrame, nbac_team_boxscore: pd.DataFrame) -> pd.DataFrame:
    """One row per player per game: minutes, points, usage rate, true shooting %; a DNP is flagged, not 0."""
    return build_player_game_summary(nbac_player_boxscore, nbac_team_boxscore)
