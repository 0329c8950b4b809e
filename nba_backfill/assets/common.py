"""What every asset shares: the partitions, the single-run backfill policy, the IO manager key, and how the
UI names them: one asset group per phase (``phase0_schedule`` … ``phase5_predictions``), a ``phase`` tag, a
description that states the phase and the grain, and ``kinds`` (the storage kind is added by ``build_defs`` from
the deployment's warehouse, :func:`with_storage_kind`).
"""


import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import dagster as dg

from nba_backfill.assets.automation import cascade_condition
from nba_backfill.calendar import daily_partitions
from nba_backfill.schemas.keys import asset_key_for, definition_metadata
from nba_backfill.schemas.table import Table

WAREHOUSE_IO = "warehouse_io_manager"

# A backfill of N days runs as one run per asset range: windows are read once, not once per day.
SINGLE_RUN = dg.BackfillPolicy.single_run()


def partition_dates(context: dg.AssetExecutionContext) -> list[dt.date]:
    """The game dates of the run's partitions (one for a daily run, many for a range run)."""
    return [dt.date.fromisoformat(k) for k in context.partition_keys]


@dataclass(frozen=True)
class Phase:
    """A phase of the pipeline: its asset group (what the UI's asset graph and sidebar show) and its title."""

    number: int
    group: str
    title: str

    @property
    def tags(self) -> dict[str, str]:
        """Asset tags: ``phase`` = the phase number (filter the asset catalog with ``tag:phase=2``)."""
        return {"phase": str(self.number)}

    def describe(self, grain: str, what: str = "") -> str:
        """An asset description: the phase, the grain, then what the asset does."""
        return f"Phase {self.number}, {self.title}. Grain: {grain}." + (f" {what}" if what else "")


PHASE0 = Phase(0, "phase0_schedule", "schedule: what each game date owes (stats.nba.com scoreboardv3)")
PHASE1 = Phase(1, "phase1_raw_files", "raw files: one boxscoretraditionalv3 JSON per final game, kept verbatim")
PHASE2 = Phase(2, "phase2_raw_tables", "raw tables: box scores parsed from the raw files, the prop lines and the "
                                     "rosters of the day")
PHASE3 = Phase(3, "phase3_analytics", "analytics: team offense/defense and player game summaries of the day")
PHASE4 = Phase(4, "phase4_precompute", "precompute: player composite factors on D from phase 3 on D-21 … D-1")
PHASE5 = Phase(5, "phase5_predictions", "predictions: player points per system on D vs the prop line, graded")
PHASES = (PHASE0, PHASE1, PHASE2, PHASE3, PHASE4, PHASE5)


def table_asset_kwargs(table: Table, phase: Phase, automated: bool = True, what: str = "") -> dict:
    """Common ``@dg.asset`` arguments of a warehouse-table asset.

    ``automated`` assets re-run when an upstream partition changes (see ``automation.py``); sources
    (schedule, props) are not automated: they change only when someone or something asks. ``what``: one sentence
    appended to the description after the phase and grain.
    """
    return dict(
        automation_condition=cascade_condition() if automated else None,
        key=asset_key_for(table),
        partitions_def=daily_partitions,
        backfill_policy=SINGLE_RUN,
        io_manager_key=WAREHOUSE_IO,
        group_name=phase.group,
        description=phase.describe(table.grain, what),
        kinds={"pandas"},
        tags=phase.tags,
        metadata=definition_metadata(table),
    )


def table_out(table: Table, phase: Phase, what: str = "", automated: bool = True) -> dg.AssetOut:
    """:func:`table_asset_kwargs` for one output of a subsettable multi-asset (group and partitions are the
    multi-asset's; not required: a subset run yields only its selected tables).
    """
    return dg.AssetOut(key=asset_key_for(table), io_manager_key=WAREHOUSE_IO, description=phase.describe(
        table.grain, what), kinds={"pandas"}, tags=phase.tags, metadata=definition_metadata(table),
        automation_condition=cascade_condition() if automated else None, is_required=False)


def checked_asset_kwargs(tables: Sequence[Table], phase: Phase, check_specs: Sequence[dg.AssetCheckSpec],
                         ins: dict[str, dg.AssetIn] | None = None, automated: bool = True, what: str = "") -> dict:
    """``@dg.multi_asset`` arguments of the table assets ``tables`` (output name = table name) whose checks run in
    their own step.

    Subsettable (``can_subset``): the UI's "Execute" on a check (or a re-check after a manual fix) runs the step
    with no asset selected — the body then only evaluates the checks (:func:`selected_tables`).
    """
    return dict(outs={t.name: table_out(t, phase, what, automated) for t in tables}, ins=ins or {},
                partitions_def=daily_partitions, backfill_policy=SINGLE_RUN, group_name=phase.group,
                check_specs=list(check_specs), can_subset=True)


def selected_tables(context: dg.AssetExecutionContext, tables: Sequence[Table]) -> list[Table]:
    """The ``tables`` this step materializes (none when only the asset's checks were selected)."""
    return [t for t in tables if asset_key_for(t) in context.selected_asset_keys]


def warehouse_kind(warehouse) -> str:
    """The storage kind of a warehouse resource, from its table URIs' scheme (``duckdb``, ``bigquery``).

    Anything that is not a real warehouse (a test double) counts as the default, ``duckdb``.
    """
    from nba_backfill.schemas import ALL_TABLES

    try:
        scheme = str(warehouse.table_uri(ALL_TABLES[0])).split(":", 1)[0]
    except Exception:  # noqa: BLE001 - any failure means: not a warehouse we can name
        return "duckdb"
    return scheme if scheme in ("duckdb", "bigquery") else "duckdb"


def with_storage_kind(assets: Sequence[dg.AssetsDefinition], kind: str) -> list[dg.AssetsDefinition]:
    """``assets`` with the warehouse's kind (``duckdb`` / ``bigquery``) added to every warehouse-table asset.

    The one place the storage kind is decided (``build_defs`` calls it with :func:`warehouse_kind`).
    """
    def add_kind(spec: dg.AssetSpec) -> dg.AssetSpec:
        is_table = "dagster/table_name" in (spec.metadata or {})  # set by table_asset_kwargs / table_out
        return spec.merge_attributes(kinds={kind}) if is_table else spec

    return list(dg.map_asset_specs(add_kind, assets))


def table_in(table: Table, partition_mapping: dg.PartitionMapping | None = None) -> dg.AssetIn:
    """An input reading another table asset (same day unless a mapping is given)."""
    return dg.AssetIn(key=asset_key_for(table), partition_mapping=partition_mapping)
