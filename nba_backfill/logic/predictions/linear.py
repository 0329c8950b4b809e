"""Prediction system ``linear``: ridge regression on the phase-4 factors.

Method: standardized features, training-median imputation and an L2 penalty chosen by leave-one-out
cross-validation (``RidgeCV``; Hoerl & Kennard 1970), trained on the history before the first day of D's month,
any season (``models`` module: features, cadence, fallback, the leakage rule and its check). It predicts the
conditional mean. Confidence: the shared scale (``confidence.evidence``).
"""

from __future__ import annotations

import pandas as pd

from nba_backfill.logic.predictions.models import predict_with

SYSTEM_ID = "linear"
DESCRIPTION = ("ridge regression (L2 chosen by leave-one-out CV) on the composite factors, "
               "trained on the history before the month of D")


def predict(factors: pd.DataFrame) -> pd.DataFrame:
    """Predicted points = the ridge model's estimate from the row's factors.

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows, every game date after the training season.

    Returns:
        Columns predicted_points (points) and confidence (0–1), aligned to ``factors.index``.

    Raises:
        ValueError: a game date is not strictly after the training outcomes (leakage rule).
    """
    return predict_with("linear", factors)
