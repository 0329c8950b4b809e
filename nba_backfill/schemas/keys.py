"""Dagster names of the warehouse tables: asset key = ``[dataset, table]`` (prefix = dataset), and the column
schema / table name metadata the UI shows (``dagster/column_schema``, ``dagster/table_name``).
"""

from __future__ import annotations

from typing import Any

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


# Warehouse type -> the type name the UI shows in the column schema.
_UI_TYPES = {"VARCHAR": "string", "BIGINT": "int", "INTEGER": "int", "DOUBLE": "float", "BOOLEAN": "bool",
             "DATE": "date", "TIMESTAMP": "timestamp"}


def column_schema(table: Table) -> dg.TableSchema:
    """The table's declared columns (name, type, description) and primary key, as a Dagster table schema."""
    return dg.TableSchema(
        columns=[dg.TableColumn(c.name, _UI_TYPES.get(c.dtype, c.dtype.lower()), description=c.description or None,
                                constraints=dg.TableColumnConstraints(nullable=c.name not in table.primary_key))
                 for c in table.columns],
        constraints=dg.TableConstraints(other=[f"primary key: {', '.join(table.primary_key)}",
                                               "partitioned by game_date (one partition = one Eastern game date)"]),
    )


def definition_metadata(table: Table) -> dict[str, Any]:
    """Definition metadata of a table asset: its column schema and ``dataset.table`` name."""
    return {"dagster/column_schema": column_schema(table), "dagster/table_name": table.qualified_name}
