"""The cascade plan: which partitions of which assets must run after some partitions change.

Derived only from the asset graph and its partition mappings (phase 3 → 4 is D-21 … D-1, so a change on
day X reaches phases 4–5 on X+1 … X+21), never from constants. The plan is grouped into runs: assets
in topological order that share one contiguous partition range run together, once per range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import dagster as dg

from nba_backfill.calendar import daily_partitions


@dataclass(frozen=True)
class PlannedRun:
    """One range run: ``assets`` materialized over the partitions ``start`` … ``end`` (inclusive keys)."""

    assets: tuple[dg.AssetKey, ...]
    start: str
    end: str

    @property
    def partition_count(self) -> int:
        """Days in ``start … end`` inclusive."""
        return (dt.date.fromisoformat(self.end) - dt.date.fromisoformat(self.start)).days + 1


def _deps(spec: dg.AssetSpec) -> list[dg.AssetDep]:
    """The asset's dependencies by asset key: a multi-asset's come in hash order, and both the plan's order and
    its reasons are printed (``nba-backfill plan``), so they must not change between invocations.
    """
    return sorted(spec.deps, key=lambda d: d.asset_key.to_user_string())


def _topological(specs: Mapping[dg.AssetKey, dg.AssetSpec]) -> list[dg.AssetKey]:
    order: list[dg.AssetKey] = []
    seen: set[dg.AssetKey] = set()

    def visit(key: dg.AssetKey) -> None:
        if key in seen or key not in specs:
            return
        seen.add(key)
        for dep in _deps(specs[key]):
            visit(dep.asset_key)
        order.append(key)

    for key in sorted(specs, key=lambda k: k.to_user_string()):
        visit(key)
    return order


def _specs(graph: dg.Definitions | Sequence[dg.AssetsDefinition]) -> dict[dg.AssetKey, dg.AssetSpec]:
    if isinstance(graph, dg.Definitions):
        return {spec.key: spec for spec in graph.resolve_all_asset_specs()}
    return {spec.key: spec for assets_def in graph for spec in assets_def.specs}


def cascade_plan(
    graph: dg.Definitions | Sequence[dg.AssetsDefinition], changed: Mapping[dg.AssetKey, Iterable[str]]
) -> dict[dg.AssetKey, list[str]]:
    """Partitions to materialize per asset: the changed ones plus everything downstream of them.

    Args:
        graph: the code location or its assets (their specs carry dependencies and partition mappings).
        changed: partition keys that changed (or must be re-run) per asset, e.g. the gap's raw days.

    Returns:
        Asset key → sorted partition keys, in topological order of the assets, for every affected asset.
    """
    specs = _specs(graph)
    targets: dict[dg.AssetKey, set[str]] = {k: set(v) for k, v in changed.items() if v}
    for key in _topological(specs):
        for dep in specs[key].deps:
            upstream = targets.get(dep.asset_key)
            if not upstream:
                continue
            mapping = dep.partition_mapping or dg.IdentityPartitionMapping()
            subset = daily_partitions.empty_subset().with_partition_keys(sorted(upstream))
            downstream = mapping.get_downstream_partitions_for_partitions(
                subset, daily_partitions, daily_partitions
            )
            targets.setdefault(key, set()).update(downstream.get_partition_keys())
    order = _topological(specs)
    return {k: sorted(targets[k]) for k in order if targets.get(k)}


def contiguous_ranges(keys: list[str]) -> list[tuple[str, str]]:
    """Sorted partition keys as inclusive ``(start, end)`` ranges of consecutive days."""
    ranges: list[tuple[str, str]] = []
    for key in keys:
        if ranges and dt.date.fromisoformat(key) - dt.date.fromisoformat(ranges[-1][1]) == dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], key)
        else:
            ranges.append((key, key))
    return ranges


def group_into_runs(plan: Mapping[dg.AssetKey, list[str]]) -> list[PlannedRun]:
    """Group a plan into range runs: consecutive assets (topological order) with equal partition sets share runs.

    Assets produced by one multi-asset op (team + player box scores) always land in the same run.
    """
    runs: list[tuple[list[dg.AssetKey], list[str]]] = []
    for key, keys in plan.items():
        if runs and runs[-1][1] == keys:
            runs[-1][0].append(key)
        else:
            runs.append(([key], keys))
    planned = []
    for assets, keys in runs:
        for start, end in contiguous_ranges(keys):
            planned.append(PlannedRun(tuple(assets), start, end))
    return planned


def explain_plan(graph: dg.Definitions | Sequence[dg.AssetsDefinition],
                 plan: Mapping[dg.AssetKey, list[str]]) -> dict[dg.AssetKey, str]:
    """Why each asset of ``plan`` runs: a root (changed) or downstream of planned assets through which mapping."""
    specs = _specs(graph)
    reasons = {}
    for key in plan:
        parts = []
        for dep in _deps(specs[key]):
            if dep.asset_key in plan:
                mapping = dep.partition_mapping
                how = ("same day" if mapping is None or isinstance(mapping, dg.IdentityPartitionMapping) else
                       f"D{mapping.start_offset:+d} … D{mapping.end_offset:+d}"
                       if isinstance(mapping, dg.TimeWindowPartitionMapping) else type(mapping).__name__)
                parts.append(f"{dep.asset_key.path[-1]} ({how})")
        reasons[key] = "changed" if not parts else "after " + ", ".join(parts)
    return reasons
