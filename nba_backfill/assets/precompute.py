"""Phase 4 (``nba_precompute``): player composite factors on D from phase 3 over D-21 … D-1 only."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import partition_dates, table_asset_kwargs, table_in
from nba_backfill.calendar import WINDOW_DAYS, feature_window_mapping
from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.schemas.analytics import (
    PLAYER_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    TEAM_OFFENSE_GAME_SUMMARY,
)
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.raw import NBAC_SCHEDULE

# The schedule is read over D-21 … D: the window's expected game dates plus D's slate.
schedule_window_mapping = dg.TimeWindowPartitionMapping(
    start_offset=-WINDOW_DAYS, end_offset=0, allow_nonexistent_upstream_partitions=True
)


@dg.asset(
    **table_asset_kwargs(PLAYER_COMPOSITE_FACTORS, "precompute"),
    ins={
        "player_game_summary": table_in(PLAYER_GAME_SUMMARY, feature_window_mapping),
        "team_offense_game_summary": table_in(TEAM_OFFENSE_GAME_SUMMARY, feature_window_mapping),
        "team_defense_game_summary": table_in(TEAM_DEFENSE_GAME_SUMMARY, feature_window_mapping),
        "nbac_schedule": table_in(NBAC_SCHEDULE, schedule_window_mapping),
    },
)
def player_composite_factors(
    context: dg.AssetExecutionContext,
    player_game_summary: pd.DataFrame,
    team_offense_game_summary: pd.DataFrame,
    team_defense_game_summary: pd.DataFrame,
    nbac_schedule: pd.DataFrame,
) -> pd.DataFrame:
    """One row per player expected to play on D: fatigue, pace, opponent defense, usage trend, recent scoring.

    The inputs hold the union of the run's windows (read once per run); the logic filters each D to
    D-21 … D-1 and records expected vs found window dates, so an incomplete window is visible per row.
    """
    factors = build_player_composite_factors(
        partition_dates(context), nbac_schedule, player_game_summary,
        team_offense_game_summary, team_defense_game_summary, window_days=WINDOW_DAYS,
    )
    incomplete = int((~factors["window_is_complete"].astype(bool)).sum()) if len(factors) else 0
    context.add_output_metadata({"players": len(factors), "rows_with_incomplete_window": incomplete})
    return factors
