"""Phase 3 player summary: one row per player per game with usage rate and true shooting %.

Pure pandas, no Dagster. A DNP stays a row (the player was listed) but its minutes, counts and rates are
NULL: a DNP is not a zero-point game, and averaging it as 0 would bias every downstream points average.
"""

from __future__ import annotations

import pandas as pd

from nba_backfill.logic.team_summaries import FTA_POSSESSION_WEIGHT, true_shooting_pct
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY

_PLAYER_COUNTS = ["fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov",
                  "pf", "plus_minus"]


def usage_rate_pct(
    fga: pd.Series, fta: pd.Series, tov: pd.Series, minutes: pd.Series,
    team_fga: pd.Series, team_fta: pd.Series, team_tov: pd.Series, team_minutes: pd.Series,
) -> pd.Series:
    """Usage rate % = 100·((FGA + 0.44·FTA + TOV)·(Team MP/5)) / (MP·(Team FGA + 0.44·Team FTA + Team TOV)).

    The standard Basketball-Reference formula (glossary, "Usage Percentage"): the share of the team's plays
    the player used while on the floor. Team MP is the team's total minutes (240 + 25 per overtime).

    Returns:
        Percent 0–100 per row; NaN where the player has no minutes (the rate is undefined, not 0).
    """
    plays = fga + FTA_POSSESSION_WEIGHT * fta + tov
    team_plays = team_fga + FTA_POSSESSION_WEIGHT * team_fta + team_tov
    denominator = minutes * team_plays
    return (100.0 * plays * (team_minutes / 5.0) / denominator.where(denominator > 0)).astype("float64")


def build_player_game_summary(player_box: pd.DataFrame, team_box: pd.DataFrame) -> pd.DataFrame:
    """One row per player listed in a final game: box line, usage rate %, true shooting %, DNP flag.

    Args:
        player_box: ``nba_raw.nbac_player_boxscore`` rows (one per player per game, DNPs flagged with
            ``is_dnp``); ``minutes`` are decimal minutes.
        team_box: ``nba_raw.nbac_team_boxscore`` rows of the same games (team minutes 240/265/290, team
            FGA/FTA/TOV for usage; opponent and home/away).

    Returns:
        A frame conformed to ``PLAYER_GAME_SUMMARY``. usage_rate_pct uses the Basketball-Reference formula
        (see :func:`usage_rate_pct`); true_shooting_pct = points/(2·(FGA + 0.44·FTA)). For a DNP, minutes,
        points, counts and both rates are NULL.

    Raises:
        ValueError: a player row has no team row for its (game_id, team_id); names the games.
    """
    if player_box.empty:
        return PLAYER_GAME_SUMMARY.empty_frame()
    team = team_box[["game_id", "team_id", "opponent_team_id", "opponent_team_abbr", "is_home", "minutes",
                     "fga", "fta", "tov"]].rename(columns={
                         "minutes": "team_minutes", "fga": "team_fga", "fta": "team_fta", "tov": "team_tov"})
    out = player_box.merge(team, on=["game_id", "team_id"], how="left", validate="many_to_one", indicator=True)
    orphan = out["_merge"] != "both"
    if orphan.any():
        raise ValueError(
            f"player rows without a team box row in games {sorted(set(out.loc[orphan, 'game_id']))}; "
            "load nba_raw/nbac_team_boxscore for the same date"
        )
    dnp = out["is_dnp"].fillna(False).astype(bool)
    out["is_dnp"] = dnp
    out["dnp_reason"] = out["comment"].where(dnp & out["comment"].fillna("").ne(""))
    out["minutes"] = out["minutes"].astype("float64").where(~dnp)
    out["points"] = out["pts"].astype("float64").where(~dnp)
    for col in _PLAYER_COUNTS:
        out[col] = out[col].astype("float64").where(~dnp)
    for col in ["team_minutes", "team_fga", "team_fta", "team_tov"]:
        out[col] = out[col].astype("float64")
    out["usage_rate_pct"] = usage_rate_pct(
        out["fga"], out["fta"], out["tov"], out["minutes"],
        out["team_fga"], out["team_fta"], out["team_tov"], out["team_minutes"],
    )
    out["true_shooting_pct"] = true_shooting_pct(out["points"], out["fga"], out["fta"])
    out = out.sort_values(["game_date", "game_id", "team_id", "player_id"])
    return PLAYER_GAME_SUMMARY.conform(out)
