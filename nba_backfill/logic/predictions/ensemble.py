"""Prediction systems ``ensemble_v1`` (confidence-weighted) and ``ensemble_v1_1`` (fixed weights).

Method: forecast combination — a weighted mean of member systems' predictions, row by row (Bates & Granger,
"The combination of forecasts", 1969). A member without a prediction for a row (NaN) is left out of that row.

ensemble_v1: predicted = Σ cᵢ·pᵢ / Σ cᵢ over moving_average, opponent_matchup, similarity, gradient_boosting with
    cᵢ their confidences (plain mean when every cᵢ is 0); confidence = Σ cᵢ² / Σ cᵢ, the confidence-weighted mean
    of the members' confidences (on the shared 0–1 scale).
ensemble_v1_1: predicted = Σ wᵢ·pᵢ / Σ wᵢ with the fixed weights :data:`V1_1_WEIGHTS`; confidence = Σ wᵢ·cᵢ / Σ wᵢ.
    The weights come from the grading (``nba-backfill grade``, README "Grading") on the *selection* dates
    2025-11-01 → 2025-12-27, before the evaluation span 2025-12-28 → 2026-02-11, so the evaluation stays out of
    sample: the two systems with the lowest MAE there (gradient_boosting, then opponent_matchup), blended with the
    weights that minimize the selection MAE on a 0.1 grid over the five base systems (0.7 / 0.3). The boosted
    trees predict the median and opponent_matchup a mean-like level, so the blend also shrinks the trees' bias.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from nba_backfill.logic.predictions import (
    gradient_boosting,
    linear,
    moving_average,
    opponent_matchup,
    similarity,
)

V1_SYSTEM_ID = "ensemble_v1"
V1_DESCRIPTION = "confidence-weighted mean of moving_average, opponent_matchup, similarity, gradient_boosting"
V1_1_SYSTEM_ID = "ensemble_v1_1"
V1_1_DESCRIPTION = "fixed-weight mean of the members, weights chosen on the 2025-11-01 → 2025-12-27 grading"

V1_MEMBERS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    moving_average.SYSTEM_ID: moving_average.predict,
    opponent_matchup.SYSTEM_ID: opponent_matchup.predict,
    similarity.SYSTEM_ID: similarity.predict,
    gradient_boosting.SYSTEM_ID: gradient_boosting.predict,
}
_ALL_MEMBERS = {**V1_MEMBERS, linear.SYSTEM_ID: linear.predict}

# See the module docstring and README "Grading" for where these come from.
V1_1_WEIGHTS: dict[str, float] = {
    gradient_boosting.SYSTEM_ID: 0.7,
    opponent_matchup.SYSTEM_ID: 0.3,
}


def _members(factors: pd.DataFrame, systems: Mapping[str, Callable[[pd.DataFrame], pd.DataFrame]],
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Member predictions and confidences as two frames (rows × members)."""
    outs = {name: predict(factors) for name, predict in systems.items()}
    points = pd.DataFrame({n: o["predicted_points"].astype("float64") for n, o in outs.items()}, index=factors.index)
    conf = pd.DataFrame({n: o["confidence"].astype("float64") for n, o in outs.items()}, index=factors.index)
    return points, conf


def _weighted(points: pd.DataFrame, weights: pd.DataFrame) -> pd.Series:
    """Row-wise Σ w·p / Σ w over members with a prediction; NaN when no member predicted the row."""
    w = weights.where(points.notna(), 0.0)
    total = w.sum(axis=1)
    plain = points.mean(axis=1)
    return ((w * points.fillna(0.0)).sum(axis=1) / total.where(total > 0)).fillna(plain)


def predict_v1(factors: pd.DataFrame) -> pd.DataFrame:
    """ensemble_v1: confidence-weighted mean of the four members (module docstring).

    Returns:
        Columns predicted_points (points) and confidence (0–1), aligned to ``factors.index``.
    """
    points, conf = _members(factors, V1_MEMBERS)
    conf = conf.fillna(0.0)
    total = conf.where(points.notna(), 0.0).sum(axis=1)
    confidence = ((conf ** 2).where(points.notna(), 0.0).sum(axis=1) / total.where(total > 0)).fillna(0.0)
    return pd.DataFrame({"predicted_points": _weighted(points, conf), "confidence": confidence},
                        index=factors.index)


def predict_v1_1(factors: pd.DataFrame) -> pd.DataFrame:
    """ensemble_v1_1: fixed-weight mean with :data:`V1_1_WEIGHTS` (module docstring).

    Returns:
        Columns predicted_points (points) and confidence (0–1), aligned to ``factors.index``.
    """
    points, conf = _members(factors, {name: _ALL_MEMBERS[name] for name in V1_1_WEIGHTS})
    weights = pd.DataFrame({n: np.full(len(factors), w) for n, w in V1_1_WEIGHTS.items()}, index=factors.index)
    return pd.DataFrame({"predicted_points": _weighted(points, weights),
                         "confidence": _weighted(conf.fillna(0.0), weights)}, index=factors.index)
