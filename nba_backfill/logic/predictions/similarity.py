"""Prediction system ``similarity``: the player's window games weighted by how much they resemble tonight.

Method: the Nadaraya–Watson kernel average computed in phase 4 (``logic/game_context.py``,
``points_similar_context_mean``): each game the player played in the window is weighted by a product of
Li–Racine discrete kernels over three context variables — venue (home/away), rest bucket (0 / 1 / 2+ days) and the
opponent's defensive tier (tercile of the window's defensive ratings) — with weight 1 for a match and 0.5 for a
mismatch, so a game like tonight in all three counts 8× a game unlike it in all three. (Nadaraya 1964; Watson 1964;
Li & Racine, *Nonparametric Econometrics*, 2007.)
Confidence (``confidence`` module) uses Kish's effective number of games behind the average
(``similar_context_games``) as its sample size: a few look-alike games give less evidence than many.
"""

from __future__ import annotations

import pandas as pd

from nba_backfill.logic.predictions.confidence import evidence

SYSTEM_ID = "similarity"
DESCRIPTION = "kernel-weighted mean of the window games most like tonight (venue, rest, opponent defensive tier)"


def predict(factors: pd.DataFrame) -> pd.DataFrame:
    """Predicted points = points_similar_context_mean; confidence on the shared scale with Kish's n.

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows.

    Returns:
        Columns predicted_points (points) and confidence (0–1), aligned to ``factors.index``.
    """
    return pd.DataFrame({
        "predicted_points": factors["points_similar_context_mean"].astype("float64"),
        "confidence": evidence(factors, games=factors["similar_context_games"]),
    }, index=factors.index)
