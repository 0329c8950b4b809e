"""Schemas of the ``nba_predictions`` dataset (phase 5): points predictions per player per system on D, and their
grading against D's outcomes.

Predictions are built from the composite factors of D and the props of D (``logic/predictions``). The prop line is
the sportsbook consensus when books posted one, otherwise an estimate that is labelled as such and never bet on.
The grading (``logic/grading.py``) compares D's predictions with D's box scores once they land.
"""

from __future__ import annotations

from nba_backfill.schemas.table import Column as C
from nba_backfill.schemas.table import Table

LINE_SOURCE_SPORTSBOOK = "sportsbook_consensus"
LINE_SOURCE_ESTIMATE = "estimate_last10_avg"

PLAYER_PROP_PREDICTIONS = Table(
    dataset="nba_predictions",
    name="player_prop_predictions",
    grain="One row per player expected to play on D per prediction system",
    columns=(
        C("game_date", "DATE", "D, the Eastern game date (the partition)"),
        C("game_id", "VARCHAR", "NBA game id"),
        C("player_id", "BIGINT", "NBA person id"),
        C("player_name", "VARCHAR", "first and family name"),
        C("team_abbr", "VARCHAR", "player's team tricode"),
        C("opponent_team_abbr", "VARCHAR", "opponent tricode"),
        C("system_id", "VARCHAR", "prediction system: moving_average, opponent_matchup, similarity, "
          "gradient_boosting, linear, ensemble_v1, ensemble_v1_1"),
        C("predicted_points", "DOUBLE", "predicted points in the game"),
        C("confidence", "DOUBLE", "confidence 0–1 on one scale for every system: sample · stability · window "
          "completeness (logic/predictions/confidence.py; a heuristic, not a calibrated probability)"),
        C("prop_line", "DOUBLE", "points line the prediction is compared with"),
        C("prop_line_source", "VARCHAR",
          f"{LINE_SOURCE_SPORTSBOOK} (median of the books' main lines) or {LINE_SOURCE_ESTIMATE} "
          "(no book line: last-10 points average rounded to the nearest 0.5)"),
        C("n_books", "INTEGER", "sportsbooks in the consensus (0 for an estimated line)"),
        C("recommendation", "VARCHAR",
          "OVER / UNDER when |edge_points| ≥ 1.5 and confidence ≥ 0.3, PASS otherwise, "
          "NO_LINE when the line is an estimate"),
        C("edge_points", "DOUBLE", "predicted_points − prop_line"),
        C("window_is_complete", "BOOLEAN", "copied from the factors row: False means the features miss games"),
        C("is_active", "BOOLEAN",
          "the current prediction for this player/system/date (a re-run replaces the slice, so stored rows are True)"),
        C("model_status", "VARCHAR",
          "rule (a non-learned system), learned (models trained on history before the month of D), or fallback "
          "(too little history before that cutoff: the learned system and the ensembles use moving_average)"),
    ),
    primary_key=("game_date", "player_id", "system_id"),
)

BASELINE_LAST10 = "baseline_last10"
BASELINE_SPORTSBOOK_LINE = "baseline_sportsbook_line"

PREDICTION_ACCURACY = Table(
    dataset="nba_predictions",
    name="prediction_accuracy",
    grain="One row per prediction system (and per naive baseline) per game date D, graded on D's box scores",
    columns=(
        C("game_date", "DATE", "D, the Eastern game date (the partition)"),
        C("system_id", "VARCHAR",
          f"a prediction system, or {BASELINE_LAST10} (the player's last-10 average in the window) or "
          f"{BASELINE_SPORTSBOOK_LINE} (the consensus line itself, only where books posted one)"),
        C("predictions", "INTEGER", "prediction rows on D (for the line baseline: rows with a sportsbook line)"),
        C("graded", "INTEGER", "of those, players who played on D (not DNP, points known): the graded set"),
        C("abs_error_sum_points", "DOUBLE", "Σ |predicted − actual points| over the graded set"),
        C("error_sum_points", "DOUBLE", "Σ (predicted − actual points) over the graded set"),
        C("mae_points", "DOUBLE", "abs_error_sum_points / graded (NULL when nothing was graded)"),
        C("bias_points", "DOUBLE", "error_sum_points / graded (> 0: predicts too many points)"),
        C("graded_with_line", "INTEGER", "graded players with a sportsbook line on D"),
        C("abs_error_sum_with_line_points", "DOUBLE", "Σ |predicted − actual| over graded players with a line"),
        C("line_abs_error_sum_points", "DOUBLE", "Σ |sportsbook line − actual| over the same players"),
        C("mae_with_line_points", "DOUBLE", "the system's MAE on graded players with a line"),
        C("line_mae_points", "DOUBLE", "the sportsbook line's own MAE on those players (same set)"),
        C("calls", "INTEGER", "graded OVER / UNDER recommendations (sportsbook lines only)"),
        C("pushes", "INTEGER", "calls whose actual points equal the line (neither won nor lost)"),
        C("hits", "INTEGER", "calls that won: OVER and actual > line, or UNDER and actual < line"),
        C("hit_rate", "DOUBLE", "hits / (calls − pushes); NULL without a decided call"),
    ),
    primary_key=("game_date", "system_id"),
)

PREDICTIONS_TABLES = (PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY)
