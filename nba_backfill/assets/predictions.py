"""Phase 5 (``nba_predictions``): player points predictions per system on D, against the prop line."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import table_asset_kwargs, table_in
from nba_backfill.logic.predictions import build_player_prop_predictions
from nba_backfill.resources.model_cache import ModelCache
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
    model_cache: ModelCache,
) -> pd.DataFrame:
    """One row per player × system on D: predicted points, confidence, prop line (and its source), call."""
    predictions = build_player_prop_predictions(player_composite_factors, odds_player_points_props,
                                                models=model_cache.models())
    per_system = predictions["system_id"].value_counts().to_dict() if len(predictions) else {}
    context.add_output_metadata({"predictions_per_system": dg.MetadataValue.json(
        {str(k): int(v) for k, v in per_system.items()})})
    return predictions
