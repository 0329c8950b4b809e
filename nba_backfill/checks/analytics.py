"""Checks of phase 3 (blocking): one offense and one defense row per team row, defense = opponent's offense,
one player summary row per player box-score row.
"""


import datetime as dt
from collections.abc import Iterator

import dagster as dg

from nba_backfill.checks.evaluation import by_key, check_def, emit, run_dates
from nba_backfill.logic.checks.analytics import check_defense_mirrors, check_rows_match
from nba_backfill.logic.checks.tables import combine
from nba_backfill.resources.readers import read_slices
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_TEAM_BOXSCORE

OFFENSE, DEFENSE, PLAYERS = (asset_key_for(t) for t in (TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY,
                                                        PLAYER_GAME_SUMMARY))
TEAM_KEYS = ["game_id", "team_id"]

OFFENSE_ROWS = check_def(OFFENSE, "one_row_per_team_row", "team rows",
                         "Exactly one offense row per nbac_team_boxscore row of the date (game_id, team_id).",
                         blocking=True)
DEFENSE_MIRROR = check_def(DEFENSE, "mirrors_opponent_offense", "team rows",
                           "Exactly one defense row per nbac_team_boxscore row of the date, and every defense value "
                           "equals the opponent's offense value exactly (points allowed = opponent points, "
                           "possessions, defensive rating = opponent offensive rating, …).", blocking=True)
PLAYER_ROWS = check_def(PLAYERS, "one_row_per_player_row", "player rows",
                        "Exactly one summary row per nbac_player_boxscore row of the date (game_id, player_id).",
                        blocking=True)

ANALYTICS_CHECKS = (OFFENSE_ROWS, DEFENSE_MIRROR, PLAYER_ROWS)


def evaluate_analytics(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Inside the phase-3 step: read the stored raw and phase-3 slices once; one result per check per date."""
    dates = run_dates(context)
    bounds = (min(dates), max(dates) + dt.timedelta(days=1))
    selected = context.selected_asset_check_keys
    tables = [NBAC_TEAM_BOXSCORE, TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY]
    if PLAYER_ROWS.key in selected:
        tables += [PLAYER_GAME_SUMMARY, NBAC_PLAYER_BOXSCORE]
    team, offense, defense, *players = read_slices(warehouse, *((t, *bounds) for t in tables))
    compute = {
        OFFENSE_ROWS.key: lambda: check_rows_match(offense, team, TEAM_KEYS, OFFENSE.to_user_string(),
                                                   NBAC_TEAM_BOXSCORE.qualified_name, dates, OFFENSE.to_user_string()),
        DEFENSE_MIRROR.key: lambda: combine(
            check_rows_match(defense, team, TEAM_KEYS, DEFENSE.to_user_string(), NBAC_TEAM_BOXSCORE.qualified_name,
                             dates, DEFENSE.to_user_string()), check_defense_mirrors(defense, offense, dates)),
        PLAYER_ROWS.key: lambda: check_rows_match(
            *players, ["game_id", "player_id"], PLAYERS.to_user_string(), NBAC_PLAYER_BOXSCORE.qualified_name, dates,
            PLAYERS.to_user_string()),
    }
    yield from emit(context, by_key(ANALYTICS_CHECKS), {k: f() for k, f in compute.items() if k in selected})
