"""Grading: D's predictions against D's real points, per system and for two naive baselines.

Pure pandas, no Dagster. The graded set of a system on D is its prediction rows whose player played on D (a
``player_game_summary`` row that is not a DNP, points known); a player who did not play is not graded, as a
sportsbook voids a prop on a player who does not play. Errors are predicted − actual, in points.

Baselines, graded exactly like a system:
    baseline_last10: the player's last-10 points average in the window (``points_per_game_last_10``); its calls
        are OVER / UNDER when it is ≥ 1.5 points from a sportsbook line (the systems' edge threshold, no confidence);
    baseline_sportsbook_line: the sportsbook consensus line itself, only on rows with a real line (no calls).
Hit rate counts OVER / UNDER calls against real sportsbook lines only: a hit is OVER with actual > line or UNDER
with actual < line; a push (actual = line) is neither, so hit_rate = hits / (calls − pushes).

Per-day rows carry sums as well as means so that any span of days aggregates exactly (:func:`summarize`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_backfill.logic.predictions import EDGE_THRESHOLD_POINTS, SYSTEM_IDS
from nba_backfill.schemas.predictions import (
    BASELINE_LAST10,
    BASELINE_SPORTSBOOK_LINE,
    LINE_SOURCE_SPORTSBOOK,
    PREDICTION_ACCURACY,
)

_SUMS = ["predictions", "graded", "abs_error_sum_points", "error_sum_points", "graded_with_line",
         "abs_error_sum_with_line_points", "line_abs_error_sum_points", "calls", "pushes", "hits"]


def outcomes(player_games: pd.DataFrame) -> pd.DataFrame:
    """Actual points of every player who played: columns game_id (str), player_id (int64), actual_points."""
    played = player_games[~player_games["is_dnp"].fillna(False).astype(bool) & player_games["points"].notna()]
    return pd.DataFrame({"game_id": played["game_id"].astype(str).to_numpy(),
                         "player_id": played["player_id"].astype("int64").to_numpy(),
                         "actual_points": played["points"].astype("float64").to_numpy()})


def _baseline_rows(predictions: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """Prediction-shaped rows of the two baselines (system_id, predicted_points, prop_line, source, call)."""
    keys = ["game_date", "game_id", "player_id", "prop_line", "prop_line_source"]
    lines = predictions.drop_duplicates(["game_date", "game_id", "player_id"])[keys]
    last10 = factors[["game_id", "player_id", "points_per_game_last_10"]].astype({"game_id": str,
                                                                                 "player_id": "int64"})
    base = lines.astype({"game_id": str, "player_id": "int64"}).merge(last10, on=["game_id", "player_id"])
    base["predicted_points"] = base["points_per_game_last_10"].astype("float64")
    edge = base["predicted_points"] - base["prop_line"].astype("float64")
    booked = base["prop_line_source"] == LINE_SOURCE_SPORTSBOOK
    base["recommendation"] = np.select([booked & (edge >= EDGE_THRESHOLD_POINTS),
                                        booked & (edge <= -EDGE_THRESHOLD_POINTS)], ["OVER", "UNDER"], "PASS")
    line = lines[lines["prop_line_source"] == LINE_SOURCE_SPORTSBOOK].assign(recommendation="PASS")
    line["predicted_points"] = line["prop_line"].astype("float64")
    return pd.concat([base.assign(system_id=BASELINE_LAST10), line.assign(system_id=BASELINE_SPORTSBOOK_LINE)],
                     ignore_index=True)


def _grade(rows: pd.DataFrame) -> pd.DataFrame:
    """Per (game_date, system_id): the sums of ``PREDICTION_ACCURACY`` from rows joined with actual_points."""
    graded = rows["actual_points"].notna()
    error = (rows["predicted_points"].astype("float64") - rows["actual_points"]).where(graded)
    booked = graded & (rows["prop_line_source"] == LINE_SOURCE_SPORTSBOOK)
    line = rows["prop_line"].astype("float64")
    call = booked & rows["recommendation"].isin(["OVER", "UNDER"])
    push = call & (rows["actual_points"] == line)
    hit = call & (((rows["recommendation"] == "OVER") & (rows["actual_points"] > line))
                  | ((rows["recommendation"] == "UNDER") & (rows["actual_points"] < line)))
    parts = pd.DataFrame({
        "game_date": rows["game_date"], "system_id": rows["system_id"], "predictions": 1, "graded": graded,
        "abs_error_sum_points": error.abs(), "error_sum_points": error, "graded_with_line": booked,
        "abs_error_sum_with_line_points": error.abs().where(booked),
        "line_abs_error_sum_points": (line - rows["actual_points"]).abs().where(booked),
        "calls": call, "pushes": push, "hits": hit,
    })
    return parts.groupby(["game_date", "system_id"], as_index=False)[_SUMS].sum(min_count=0)


def _with_rates(sums: pd.DataFrame) -> pd.DataFrame:
    """Add the means and the hit rate to frames of sums (NULL where the denominator is 0)."""
    out = sums.copy()
    graded = out["graded"].astype("float64").where(out["graded"] > 0)
    with_line = out["graded_with_line"].astype("float64").where(out["graded_with_line"] > 0)
    decided = (out["calls"] - out["pushes"]).astype("float64")
    out["mae_points"] = out["abs_error_sum_points"] / graded
    out["bias_points"] = out["error_sum_points"] / graded
    out["mae_with_line_points"] = out["abs_error_sum_with_line_points"] / with_line
    out["line_mae_points"] = out["line_abs_error_sum_points"] / with_line
    out["hit_rate"] = out["hits"] / decided.where(decided > 0)
    return out


def grade_predictions(predictions: pd.DataFrame, player_games: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """One row per system (and baseline) per game date in ``predictions``: MAE, bias, line MAE, hit rate.

    Args:
        predictions: ``PLAYER_PROP_PREDICTIONS`` rows of one or more dates.
        player_games: ``PLAYER_GAME_SUMMARY`` rows of the same dates (the outcomes; may not have landed yet,
            then nothing is graded and the means are NULL).
        factors: ``PLAYER_COMPOSITE_FACTORS`` rows of the same dates (the last-10 baseline).

    Returns:
        A frame conformed to ``PREDICTION_ACCURACY`` (empty when there are no predictions), sorted by date and
        system id. Sums use only graded rows; means divide by their own counts.
    """
    if predictions.empty:
        return PREDICTION_ACCURACY.empty_frame()
    preds = predictions.astype({"game_id": str, "player_id": "int64"})
    rows = pd.concat([preds, _baseline_rows(preds, factors)], ignore_index=True)
    rows = rows.merge(outcomes(player_games), on=["game_id", "player_id"], how="left")
    out = _with_rates(_grade(rows)).sort_values(["game_date", "system_id"])
    return PREDICTION_ACCURACY.conform(out)


def system_order(system_ids) -> list[str]:
    """The distinct ``system_ids`` in report order: the registered systems in registry order, then the baselines,
    then any other id (sorted).
    """
    known = [*SYSTEM_IDS, BASELINE_LAST10, BASELINE_SPORTSBOOK_LINE]
    present = set(system_ids)
    return [s for s in known if s in present] + sorted(present - set(known))


def summarize(accuracy: pd.DataFrame) -> pd.DataFrame:
    """Aggregate daily ``PREDICTION_ACCURACY`` rows over their whole span: one row per system.

    Returns:
        Columns system_id, days (dates with a row), the summed counts and error sums of ``PREDICTION_ACCURACY``
        and the means recomputed from the sums (so a span's MAE weights every graded player equally, not every
        day); the registered systems in registry order, then the baselines, then any other id.
    """
    order = system_order(accuracy["system_id"].astype(str))
    plain = accuracy[_SUMS].astype("float64").fillna(0.0)  # numpy dtypes: missing means become NaN, not NA
    sums = plain.assign(days=1.0, system_id=accuracy["system_id"].astype(str)).groupby("system_id").sum()
    out = _with_rates(sums[["days", *_SUMS]].reindex(order).reset_index())
    counts = ["days", "predictions", "graded", "graded_with_line", "calls", "pushes", "hits"]
    return out.astype({c: "int64" for c in counts})
