"""Prediction system ``opponent_matchup``: the player's window scoring re-priced for tonight's pace and defense.

Method (Dean Oliver's pace-and-efficiency decomposition, *Basketball on Paper*, 2004: points = possessions ×
points per possession, with a multiplicative opponent adjustment as in Basketball-Reference's SRS-style ratings):
    base          = points_per_game_window (points earned over the window, at the team's own pace);
    pace_ratio    = game pace / team pace, game pace = (team_pace_window_mean + opponent_pace_window_mean) / 2;
    defense_ratio = shrunk opponent rating / league rating, the opponent's window defensive rating shrunk toward
                    the league's by its sample: (n·opp + K·league)/(n + K), n = opponent_games_window, K = 4 games
                    (a 4-game prior: with 2 games the opponent's own record gets a third of the weight, with 11 ≈ ¾);
    predicted     = base × pace_ratio × defense_ratio, each ratio clipped to [0.85, 1.15] (a 15% move is already
                    extreme for one game's pace or defense).
Unlike ``moving_average`` it does not weight recent games up and keeps the full matchup effect (its bounds are wider);
a missing input makes its ratio neutral (1.0).
Confidence (``confidence`` module): evidence · min(opponent_games_window / 10, 1), the opponent's sample.
"""

from __future__ import annotations

import pandas as pd

from nba_backfill.logic.predictions.confidence import evidence, sample_part

SYSTEM_ID = "opponent_matchup"
DESCRIPTION = "window points average × (game pace / team pace) × (opponent defensive rating shrunk to league / league)"

PRIOR_GAMES = 4.0  # K: league-average games added to the opponent's window before trusting its rating
RATIO_BOUNDS = (0.85, 1.15)


def ratios(factors: pd.DataFrame) -> pd.DataFrame:
    """The pace and defense ratios per row (unitless, clipped to [0.85, 1.15], NaN inputs → 1.0).

    Returns:
        Columns pace_ratio, defense_ratio, aligned to ``factors.index``.
    """
    f = factors.astype({c: "float64" for c in (
        "team_pace_window_mean", "opponent_pace_window_mean", "opponent_defensive_rating_window_mean",
        "league_defensive_rating_window_mean", "opponent_games_window")})
    team_pace = f["team_pace_window_mean"].where(f["team_pace_window_mean"] > 0)
    game_pace = (team_pace + f["opponent_pace_window_mean"]) / 2.0
    league = f["league_defensive_rating_window_mean"].where(f["league_defensive_rating_window_mean"] > 0)
    n = f["opponent_games_window"].fillna(0.0)
    shrunk = (n * f["opponent_defensive_rating_window_mean"] + PRIOR_GAMES * league) / (n + PRIOR_GAMES)
    return pd.DataFrame({
        "pace_ratio": (game_pace / team_pace).clip(*RATIO_BOUNDS).fillna(1.0),
        "defense_ratio": (shrunk / league).clip(*RATIO_BOUNDS).fillna(1.0),
    }, index=factors.index)


def predict(factors: pd.DataFrame) -> pd.DataFrame:
    """Predicted points = points_per_game_window × pace_ratio × defense_ratio (module docstring).

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows.

    Returns:
        Columns predicted_points (points) and confidence (0–1), aligned to ``factors.index``.
    """
    r = ratios(factors)
    predicted = factors["points_per_game_window"].astype("float64") * r["pace_ratio"] * r["defense_ratio"]
    confidence = evidence(factors) * sample_part(factors["opponent_games_window"])
    return pd.DataFrame({"predicted_points": predicted, "confidence": confidence}, index=factors.index)
