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
from nba_backfill.schemas.keys import table_for_key


def _dates(keys) -> list[dt.date]:
    return sorted(dt.date.fromisoformat(k) for k in keys)


class WarehouseIOManager(dg.ConfigurableIOManager):
    """Writes DataFrames to the table named by the asset key.

    ``nba_raw/nbac_team_boxscore`` → ``nba_raw.nbac_team_boxscore``, through the storage port.
    """

    warehouse: Warehouse

    def handle_output(self, context: dg.OutputContext, obj: pd.DataFrame) -> None:
        """Replace the run's partition range with ``obj``; attach row counts per partition as metadata.

        Raises:
            ValueError: rows outside the run's partitions or columns not matching the table schema.
        """
        table = table_for_key(context.asset_key)
        keys = context.asset_partition_keys
        written = self.warehouse.replace_slices(table, obj, _dates(keys))
        per_day = obj["game_date"].astype(str).value_counts() if len(obj) else pd.Series(dtype=int)
        metadata: dict = {"row_count": dg.MetadataValue.int(written), "table": table.qualified_name}
        if len(keys) > 1:
            metadata["rows_per_partition"] = dg.MetadataValue.json({k: int(per_day.get(k, 0)) for k in keys})
        context.add_output_metadata(metadata)

    def load_input(self, context: dg.InputContext) -> pd.DataFrame:
        """Read the upstream partitions the mapping selects (an empty frame when none exist yet)."""
        table = table_for_key(context.asset_key)
        keys = context.asset_partition_keys if context.has_asset_partitions else []
        if not keys:
            return table.empty_frame()
        return self.warehouse.read_slices(table, _dates(keys))
