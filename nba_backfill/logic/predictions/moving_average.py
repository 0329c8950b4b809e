"""Prediction system ``moving_average``: a weighted recent points average times bounded factor adjustments.

Pure, vectorised over composite-factor rows (``PLAYER_COMPOSITE_FACTORS``): ``predict(factors)`` returns
``predicted_points`` and ``confidence`` per row, index-aligned. Every constant below is a design choice, not a
fitted value; the bounds keep one noisy 21-day factor from moving a prediction by more than a few percent.

Method: a recency-weighted moving average (the idea behind exponential smoothing, R. G. Brown, *Statistical
Forecasting for Inventory Control*, 1959: recent observations weigh more) with three nested windows
(last 5, last 10, all 21 days), times multiplicative pace and opponent-defense adjustments in Dean Oliver's
possessions framework (*Basketball on Paper*, 2004), a back-to-back dip and a usage-trend adjustment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_backfill.logic.predictions.confidence import evidence

SYSTEM_ID = "moving_average"
DESCRIPTION = "0.5·last-5 + 0.3·last-10 + 0.2·window points average × bounded pace/defense/fatigue/usage factors"

# Recent games weigh most; the window mean steadies a hot or cold streak.
WEIGHTS = {"points_per_game_last_5": 0.5, "points_per_game_last_10": 0.3, "points_per_game_window": 0.2}
PACE_BOUNDS = (0.95, 1.05)
DEFENSE_BOUNDS = (0.93, 1.07)
USAGE_BOUNDS = (0.95, 1.05)
USAGE_DAMPING = 0.5  # the last-5 term already carries most of a recent usage change; count only half again
BACK_TO_BACK_FACTOR = 0.97  # a modest dip on the second night of a back-to-back


def weighted_points_average(factors: pd.DataFrame) -> pd.Series:
    """Base = 0.5·points_per_game_last_5 + 0.3·points_per_game_last_10 + 0.2·points_per_game_window (points)."""
    return sum(weight * factors[col].astype("float64") for col, weight in WEIGHTS.items())


def _bounded(values: pd.Series, bounds: tuple[float, float]) -> pd.Series:
    """Clip to ``bounds``; a factor without inputs (NaN) is neutral (1.0)."""
    return values.clip(*bounds).fillna(1.0)


def adjustments(factors: pd.DataFrame) -> pd.DataFrame:
    """The four multiplicative adjustments per row, each bounded; NULL inputs give 1.0.

    pace_adjustment = 1 − pace_differential / (2·team_pace_window_mean), in [0.95, 1.05]: the game's pace is
        taken as the mean of the two teams' paces, i.e. team − differential/2, and the player's averages were
        earned at the team's own pace, so points scale by (team − differential/2)/team.
    defense_adjustment = 1 + opponent_defense_differential / league_defensive_rating_window_mean, in
        [0.93, 1.07]: the opponent's points allowed per 100 possessions relative to the league's.
    fatigue_adjustment = 0.97 on a back-to-back, else 1.0.
    usage_adjustment = 1 + 0.5·usage_trend_pct / usage_rate_window_pct, in [0.95, 1.05]: points scale with the
        share of plays used; half of the relative change, as the last-5 average already reflects it.

    Returns:
        Columns pace_adjustment, defense_adjustment, fatigue_adjustment, usage_adjustment (unitless).
    """
    f = factors.astype({c: "float64" for c in (
        "pace_differential", "team_pace_window_mean", "opponent_defense_differential",
        "league_defensive_rating_window_mean", "usage_trend_pct", "usage_rate_window_pct")})
    team_pace = f["team_pace_window_mean"].where(f["team_pace_window_mean"] > 0)
    league = f["league_defensive_rating_window_mean"].where(f["league_defensive_rating_window_mean"] > 0)
    usage = f["usage_rate_window_pct"].where(f["usage_rate_window_pct"] > 0)
    back_to_back = factors["is_back_to_back"].fillna(False).astype(bool)
    return pd.DataFrame({
        "pace_adjustment": _bounded(1.0 - f["pace_differential"] / (2.0 * team_pace), PACE_BOUNDS),
        "defense_adjustment": _bounded(1.0 + f["opponent_defense_differential"] / league, DEFENSE_BOUNDS),
        "fatigue_adjustment": np.where(back_to_back, BACK_TO_BACK_FACTOR, 1.0),
        "usage_adjustment": _bounded(1.0 + USAGE_DAMPING * f["usage_trend_pct"] / usage, USAGE_BOUNDS),
    }, index=factors.index)


def confidence(factors: pd.DataFrame) -> pd.Series:
    """Confidence 0–1 on the shared scale (``confidence.evidence``): sample · stability · completeness.

    sample = min(games_played_window / 10, 1); stability = 1 / (1 + points_std_window / points_per_game_window)
    (1/(1 + coefficient of variation); 0.5 when the spread is unknown, e.g. one game); completeness =
    window_found_games / window_expected_games (1 when nothing was expected), so a prediction built on a window
    with missing team games is trusted less.
    """
    return evidence(factors)


def predict(factors: pd.DataFrame) -> pd.DataFrame:
    """Predicted points = weighted_points_average × pace × defense × fatigue × usage adjustments.

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows.

    Returns:
        Columns predicted_points (points) and confidence (0–1), aligned to ``factors.index``.
    """
    if factors.empty:
        return pd.DataFrame({"predicted_points": pd.Series(dtype="float64"),
                             "confidence": pd.Series(dtype="float64")}, index=factors.index)
    adj = adjustments(factors)
    predicted = weighted_points_average(factors) * adj.prod(axis=1)
    return pd.DataFrame({"predicted_points": predicted, "confidence": confidence(factors)}, index=factors.index)
