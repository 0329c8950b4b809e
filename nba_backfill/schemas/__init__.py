"""Table schemas of every warehouse table, keyed by Dagster asset key (prefix = dataset)."""

from __future__ import annotations

import dagster as dg

from nba_backfill.schemas.analytics import (
    PLAYER_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    TEAM_OFFENSE_GAME_SUMMARY,
)
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY
from nba_backfill.schemas.raw import RAW_TABLES
from nba_backfill.schemas.table import Table

ALL_TABLES: tuple[Table, ...] = (
    *RAW_TABLES,
    TEAM_OFFENSE_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    PLAYER_GAME_SUMMARY,
    PLAYER_COMPOSITE_FACTORS,
    PLAYER_PROP_PREDICTIONS,
    PREDICTION_ACCURACY,
)
_BY_KEY = {dg.AssetKey([t.dataset, t.name]): t for t in ALL_TABLES}


def table_for_key(asset_key: dg.AssetKey) -> Table:
    """The schema of the table an asset materializes.

    Raises:
        KeyError: the asset is not a warehouse table (e.g. the raw boxscore files).
    """
    try:
        return _BY_KEY[asset_key]
    except KeyError:
        raise KeyError(f"{asset_key.to_user_string()} is not a warehouse table; known: {sorted(map(str, _BY_KEY))}")


def asset_key_for(table: Table) -> dg.AssetKey:
    """The Dagster asset key of a table: ``[dataset, name]``."""
    return dg.AssetKey([table.dataset, table.name])
