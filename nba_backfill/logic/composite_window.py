"""The feature window of a game date D and its honesty: which team games it should hold and which it holds.

Pure pandas, no Dagster. Used by ``composite_factors``. The window of D is the ``window_days`` whole days
strictly before D (``D − window_days … D − 1``, the same days as ``partitions.feature_window_mapping``);
slicing happens here, on the frame itself, so a caller that passes a wider frame can never leak D or later.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

_POSTPONED_MARKERS = ("PPD", "POSTPONED", "CANCELLED", "CANCELED")
FINAL_STATUS = 3  # NBA.com gameStatus: 1 scheduled, 2 in progress, 3 final


def window_bounds(day: dt.date, window_days: int) -> tuple[dt.date, dt.date]:
    """First and last day of D's feature window: (D − window_days, D − 1), both inclusive.

    Raises:
        ValueError: ``window_days`` < 1.
    """
    if window_days < 1:
        raise ValueError(f"window_days must be at least 1, got {window_days}")
    return day - dt.timedelta(days=window_days), day - dt.timedelta(days=1)


def as_timestamps(values: pd.Series) -> pd.Series:
    """``game_date`` values (date, Timestamp or ISO string) as midnight ``datetime64`` (fast to compare/group)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.normalize()
    return pd.to_datetime(values).dt.normalize() if len(values) else values.astype("datetime64[ns]")


def slice_days(frame: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Rows of ``frame`` whose ``game_date`` is in ``first … last`` inclusive (``game_date`` as timestamps)."""
    days = as_timestamps(frame["game_date"])
    return frame[(days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))].assign(game_date=days)


def playable_games(schedule: pd.DataFrame) -> pd.DataFrame:
    """Schedule rows that are in scope (configured stages) and not postponed or cancelled."""
    in_scope = schedule["in_scope"].fillna(False).astype(bool)
    status_text = schedule["game_status_text"].fillna("").astype(str).str.upper()
    postponed = status_text.apply(lambda text: any(marker in text for marker in _POSTPONED_MARKERS))
    return schedule[in_scope & ~postponed]


def team_games(schedule: pd.DataFrame) -> pd.DataFrame:
    """Schedule games expanded to one row per team per game (home and away sides).

    Returns:
        Columns game_date, game_id, game_status, team_id, team_abbr, opponent_team_id, opponent_team_abbr,
        is_home.
    """
    keys = ["game_date", "game_id", "game_status"]
    home = schedule[keys].assign(
        team_id=schedule["home_team_id"], team_abbr=schedule["home_team_abbr"],
        opponent_team_id=schedule["away_team_id"], opponent_team_abbr=schedule["away_team_abbr"], is_home=True)
    away = schedule[keys].assign(
        team_id=schedule["away_team_id"], team_abbr=schedule["away_team_abbr"],
        opponent_team_id=schedule["home_team_id"], opponent_team_abbr=schedule["home_team_abbr"], is_home=False)
    out = pd.concat([home, away], ignore_index=True)
    out["team_id"] = out["team_id"].astype("int64")
    out["opponent_team_id"] = out["opponent_team_id"].astype("int64")
    return out


def window_completeness(schedule_window: pd.DataFrame, team_offense_window: pd.DataFrame) -> pd.DataFrame:
    """Per team: the window dates it should have a team_offense row for, and those it has.

    Args:
        schedule_window: schedule rows inside the window (any status).
        team_offense_window: ``TEAM_OFFENSE_GAME_SUMMARY`` rows inside the window.

    Returns:
        One row per team with a final in-scope game in the window; columns team_id, window_expected_dates,
        window_found_dates, window_missing_dates (comma-separated ISO dates), window_expected_games,
        window_found_games, window_is_complete. Expected = final (status 3), in scope, not postponed.
    """
    finals = playable_games(schedule_window)
    finals = finals[finals["game_status"].fillna(0).astype(int) == FINAL_STATUS]
    expected = team_games(finals)[["team_id", "game_date"]].drop_duplicates()
    landed = team_offense_window[["team_id", "game_date"]].drop_duplicates().astype({"team_id": "int64"})
    merged = expected.merge(landed, on=["team_id", "game_date"], how="left", indicator="landed")
    merged = merged.sort_values(["team_id", "game_date"])
    # Plain loops over the window's team-dates (a few hundred rows): much faster than a grouped str.join.
    per_team: dict[int, tuple[list[str], list[str], list[str]]] = {}
    iso_dates = merged["game_date"].dt.strftime("%Y-%m-%d").tolist()
    for team_id, iso, landed in zip(merged["team_id"].tolist(), iso_dates, merged["landed"].tolist()):
        expected_dates, found_dates, missing_dates = per_team.setdefault(team_id, ([], [], []))
        expected_dates.append(iso)
        (found_dates if landed == "both" else missing_dates).append(iso)
    out = pd.DataFrame({
        "team_id": pd.Series(list(per_team), dtype="int64"),
        "window_expected_dates": [",".join(e) for e, _, _ in per_team.values()],
        "window_found_dates": [",".join(f) for _, f, _ in per_team.values()],
        "window_missing_dates": [",".join(m) for _, _, m in per_team.values()],
        "window_expected_games": pd.Series([len(e) for e, _, _ in per_team.values()], dtype="int64"),
        "window_found_games": pd.Series([len(f) for _, f, _ in per_team.values()], dtype="int64"),
    })
    out["window_is_complete"] = out["window_found_games"] == out["window_expected_games"]
    return out
