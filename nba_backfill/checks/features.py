"""Checks of phases 4–5 (severity ERROR, not blocking): eligible players and complete windows on D,
one prediction per registered system per player, one active row per key, confidences in [0, 1].

Not blocking on purpose: a range run of phases 4–5 covers many dates, and a hole in one window must not keep
every other date of the run from being predicted; the failed dates are recorded per partition instead
(``nba-backfill validate`` and the UI show them until the cascade re-runs them).
"""


import datetime as dt
from collections.abc import Iterator

import dagster as dg

from nba_backfill.calendar import WINDOW_DAYS
from nba_backfill.checks.evaluation import by_key, check_def, emit, run_dates
from nba_backfill.logic.checks.features import (
    check_active_rows,
    check_confidence,
    check_factor_rows,
    check_prediction_systems,
    check_windows,
)
from nba_backfill.logic.checks.tables import combine
from nba_backfill.logic.predictions import SYSTEMS
from nba_backfill.resources.readers import read_slices
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS
from nba_backfill.schemas.raw import NBAC_PLAYER_LIST, NBAC_SCHEDULE

FACTORS, PREDICTIONS = asset_key_for(PLAYER_COMPOSITE_FACTORS), asset_key_for(PLAYER_PROP_PREDICTIONS)

FACTOR_ROWS = check_def(FACTORS, "one_row_per_eligible_player", "players",
                        "One row per player expected on D, for his roster team's game: the rosters of D "
                        f"(nbac_player_list) list him on a team that plays on D and he played in D-{WINDOW_DAYS} … "
                        "D-1 (recomputed from the rosters, player_game_summary and the schedule); a team playing on D "
                        "without any player on the rosters of D fails.", blocking=False)
WINDOWS = check_def(FACTORS, "window_complete", "factors rows",
                    f"Every row's window D-{WINDOW_DAYS} … D-1 holds each scheduled final game date of the player's "
                    "team (expected from nbac_schedule, found in team_offense_game_summary); ERROR on any hole.",
                    blocking=False)
PREDICTION_ROWS = check_def(PREDICTIONS, "one_row_per_player_and_system", "prediction rows",
                            "Exactly one active row per registered prediction system for every composite-factors "
                            "player of D (no two active rows for one player, system and game), every confidence in "
                            "[0, 1] (NULL fails).", blocking=False)

FACTOR_CHECKS = (FACTOR_ROWS, WINDOWS)
PREDICTION_CHECKS = (PREDICTION_ROWS,)


def evaluate_factors(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Inside ``player_composite_factors``' step: read the stored factors and rosters of the run's dates, and
    phase 3 + the schedule over their windows, once; one result per check per date.
    """
    dates = run_dates(context)
    first, stop = min(dates), max(dates) + dt.timedelta(days=1)
    window_start = first - dt.timedelta(days=WINDOW_DAYS)
    factors, schedule, player_games, offense, rosters = read_slices(
        warehouse, (PLAYER_COMPOSITE_FACTORS, first, stop), (NBAC_SCHEDULE, window_start, stop),
        (PLAYER_GAME_SUMMARY, window_start, max(dates)), (TEAM_OFFENSE_GAME_SUMMARY, window_start, max(dates)),
        (NBAC_PLAYER_LIST, first, stop))
    selected = context.selected_asset_check_keys
    compute = {
        FACTOR_ROWS.key: lambda: check_factor_rows(factors, player_games, schedule, rosters, dates, WINDOW_DAYS),
        WINDOWS.key: lambda: check_windows(factors, schedule, offense, dates, WINDOW_DAYS),
    }
    yield from emit(context, by_key(FACTOR_CHECKS), {k: f() for k, f in compute.items() if k in selected})


def evaluate_predictions(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Inside ``player_prop_predictions``' step: read the stored predictions and factors slices once; one result
    per check per date.
    """
    dates = run_dates(context)
    bounds = (min(dates), max(dates) + dt.timedelta(days=1))
    predictions, factors = read_slices(warehouse, (PLAYER_PROP_PREDICTIONS, *bounds),
                                       (PLAYER_COMPOSITE_FACTORS, *bounds))
    selected = context.selected_asset_check_keys
    compute = {
        PREDICTION_ROWS.key: lambda: combine(
            check_prediction_systems(predictions, factors, list(SYSTEMS), dates),
            check_active_rows(predictions, dates), check_confidence(predictions, dates)),
    }
    yield from emit(context, by_key(PREDICTION_CHECKS), {k: f() for k, f in compute.items() if k in selected})
