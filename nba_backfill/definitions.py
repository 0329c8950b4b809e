"""The Dagster code location: ``defs = build_defs()`` (loaded by ``workspace.yaml``)."""

from __future__ import annotations

from typing import Any

import dagster as dg

from nba_backfill.assets import ALL_ASSETS
from nba_backfill.assets.common import warehouse_kind, with_storage_kind
from nba_backfill.checks.failure_streak import scrape_failure_streak
from nba_backfill.errors import SettingsError
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.resources.local_object_store import LocalObjectStore
from nba_backfill.resources.model_cache import ModelCache
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.storage import ObjectStore, Warehouse
from nba_backfill.resources.warehouse_io_manager import WarehouseIOManager
from nba_backfill.settings import Settings, load_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.props_feed import BundledPropsFeed


def build_storage(settings: Settings) -> tuple[Warehouse, ObjectStore]:
    """The deployment's warehouse and object store: DuckDB + a local folder, or BigQuery + GCS.

    Raises:
        SettingsError: ``gcp`` without a setting it needs (the message names the environment variable).
    """
    if settings.deployment == "local":
        return DuckDBWarehouse(path=str(settings.warehouse_path)), LocalObjectStore(root=str(settings.lake_path))
    if settings.deployment != "gcp":
        raise SettingsError(f"NBA_BACKFILL_DEPLOYMENT={settings.deployment!r} is not one of local, gcp")
    missing = settings.missing_gcp_settings()
    if missing:
        raise SettingsError(f"{missing[0]} is not set: the gcp deployment needs it (README, Production on GCP)")
    from nba_backfill.resources.bigquery_warehouse import BigQueryWarehouse  # Google clients only when used
    from nba_backfill.resources.gcs_object_store import GCSObjectStore

    return (BigQueryWarehouse(project=settings.gcp_project, dataset_location=settings.bq_location,
                              dataset_prefix=settings.bq_dataset_prefix, api_endpoint=settings.bq_endpoint),
            GCSObjectStore(bucket=settings.gcs_bucket, prefix=settings.gcs_prefix, project=settings.gcp_project,
                           api_endpoint=settings.gcs_endpoint))


def build_resources(settings: Settings) -> dict[str, Any]:
    """Resources of a deployment, under the same keys everywhere (``warehouse``, ``object_store``, …).

    Raises:
        SettingsError: ``gcp`` without a setting it needs (the message names the environment variable).
    """
    warehouse, object_store = build_storage(settings)
    return {
        "warehouse": warehouse,
        "warehouse_io_manager": WarehouseIOManager(warehouse=warehouse),
        "object_store": object_store,
        "nba_stats": NbaStatsClient(base_url=settings.stats_base_url, rate_limit_seconds=settings.rate_limit_seconds,
                                    timeout_seconds=settings.source_timeout_seconds,
                                    max_retries=settings.source_retries,
                                    partition_deadline_seconds=settings.partition_deadline_seconds),
        "props_feed": BundledPropsFeed(),
        "model_cache": ModelCache(directory=str(settings.models_path)),
        "scope": PipelineScope(
            stages=list(settings.stages), season_start=settings.season_start, season_end=settings.season_end,
            failure_streak_threshold=settings.failure_streak_threshold,
            gap_retry_minutes=settings.gap_retry_minutes, refresh_days=settings.refresh_days,
            local_run_workers=settings.deployment == "local",
        ),
    }


def build_defs(settings: Settings | None = None, resource_overrides: dict[str, Any] | None = None) -> dg.Definitions:
    """Build the code location.

    Args:
        settings: resolved settings (default: read from the environment).
        resource_overrides: resources replacing the deployment's ones by key (tests point ``nba_stats``
            at the replay server this way).
    """
    settings = settings or load_settings()
    resources = {**build_resources(settings), **(resource_overrides or {})}
    # DuckDB has one writer: steps run in the run's process, one after another (BigQuery too: one MERGE per
    # table at a time, see the gcp instance's run queue).
    from nba_backfill.sensors import build_sensors  # sensors import the asset registry; keep import order simple

    # The UI's storage kind (duckdb / bigquery) follows the deployment's warehouse: decided here only.
    assets = with_storage_kind(ALL_ASSETS, warehouse_kind(resources["warehouse"]))
    return dg.Definitions(assets=assets, asset_checks=[scrape_failure_streak],
                          sensors=build_sensors(settings.refresh_interval_seconds, settings.launching_sensors),
                          resources=resources, executor=dg.in_process_executor)


defs = build_defs()
