"""Partition status of an asset per game date, from the Dagster instance (public ``get_status_by_partition``).

The gap scan judges only dates whose schedule is MATERIALIZED; validation reports FAILED and MISSING days.
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg

from nba_backfill.calendar import daily_partitions


def partition_status(instance: dg.DagsterInstance, key: dg.AssetKey, days: Iterable[str]) -> dict[str, str]:
    """Per day of ``days``: MATERIALIZED, FAILED (the latest run targeting it failed), IN_PROGRESS or MISSING."""
    days = list(days)
    statuses = instance.get_status_by_partition(key, days, daily_partitions) or {}
    return {d: (statuses.get(d).value if statuses.get(d) is not None else "MISSING") for d in days}


def materialized_days(instance: dg.DagsterInstance, key: dg.AssetKey, days: Iterable[str]) -> set[str]:
    """The ``days`` whose partition of ``key`` is materialized (a day without games is materialized empty)."""
    return {d for d, s in partition_status(instance, key, days).items() if s == "MATERIALIZED"}
