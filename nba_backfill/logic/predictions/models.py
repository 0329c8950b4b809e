"""The two learned systems' shared parts: features, the prior-season training set, fitting and the leakage rule.

Leakage rule: a model predicts a game date D only if every outcome it was trained on is dated strictly before D.
The models are trained on the 2024-25 season (``logic/prior_season.py``; last outcome 2025-04-01) and therefore
serve every 2025-26 date; :func:`check_trained_before` raises if asked for a date on or before the last training
date. The caller supplies the trained models (``build_player_prop_predictions(models=...)``; the phase-5 asset
trains them once per process from the bundle, ``assets/trained_models.py``), so this module reads no files.
Features are the phase-4 composite factors, built for 2024-25 by the same functions that build them for
2025-26, so training and serving rows mean the same thing.

Training set: every second 2024-25 game date (76 dates; consecutive dates share 20 of 21 window days, so the
skipped dates add little) → 10,811 player-games; building it takes ≈ 4 s and fitting < 1 s on an idle 2-core machine.
Pure: no Dagster, no file access.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nba_backfill.logic.predictions.confidence import evidence
from nba_backfill.logic.prior_season import raw_frames, training_rows

if TYPE_CHECKING:  # scikit-learn is imported when a model is fitted: commands that never predict stay fast
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import Pipeline

# Every numeric phase-4 factor a player's points can depend on (window honesty columns excluded: the training
# windows are all complete, so the models could not learn from them; confidence carries them instead).
FEATURES = (
    "points_per_game_last_5", "points_per_game_last_10", "points_per_game_window", "points_std_window",
    "games_played_window", "minutes_per_game_window", "days_rest", "is_back_to_back", "games_last_7_days",
    "minutes_last_7_days", "team_pace_window_mean", "opponent_pace_window_mean", "pace_differential",
    "opponent_defensive_rating_window_mean", "opponent_defense_differential", "usage_rate_last_3_pct",
    "usage_rate_window_pct", "usage_trend_pct", "is_home", "opponent_defense_tier", "points_similar_context_mean",
    "similar_context_games",
)
DATE_STRIDE = 2  # train on every second game date of the prior season


@dataclass(frozen=True)
class TrainedModels:
    """The fitted models and what they were trained on (dates are game dates of the training outcomes)."""

    gradient_boosting: HistGradientBoostingRegressor
    linear: Pipeline
    trained_from: dt.date
    trained_through: dt.date
    training_rows: int


def feature_matrix(factors: pd.DataFrame) -> np.ndarray:
    """``FEATURES`` of ``PLAYER_COMPOSITE_FACTORS`` rows as a float matrix (rows × 22); NULL → NaN, bool → 0/1."""
    return factors[list(FEATURES)].astype("float64").to_numpy()


def fit_models(rows: pd.DataFrame) -> TrainedModels:
    """Fit both models on training rows (factors + ``actual_points``).

    gradient_boosting: scikit-learn ``HistGradientBoostingRegressor`` (Friedman, "Greedy function approximation: a
        gradient boosting machine", 2001; LightGBM-style histograms, Ke et al. 2017) with the absolute-error loss,
        i.e. it predicts the conditional *median*: that minimizes the graded MAE, and an over/under call is right
        more often than not exactly when the median is on the called side of the line. 200 trees of ≤ 15 leaves,
        learning rate 0.05, ≥ 40 games per leaf, L2 1.0: conventional, strongly regularized settings for ≈ 10⁴
        noisy rows; NULL features go down the learned missing-value branch. Deterministic (no early stopping).
    linear: ridge regression (Hoerl & Kennard 1970) on standardized features, NULLs imputed with the training
        median, penalty chosen by efficient leave-one-out cross-validation (``RidgeCV``) over 10⁻² … 10³;
        predicts the conditional mean.

    Raises:
        ValueError: no training rows.
    """
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if rows.empty:
        raise ValueError("no training rows: the prior-season bundle produced no player-games with outcomes")
    x, y = feature_matrix(rows), rows["actual_points"].astype("float64").to_numpy()
    boosted = HistGradientBoostingRegressor(
        loss="absolute_error", max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40,
        l2_regularization=1.0, early_stopping=False, random_state=0).fit(x, y)
    linear = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                           RidgeCV(alphas=np.logspace(-2, 3, 11))).fit(x, y)
    dates = pd.to_datetime(rows["game_date"])
    return TrainedModels(boosted, linear, dates.min().date(), dates.max().date(), len(rows))


def prior_season_dates(schedule: pd.DataFrame, stride: int = DATE_STRIDE) -> list[dt.date]:
    """Every ``stride``-th game date of a season's schedule, skipping opening night (its window is empty)."""
    return sorted(set(pd.to_datetime(schedule["game_date"]).dt.date))[1::stride]


def train_prior_season_models(team_box: pd.DataFrame, player_box: pd.DataFrame) -> TrainedModels:
    """Fit both models on a prior season's leaguegamelog lines (see the module docstring).

    Args:
        team_box: one row per team per game (``bundle.load_team_box_2024_25()`` columns).
        player_box: one row per player who appeared in a game.

    Raises:
        ValueError: the lines are inconsistent or yield no training rows.
    """
    frames = raw_frames(team_box, player_box)
    return fit_models(training_rows(frames, prior_season_dates(frames["schedule"])))


# The models the learned systems predict with, set by ``using_models`` for one build (a context variable, so
# the registry keeps its one-argument ``predict(factors)`` signature and concurrent builds do not interfere).
_ACTIVE_MODELS: contextvars.ContextVar[TrainedModels | None] = contextvars.ContextVar("trained_models", default=None)


@contextlib.contextmanager
def using_models(models: TrainedModels) -> Iterator[TrainedModels]:
    """Let the learned systems predict with ``models`` inside the ``with`` block."""
    token = _ACTIVE_MODELS.set(models)
    try:
        yield models
    finally:
        _ACTIVE_MODELS.reset(token)


def check_trained_before(models: TrainedModels, factors: pd.DataFrame) -> None:
    """Enforce the leakage rule for the game dates in ``factors``.

    Raises:
        ValueError: some game date D is on or before the last training outcome (the model has seen D or later).
    """
    if factors.empty:
        return
    first = pd.to_datetime(factors["game_date"]).min().date()
    if first <= models.trained_through:
        raise ValueError(f"leakage: models trained on outcomes through {models.trained_through} cannot predict "
                         f"{first}; train on games strictly before every predicted date")


def predict_with(model_name: str, factors: pd.DataFrame) -> pd.DataFrame:
    """Predictions of one prior-season model (``gradient_boosting`` or ``linear``) for factor rows.

    Args:
        model_name: attribute of :class:`TrainedModels` to predict with.
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows, every game date after the training season.

    Returns:
        Columns predicted_points (points) and confidence (0–1, the shared evidence scale), aligned to the index.

    Raises:
        ValueError: a game date is not strictly after the training outcomes (leakage rule).
    """
    if factors.empty:
        return pd.DataFrame({"predicted_points": pd.Series(dtype="float64"),
                             "confidence": pd.Series(dtype="float64")}, index=factors.index)
    models = _ACTIVE_MODELS.get()
    if models is None:
        raise ValueError(f"the {model_name} system needs trained models: pass models= to "
                         "build_player_prop_predictions (the phase-5 asset does)")
    check_trained_before(models, factors)
    predicted = getattr(models, model_name).predict(feature_matrix(factors))
    return pd.DataFrame({"predicted_points": predicted, "confidence": evidence(factors)}, index=factors.index)
