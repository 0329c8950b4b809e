"""Phase 3 team summaries: per-game team offense from the raw team box score, and team defense from it.

Pure pandas, no Dagster. Defense is built from the *offense* rows of the opponent (not recomputed from the
box), so a team's defensive rating, possessions and pace are exactly the opponent's offensive values: one
value per team-game everywhere, never re-rounded.
"""

from __future__ import annotations

import pandas as pd

from nba_backfill.schemas.analytics import TEAM_DEFENSE_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY

REGULATION_TEAM_MINUTES = 240.0  # 5 players × 48 minutes
OVERTIME_TEAM_MINUTES = 25.0  # 5 players × 5 minutes per overtime period
FTA_POSSESSION_WEIGHT = 0.44  # share of free-throw attempts that end a possession (Oliver / Basketball-Reference)

_BOX_COUNTS = ["fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf"]


def possessions(fga: pd.Series, fta: pd.Series, oreb: pd.Series, tov: pd.Series) -> pd.Series:
    """Possessions estimate FGA + 0.44·FTA − OREB + TOV (Oliver, Basketball on Paper; Basketball-Reference).

    Args:
        fga: field goals attempted per team-game.
        fta: free throws attempted, aligned with ``fga``.
        oreb: offensive rebounds, aligned.
        tov: turnovers, aligned.

    Returns:
        Float possessions per team-game, unrounded.
    """
    return fga + FTA_POSSESSION_WEIGHT * fta - oreb + tov


def true_shooting_pct(points: pd.Series, fga: pd.Series, fta: pd.Series) -> pd.Series:
    """True shooting % = points / (2·(FGA + 0.44·FTA)) as a fraction 0–1 (Basketball-Reference glossary).

    Returns NaN where there were no shot attempts (0/0 is undefined, not 0%).
    """
    attempts = 2.0 * (fga + FTA_POSSESSION_WEIGHT * fta)
    return (points / attempts.where(attempts > 0)).astype("float64")


def overtime_periods(team_minutes: pd.Series, game_ids: pd.Series) -> pd.Series:
    """Overtime periods = (team minutes − 240) / 25.

    Raises:
        ValueError: a team's minutes are missing or not 240 + 25·k (k ≥ 0) within half a minute; names the games.
    """
    periods = ((team_minutes - REGULATION_TEAM_MINUTES) / OVERTIME_TEAM_MINUTES).round()
    off = periods.isna() | (periods < 0) | (
        (REGULATION_TEAM_MINUTES + OVERTIME_TEAM_MINUTES * periods - team_minutes).abs() > 0.5)
    if off.any():
        bad = sorted(set(game_ids[off]))
        raise ValueError(f"team minutes are not 240 + 25 per overtime in games {bad}; check the team box parser")
    return periods.astype("int64")


