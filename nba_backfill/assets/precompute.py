"""Phase 4 (``nba_precompute``): player composite factors on D from phase 3 over D-21 … D-1 only."""


from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE4, checked_asset_kwargs, partition_dates, selected_tables, table_in
from nba_backfill.assets.day_metadata import add_day_metadata, day_keys, games, window_bounds
from nba_backfill.calendar import WINDOW_DAYS, feature_window_mapping
from nba_backfill.checks.evaluation import specs
from nba_backfill.checks.features import FACTOR_CHECKS, evaluate_factors
from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.schedule import final_in_scope_games
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.analytics import (
    PLAYER_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    TEAM_OFFENSE_GAME_SUMMARY,
)
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.raw import NBAC_PLAYER_LIST, NBAC_SCHEDULE

# The schedule is read over D-21 … D: the window's expected game dates plus D's slate.
schedule_window_mapping = dg.TimeWindowPartitionMapping(
    start_offset=-WINDOW_DAYS, end_offset=0, allow_nonexistent_upstream_partitions=True
)


@dg.multi_asset(**checked_asset_kwargs(
    [PLAYER_COMPOSITE_FACTORS], PHASE4, specs(FACTOR_CHECKS),
    ins={
        "player_game_summary": table_in(PLAYER_GAME_SUMMARY, feature_window_mapping),
        "team_offense_game_summary": table_in(TEAM_OFFENSE_GAME_SUMMARY, feature_window_mapping),
        "team_defense_game_summary": table_in(TEAM_DEFENSE_GAME_SUMMARY, feature_window_mapping),
        "nbac_schedule": table_in(NBAC_SCHEDULE, schedule_window_mapping),
        "nbac_player_list": table_in(NBAC_PLAYER_LIST),  # the rosters of D (same day): who plays for whom
    }))
def player_composite_factors(
    context: dg.AssetExecutionContext,
    player_game_summary: pd.DataFrame,
    team_offense_game_summary: pd.DataFrame,
    team_defense_game_summary: pd.DataFrame,
    nbac_schedule: pd.DataFrame,
    nbac_player_list: pd.DataFrame,
    warehouse: Warehouse,
) -> Iterator:
    """One row per player expected to play on D: fatigue, pace, opponent defense, usage trend, recent scoring.

    Expected on D: on a roster of D (``nbac_player_list``) whose team plays on D, and played in D-21 … D-1; the
    team and opponent are the roster's. The inputs hold the union of the run's windows (read once per run); the
    logic filters each D to D-21 … D-1 and records expected vs found window dates, so an incomplete window is
    visible per row. Then the factors checks' results per date (``checks/features.py``).
    """
    if not selected_tables(context, [PLAYER_COMPOSITE_FACTORS]):  # the checks alone
        yield from evaluate_factors(context, warehouse)
        return
    factors = build_player_composite_factors(
        partition_dates(context), nbac_schedule, player_game_summary,
        team_offense_game_summary, team_defense_game_summary, nbac_player_list, window_days=WINDOW_DAYS,
    )
    add_day_metadata(context, factors, _window_metadata(nbac_schedule, team_offense_game_summary,
                                                        nbac_player_list))
    yield dg.Output(factors, output_name=PLAYER_COMPOSITE_FACTORS.name)
    yield from evaluate_factors(context, warehouse)  # ERROR, not blocking: one bad window stops no other date


def _window_metadata(schedule: pd.DataFrame, team_offense: pd.DataFrame, rosters: pd.DataFrame):
    """Per D: the window read (D-21 … D-1), its final games owed vs found in phase 3, whether it is complete,
    D's own games expected (scheduled, in scope) vs found (in the factors), and the players on D's rosters.
    """
    roster_day = day_keys(rosters)
    sched_day = day_keys(schedule)
    finals = final_in_scope_games(schedule) if len(schedule) else schedule
    final_day = day_keys(finals)
    found_ids = set(team_offense["game_id"].astype(str)) if len(team_offense) else set()

    def per_day(day: str, rows: pd.DataFrame) -> dict:
        start, end = window_bounds(day, WINDOW_DAYS)
        in_window = finals[(final_day >= start.isoformat()) & (final_day <= end.isoformat())]
        missing = in_window[~in_window["game_id"].astype(str).isin(found_ids)]
        on_day = schedule[(sched_day == day) & schedule["in_scope"].astype(bool)] if len(schedule) else schedule
        return {
            "games_expected": games(on_day), "games_found": games(rows),
            "window": f"{start} … {end} (D-{WINDOW_DAYS} … D-1)",
            "window_games_expected": games(in_window), "window_games_found": games(in_window) - games(missing),
            "window_is_complete": len(missing) == 0,
            "window_missing_dates": ", ".join(sorted(set(day_keys(missing)))) or "none",
            "rows_with_incomplete_window": int((~rows["window_is_complete"].astype(bool)).sum()) if len(rows) else 0,
            "players_on_rosters_of_d": int((roster_day == day).sum()) if len(rosters) else 0,
        }

    return per_day
