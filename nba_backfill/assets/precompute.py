"""Phase 4 (``nba_precompute``): player composite factors on D from phase 3 over D-21 … D-1 only."""


import datetime as dt
from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE4, checked_asset_kwargs, partition_dates, selected_tables, table_in
from nba_backfill.assets.day_metadata import add_metadata_by_day, day_keys, games_by_day, window_bounds
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
    add_metadata_by_day(context, factors, _window_metadata(context.partition_keys, factors, nbac_schedule,
                                                           team_offense_game_summary, nbac_player_list))
    yield dg.Output(factors, output_name=PLAYER_COMPOSITE_FACTORS.name)
    yield from evaluate_factors(context, warehouse)  # ERROR, not blocking: one bad window stops no other date


def _window_metadata(days: list[str], factors: pd.DataFrame, schedule: pd.DataFrame, team_offense: pd.DataFrame,
                     rosters: pd.DataFrame) -> dict[str, dict]:
    """Per D: the window read (D-21 … D-1), its final games owed vs found in phase 3, whether it is complete,
    D's own games expected (scheduled, in scope) vs found (in the factors), and the players on D's rosters.

    Computed per game date once for the run, then summed over each D's window (a game has one date).
    """
    finals = final_in_scope_games(schedule) if len(schedule) else schedule
    found_ids = set(team_offense["game_id"].astype(str)) if len(team_offense) else set()
    owed = games_by_day(finals)
    missing = games_by_day(finals[~finals["game_id"].astype(str).isin(found_ids)]) if len(finals) else {}
    in_scope = games_by_day(schedule[schedule["in_scope"].astype(bool)]) if len(schedule) else {}
    found = games_by_day(factors)
    incomplete = ({str(k): int(v) for k, v in (~factors["window_is_complete"].astype(bool)).groupby(
        day_keys(factors)).sum().items()} if len(factors) else {})
    on_rosters = day_keys(rosters).value_counts() if len(rosters) else pd.Series(dtype="int64")
    out = {}
    for day in days:
        start, end = window_bounds(day, WINDOW_DAYS)
        window = [(start + dt.timedelta(days=i)).isoformat() for i in range(WINDOW_DAYS)]
        expected = sum(owed.get(d, 0) for d in window)
        short = sum(missing.get(d, 0) for d in window)
        out[day] = {
            "games_expected": in_scope.get(day, 0), "games_found": found.get(day, 0),
            "window": f"{start} … {end} (D-{WINDOW_DAYS} … D-1)",
            "window_games_expected": expected, "window_games_found": expected - short,
            "window_is_complete": short == 0,
            "window_missing_dates": ", ".join(d for d in window if missing.get(d)) or "none",
            "rows_with_incomplete_window": incomplete.get(day, 0),
            "players_on_rosters_of_d": int(on_rosters.get(day, 0)),
        }
    return out
