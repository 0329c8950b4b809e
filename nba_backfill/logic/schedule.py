"""Which scheduled games a partition owes: final in-scope games are due, the rest are pending or void.

Pure pandas over ``nba_raw.nbac_schedule`` rows (see ``schemas/raw.py``).
"""

from __future__ import annotations

import pandas as pd

FINAL = 3
POSTPONED_TEXT = "PPD"


def final_in_scope_games(schedule: pd.DataFrame) -> pd.DataFrame:
    """Schedule rows whose game is in scope and final (status 3): each owes a box score.

    Args:
        schedule: ``nbac_schedule`` rows, any number of dates.

    Returns:
        The subset of rows, sorted by game date and game id.
    """
    due = schedule[(schedule["in_scope"].astype(bool)) & (schedule["game_status"] == FINAL)]
    return due.sort_values(["game_date", "game_id"]).reset_index(drop=True)


def pending_games(schedule: pd.DataFrame) -> pd.DataFrame:
    """In-scope games not final and not postponed: skipped now, picked up when the partition re-runs."""
    in_scope = schedule[schedule["in_scope"].astype(bool)]
    postponed = in_scope["game_status_text"].fillna("").str.upper().eq(POSTPONED_TEXT)
    return in_scope[(in_scope["game_status"] != FINAL) & ~postponed].reset_index(drop=True)


def boxscore_object_name(game_date, game_id: str) -> str:
    """Object-store name of a game's raw box score: ``nba-com/boxscore/{YYYYMMDD}/{game_id}.json``."""
    return f"nba-com/boxscore/{pd.Timestamp(game_date):%Y%m%d}/{game_id}.json"


def day_statuses(days, due: pd.DataFrame, pending: pd.DataFrame, failures) -> dict[str, str]:
    """Per ISO date: ``failed`` (a final game could not be scraped), ``pending`` (a game is not final yet: the
    day is not complete, it is not a failure either), ``complete``, or ``no_games`` (nothing owed).

    Args:
        days: ISO dates of the run.
        due: final in-scope games (``game_date`` as date).
        pending: in-scope games not final and not postponed.
        failures: errors with a ``game_date`` attribute (ISO str).
    """
    failed = {f.game_date for f in failures}
    waiting = {pd.Timestamp(d).date().isoformat() for d in pending["game_date"]} if len(pending) else set()
    owed = {pd.Timestamp(d).date().isoformat() for d in due["game_date"]} if len(due) else set()
    return {d: "failed" if d in failed else "pending" if d in waiting else "complete" if d in owed else "no_games"
            for d in days}
