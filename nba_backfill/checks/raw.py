"""Checks of the raw tables (blocking): the schedule, the team and player box scores against it, the rosters."""


import datetime as dt
from collections.abc import Iterator

import dagster as dg

from nba_backfill.checks.evaluation import by_key, check_def, emit, run_dates
from nba_backfill.logic.checks.tables import (
    check_player_list,
    check_player_sums,
    check_schedule,
    check_team_arithmetic,
    check_team_rows,
    check_team_scores,
    check_unique_keys,
    combine,
)
from nba_backfill.resources.readers import read_slices
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_PLAYER_LIST, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE

SCHEDULE, TEAM, PLAYER, ROSTER = (asset_key_for(t) for t in (NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE,
                                                             NBAC_PLAYER_LIST))

SCHEDULE_GAMES = check_def(SCHEDULE, "one_row_per_game", "games",
                           "One row per game id on the date, every status known (1 scheduled, 2 live, 3 final).",
                           blocking=True)
TEAM_BOX = check_def(TEAM, "complete_and_consistent", "team rows",
                     "Rows = 2 × final in-scope games of the date in nbac_schedule, one home and one away row per "
                     "game, (game_id, team_id) unique; points = 2·FGM + FG3M + FTM, OREB + DREB = REB, FGM ≤ FGA, "
                     "FG3M ≤ FG3A, FTM ≤ FTA; each team's points = the schedule's final score, its minutes = "
                     "240 + 25 per overtime (a partial box score of a final game fails). A day without games passes "
                     "with 0 rows expected.", blocking=True)
PLAYER_BOX = check_def(PLAYER, "sums_match_team_keys_unique", "player rows",
                       "Each team's player points, FGA, FTA and 3PA sum to its team row (turnovers excepted: team "
                       "turnovers are credited to no player, see PROVENANCE); (game_id, player_id) unique.",
                       blocking=True)

ROSTER_PLAYERS = check_def(ROSTER, "one_row_per_player_known_teams", "players",
                           "One row per player on the date's rosters (player_id unique), every team id one of the "
                           "30 NBA franchises' (1610612737 … 1610612766), and some players every date.",
                           blocking=True)

SCHEDULE_CHECKS = (SCHEDULE_GAMES,)
ROSTER_CHECKS = (ROSTER_PLAYERS,)
BOX_CHECKS = (TEAM_BOX, PLAYER_BOX)


def _slice_bounds(dates: list[dt.date]) -> tuple[dt.date, dt.date]:
    return min(dates), max(dates) + dt.timedelta(days=1)


def evaluate_schedule(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Inside ``nbac_schedule``'s step: read the stored schedule slice once; one result per date."""
    dates = run_dates(context)
    [schedule] = read_slices(warehouse, (NBAC_SCHEDULE, *_slice_bounds(dates)))
    results = {SCHEDULE_GAMES.key: check_schedule(schedule, dates)}
    yield from emit(context, by_key(SCHEDULE_CHECKS),
                    {k: v for k, v in results.items() if k in context.selected_asset_check_keys})


def evaluate_rosters(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Inside ``nbac_player_list``'s step: read the stored rosters slice once; one result per date (blocking:
    phase 4 takes teams from it).
    """
    dates = run_dates(context)
    [rosters] = read_slices(warehouse, (NBAC_PLAYER_LIST, *_slice_bounds(dates)))
    results = {ROSTER_PLAYERS.key: check_player_list(rosters, dates)}
    yield from emit(context, by_key(ROSTER_CHECKS),
                    {k: v for k, v in results.items() if k in context.selected_asset_check_keys})


def evaluate_boxscores(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator:
    """Inside ``nbac_boxscores``'s step: read the stored schedule, team and player slices once; one result per
    check per date.
    """
    dates = run_dates(context)
    bounds = _slice_bounds(dates)
    schedule, team, player = read_slices(warehouse, *((t, *bounds) for t in (NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE,
                                                                              NBAC_PLAYER_BOXSCORE)))
    selected = context.selected_asset_check_keys
    compute = {
        TEAM_BOX.key: lambda: combine(check_team_rows(team, schedule, dates), check_team_arithmetic(team, dates),
                                      check_team_scores(team, schedule, dates)),
        PLAYER_BOX.key: lambda: combine(
            check_unique_keys(player, ["game_id", "player_id"], NBAC_PLAYER_BOXSCORE.qualified_name, dates,
                              PLAYER.to_user_string()), check_player_sums(player, team, dates)),
    }
    yield from emit(context, by_key(BOX_CHECKS), {k: f() for k, f in compute.items() if k in selected})
