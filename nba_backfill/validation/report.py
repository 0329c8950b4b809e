"""The validation report of game dates: per phase and table, expected vs found rows, problems and a status.

Expected counts come from independent sources, never from the table being checked: games from the schedule,
raw files per final game, team rows = 2 × final in-scope games, player rows = players listed in the stored
raw box scores, composite-factor rows = eligible players from phase 3 over D-21 … D-1, predictions = factor
rows × registered systems. Problems come from the same pure check functions as the Dagster asset checks
(``logic/table_checks.py``, ``logic/analytics_checks.py``, ``logic/feature_checks.py``), evaluated live on the
warehouse, plus the latest check results the Dagster instance recorded and partitions it never materialized.
A finding on a table about a game whose upstream table is already wrong on that game is reported once, on the
upstream table; phase-3 counts are expected from the schedule and the raw files, not from the raw tables.

Statuses: PENDING (the day has a game not final yet: not complete, not a failure; re-checked until final);
COMPLETE; NO_GAMES (no final game that day: complete and empty); BOOTSTRAP (phases 4–5 in the first
days of the season, whose window is naturally short: complete for what exists); PARTIAL; MISSING (nothing
found although owed). Only COMPLETE, NO_GAMES and BOOTSTRAP are OK.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from nba_backfill.logic.checks import analytics as ac
from nba_backfill.logic.checks import features as fc
from nba_backfill.logic.checks import tables as tc
from nba_backfill.logic.predictions import SYSTEMS as PREDICTION_SYSTEMS
from nba_backfill.logic.schedule import boxscore_object_name, final_in_scope_games, pending_games
from nba_backfill.resources.readers import ObjectReader, TableReader, read_slices
from nba_backfill.schemas import analytics as A
from nba_backfill.schemas import raw as R
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS
from nba_backfill.seasons import WINDOW_DAYS, season_of

if TYPE_CHECKING:
    import dagster as dg

    from nba_backfill.validation.recorded import InstanceRecords

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
        """COMPLETE, NO_GAMES, BOOTSTRAP, PARTIAL or MISSING for this line."""
        if self.problems or self.found != self.expected:
            return "MISSING" if self.found == 0 else "PARTIAL"
        if self.expected == 0 and not self.day_has_games:
            return "NO_GAMES"
        return "BOOTSTRAP" if self.bootstrap else "COMPLETE"

    @property
    def ok(self) -> bool:
        """True when the line is complete or legitimately empty."""
        return self.status in OK_STATUSES


@dataclass(frozen=True)
class DayReport:
    """The report of one game date: its final in-scope games and its lines; ``status`` is the overall one."""

    day: dt.date
    final_games: int
    lines: list[ReportLine] = field(default_factory=list)
    pending_games: int = 0

    @property
    def ok(self) -> bool:
        """True when every line is ok and no game of the day is still pending (not final)."""
        return all(line.ok for line in self.lines) and not self.pending_games

    @property
    def status(self) -> str:
        """The day's overall status: PENDING (a game not final yet: not complete, not failed), COMPLETE, or
        MISSING / PARTIAL from its failing lines.
        """
        if self.pending_games and all(line.ok for line in self.lines if line.phase[0] in "0123"):
            return "PENDING"  # what landed is consistent; phases 4–5 wait for the night to end
        if not self.ok:
            return "MISSING" if all(line.status == "MISSING" for line in self.lines if not line.ok) else "PARTIAL"
        return "NO_GAMES" if self.final_games == 0 else (
            "BOOTSTRAP" if any(line.status == "BOOTSTRAP" for line in self.lines) else "COMPLETE")


def _files(store: ObjectReader, finals: pd.DataFrame) -> tuple[dict, dict]:
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


def _evaluate(frames: dict[str, pd.DataFrame], days: list[dt.date]) -> dict[str, dict[dt.date, tc.DayCheck]]:
    """Every check function over the span, keyed by a short name."""
    f = frames
    team_keys, player_keys = ["game_id", "team_id"], ["game_id", "player_id"]
    coverage = fc.check_roster_coverage(f["schedule"], f["rosters"], days)
    return {
        "schedule": tc.check_schedule(f["schedule"], days),
        "team_rows": tc.check_team_rows(f["team"], f["schedule"], days),
        "arithmetic": tc.combine(tc.check_team_arithmetic(f["team"], days),
                                 tc.check_team_scores(f["team"], f["schedule"], days)),
        "sums": tc.check_player_sums(f["player"], f["team"], days),
        "player_keys": tc.check_unique_keys(f["player"], player_keys, R.NBAC_PLAYER_BOXSCORE.qualified_name, days,
                                            "nba_raw/nbac_player_boxscore"),
        "offense": ac.check_rows_match(f["offense"], f["team"], team_keys, "team_offense_game_summary",
                                       "nbac_team_boxscore", days, "nba_analytics/team_offense_game_summary"),
        "defense": ac.check_rows_match(f["defense"], f["team"], team_keys, "team_defense_game_summary",
                                       "nbac_team_boxscore", days, "nba_analytics/team_defense_game_summary"),
        "mirror": ac.check_defense_mirrors(f["defense"], f["offense"], days),
        "summary": ac.check_rows_match(f["summary"], f["player"], player_keys, "player_game_summary",
                                       "nbac_player_boxscore", days, "nba_analytics/player_game_summary"),
        "roster": tc.check_player_list(f["rosters"], days),
        "coverage": coverage,
        "factors": fc.check_factor_rows(f["factors"], f["summary"], f["schedule"], f["rosters"], days, WINDOW_DAYS,
                                        coverage),
        "windows": fc.check_windows(f["factors"], f["schedule"], f["offense"], days, WINDOW_DAYS),
        "systems": fc.check_prediction_systems(f["predictions"], f["factors"], SYSTEMS, days),
        "active": fc.check_active_rows(f["predictions"], days),
        "confidence": fc.check_confidence(f["predictions"], days),
    }


def _day_lines(x: dict[str, tc.DayCheck], n_games: int, files: int, listed: int, systems_found: int,
               bootstrap: bool) -> list[tuple]:
    """(phase, item, expected, found, note, problems, report-line key, bootstrap) of one date."""
    team_bad = _games(x["team_rows"], x["arithmetic"])
    player_bad = team_bad | _games(x["player_keys"])
    roster_bad = _games(x["coverage"])  # a team missing from the rosters is reported there, not again on phase 4
    n_factors = x["systems"].expected // max(len(SYSTEMS), 1)
    return [
        ("0 schedule", "nbac_schedule games", x["schedule"].expected, x["schedule"].found,
         f"{n_games} final in scope", _messages(x["schedule"]), "nbac_schedule", False),
        ("1 raw files", "nbac_boxscore_files objects", n_games, files, "raw JSON per final game", (),
         "nbac_boxscore_files", False),
        ("2 raw", "nbac_team_boxscore rows", x["team_rows"].expected, x["team_rows"].found, "2 per final game",
         _messages(x["team_rows"]) + _messages(x["arithmetic"]), "nbac_team_boxscore", False),
        ("2 raw", "nbac_player_boxscore rows", listed, x["player_keys"].found,
         "players listed in the stored box scores", _messages(x["player_keys"]) + _messages(x["sums"], team_bad),
         "nbac_player_boxscore", False),
        ("2 raw", "nbac_player_list teams playing", x["coverage"].expected, x["coverage"].found,
         "teams of D's games with players on the rosters of D", _messages(x["roster"]) + _messages(x["coverage"]),
         "nbac_player_list", False),
        ("3 analytics", "team_offense_game_summary rows", x["team_rows"].expected, x["offense"].found,
         "1 per team row (2 per final game)", _messages(x["offense"], team_bad), "team_offense_game_summary", False),
        ("3 analytics", "team_defense_game_summary rows", x["team_rows"].expected, x["defense"].found,
         "1 per team row, = opponent's offense", _messages(x["defense"], team_bad) + _messages(x["mirror"], team_bad),
         "team_defense_game_summary", False),
        ("3 analytics", "player_game_summary rows", listed, x["summary"].found, "1 per player row",
         _messages(x["summary"], player_bad), "player_game_summary", False),
        ("4 precompute", "player_composite_factors rows", x["factors"].expected, x["factors"].found,
         f"eligible players (on D's rosters, team plays on D, played in D-{WINDOW_DAYS} … D-1)",
         _messages(x["factors"], roster_bad),
         "player_composite_factors", bootstrap),
        ("4 precompute", "rows with a complete window", x["windows"].expected, x["windows"].found,
         "window holds every scheduled final game", _messages(x["windows"]), "window_complete", bootstrap),
        ("5 predictions", "prediction systems", len(SYSTEMS) if n_factors else 0, systems_found,
         f"{len(SYSTEMS)} registered in logic.predictions", (), "prediction_systems", bootstrap),
        ("5 predictions", "player_prop_predictions rows", x["systems"].expected, x["systems"].found,
         f"{len(SYSTEMS)} per factors row", _messages(x["systems"]) + _messages(x["active"])
         + _messages(x["confidence"]), "player_prop_predictions", bootstrap),
    ]


def _bootstrap(day: dt.date) -> bool:
    """True while D's window reaches before its season's opening night (phases 4–5 legitimately thin)."""
    season = season_of(day)
    return season is None or day - dt.timedelta(days=WINDOW_DAYS) < season.first_day


def validate_days(warehouse: TableReader, store: ObjectReader, days: list[dt.date],
                  instance: dg.DagsterInstance | InstanceRecords | None = None) -> list[DayReport]:
    """The reports of ``days`` (each table read once for the whole span; windows reach back 21 days).

    Args:
        warehouse: the tables (a ``Warehouse`` resource, or ``DuckDBTables`` read without Dagster).
        store: the raw box-score objects (expected player rows).
        days: game dates, ascending.
        instance: what the Dagster instance recorded, for check results and materialized partitions (optional):
            a ``DagsterInstance`` or ``validation.recorded.open_records``'s reader.

    Returns:
        One :class:`DayReport` per date of ``days``, in order.

    Raises:
        WarehouseBusyError: a run holds the warehouse lock for too long.
    """
    from nba_backfill.validation.check_lines import recorded_problems  # Dagster-instance side, kept apart
    from nba_backfill.validation.recorded import as_records

    first, stop = days[0], days[-1] + dt.timedelta(days=1)
    back = first - dt.timedelta(days=WINDOW_DAYS)
    names = ("schedule", "team", "player", "offense", "defense", "summary", "factors", "predictions", "rosters")
    frames = dict(zip(names, read_slices(
        warehouse, (R.NBAC_SCHEDULE, back, stop), (R.NBAC_TEAM_BOXSCORE, first, stop),
        (R.NBAC_PLAYER_BOXSCORE, first, stop), (A.TEAM_OFFENSE_GAME_SUMMARY, back, stop),
        (A.TEAM_DEFENSE_GAME_SUMMARY, first, stop), (A.PLAYER_GAME_SUMMARY, back, stop),
        (PLAYER_COMPOSITE_FACTORS, first, stop), (PLAYER_PROP_PREDICTIONS, first, stop),
        (R.NBAC_PLAYER_LIST, first, stop))))
    results = _evaluate(frames, days)
    schedule = frames["schedule"]
    finals = final_in_scope_games(schedule.assign(game_date=tc.as_dates(schedule["game_date"])))
    files, listed = _files(store, finals[finals["game_date"] >= first])
    finals_per_day = finals.groupby("game_date").size().to_dict()
    waiting = pending_games(schedule.assign(game_date=tc.as_dates(schedule["game_date"])))
    pending_per_day = waiting.groupby("game_date").size().to_dict() if len(waiting) else {}
    recorded = recorded_problems(as_records(instance), days) if instance is not None else {}
    reports = []
    for day in days:
        n_games = int(finals_per_day.get(day, 0))
        specs = _day_lines({name: by_day[day] for name, by_day in results.items()}, n_games, files.get(day, 0),
                           listed.get(day, 0), _systems_found(frames["predictions"], frames["factors"], day),
                           bootstrap=_bootstrap(day))
        lines = []
        for phase, item, expected, found, note, problems, key, bootstrap in specs:
            extra, checks = recorded.get((day, key), ((), ""))
            lines.append(ReportLine(phase, item, int(expected), int(found), note, problems + extra, checks,
                                    day_has_games=n_games > 0, bootstrap=bootstrap))
        reports.append(DayReport(day, n_games, lines, int(pending_per_day.get(day, 0))))
    return reports


def validation_report(warehouse: TableReader, object_store: ObjectReader, day: dt.date,
                      instance: dg.DagsterInstance | InstanceRecords | None = None) -> list[ReportLine]:
    """The report lines of game date ``day`` (see :func:`validate_days`)."""
    return validate_days(warehouse, object_store, [day], instance)[0].lines
