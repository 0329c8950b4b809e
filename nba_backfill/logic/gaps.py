"""Gap detection and failure streaks: pure functions over per-date counts and per-game scrape outcomes.

A *gap day* is a game date whose schedule is known and whose raw tables do not hold what the schedule
owes: fewer than 2 team rows per final in-scope game, games without player rows, or a raw partition never
materialized (a day without games must still be a materialized, empty partition), or a blocking raw check
whose latest result failed (e.g. a partial box score whose points differ from the final score), or the day's
rosters (``nbac_player_list``, read by phase 4 for who plays for whom) never materialized — a roster gap is
repaired by reading the rosters again, not the box scores (``roster_gap`` vs ``box_gap``). A day with a
game not yet final is PENDING: not complete and not a failure; it is listed with ``kind = pending`` and
re-checked (schedule and box scores) until every game is final.
"""

from __future__ import annotations

import pandas as pd


def classify_gap_days(per_day: pd.DataFrame) -> pd.DataFrame:
    """Gap days and why.

    Args:
        per_day: one row per game date with columns ``game_date`` (ISO str), ``final_games`` (final in-scope
            games in the schedule), ``team_rows`` (rows in nbac_team_boxscore), ``player_games`` (games with
            player rows), ``raw_materialized`` (bool: the raw partitions of the date are materialized); optional
            ``pending_games`` (in-scope games not final, not postponed), ``failed_checks`` (names of blocking
            raw checks whose latest result failed) and ``roster_materialized`` (bool: the date's rosters are).

    Returns:
        The gap and pending rows only, with added ``reason``, ``kind`` (``gap`` or ``pending``), ``box_gap``
        (the box scores must be read again: every gap or pending day but a roster-only one) and ``roster_gap``
        (the rosters must be read again) columns, sorted by date.
    """
    if per_day.empty:
        return per_day.assign(reason=pd.Series(dtype="string"), kind=pd.Series(dtype="string"),
                              box_gap=pd.Series(dtype="bool"), roster_gap=pd.Series(dtype="bool"))
    reasons, kinds, box_gaps, roster_gaps = [], [], [], []
    for row in per_day.itertuples():
        why = []
        failed_checks = getattr(row, "failed_checks", "") or ""
        if failed_checks:
            why.append(f"failed checks: {failed_checks}")
        if row.team_rows < 2 * row.final_games:
            why.append(f"{row.team_rows} of {2 * row.final_games} team rows")
        if row.player_games < row.final_games:
            why.append(f"player rows for {row.player_games} of {row.final_games} games")
        if not row.raw_materialized:
            why.append("raw partition not materialized")
        box_gap = bool(why)
        roster_gap = not bool(getattr(row, "roster_materialized", True))
        if roster_gap:
            why.append("rosters (nbac_player_list) not materialized")
        pending = int(getattr(row, "pending_games", 0) or 0)
        kinds.append("gap" if why else "pending" if pending else "")
        if pending:
            why.append(f"{pending} game{'s' if pending > 1 else ''} pending (not final yet): re-checked until final")
        reasons.append("; ".join(why))
        box_gaps.append(box_gap or bool(pending))
        roster_gaps.append(roster_gap)
    out = per_day.assign(reason=reasons, kind=kinds, box_gap=box_gaps, roster_gap=roster_gaps)
    return out[out["reason"] != ""].sort_values("game_date").reset_index(drop=True)


def days_to_refetch(gaps: pd.DataFrame, files_stored: set[str]) -> list[str]:
    """The gap days whose raw box-score files must be fetched again; the others rebuild from stored files.

    A day's stored files are trusted (and not requested again) when its files partition is materialized, no
    blocking raw check failed on it and no game is pending: then only the tables below the files are short,
    e.g. the good dates of a range run whose files step failed on another date (the run skipped their tables).
    Re-fetching them would put them back in one run with the bad date, and fail with it again.

    Args:
        gaps: :func:`classify_gap_days` rows (``game_date``, ``kind``, optional ``failed_checks``).
        files_stored: ISO dates whose raw files partition is materialized.

    Returns:
        Sorted ISO dates of ``gaps`` to re-fetch.
    """
    checks = gaps["failed_checks"] if "failed_checks" in gaps else pd.Series("", index=gaps.index)
    pending = gaps["pending_games"] if "pending_games" in gaps else pd.Series(0, index=gaps.index)
    trusted = (gaps["game_date"].isin(files_stored) & (gaps["kind"] == "gap") & (checks.fillna("") == "")
               & (pending.fillna(0) == 0))
    return sorted(gaps.loc[~trusted, "game_date"])


def failure_streaks(outcomes: pd.DataFrame, threshold: int) -> list[pd.DataFrame]:
    """Runs of at least ``threshold`` consecutive final games whose latest scrape failed.

    Args:
        outcomes: one row per attempted final game: ``game_id``, ``game_date`` (ISO str), ``outcome``
            (``failed`` or ``stored``), ``error`` (message of the failure).
        threshold: minimum streak length that raises the alert (default 3 in settings).

    Returns:
        One frame per streak (its games in date order); empty list when no streak reaches the threshold.
        Games are consecutive when no successfully stored game lies between them in (date, game id) order.
    """
    if outcomes.empty:
        return []
    ordered = outcomes.sort_values(["game_date", "game_id"]).reset_index(drop=True)
    failed = ordered["outcome"].eq("failed")
    run_id = (failed != failed.shift()).cumsum()
    streaks = []
    for _, run in ordered[failed].groupby(run_id[failed]):
        if len(run) >= threshold:
            streaks.append(run.reset_index(drop=True))
    return streaks


def choose_gap_request(gap_dates: list[str], in_flight: set[str], own_repairs_in_flight: list[str],
                       recently_requested: set[str]) -> tuple[list[str], str]:
    """Which gap days the gap sensor requests now, and why (the tick's message).

    Args:
        gap_dates: ISO dates found short or missing this tick.
        in_flight: dates whose raw partitions an unfinished backfill or run already targets.
        own_repairs_in_flight: ids of unfinished backfills the gap sensor launched itself.
        recently_requested: dates requested within the retry window (a still-broken source is not hammered).

    Returns:
        (dates to request now — empty means none —, reason). While one of its repairs is in flight, new gap
        days wait and are merged into ONE next request: no gap day is requested twice and no downstream
        partition runs twice for one change.
    """
    new = [d for d in gap_dates if d not in in_flight and d not in recently_requested]
    if not gap_dates:
        return [], "no gaps: every watched date holds what its schedule owes"
    if not new:
        return [], f"{len(gap_dates)} gap days, all in flight or requested within the retry window"
    if own_repairs_in_flight:
        return [], (f"{len(new)} new gap days wait for repair backfill {', '.join(own_repairs_in_flight)} to end; "
                    "they are merged into one next request")
    return new, f"requesting {len(new)} gap days with their downstream closure"
