"""Phase 5 (``nba_predictions``): player points predictions per system on D, against the prop line."""


from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE5, checked_asset_kwargs, selected_tables, table_in
from nba_backfill.assets.day_metadata import PREVIEW_ROWS, add_day_metadata, games, markdown_table, split_by_day
from nba_backfill.assets.trained_models import models_before
from nba_backfill.checks.evaluation import specs
from nba_backfill.checks.features import PREDICTION_CHECKS, evaluate_predictions
from nba_backfill.logic.predictions import build_predictions_by_cutoff
from nba_backfill.resources.model_cache import ModelCache
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS
from nba_backfill.schemas.raw import ODDS_PLAYER_POINTS_PROPS


@dg.multi_asset(**checked_asset_kwargs(
    [PLAYER_PROP_PREDICTIONS], PHASE5, specs(PREDICTION_CHECKS),
    ins={"player_composite_factors": table_in(PLAYER_COMPOSITE_FACTORS),
         "odds_player_points_props": table_in(ODDS_PLAYER_POINTS_PROPS)}))
def player_prop_predictions(
    context: dg.AssetExecutionContext, player_composite_factors: pd.DataFrame, odds_player_points_props: pd.DataFrame,
    warehouse: Warehouse, model_cache: ModelCache,
) -> Iterator:
    """One row per player × system on D: predicted points, confidence, prop line (and its source), call.

    The learned systems use models trained on the warehouse's history before the first day of D's month
    (``model_status`` learned), or fall back to moving_average while that history is short (fallback).
    Then the predictions check's result per date (``checks/features.py``).
    """
    if not selected_tables(context, [PLAYER_PROP_PREDICTIONS]):  # the checks alone
        yield from evaluate_predictions(context, warehouse)
        return
    factors = player_composite_factors
    cache = model_cache.directory or None
    predictions, training = build_predictions_by_cutoff(
        factors, odds_player_points_props, lambda cutoff: models_before(warehouse, cutoff, cache))
    if training:
        context.add_output_metadata({"training_rows_per_cutoff": dg.MetadataValue.json(training)},
                                    output_name=PLAYER_PROP_PREDICTIONS.name)
    by_day = split_by_day(factors)
    # The previews' rows, split once for the run (not filtered out of each day's 7 systems).
    preview_by_day = split_by_day(predictions[predictions["system_id"] == PREVIEW_SYSTEM])
    add_day_metadata(context, predictions, lambda day, rows: {
        "games_expected": games(by_day.get(day, factors.iloc[0:0])), "games_found": games(rows),
        "predictions_per_system": _counts(rows, "system_id"), "calls": _counts(rows, "recommendation"),
        "top_predictions": top_predictions(preview_by_day.get(day, rows.iloc[0:0])),
    })
    yield dg.Output(predictions, output_name=PLAYER_PROP_PREDICTIONS.name)
    yield from evaluate_predictions(context, warehouse)


PREVIEW_SYSTEM = "ensemble_v1_1"


def _counts(rows: pd.DataFrame, column: str) -> dg.JsonMetadataValue:
    return dg.MetadataValue.json(
        {str(k): int(v) for k, v in rows[column].value_counts().sort_index().items()} if len(rows) else {})


def top_predictions(rows: pd.DataFrame) -> dg.MarkdownMetadataValue:
    """The day's strongest calls of the preview system: OVER/UNDER first, by confidence, with line and edge.

    ``rows``: one date's predictions (any systems; only ``PREVIEW_SYSTEM``'s are shown).
    """
    system = rows[rows["system_id"] == PREVIEW_SYSTEM] if len(rows) else rows
    if not len(system):
        return dg.MetadataValue.md("No predictions on this date (no games, or no eligible players).")
    ranked = system.assign(_call=system["recommendation"].isin(["OVER", "UNDER"])).sort_values(
        ["_call", "confidence"], ascending=False).head(PREVIEW_ROWS)
    table = markdown_table(
        ["player", "team", "opp", "predicted", "line", "line source", "edge", "call", "confidence"],
        [[r.player_name, r.team_abbr, r.opponent_team_abbr, f"{r.predicted_points:.1f}", f"{r.prop_line:.1f}",
          r.prop_line_source, f"{r.edge_points:+.1f}", r.recommendation, f"{r.confidence:.2f}"]
         for r in ranked.itertuples()])
    return dg.MetadataValue.md(f"{PREVIEW_SYSTEM}, top {len(ranked)} of {len(system)} players:\n\n{table}")
