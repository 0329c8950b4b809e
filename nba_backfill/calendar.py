"""The one partitions definition and the partition mappings of the asset graph.

Every asset is partitioned by Eastern game date (an NBA game date is its America/New_York date).
``end_offset=1`` adds tomorrow's partition so the next slate can be predicted.

Phase 3 -> phase 4 reads the 21 whole days strictly before D (``D-21 … D-1``): the game being predicted
never leaks into its own features, and a change on day X cascades to X+1 … X+21.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from nba_backfill.errors import UnknownDateError

SEASON_START = "2025-10-21"  # 2025-26 opening night, the first partition
TIMEZONE = "America/New_York"
WINDOW_DAYS = 21  # length of the phase-4 feature window, in days

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=SEASON_START, timezone=TIMEZONE, end_offset=1
)

# Phase 4 on D reads phase 3 on D-21 … D-1. Days before the first partition simply do not exist upstream.
feature_window_mapping = dg.TimeWindowPartitionMapping(
    start_offset=-WINDOW_DAYS, end_offset=-1, allow_nonexistent_upstream_partitions=True
)


def parse_game_date(value: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` into a date that is a partition of :data:`daily_partitions`.

    Raises:
        UnknownDateError: malformed, or before the first partition / after tomorrow.
    """
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UnknownDateError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-01-21") from exc
    last = daily_partitions.get_last_partition_key()
    if value < SEASON_START or (last is not None and value > last):
        raise UnknownDateError(
            f"{value} is outside the partitions {SEASON_START} … {last}; pick a game date in that range"
        )
    return day


def date_range(start: dt.date, end: dt.date) -> list[str]:
    """Partition keys ``start`` … ``end`` inclusive, as ``YYYY-MM-DD`` strings."""
    days = (end - start).days
    return [(start + dt.timedelta(days=i)).isoformat() for i in range(days + 1)]
