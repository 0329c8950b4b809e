"""Phase 5: the registry of prediction systems and the builder of ``player_prop_predictions`` rows.

A system is a pure function ``predict(factors) -> frame`` over ``PLAYER_COMPOSITE_FACTORS`` rows that returns
``predicted_points`` and ``confidence`` (0–1, one scale for all systems: ``confidence.py``) aligned to the input
index, registered in :data:`SYSTEMS` under its ``system_id``. The seven systems, one module each (its docstring
states the method and its source): moving_average, opponent_matchup, similarity, gradient_boosting and linear
(learned on the history before a monthly training cutoff, whatever the season, with a labelled fallback while
history is short: ``models.py``), ensemble_v1 and
ensemble_v1_1 (``ensemble.py``). Adding a system = one module with a ``predict`` function + one entry in
``SYSTEMS``. Line resolution, edge and recommendation are shared here, so every system is judged against the
same line with the same thresholds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nba_backfill.logic.predictions import (
    ensemble,
    gradient_boosting,
    linear,
    moving_average,
    opponent_matchup,
    similarity,
)
from nba_backfill.logic.predictions.models import (
    MODEL_FALLBACK,
    MODEL_LEARNED,
    MODEL_RULE,
    TrainedModels,
    training_cutoff,
    using_models,
)
from nba_backfill.logic.prop_lines import consensus_prop_lines
from nba_backfill.schemas.predictions import LINE_SOURCE_ESTIMATE, LINE_SOURCE_SPORTSBOOK, PLAYER_PROP_PREDICTIONS

# 1.5 points ≈ 0.2 standard deviations of a regular's game-to-game points (6–8), which lifts the chance of
# beating the line to ~58%, above the 52.4% needed to break even at −110; smaller edges are noise → PASS.
EDGE_THRESHOLD_POINTS = 1.5
# Below this confidence (e.g. 1–2 games in the window, or a window missing games) an edge is not trusted.
MIN_CONFIDENCE_TO_BET = 0.3


@dataclass(frozen=True)
class PredictionSystem:
    """One registered system: id, pure ``predict(factors) -> [predicted_points, confidence]``, description."""

    system_id: str
    predict: Callable[[pd.DataFrame], pd.DataFrame]
    description: str


SYSTEMS: dict[str, PredictionSystem] = {
    system.system_id: system
    for system in (
        PredictionSystem(moving_average.SYSTEM_ID, moving_average.predict, moving_average.DESCRIPTION),
        PredictionSystem(opponent_matchup.SYSTEM_ID, opponent_matchup.predict, opponent_matchup.DESCRIPTION),
        PredictionSystem(similarity.SYSTEM_ID, similarity.predict, similarity.DESCRIPTION),
        PredictionSystem(gradient_boosting.SYSTEM_ID, gradient_boosting.predict, gradient_boosting.DESCRIPTION),
        PredictionSystem(linear.SYSTEM_ID, linear.predict, linear.DESCRIPTION),
        PredictionSystem(ensemble.V1_SYSTEM_ID, ensemble.predict_v1, ensemble.V1_DESCRIPTION),
        PredictionSystem(ensemble.V1_1_SYSTEM_ID, ensemble.predict_v1_1, ensemble.V1_1_DESCRIPTION),
    )
}
# The registered systems in registry order: what phase 5 builds and what validation and grading expect.
SYSTEM_IDS: tuple[str, ...] = tuple(SYSTEMS)
# Systems whose output depends on the learned models (the ensembles blend gradient_boosting in).
LEARNED_SYSTEM_IDS = frozenset({gradient_boosting.SYSTEM_ID, linear.SYSTEM_ID, ensemble.V1_SYSTEM_ID,
                                ensemble.V1_1_SYSTEM_ID})


def estimate_line(points_per_game_last_10: pd.Series) -> pd.Series:
    """Estimated line = last-10 points average rounded to the nearest 0.5 (halves round up: 21.25 -> 21.5)."""
    return np.floor(points_per_game_last_10.astype("float64") * 2.0 + 0.5) / 2.0


def resolve_prop_lines(factors: pd.DataFrame, props: pd.DataFrame) -> pd.DataFrame:
    """Per factors row: the line to judge against, its source and the number of books.

    The sportsbook consensus (``consensus_prop_lines``) when books posted a line for that player and game,
    otherwise :func:`estimate_line` labelled ``estimate_last10_avg`` with n_books 0.

    Returns:
        Columns prop_line, prop_line_source, n_books, aligned to ``factors.index``.
    """
    keys = pd.DataFrame({"game_id": factors["game_id"].astype(str).to_numpy(),
                         "player_id": factors["player_id"].astype("int64").to_numpy()})
    lines = consensus_prop_lines(props)[["game_id", "player_id", "prop_line", "n_books"]]
    lines = lines.astype({"game_id": str, "player_id": "int64"})
    # A left merge keeps the left row order, and lines are unique per (game, player): rows align 1:1.
    found = keys.merge(lines, on=["game_id", "player_id"], how="left").set_axis(factors.index)
    has_book = found["prop_line"].notna()
    return pd.DataFrame({
        "prop_line": found["prop_line"].astype("float64").where(
            has_book, estimate_line(factors["points_per_game_last_10"])),
        "prop_line_source": np.where(has_book, LINE_SOURCE_SPORTSBOOK, LINE_SOURCE_ESTIMATE),
        "n_books": found["n_books"].astype("float64").fillna(0).astype("int64"),
    }, index=factors.index)


def recommend(edge_points: pd.Series, confidence: pd.Series, prop_line_source: pd.Series) -> pd.Series:
    """OVER / UNDER / PASS / NO_LINE per row.

    NO_LINE when the line is an estimate (not a market: nothing can be bet against it); otherwise OVER if
    edge ≥ 1.5 points, UNDER if edge ≤ −1.5 points, each only with confidence ≥ 0.3; PASS for everything else
    (including a missing prediction).
    """
    trusted = confidence.fillna(0.0) >= MIN_CONFIDENCE_TO_BET
    call = np.select([trusted & (edge_points >= EDGE_THRESHOLD_POINTS),
                      trusted & (edge_points <= -EDGE_THRESHOLD_POINTS)],
                     ["OVER", "UNDER"], default="PASS")
    return pd.Series(np.where(prop_line_source == LINE_SOURCE_SPORTSBOOK, call, "NO_LINE"), index=edge_points.index)


def build_player_prop_predictions(
    factors: pd.DataFrame, props: pd.DataFrame, systems: Sequence[str] = SYSTEM_IDS,
    models: TrainedModels | None = None,
) -> pd.DataFrame:
    """One row per factors row per system: prediction, confidence, line, edge and recommendation.

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows of one or more game dates.
        props: ``nba_raw.odds_player_points_props`` rows (may be empty: no book lines that day).
        systems: system ids from :data:`SYSTEMS`, in output order.
        models: the trained models of the learned systems; None: too little history, the learned systems
            fall back to ``moving_average`` and their rows carry ``model_status = fallback``.

    Returns:
        A frame conformed to ``PLAYER_PROP_PREDICTIONS``; edge_points = predicted_points − prop_line;
        window_is_complete is copied from the factors row, so a prediction on an incomplete window says so.

    Raises:
        ValueError: an unknown system id (the message lists the registered ones).
    """
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        raise ValueError(f"unknown prediction systems {unknown}; registered: {sorted(SYSTEMS)}")
    if factors.empty:
        return PLAYER_PROP_PREDICTIONS.empty_frame()
    factors = factors.reset_index(drop=True)
    lines = resolve_prop_lines(factors, props)
    built = []
    for system_id in systems:
        with using_models(models):
            out = SYSTEMS[system_id].predict(factors)
        rows = factors[["game_date", "game_id", "player_id", "player_name", "team_abbr", "opponent_team_abbr",
                        "window_is_complete"]].join(lines)
        rows["system_id"] = system_id
        rows["predicted_points"] = out["predicted_points"].astype("float64")
        rows["confidence"] = out["confidence"].astype("float64")
        rows["edge_points"] = rows["predicted_points"] - rows["prop_line"]
        rows["recommendation"] = recommend(rows["edge_points"], rows["confidence"], rows["prop_line_source"])
        rows["is_active"] = True
        rows["model_status"] = (MODEL_RULE if system_id not in LEARNED_SYSTEM_IDS
                                else MODEL_LEARNED if models is not None else MODEL_FALLBACK)
        built.append(rows)
    out = pd.concat(built, ignore_index=True).sort_values(["game_date", "player_id", "system_id"])
    return PLAYER_PROP_PREDICTIONS.conform(out)


def build_predictions_by_cutoff(
    factors: pd.DataFrame, props: pd.DataFrame,
    models_before: Callable[[dt.date], TrainedModels | None],
) -> tuple[pd.DataFrame, dict[str, int]]:
    """:func:`build_player_prop_predictions` over many dates, each date with the models of its training cutoff.

    Args:
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows of one or more game dates.
        props: ``nba_raw.odds_player_points_props`` rows of those dates.
        models_before: cutoff → the models trained on the history strictly before it (None: fallback), called
            once per distinct cutoff (:func:`models.training_cutoff`: the first day of the date's month).

    Returns:
        (rows conformed to ``PLAYER_PROP_PREDICTIONS``, cutoff ``YYYY-MM-DD`` → training rows of its models,
        0 for a fallback).
    """
    if factors.empty:
        return build_player_prop_predictions(factors, props), {}
    cutoffs = pd.to_datetime(factors["game_date"]).dt.date.map(training_cutoff)
    built, training = [], {}
    for cutoff in sorted(set(cutoffs)):
        models = models_before(cutoff)
        training[cutoff.isoformat()] = models.training_rows if models is not None else 0
        built.append(build_player_prop_predictions(factors[cutoffs == cutoff], props, models=models))
    return PLAYER_PROP_PREDICTIONS.conform(pd.concat(built, ignore_index=True)), training
