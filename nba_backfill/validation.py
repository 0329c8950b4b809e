"""The validation report of game dates: per phase and table, expected vs found rows, problems and a status.

Expected counts come from independent sources, never from the table being checked: games from the schedule,
raw files per final game, team rows = 2 × final in-scope games, player rows = players listed in the stored
raw box scores, composite-factor rows = eligible players from phase 3 over D-21 … D-1, predictions = factor
rows × registered systems. Problems come from the same pure check functions as the Dagster asset checks
(``logic/table_checks.py``, ``logic/feature_checks.py``), evaluated live on the warehouse, plus the latest
check results the Dagster instance recorded and partitions it never materialized. A finding on a table about
a game whose upstream table is already wrong on that game is reported once, on the upstream table.

Statuses: COMPLETE; NO_GAMES (no final game that day: complete and empty); BOOTSTRAP (phases 4–5 in the first
days of the season, whose window is naturally short: complete for what exists); PARTIAL; MISSING (nothing
found although owed). Only COMPLETE, NO_GAMES and BOOTSTRAP are OK.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import dagster as dg
import pandas as pd

from nba_backfill.logic import feature_checks as fc
from nba_backfill.logic import table_checks as tc
from nba_backfill.logic.predictions import SYSTEMS as PREDICTION_SYSTEMS
from nba_backfill.logic.schedule import boxscore_object_name, final_in_scope_games
from nba_backfill.partitions import SEASON_START, WINDOW_DAYS
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.resources.object_store import LocalObjectStore
from nba_backfill.schemas import analytics as A
from nba_backfill.schemas import asset_key_for
from nba_backfill.schemas import raw as R
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS

SYSTEMS = tuple(PREDICTION_SYSTEMS)
OK_STATUSES = ("COMPLETE", "NO_GAMES", "BOOTSTRAP")


@dataclass(frozen=True)
class ReportLine:
    """One line: phase, what is counted, expected and found counts, note, problems and the recorded checks."""

    phase: str
    item: str
    expected: int
    found: int
    note: str = ""
    problems: tuple[str, ...] = ()
    checks: str = ""
    day_has_games: bool = True
    bootstrap: bool = False

    @property
    def status(self) -> str:
        if self.problems or self.found != self.expected:
            return "MISSING" if self.found == 0 else "PARTIAL"
        if self.expected == 0 and not self.day_has_games:
            return "NO_GAMES"
        return "BOOTSTRAP" if self.bootstrap else "COMPLETE"

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES


@dataclass(frozen=True)
class DayReport:
    """The report of one game date: its final in-scope games and its lines; ``status`` is the overall one."""

    day: dt.date
    final_games: int
    lines: list[ReportLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    @property
    def status(self) -> str:
        if not self.ok:
            return "MISSING" if all(line.status == "MISSING" for line in self.lines if not line.ok) else "PARTIAL"
        return "NO_GAMES" if self.final_games == 0 else (
            "BOOTSTRAP" if any(line.status == "BOOTSTRAP" for line in self.lines) else "COMPLETE")


def _files(store: LocalObjectStore, finals: pd.DataFrame) -> tuple[dict, dict]:
    """Per date: stored raw box-score objects of the final games, and players listed in them."""
    files, players = {}, {}
    for game in finals.itertuples():
        name = boxscore_object_name(game.game_date, game.game_id)
        if store.exists(name):
            box = store.get_json(name)["boxScoreTraditional"]
            files[game.game_date] = files.get(game.game_date, 0) + 1
            players[game.game_date] = players.get(game.game_date, 0) + sum(
                len(box[side]["players"]) for side in ("homeTeam", "awayTeam"))
    return files, players


def _messages(result: tc.DayCheck, skip: set = frozenset()) -> tuple[str, ...]:
    return tuple(f.message for f in result.findings if (f.game_date, f.game_id) not in skip)


def _games(*results: tc.DayCheck) -> set:
    return {(f.game_date, f.game_id) for r in results for f in r.findings}


def _systems_found(predictions: pd.DataFrame, factors: pd.DataFrame, day: dt.date) -> int:
    """Registered systems with exactly one row for every factors player of ``day``."""
    players = set(factors.loc[tc.as_dates(factors["game_date"]) == day, "player_id"])
    rows = predictions[tc.as_dates(predictions["game_date"]) == day]
    if not players:
        return 0
    counts = rows.groupby("system_id")["player_id"].agg(lambda p: p.nunique() == len(p) and set(p) == players)
    return int(sum(bool(counts.get(s, False)) for s in SYSTEMS))


def validate_days(warehouse: DuckDBWarehouse, store: LocalObjectStore, days: list[dt.date],
                  instance: dg.DagsterInstance | None = None) -> list[DayReport]:
    """The reports of ``days`` (each table read once for the whole span; windows reach back 21 days).

    Args:
        warehouse: the tables.
        store: the raw box-score objects (expected player rows).
        days: game dates, ascending.
        instance: the Dagster instance, for recorded check results and materialized partitions (optional).

    Raises:
        WarehouseBusyError: a run holds the warehouse lock for too long.
    """
    from nba_backfill.validation_checks import recorded_problems  # Dagster-instance side, kept apart

    first, stop = days[0], days[-1] + dt.timedelta(days=1)
    back = first - dt.timedelta(days=WINDOW_DAYS)
    read = warehouse.read_slice
    schedule, team, player = read(R.NBAC_SCHEDULE, back, stop), read(R.NBAC_TEAM_BOXSCORE, first, stop), read(
        R.NBAC_PLAYER_BOXSCORE, first, stop)
    offense, defense = read(A.TEAM_OFFENSE_GAME_SUMMARY, back, stop), read(A.TEAM_DEFENSE_GAME_SUMMARY, first, stop)
    summary = read(A.PLAYER_GAME_SUMMARY, back, stop)
    factors, predictions = read(PLAYER_COMPOSITE_FACTORS, first, stop), read(PLAYER_PROP_PREDICTIONS, first, stop)
    team_keys, player_keys = ["game_id", "team_id"], ["game_id", "player_id"]
    r = {
        "schedule": tc.check_schedule(schedule, days),
        "team_rows": tc.check_team_rows(team, schedule, days), "arithmetic": tc.check_team_arithmetic(team, days),
        "sums": tc.check_player_sums(player, team, days),
        "player_keys": tc.check_unique_keys(player, player_keys, R.NBAC_PLAYER_BOXSCORE.qualified_name, days,
                                            "nba_raw/nbac_player_boxscore"),
        "offense": tc.check_rows_match(offense, team, team_keys, "team_offense_game_summary", "nbac_team_boxscore",
                                       days, "nba_analytics/team_offense_game_summary"),
        "defense": tc.check_rows_match(defense, team, team_keys, "team_defense_game_summary", "nbac_team_boxscore",
                                       days, "nba_analytics/team_defense_game_summary"),
        "mirror": tc.check_defense_mirrors(defense, offense, days),
        "summary": tc.check_rows_match(summary, player, player_keys, "player_game_summary", "nbac_player_boxscore",
                                       days, "nba_analytics/player_game_summary"),
        "factors": fc.check_factor_rows(factors, summary, schedule, days, WINDOW_DAYS),
        "windows": fc.check_windows(factors, schedule, offense, days, WINDOW_DAYS),
        "systems": fc.check_prediction_systems(predictions, factors, SYSTEMS, days),
        "active": fc.check_active_rows(predictions, days), "confidence": fc.check_confidence(predictions, days),
    }
    finals = final_in_scope_games(schedule.assign(game_date=tc.as_dates(schedule["game_date"])))
    files, listed = _files(store, finals[finals["game_date"] >= first])
    finals_per_day = finals.groupby("game_date").size().to_dict()
    recorded = recorded_problems(instance, days) if instance is not None else {}
    reports = []
    for day in days:
        x = {name: by_day[day] for name, by_day in r.items()}
        team_bad = _games(x["team_rows"], x["arithmetic"])
        player_bad = team_bad | _games(x["player_keys"])
        n_games, boot = int(finals_per_day.get(day, 0)), day - dt.timedelta(days=WINDOW_DAYS) < dt.date.fromisoformat(
            SEASON_START)
        n_factors = x["systems"].expected // max(len(SYSTEMS), 1)
        specs = [
            ("0 schedule", "nbac_schedule games", x["schedule"].expected, x["schedule"].found,
             f"{n_games} final in scope", _messages(x["schedule"]), "nbac_schedule", False),
            ("1 raw files", "nbac_boxscore_files objects", n_games, files.get(day, 0), "raw JSON per final game",
             (), "nbac_boxscore_files", False),
            ("2 raw", "nbac_team_boxscore rows", x["team_rows"].expected, x["team_rows"].found, "2 per final game",
             _messages(x["team_rows"]) + _messages(x["arithmetic"]), "nbac_team_boxscore", False),
            ("2 raw", "nbac_player_boxscore rows", listed.get(day, 0), x["player_keys"].found,
             "players listed in the stored box scores", _messages(x["player_keys"]) + _messages(x["sums"], team_bad),
             "nbac_player_boxscore", False),
            ("3 analytics", "team_offense_game_summary rows", x["team_rows"].expected, x["offense"].found,
             "1 per team row (2 per final game)",
             _messages(x["offense"], team_bad), "team_offense_game_summary", False),
            ("3 analytics", "team_defense_game_summary rows", x["team_rows"].expected, x["defense"].found,
             "1 per team row, = opponent's offense", _messages(x["defense"], team_bad) + _messages(x["mirror"],
                                                                                                     team_bad),
             "team_defense_game_summary", False),
            ("3 analytics", "player_game_summary rows", listed.get(day, 0), x["summary"].found, "1 per player row",
             _messages(x["summary"], player_bad), "player_game_summary", False),
            ("4 precompute", "player_composite_factors rows", x["factors"].expected, x["factors"].found,
             f"eligible players (played in D-{WINDOW_DAYS} … D-1, team plays on D)", _messages(x["factors"]),
             "player_composite_factors", boot),
            ("4 precompute", "rows with a complete window", x["windows"].expected, x["windows"].found,
             "window holds every scheduled final game", _messages(x["windows"]), "window_complete", boot),
            ("5 predictions", "prediction systems", len(SYSTEMS) if n_factors else 0,
             _systems_found(predictions, factors, day), f"{len(SYSTEMS)} registered in logic.predictions", (),
             "prediction_systems", boot),
            ("5 predictions", "player_prop_predictions rows", x["systems"].expected, x["systems"].found,
             f"{len(SYSTEMS)} per factors row", _messages(x["systems"]) + _messages(x["active"])
             + _messages(x["confidence"]), "player_prop_predictions", boot),
        ]
        lines = []
        for phase, item, expected, found, note, problems, target, bootstrap in specs:
            extra, checks = recorded.get((day, target), ((), ""))
            lines.append(ReportLine(phase, item, int(expected), int(found), note, problems + extra, checks,
                                    day_has_games=n_games > 0, bootstrap=bootstrap))
        reports.append(DayReport(day, n_games, lines))
    return reports


def validation_report(warehouse: DuckDBWarehouse, object_store: LocalObjectStore, day: dt.date,
                      instance: dg.DagsterInstance | None = None) -> list[ReportLine]:
    """The report lines of game date ``day`` (see :func:`validate_days`)."""
    return validate_days(warehouse, object_store, [day], instance)[0].lines
