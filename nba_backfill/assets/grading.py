"""Phase 5 grading (``nba_predictions.prediction_accuracy``): D's predictions against D's real outcomes."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE5, table_asset_kwargs, table_in
from nba_backfill.assets.day_metadata import add_day_metadata
from nba_backfill.logic.grading import grade_predictions, summarize
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY


@dg.asset(
    **table_asset_kwargs(PREDICTION_ACCURACY, PHASE5),
    ins={"player_prop_predictions": table_in(PLAYER_PROP_PREDICTIONS),
         "player_game_summary": table_in(PLAYER_GAME_SUMMARY),
         "player_composite_factors": table_in(PLAYER_COMPOSITE_FACTORS)},
)
def prediction_accuracy(
    context: dg.AssetExecutionContext, player_prop_predictions: pd.DataFrame, player_game_summary: pd.DataFrame,
    player_composite_factors: pd.DataFrame,
) -> pd.DataFrame:
    """One row per system and baseline per D: MAE, bias, hit rate and the sportsbook line's MAE (logic.grading).

    All inputs are D's own partitions: when D's box scores land (or are re-scraped), D is graded again.
    """
    graded = grade_predictions(player_prop_predictions, player_game_summary, player_composite_factors)
    add_day_metadata(context, graded, _day_grades)
    return graded


def _day_grades(day: str, rows: pd.DataFrame) -> dict:
    """One day's graded players and MAE per system (empty before D's box scores land)."""
    if not len(rows):
        return {"graded_players": 0}
    span = summarize(rows)
    return {
        "graded_players": int(span["graded"].max()),
        "mae_points": dg.MetadataValue.json({
            str(r.system_id): (None if pd.isna(r.mae_points) else round(float(r.mae_points), 3))
            for r in span.itertuples()}),
    }
