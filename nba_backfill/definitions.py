"""The Dagster code location: ``defs = build_defs()`` (loaded by ``workspace.yaml``)."""

from __future__ import annotations

from typing import Any

import dagster as dg

from nba_backfill.assets import ALL_ASSETS
from nba_backfill.checks import ALL_CHECKS
from nba_backfill.checks.failure_streak import scrape_failure_streak
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.resources.local_object_store import LocalObjectStore
from nba_backfill.resources.model_cache import ModelCache
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.warehouse_io_manager import WarehouseIOManager
from nba_backfill.settings import Settings, load_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.props_feed import BundledPropsFeed


def build_resources(settings: Settings) -> dict[str, Any]:
    """Resources of a deployment, under the same keys everywhere.

    Raises:
        NotImplementedError: ``gcp`` is named by the design but not built yet (see README, Roadmap).
    """
    if settings.deployment != "local":
        raise NotImplementedError(
            f"deployment {settings.deployment!r} is not built yet; unset NBA_BACKFILL_DEPLOYMENT to use local"
        )
    warehouse = DuckDBWarehouse(path=str(settings.warehouse_path))
    return {
        "warehouse": warehouse,
        "warehouse_io_manager": WarehouseIOManager(warehouse=warehouse),
        "object_store": LocalObjectStore(root=str(settings.lake_path)),
        "nba_stats": NbaStatsClient(base_url=settings.stats_base_url, rate_limit_seconds=settings.rate_limit_seconds),
        "props_feed": BundledPropsFeed(),
        "model_cache": ModelCache(directory=str(settings.models_path)),
        "scope": PipelineScope(
            stages=list(settings.stages), season_start=settings.season_start, season_end=settings.season_end,
            failure_streak_threshold=settings.failure_streak_threshold,
            gap_retry_minutes=settings.gap_retry_minutes,
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
    # DuckDB has one writer: steps run in the run's process, one after another.
    from nba_backfill.sensors import ALL_SENSORS  # sensors import the asset registry; keep import order simple

    return dg.Definitions(assets=ALL_ASSETS, asset_checks=[*ALL_CHECKS, scrape_failure_streak],
                          sensors=ALL_SENSORS, resources=resources, executor=dg.in_process_executor)


defs = build_defs()
