"""Phase 5 (``nba_predictions``): player points predictions per system on D, against the prop line."""


from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE5, checked_asset_kwargs, selected_tables, table_in
from nba_backfill.assets.day_metadata import (
    PREVIEW_ROWS,
    add_metadata_by_day,
    counts_by_day,
    day_keys,
    games_by_day,
    markdown_table,
)
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
    add_metadata_by_day(context, predictions, _day_metadata(context.partition_keys, predictions, factors))
    yield dg.Output(predictions, output_name=PLAYER_PROP_PREDICTIONS.name)
    yield from evaluate_predictions(context, warehouse)


PREVIEW_SYSTEM = "ensemble_v1_1"


def _day_metadata(days: list[str], predictions: pd.DataFrame, factors: pd.DataFrame) -> dict[str, dict]:
    """Per date of the run: games expected (in the factors) vs found, predictions per system, calls, and the
    preview of the strongest calls (computed for the whole run at once: one pass per statistic, not per date).
    """
    expected, found = games_by_day(factors), games_by_day(predictions)
    per_system, calls = counts_by_day(predictions, "system_id"), counts_by_day(predictions, "recommendation")
    previews = _previews(predictions)
    return {day: {
        "games_expected": expected.get(day, 0), "games_found": found.get(day, 0),
        "predictions_per_system": dg.MetadataValue.json(per_system.get(day, {})),
        "calls": dg.MetadataValue.json(calls.get(day, {})),
        "top_predictions": previews.get(day, _NO_PREVIEW),
    } for day in days}


_NO_PREVIEW = dg.MetadataValue.md("No predictions on this date (no games, or no eligible players).")
_PREVIEW_HEADER = ["player", "team", "opp", "predicted", "line", "line source", "edge", "call", "confidence"]


def _previews(predictions: pd.DataFrame) -> dict[str, dg.MarkdownMetadataValue]:
    """Per date: the strongest calls of the preview system (OVER/UNDER first, then by confidence) with line and
    edge, out of how many of its players; ranked for all dates in one sort.
    """
    system = predictions[predictions["system_id"] == PREVIEW_SYSTEM]
    if not len(system):
        return {}
    day = day_keys(system)
    ranked = system.assign(_day=day, _call=system["recommendation"].isin(["OVER", "UNDER"])).sort_values(
        ["_day", "_call", "confidence"], ascending=[True, False, False], kind="stable")
    players = day.value_counts()
    return {str(d): _preview(rows.head(PREVIEW_ROWS), int(players[d])) for d, rows in ranked.groupby("_day")}


def _preview(ranked: pd.DataFrame, players: int) -> dg.MarkdownMetadataValue:
    table = markdown_table(_PREVIEW_HEADER, [
        [r.player_name, r.team_abbr, r.opponent_team_abbr, f"{r.predicted_points:.1f}", f"{r.prop_line:.1f}",
         r.prop_line_source, f"{r.edge_points:+.1f}", r.recommendation, f"{r.confidence:.2f}"]
        for r in ranked.itertuples()])
    return dg.MetadataValue.md(f"{PREVIEW_SYSTEM}, top {len(ranked)} of {players} players:\n\n{table}")
