"""Prediction system ``gradient_boosting``: a gradient-boosted tree regressor on the phase-4 factors.

Method: scikit-learn ``HistGradientBoostingRegressor`` with the absolute-error loss (it predicts the conditional
median; Friedman 2001), trained on the composite factors and outcomes dated before the first day of D's month,
any season (``models`` module: features, settings, cadence, fallback, the leakage rule and its check).
Confidence: the shared scale (``confidence.evidence``): the model's inputs are the row's factors, so the evidence
behind them is what limits it.
"""

from __future__ import annotations

import pandas as pd

from nba_backfill.logic.predictions.models import predict_with

SYSTEM_ID = "gradient_boosting"
DESCRIPTION = ("gradient-boosted trees (absolute-error loss) on the composite factors, "
               "trained on the history before the month of D")


def predict(factors: pd.DataFrame) -> pd.DataFrame:
    """Predicted points = the boosted trees' median estimate from the row's factors.

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows, every game date after the training season.

    Returns:
        Columns predicted_points (points) and confidence (0–1), aligned to ``factors.index``.

    Raises:
        ValueError: a game date is not strictly after the training outcomes (leakage rule).
    """
    return predict_with("gradient_boosting", factors)
