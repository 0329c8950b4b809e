"""The validation report of one game date: per phase and table, expected vs found rows, and a status.

Expected counts come from independent sources, never from the table being checked: games from the
schedule, team rows = 2 × final in-scope games, player rows from the stored raw box scores, composite
factor rows from the eligible players in phase 3 over D-21 … D-1, predictions = factor rows per system.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from nba_backfill.logic.schedule import boxscore_object_name, final_in_scope_games
from nba_backfill.partitions import WINDOW_DAYS
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.resources.object_store import LocalObjectStore
from nba_backfill.schemas.raw import NBAC_SCHEDULE

SYSTEMS = ("moving_average",)


@dataclass(frozen=True)
class ReportLine:
    """One line of the report: what is counted, expected and found counts, status and a note."""

    phase: str
    item: str
    expected: int
    found: int
    note: str = ""

    @property
    def status(self) -> str:
        if self.expected == 0 and self.found == 0:
            return "NO_GAMES"
        if self.found == self.expected:
            return "COMPLETE"
        return "MISSING" if self.found == 0 else "PARTIAL"


def _count(warehouse: DuckDBWarehouse, table: str, day: dt.date, where: str = "") -> int:
    extra = f" AND {where}" if where else ""
    try:
        return int(warehouse.query(f"SELECT count(*) AS n FROM {table} WHERE game_date = ?{extra}", [day])["n"][0])
    except Exception as exc:  # a table not created yet holds no rows
        if "does not exist" in str(exc):
            return 0
        raise


def _expected_players(object_store: LocalObjectStore, games: pd.DataFrame) -> int:
    total = 0
    for game in games.itertuples():
        name = boxscore_object_name(game.game_date, game.game_id)
        if object_store.exists(name):
            box = object_store.get_json(name)["boxScoreTraditional"]
            total += len(box["homeTeam"]["players"]) + len(box["awayTeam"]["players"])
    return total


def _eligible_players(warehouse: DuckDBWarehouse, day: dt.date) -> int:
    """Players whose most recent team in D-21 … D-1 (a game played, not DNP) plays on D."""
    sql = """
        WITH window_games AS (
            SELECT player_id, team_id, game_date,
                   row_number() OVER (PARTITION BY player_id ORDER BY game_date DESC) AS recency
            FROM nba_analytics.player_game_summary
            WHERE game_date >= ? AND game_date < ? AND NOT is_dnp
        ), teams_on_d AS (
            SELECT home_team_id AS team_id FROM nba_raw.nbac_schedule WHERE game_date = ? AND in_scope
            UNION SELECT away_team_id FROM nba_raw.nbac_schedule WHERE game_date = ? AND in_scope
        )
        SELECT count(*) AS n FROM window_games w JOIN teams_on_d t USING (team_id) WHERE w.recency = 1
    """
    start = day - dt.timedelta(days=WINDOW_DAYS)
    try:
        return int(warehouse.query(sql, [start, day, day, day])["n"][0])
    except Exception as exc:
        if "does not exist" in str(exc):
            return 0
        raise


def validation_report(warehouse: DuckDBWarehouse, object_store: LocalObjectStore, day: dt.date) -> list[ReportLine]:
    """The report lines of game date ``day``, phase by phase.

    Raises:
        duckdb.Error: the warehouse cannot be read (e.g. another process holds the write lock).
    """
    try:
        schedule = warehouse.query("SELECT * FROM nba_raw.nbac_schedule WHERE game_date = ?", [day])
        schedule = NBAC_SCHEDULE.conform(schedule) if len(schedule) else NBAC_SCHEDULE.empty_frame()
    except Exception as exc:
        if "does not exist" not in str(exc):
            raise
        schedule = NBAC_SCHEDULE.empty_frame()
    games = final_in_scope_games(schedule)
    n_games = len(games)
    team_rows = _count(warehouse, "nba_raw.nbac_team_boxscore", day)
    player_rows = _count(warehouse, "nba_raw.nbac_player_boxscore", day)
    factors = _count(warehouse, "nba_precompute.player_composite_factors", day)
    incomplete = _count(warehouse, "nba_precompute.player_composite_factors", day, "NOT window_is_complete")
    lines = [
        ReportLine("0 schedule", "final in-scope games", n_games, n_games, "from scoreboardv3"),
        ReportLine("2 raw", "games with team rows", n_games,
                   _count(warehouse, "nba_raw.nbac_team_boxscore", day, "is_home")),
        ReportLine("2 raw", "nbac_team_boxscore rows", 2 * n_games, team_rows, "2 per final game"),
        ReportLine("2 raw", "nbac_player_boxscore rows", _expected_players(object_store, games), player_rows,
                   "players listed in the stored box scores"),
        ReportLine("3 analytics", "team_offense_game_summary rows", team_rows,
                   _count(warehouse, "nba_analytics.team_offense_game_summary", day)),
        ReportLine("3 analytics", "team_defense_game_summary rows", team_rows,
                   _count(warehouse, "nba_analytics.team_defense_game_summary", day)),
        ReportLine("3 analytics", "player_game_summary rows", player_rows,
                   _count(warehouse, "nba_analytics.player_game_summary", day)),
        ReportLine("4 precompute", "player_composite_factors rows", _eligible_players(warehouse, day), factors,
                   "eligible players (played in D-21 … D-1, team plays on D)"),
        ReportLine("4 precompute", "rows with a complete window", factors, factors - incomplete),
    ]
    for system in SYSTEMS:
        lines.append(ReportLine("5 predictions", f"predictions {system}", factors, _count(
            warehouse, "nba_predictions.player_prop_predictions", day, f"system_id = '{system}'")))
    return lines
