"""Data checks of phase 3 per game date: one summary row per raw row, defense = the opponent's offense.

Pure pandas, no Dagster; same contract as ``logic/table_checks.py`` (a :class:`DayCheck` per date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from nba_backfill.logic.checks.tables import DayChecks, Finding, assemble, on_dates, rows_per_date


def check_rows_match(rows: pd.DataFrame, reference: pd.DataFrame, keys: list[str], table: str, reference_table: str,
                     dates: Iterable[dt.date], asset: str) -> DayChecks:
    """One row in ``rows`` per row of ``reference`` on ``keys`` (e.g. one offense row per team row).

    Unit: rows; expected = reference rows on the date, found = rows of the checked table.
    """
    dates = list(dates)
    rows, reference = on_dates(rows, dates), on_dates(reference, dates)
    mine = rows.groupby(["game_date", *keys]).size().rename("n")
    theirs = reference.groupby(["game_date", *keys]).size().rename("m")
    joined = pd.concat([mine, theirs], axis=1).fillna(0).reset_index()
    bad = joined[joined["n"] != joined["m"]]
    findings = [Finding(r["game_date"], r.get("game_id"), (
        f"{r['game_date']}: {table} has {int(r['n'])} rows for ({', '.join(f'{k}={r[k]}' for k in keys)}), "
        f"{reference_table} has {int(r['m'])}; re-materialize {asset} for {r['game_date']}"))
        for _, r in bad.iterrows()]
    return assemble(dates, rows_per_date(reference), rows_per_date(rows), findings)


# "Mirrors exactly": each defense column equals this column of the opponent's offense row.
DEFENSE_MIRRORS = {
    "points_allowed": "points", "opponent_fgm": "fgm", "opponent_fga": "fga", "opponent_fg3m": "fg3m",
    "opponent_fg3a": "fg3a", "opponent_ftm": "ftm", "opponent_fta": "fta", "opponent_oreb": "oreb",
    "opponent_dreb": "dreb", "opponent_reb": "reb", "opponent_ast": "ast", "turnovers_forced": "tov",
    "possessions": "possessions", "defensive_rating": "offensive_rating", "opponent_pace": "pace",
    "opponent_true_shooting_pct": "true_shooting_pct",
}


def check_defense_mirrors(defense: pd.DataFrame, offense: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """``team_defense_game_summary``: each row equals the opponent's offense row, column by column, exactly.

    Unit: defense rows; found = rows whose every mirrored value equals the opponent's (NULL = NULL).
    """
    dates = list(dates)
    defense, offense = on_dates(defense, dates), on_dates(offense, dates)
    attacker = offense[["game_id", "team_id", "team_abbr", *set(DEFENSE_MIRRORS.values())]].rename(
        columns={"team_id": "opponent_team_id", "team_abbr": "attacker_abbr",
                 **{c: f"offense_{c}" for c in set(DEFENSE_MIRRORS.values())}})
    merged = defense.merge(attacker, on=["game_id", "opponent_team_id"], how="left", indicator=True)
    findings, good = [], []
    for _, r in merged.iterrows():
        if r["_merge"] != "both":
            findings.append(Finding(r["game_date"], r["game_id"], (
                f"{r['game_date']}: game {r['game_id']}, {r['team_abbr']} defense row has no offense row of its "
                f"opponent {r['opponent_team_abbr']}; re-materialize nba_analytics/team_offense_game_summary and "
                f"team_defense_game_summary for {r['game_date']}")))
            continue
        diffs = [f"{d} {r[d]} vs {o} {r[f'offense_{o}']}" for d, o in DEFENSE_MIRRORS.items()
                 if not (r[d] == r[f"offense_{o}"] or (pd.isna(r[d]) and pd.isna(r[f"offense_{o}"])))]
        if diffs:
            findings.append(Finding(r["game_date"], r["game_id"], (
                f"{r['game_date']}: game {r['game_id']}, {r['team_abbr']} defense does not mirror "
                f"{r['attacker_abbr']} offense: {', '.join(diffs)}; re-materialize "
                f"nba_analytics/team_defense_game_summary for {r['game_date']}")))
        else:
            good.append(r["game_date"])
    return assemble(dates, rows_per_date(defense), pd.Series(good, dtype=object).value_counts().to_dict(), findings)
