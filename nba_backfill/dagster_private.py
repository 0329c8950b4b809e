"""The only non-public Dagster APIs this project touches, kept in one module (dagster pinned to 1.13.27).

- ``RunRequest.for_asset_graph_subset`` with ``AssetGraphSubset``: the way a sensor requests an *asset
  backfill* with a different partition set per asset (raw + phase 3 on the gap days, phases 4–5 on the
  21-day cascade). Dagster's own declarative-automation sensor uses the same path; the public
  ``RunRequest(asset_selection=..., partition_key_range=...)`` can only request one range for all assets.
- ``instance.get_backfills(status=BulkActionStatus.REQUESTED)``: which backfills are in flight and what
  they target, so the gap sensor never requests the same partitions twice.
If a Dagster upgrade breaks this module, the gap sensor's tests fail first (nba_backfill_tests/test_sensors*).
"""

from __future__ import annotations

from collections.abc import Mapping

import dagster as dg
from dagster._core.definitions.assets.graph.asset_graph_subset import AssetGraphSubset
from dagster._core.execution.backfill import BulkActionStatus

from nba_backfill.calendar import daily_partitions


def backfill_run_request(plan: Mapping[dg.AssetKey, list[str]], tags: Mapping[str, str]) -> dg.RunRequest:
    """A sensor run request that the daemon turns into ONE asset backfill of ``plan`` (asset → partition keys)."""
    subset = AssetGraphSubset(partitions_subsets_by_asset_key={
        key: daily_partitions.empty_subset().with_partition_keys(keys) for key, keys in plan.items() if keys
    })
    return dg.RunRequest.for_asset_graph_subset(subset, tags=dict(tags))


def in_flight_backfill_targets(instance: dg.DagsterInstance) -> list[tuple[str, dict[str, str], dict[dg.AssetKey, set[str]]]]:
    """Backfills not finished yet: (backfill id, tags, asset key → targeted partition keys)."""
    out = []
    for backfill in instance.get_backfills(status=BulkActionStatus.REQUESTED):
        targets: dict[dg.AssetKey, set[str]] = {}
        data = backfill.asset_backfill_data
        if data is not None:
            subset = data.target_subset
            for key in subset.asset_keys:
                targets[key] = set(subset.get_partitions_subset(key).get_partition_keys())
        out.append((backfill.backfill_id, dict(backfill.tags), targets))
    return out
