"""IO manager that stores each table asset's partitions as ``game_date`` slices of a warehouse table.

One Dagster partition = one game date slice. A run over a range of partitions (single-run backfill)
writes the whole range in one transaction; a downstream asset reads exactly the upstream partitions its
partition mapping selects (for phase 4: D-21 … D-1), once per run.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.keys import column_schema, table_for_key


def _dates(keys) -> list[dt.date]:
    return sorted(dt.date.fromisoformat(k) for k in keys)


class WarehouseIOManager(dg.ConfigurableIOManager):
    """Writes DataFrames to the table named by the asset key.

    ``nba_raw/nbac_team_boxscore`` → ``nba_raw.nbac_team_boxscore``, through the storage port.
    """

    warehouse: Warehouse

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        """Replace the run's partition range with ``obj``; attach the table's schema, name and URI as metadata.

        Per-partition numbers (``dagster/row_count`` of each day…) are added by the asset body with
        ``add_asset_metadata(..., partition_key=...)`` (``assets/day_metadata.py``): metadata added here is copied
        to every partition's event, so a range run's totals are only named as such (``run_partitions``).

        Raises:
            ValueError: rows outside the run's partitions or columns not matching the table schema.
        """
        table = table_for_key(context.asset_key)
        keys = context.asset_partition_keys
        written = self.warehouse.replace_slices(table, obj, _dates(keys))
        metadata: dict = {
            "dagster/table_name": table.qualified_name,
            "dagster/uri": dg.MetadataValue.url(self.warehouse.table_uri(table)),
            "dagster/column_schema": column_schema(table),
        }
        if len(keys) == 1:
            metadata["dagster/row_count"] = written
        else:
            metadata["run_partitions"] = (f"{min(keys)} … {max(keys)}: {len(keys)} partitions, {written} rows in "
                                          "this range run (this partition's own count: dagster/row_count)")
        context.add_output_metadata(metadata)

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        """Read the upstream partitions the mapping selects (an empty frame when none exist yet)."""
        table = table_for_key(context.asset_key)
        keys = context.asset_partition_keys if context.has_asset_partitions else []
        if not keys:
            return table.empty_frame()
        return self.warehouse.read_slices(table, _dates(keys))
