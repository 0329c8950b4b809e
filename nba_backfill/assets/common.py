"""What every asset shares: the partitions, the single-run backfill policy and the IO manager key."""


import datetime as dt

import dagster as dg

from nba_backfill.assets.automation import cascade_condition
from nba_backfill.calendar import daily_partitions
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.table import Table

WAREHOUSE_IO = "warehouse_io_manager"

# A backfill of N days runs as one run per asset range: windows are read once, not once per day.
SINGLE_RUN = dg.BackfillPolicy.single_run()


def partition_dates(context: dg.AssetExecutionContext) -> list[dt.date]:
    """The game dates of the run's partitions (one for a daily run, many for a range run)."""
    return [dt.date.fromisoformat(k) for k in context.partition_keys]


def table_asset_kwargs(table: Table, group: str, automated: bool = True) -> dict:
    """Common ``@dg.asset`` arguments of a warehouse-table asset.

    ``automated`` assets re-run when an upstream partition changes (see ``automation.py``); sources
    (schedule, props) are not automated: they change only when someone or something asks.
    """
    return dict(
        automation_condition=cascade_condition() if automated else None,
        key=asset_key_for(table),
        partitions_def=daily_partitions,
        backfill_policy=SINGLE_RUN,
        io_manager_key=WAREHOUSE_IO,
        group_name=group,
        description=table.grain,
        kinds={"duckdb", "pandas"},
    )


def table_in(table: Table, partition_mapping: dg.PartitionMapping | None = None) -> dg.AssetIn:
    """An input reading another table asset (same day unless a mapping is given)."""
    return dg.AssetIn(key=asset_key_for(table), partition_mapping=partition_mapping)
