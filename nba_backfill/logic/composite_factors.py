"""Phase 4 player composite factors: the features of each player expected to play on a game date D.

Pure pandas, no Dagster. Everything comes from phase-3 rows dated D − window_days … D − 1 (sliced here, see
``composite_window``), from the schedule of D and from the rosters of D (who plays for whom); a row is never
influenced by D's own box scores.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.logic.composite_window import (
    as_timestamps,
    playable_games,
    slice_days,
    team_games,
    window_bounds,
    window_completeness,
)
from nba_backfill.logic.game_context import context_features
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS

FATIGUE_DAYS = 7  # "games and minutes in the last 7 days": D−7 … D−1


def build_player_composite_factors(
    target_dates: list[dt.date],
    schedule: pd.DataFrame,
    player_games: pd.DataFrame,
    team_offense: pd.DataFrame,
    team_defense: pd.DataFrame,
    roster: pd.DataFrame,
    window_days: int = 21,
) -> pd.DataFrame:
    """One row per player expected to play on each target date D, with every factor and its inputs.

    Expected on D: the roster of D (``nbac_player_list``) lists the player on a team that has an in-scope,
    not-postponed game on D, and the player played (not DNP) at least once in the window, with any team. His
    team, opponent and game on D come from that roster, never from his last game: after a trade the first game
    for the new team is predicted for the new team, and no row predicts a game of the team he left. Scoring,
    fatigue and usage use the games the player played in the window, with any team.

    Factors (window W = D − window_days … D − 1; "played" = not DNP; last-n = the n latest played games):
        recent scoring: points_per_game_last_5 / _last_10 = mean points of the last 5 / 10 played games;
            points_per_game_window = mean over W; points_std_window = sample std (ddof = 1, NULL with one game);
            games_played_window; minutes_per_game_window.
        fatigue: days_since_last_game = D − last played date; days_rest = days_since_last_game − 1;
            is_back_to_back = played on D − 1; games_last_7_days and minutes_last_7_days over D−7 … D−1.
        pace: team_pace_window_mean and opponent_pace_window_mean = mean ``pace`` of each team's
            team_offense rows in W; pace_differential = team − opponent.
        opponent defense: opponent_defensive_rating_window_mean = mean ``defensive_rating`` of the opponent's
            team_defense rows in W; league_defensive_rating_window_mean = mean over every team-game in W;
            opponent_defense_differential = opponent − league (> 0: the opponent allows more than average).
        usage trend: usage_trend_pct = mean usage_rate_pct of the last 3 played games − mean over W
            (games with an undefined usage, e.g. 0 minutes, are skipped).
        game context (``game_context``): opponent_defense_tier = tercile 1–3 of the opponent's mean defensive
            rating among W's teams; points_similar_context_mean = the window games weighted by how much they
            resemble tonight (venue, rest bucket, opponent tier; Li–Racine kernel, Nadaraya–Watson average);
            similar_context_games = Kish's effective number of those games.
        window honesty (for the player's team on D): expected dates = schedule dates in W with a final
            in-scope game of the team; found = those with the team's team_offense row; complete = all found.
    A factor without inputs in W (e.g. an opponent with no game yet) is NULL, never 0.

    Args:
        target_dates: the game dates D to build.
        schedule: ``nba_raw.nbac_schedule`` rows covering W and D (in_scope, game_status, game_status_text).
        player_games: ``PLAYER_GAME_SUMMARY`` rows; only W is read, whatever range is passed.
        team_offense: ``TEAM_OFFENSE_GAME_SUMMARY`` rows; only W is read.
        team_defense: ``TEAM_DEFENSE_GAME_SUMMARY`` rows; only W is read.
        roster: ``NBAC_PLAYER_LIST`` rows (game_date, player_id, team_id); only D's are read.
        window_days: window length in days (``partitions.WINDOW_DAYS``).

    Returns:
        A frame conformed to ``PLAYER_COMPOSITE_FACTORS`` (empty when no target date has a game).

    Raises:
        ValueError: ``window_days`` < 1, or a team has two playable games on one D in the schedule.
    """
    frames = [_normalized(frame, columns) for frame, columns in (
        (schedule, _SCHEDULE_COLUMNS), (player_games, _PLAYER_COLUMNS),
        (team_offense, _OFFENSE_COLUMNS), (team_defense, _DEFENSE_COLUMNS), (roster, _ROSTER_COLUMNS))]
    built = [_factors_for_day(day, *frames, window_days) for day in sorted(set(target_dates))]
    built = [frame for frame in built if not frame.empty]
    if not built:
        return PLAYER_COMPOSITE_FACTORS.empty_frame()
    return PLAYER_COMPOSITE_FACTORS.conform(pd.concat(built, ignore_index=True))


# Only the columns the factors read: each day slices these frames, so narrow frames keep a season fast.
_SCHEDULE_COLUMNS = ["game_date", "game_id", "in_scope", "game_status", "game_status_text", "home_team_id",
                     "home_team_abbr", "away_team_id", "away_team_abbr"]
_PLAYER_COLUMNS = ["game_date", "game_id", "player_id", "player_name", "team_id", "is_dnp", "minutes", "points",
                   "usage_rate_pct", "is_home", "opponent_team_id"]
_OFFENSE_COLUMNS = ["game_date", "team_id", "pace"]
_DEFENSE_COLUMNS = ["game_date", "team_id", "defensive_rating"]
_ROSTER_COLUMNS = ["game_date", "player_id", "team_id"]
_FLOATS = ["minutes", "points", "usage_rate_pct", "pace", "defensive_rating", "is_home"]


def _normalized(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The needed columns, dates as timestamps, ids int64 and measures float64, once for all days.

    Raises:
        ValueError: a needed column is missing (names it).
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"composite factors need columns {missing}; pass the phase-3 tables, the schedule and "
                         "the rosters (nbac_player_list)")
    out = frame[columns].assign(game_date=as_timestamps(frame["game_date"]))
    id_columns = [c for c in ("team_id", "home_team_id", "away_team_id", "player_id", "opponent_team_id")
                  if c in columns]
    # A schedule row without both team ids (a playoff slot still TBD) cannot be matched to any team.
    out = out.dropna(subset=id_columns)
    return out.astype({c: "int64" for c in id_columns} | {c: "float64" for c in _FLOATS if c in columns})


def _factors_for_day(
    day: dt.date, schedule: pd.DataFrame, player_games: pd.DataFrame, team_offense: pd.DataFrame,
    team_defense: pd.DataFrame, roster: pd.DataFrame, window_days: int,
) -> pd.DataFrame:
    """Factor rows of one date D from the normalized frames (see :func:`build_player_composite_factors`)."""
    first, last = window_bounds(day, window_days)
    todays = team_games(playable_games(schedule[schedule["game_date"] == pd.Timestamp(day)]))
    if todays.empty:
        return todays
    doubled = todays[todays["team_id"].duplicated(keep=False)]
    if not doubled.empty:
        raise ValueError(f"{day}: teams {sorted(set(doubled['team_abbr']))} have two playable games in the schedule")
    todays = todays.drop(columns=["game_status"])

    offense_w = slice_days(team_offense, first, last)
    defense_w = slice_days(team_defense, first, last)
    games_w = slice_days(player_games, first, last)
    players = _player_window_stats(games_w, day)
    # The team of D is the roster's (the day's truth), whatever team the player's window games were with.
    on_roster = roster.loc[roster["game_date"] == pd.Timestamp(day), ["player_id", "team_id"]]
    rows = players.merge(on_roster, on="player_id", how="inner").merge(todays, on="team_id", how="inner")
    if rows.empty:
        return rows
    played_w = games_w[~games_w["is_dnp"].fillna(False).astype(bool)]
    rows = rows.join(context_features(played_w, rows, defense_w), on="player_id")

    pace = offense_w.groupby("team_id")["pace"].agg(["mean", "count"])
    rows = rows.join(pace.rename(columns={"mean": "team_pace_window_mean", "count": "team_games_window"}),
                     on="team_id")
    rows = rows.join(pace.rename(columns={"mean": "opponent_pace_window_mean", "count": "opponent_games_window"}),
                     on="opponent_team_id")
    rows[["team_games_window", "opponent_games_window"]] = rows[
        ["team_games_window", "opponent_games_window"]].fillna(0)
    rows["pace_differential"] = rows["team_pace_window_mean"] - rows["opponent_pace_window_mean"]

    ratings = defense_w["defensive_rating"]
    opponent_rating = ratings.groupby(defense_w["team_id"]).mean().rename("opponent_defensive_rating_window_mean")
    rows = rows.join(opponent_rating, on="opponent_team_id")
    rows["league_defensive_rating_window_mean"] = ratings.mean()
    rows["opponent_defense_differential"] = (
        rows["opponent_defensive_rating_window_mean"] - rows["league_defensive_rating_window_mean"])

    honesty = window_completeness(slice_days(schedule, first, last), offense_w)
    rows = rows.merge(honesty, on="team_id", how="left")
    # A team without a final game in the window is expected nothing, so its (empty) window is complete.
    rows[["window_expected_dates", "window_found_dates", "window_missing_dates"]] = rows[
        ["window_expected_dates", "window_found_dates", "window_missing_dates"]].fillna("")
    rows[["window_expected_games", "window_found_games"]] = rows[
        ["window_expected_games", "window_found_games"]].fillna(0)
    rows["window_is_complete"] = rows["window_is_complete"].isna() | rows["window_is_complete"].eq(True)

    rows["game_date"] = day
    rows["window_start_date"] = first
    rows["window_end_date"] = last
    return rows.sort_values("player_id").reset_index(drop=True)


def _player_window_stats(games: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Per player with at least one played game in the window: his name (latest row) and the player-level factors.

    No team here: the team on D is the roster's (a window game may be with a team he has left).
    """
    columns = ["player_id", "player_name"]
    if games.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "player_name" else "object") for c in columns})
    games = games.sort_values(["player_id", "game_date", "game_id"])
    latest = games.groupby("player_id").tail(1)[columns]

    played = games[~games["is_dnp"].fillna(False).astype(bool)]
    # One grouped pass: last-n means are means over the games whose recency (0 = latest) is below n.
    recency = played.groupby("player_id").cumcount(ascending=False)
    recent = played["game_date"] >= pd.Timestamp(day - dt.timedelta(days=FATIGUE_DAYS))
    stats = played.assign(
        points_last_5=played["points"].where(recency < 5), points_last_10=played["points"].where(recency < 10),
        usage_last_3=played["usage_rate_pct"].where(recency < 3), recent=recent,
        recent_minutes=played["minutes"].where(recent),
    ).groupby("player_id").agg(
        games_played_window=("game_id", "count"),
        minutes_per_game_window=("minutes", "mean"),
        points_per_game_window=("points", "mean"),
        points_std_window=("points", "std"),
        last_game_date=("game_date", "max"),
        usage_rate_window_pct=("usage_rate_pct", "mean"),
        points_per_game_last_5=("points_last_5", "mean"),
        points_per_game_last_10=("points_last_10", "mean"),
        usage_rate_last_3_pct=("usage_last_3", "mean"),
        games_last_7_days=("recent", "sum"),
        minutes_last_7_days=("recent_minutes", "sum"),
    )
    stats["usage_trend_pct"] = stats["usage_rate_last_3_pct"] - stats["usage_rate_window_pct"]
    stats["days_since_last_game"] = (pd.Timestamp(day) - stats["last_game_date"]).dt.days
    stats["days_rest"] = stats["days_since_last_game"] - 1
    stats["is_back_to_back"] = stats["days_since_last_game"] == 1
    return latest.merge(stats.reset_index(), on="player_id", how="inner")
