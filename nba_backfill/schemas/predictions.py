"""Schema of the ``nba_predictions`` dataset (phase 5): points predictions per player per system on D.

Built from the composite factors of D and the props of D (``logic/predictions``). The prop line is the
sportsbook consensus when books posted one, otherwise an estimate that is labelled as such and never bet on.
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
        C("system_id", "VARCHAR", "prediction system, e.g. moving_average"),
        C("predicted_points", "DOUBLE", "predicted points in the game"),
        C("confidence", "DOUBLE", "system confidence score 0–1 (a heuristic, not a calibrated probability)"),
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
    ),
    primary_key=("game_date", "player_id", "system_id"),
)

PREDICTIONS_TABLES = (PLAYER_PROP_PREDICTIONS,)
