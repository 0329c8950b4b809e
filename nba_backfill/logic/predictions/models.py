"""The two learned systems' shared parts: features, the training set, fitting, the cadence and the leakage rule.

No training season in the code. The models that predict a game date D are trained on the **history strictly
before D's training cutoff**: every ``PLAYER_COMPOSITE_FACTORS`` row dated before the cutoff joined to that game's
points (``player_game_summary``), whatever the season. Cadence: monthly — the cutoff of D is the first day of D's
month (:func:`training_cutoff`), so a re-run of D always trains on the same history, a month's predictions share
one model, and a season from scratch fits ~6 models instead of one per night. Chosen over "before the run's first
date" because a season built as ONE range run would then have no history at all; chosen over "before D" (one fit
per night, ~170 per season) for time. With fewer than :data:`MIN_TRAINING_ROWS` player-games of history the
learned systems fall back to the non-learned ``moving_average`` and their rows say so (``model_status =
fallback``). Leakage rule: every training outcome is dated strictly before the cutoff, hence before D
(:func:`check_trained_before`). The caller reads the history (``assets/trained_models.py``); this module is pure.
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
# Below this many player-games of history a fitted model is noise (22 features, ≥ 40 games per leaf): ~ the
# first 2–3 weeks of a season built from scratch.
MIN_TRAINING_ROWS = 2000
MODEL_LEARNED, MODEL_FALLBACK, MODEL_RULE = "learned", "fallback", "rule"


@dataclass(frozen=True)
class TrainedModels:
    """The fitted models and what they were trained on (dates are game dates of the training outcomes)."""

    gradient_boosting: HistGradientBoostingRegressor
    linear: Pipeline
    trained_from: dt.date
    trained_through: dt.date
    training_rows: int
    trained_before: dt.date | None = None  # the training cutoff: every outcome is dated strictly before it


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
        raise ValueError("no training rows: no player-games with outcomes before the cutoff")
    x, y = feature_matrix(rows), rows["actual_points"].astype("float64").to_numpy()
    boosted = HistGradientBoostingRegressor(
        loss="absolute_error", max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40,
        l2_regularization=1.0, early_stopping=False, random_state=0).fit(x, y)
    linear = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                           RidgeCV(alphas=np.logspace(-2, 3, 11))).fit(x, y)
    dates = pd.to_datetime(rows["game_date"])
    return TrainedModels(boosted, linear, dates.min().date(), dates.max().date(), len(rows))


def training_cutoff(day: dt.date) -> dt.date:
    """The training cutoff of game date D: the first day of D's month (monthly retraining)."""
    return day.replace(day=1)


def training_rows(factors: pd.DataFrame, player_games: pd.DataFrame, cutoff: dt.date) -> pd.DataFrame:
    """Training rows strictly before ``cutoff``: factors rows of players who played, with their points.

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows (any dates; later ones are dropped here).
        player_games: ``PLAYER_GAME_SUMMARY`` rows (the outcomes; DNPs have no points and no row).
        cutoff: the training cutoff; rows dated on or after it never enter.

    Returns:
        The factors columns plus ``actual_points``, sorted by (game_date, game_id, player_id) so equal history
        gives an equal (hashable) frame.
    """
    columns = ["game_date", "game_id", "player_id", *FEATURES]
    if factors.empty or player_games.empty:
        return pd.DataFrame(columns=[*columns, "actual_points"])
    before = pd.Timestamp(cutoff)
    f = factors[pd.to_datetime(factors["game_date"]) < before][columns]
    played = player_games[(pd.to_datetime(player_games["game_date"]) < before)
                          & ~player_games["is_dnp"].fillna(False).astype(bool)]
    outcomes = played[["game_id", "player_id", "points"]].rename(columns={"points": "actual_points"})
    rows = f.astype({"game_id": str, "player_id": "int64"}).merge(
        outcomes.astype({"game_id": str, "player_id": "int64"}), on=["game_id", "player_id"])
    rows = rows.dropna(subset=["actual_points"])
    return rows.sort_values(["game_date", "game_id", "player_id"]).reset_index(drop=True)


def models_for_cutoff(rows: pd.DataFrame, cutoff: dt.date) -> TrainedModels | None:
    """Fit on ``rows`` (from :func:`training_rows`), or None (fallback) below :data:`MIN_TRAINING_ROWS`."""
    if len(rows) < MIN_TRAINING_ROWS:
        return None
    models = fit_models(rows)
    return TrainedModels(models.gradient_boosting, models.linear, models.trained_from, models.trained_through,
                         models.training_rows, cutoff)


# The models the learned systems predict with, set by ``using_models`` for one build (a context variable, so
# the registry keeps its one-argument ``predict(factors)`` signature and concurrent builds do not interfere).
_ACTIVE_MODELS: contextvars.ContextVar[TrainedModels | None] = contextvars.ContextVar("trained_models", default=None)


@contextlib.contextmanager
def using_models(models: TrainedModels | None) -> Iterator[TrainedModels | None]:
    """Let the learned systems predict with ``models`` inside the ``with`` block (None: the fallback system)."""
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
    if first <= models.trained_through or (models.trained_before is not None and first < models.trained_before):
        raise ValueError(f"leakage: models trained on outcomes through {models.trained_through} cannot predict "
                         f"{first}; train on games strictly before every predicted date")


def predict_with(model_name: str, factors: pd.DataFrame) -> pd.DataFrame:
    """Predictions of one learned model (``gradient_boosting`` or ``linear``) for factor rows.

    Args:
        model_name: attribute of :class:`TrainedModels` to predict with.
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows, every game date on or after the training cutoff.

    Returns:
        Columns predicted_points (points) and confidence (0–1, the shared evidence scale), aligned to the index.

    Raises:
        ValueError: a game date is not strictly after the training outcomes (leakage rule).
    """
    if factors.empty:
        return pd.DataFrame({"predicted_points": pd.Series(dtype="float64"),
                             "confidence": pd.Series(dtype="float64")}, index=factors.index)
    models = _ACTIVE_MODELS.get()
    if models is None:  # too little history: the non-learned system stands in (rows say model_status=fallback)
        from nba_backfill.logic.predictions import moving_average

        return moving_average.predict(factors)
    check_trained_before(models, factors)
    # A player cannot score fewer than 0 points; a linear fit on a short history can extrapolate below it.
    predicted = np.clip(getattr(models, model_name).predict(feature_matrix(factors)), 0.0, None)
    return pd.DataFrame({"predicted_points": predicted, "confidence": evidence(factors)}, index=factors.index)
