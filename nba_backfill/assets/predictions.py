"""Phase 5 (``nba_predictions``): player points predictions per system on D, against the prop line."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import table_asset_kwargs, table_in
from nba_backfill.assets.trained_models import models_before
from nba_backfill.logic.predictions import build_player_prop_predictions
from nba_backfill.logic.predictions.models import training_cutoff
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS
from nba_backfill.schemas.raw import ODDS_PLAYER_POINTS_PROPS


@dg.asset(
    **table_asset_kwargs(PLAYER_PROP_PREDICTIONS, "predictions"),
    ins={"player_composite_factors": table_in(PLAYER_COMPOSITE_FACTORS),
         "odds_player_points_props": table_in(ODDS_PLAYER_POINTS_PROPS)},
)
def player_prop_predictions(
    context: dg.AssetExecutionContext, player_composite_factors: pd.DataFrame, odds_player_points_props: pd.DataFrame,
    warehouse: Warehouse,
) -> pd.DataFrame:
    """One row per player × system on D: predicted points, confidence, prop line (and its source), call.

    The learned systems use models trained on the warehouse's history before the first day of D's month
    (``model_status`` learned), or fall back to moving_average while that history is short (fallback).
    """
    factors = player_composite_factors
    if factors.empty:
        return build_player_prop_predictions(factors, odds_player_points_props)
    cutoffs = pd.to_datetime(factors["game_date"]).dt.date.map(training_cutoff)
    built, training = [], {}
    for cutoff in sorted(set(cutoffs)):
        models = models_before(warehouse, cutoff)
        training[cutoff.isoformat()] = models.training_rows if models is not None else 0
        built.append(build_player_prop_predictions(factors[cutoffs == cutoff], odds_player_points_props,
                                                   models=models))
    predictions = PLAYER_PROP_PREDICTIONS.conform(pd.concat(built, ignore_index=True))
    per_system = predictions["system_id"].value_counts().to_dict() if len(predictions) else {}
    context.add_output_metadata({
        "predictions_per_system": dg.MetadataValue.json({str(k): int(v) for k, v in per_system.items()}),
        "training_rows_per_cutoff": dg.MetadataValue.json(training)})
    return predictions