def build_team_offense_game_summary(team_box: pd.DataFrame) -> pd.DataFrame:
    """One row per team per final game: the team's box line with possessions, ratings, pace and TS%.

    Args:
        team_box: ``nba_raw.nbac_team_boxscore`` rows (one row per team per game, exactly 2 per game);
            ``minutes`` are decimal team minutes (240/265/290), ``tov`` player-credited turnovers.

    Returns:
        A frame conformed to ``TEAM_OFFENSE_GAME_SUMMARY``. Formulas:
        possessions = FGA + 0.44·FTA − OREB + TOV; offensive rating = 100·points/possessions (Oliver);
        pace = possessions·48/(team minutes/5), so an overtime game is scaled to 48 minutes;
        true shooting % = points/(2·(FGA + 0.44·FTA)) (Basketball-Reference); overtime periods =
        (team minutes − 240)/25; margin and win from the opponent row of the same game.

    Raises:
        ValueError: a game does not have exactly 2 team rows, or team minutes are not 240 + 25·k.
    """
    if team_box.empty:
        return TEAM_OFFENSE_GAME_SUMMARY.empty_frame()
    rows_per_game = team_box.groupby("game_id")["team_id"].nunique()
    bad = rows_per_game[rows_per_game != 2]
    if len(bad) or team_box.duplicated(["game_id", "team_id"]).any():
        raise ValueError(
            f"expected exactly 2 distinct team rows per game, got {bad.to_dict() or 'duplicates'}; "
            "re-materialize nba_raw/nbac_team_boxscore for those games"
        )
    out = team_box.copy()
    for col in [*_BOX_COUNTS, "pts"]:
        out[col] = out[col].astype("float64")
    out["team_minutes"] = out["minutes"].astype("float64")
    out["overtime_periods"] = overtime_periods(out["team_minutes"], out["game_id"])
    out["points"] = out["pts"]
    # The opponent row of the same game gives the opponent ids, margin and win (both rows validated above).
    opp = out[["game_id", "team_id", "team_abbr", "points"]].rename(columns={
        "team_id": "opponent_team_id", "team_abbr": "opponent_team_abbr", "points": "opponent_points"})
    out = out.drop(columns=["opponent_team_id", "opponent_team_abbr"], errors="ignore").merge(opp, on="game_id")
    out = out[out["team_id"] != out["opponent_team_id"]]
    out["margin"] = out["points"] - out["opponent_points"]
    out["is_win"] = out["margin"] > 0
    out["possessions"] = possessions(out["fga"], out["fta"], out["oreb"], out["tov"])
    poss = out["possessions"].where(out["possessions"] > 0)
    out["offensive_rating"] = 100.0 * out["points"] / poss
    out["pace"] = poss * 48.0 / (out["team_minutes"] / 5.0)
    out["true_shooting_pct"] = true_shooting_pct(out["points"], out["fga"], out["fta"])
    out = out.sort_values(["game_date", "game_id", "team_id"])
    return TEAM_OFFENSE_GAME_SUMMARY.conform(out)


# Offense column -> defense column: the opponent's line, flipped onto the defending team.
_FLIP = {
    "points": "points_allowed",
    "fgm": "opponent_fgm", "fga": "opponent_fga", "fg3m": "opponent_fg3m", "fg3a": "opponent_fg3a",
    "ftm": "opponent_ftm", "fta": "opponent_fta", "oreb": "opponent_oreb", "dreb": "opponent_dreb",
    "reb": "opponent_reb", "ast": "opponent_ast", "tov": "turnovers_forced",
    "possessions": "possessions", "offensive_rating": "defensive_rating", "pace": "opponent_pace",
    "true_shooting_pct": "opponent_true_shooting_pct",
}


def build_team_defense_game_summary(team_offense: pd.DataFrame) -> pd.DataFrame:
    """One row per defending team per game: the opponent's offense row, flipped.

    Args:
        team_offense: ``TEAM_OFFENSE_GAME_SUMMARY`` rows (both teams of each game).

    Returns:
        A frame conformed to ``TEAM_DEFENSE_GAME_SUMMARY``: points allowed, the opponent's shooting,
        rebounds and assists, turnovers forced, possessions (the opponent's), defensive rating (= the
        opponent's offensive rating, copied, so the two are equal exactly) and the opponent's pace.

    Raises:
        ValueError: a team's opponent row is missing from ``team_offense`` (the game has one team only).
    """
    if team_offense.empty:
        return TEAM_DEFENSE_GAME_SUMMARY.empty_frame()
    defender = team_offense[["game_date", "game_id", "team_id", "team_abbr", "opponent_team_id",
                             "opponent_team_abbr", "is_home", "team_minutes"]]
    attacker = team_offense[["game_id", "team_id", *_FLIP]].rename(columns={"team_id": "opponent_team_id", **_FLIP})
    out = defender.merge(attacker, on=["game_id", "opponent_team_id"], how="left", indicator=True)
    orphan = out["_merge"] != "both"
    if orphan.any():
        raise ValueError(
            f"no opponent offense row for games {sorted(set(out.loc[orphan, 'game_id']))}; "
            "both teams of a game are needed to build its defense rows"
        )
    out = out.sort_values(["game_date", "game_id", "team_id"])
    return TEAM_DEFENSE_GAME_SUMMARY.conform(out)
