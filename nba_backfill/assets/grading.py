"""Phase 5 grading (``nba_predictions.prediction_accuracy``): D's predictions against D's real outcomes."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE5, table_asset_kwargs, table_in
from nba_backfill.assets.day_metadata import add_day_metadata
from nba_backfill.logic.grading import grade_predictions, system_order
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
    """One day's graded players and MAE per system (empty before D's box scores land).

    ``rows`` are one date's ``PREDICTION_ACCURACY`` rows, one per system: each row's own ``mae_points`` is the
    day's MAE (``logic.grading.summarize`` of one day gives the same), read directly instead of re-aggregated.
    """
    if not len(rows):
        return {"graded_players": 0}
    mae = dict(zip(rows["system_id"].astype(str), rows["mae_points"], strict=True))
    return {
        "graded_players": int(rows["graded"].max()),
        "mae_points": dg.MetadataValue.json({
            system: (None if pd.isna(mae[system]) else round(float(mae[system]), 3))
            for system in system_order(mae)}),
    }
