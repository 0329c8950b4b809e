"""Dagster asset keys of the warehouse tables: key = ``[dataset, table]`` (prefix = dataset)."""

from __future__ import annotations

import dagster as dg

from nba_backfill.schemas import ALL_TABLES
from nba_backfill.schemas.table import Table

_BY_KEY = {dg.AssetKey([t.dataset, t.name]): t for t in ALL_TABLES}


def table_for_key(asset_key: dg.AssetKey) -> Table:
    """The schema of the table an asset materializes.

    Raises:
        KeyError: the asset is not a warehouse table (e.g. the raw boxscore files).
    """
    try:
        return _BY_KEY[asset_key]
    except KeyError:
        known = sorted(map(str, _BY_KEY))
        raise KeyError(f"{asset_key.to_user_string()} is not a warehouse table; known: {known}") from None


def asset_key_for(table: Table) -> dg.AssetKey:
    """The Dagster asset key of a table: ``[dataset, name]``."""
    return dg.AssetKey([table.dataset, table.name])
