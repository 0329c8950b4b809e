"""The one partitions definition of the asset graph and its partition mappings (Dagster objects).

The seasons and their days are ``seasons.py`` (no Dagster; re-exported here): every asset is partitioned by
Eastern game date, the partitions are the days of the configured seasons and the **off-season is not a
partition** (``exclusions``), so the UI, ``gaps`` and ``validate`` never count it as a hole, and nothing after
the last scheduled night is "missing". While a configured season is still being played the last partition is
tomorrow (the next slate can be predicted), like the former ``end_offset=1``.

Phase 3 -> phase 4 reads the 21 whole days strictly before D (``D-21 … D-1``): the game being predicted never
leaks into its own features, and inside a season a change on day X cascades to X+1 … X+21. Dagster counts
the mapping's offsets in *partitions*, so across an off-season the mapped range of the first 21 nights of a
season reaches the last nights of the previous one; the phase-4 logic slices its inputs by calendar day
(``logic/composite_window.py``), so those rows are read and discarded (features are unchanged), and a re-scrape
of a season's last 21 nights also re-runs phases 4–5 on the next season's first nights (idempotent, harmless).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg

from nba_backfill.seasons import (  # noqa: F401  (re-exported: the calendar of the asset graph)
    SEASONS,
    TIMEZONE,
    WINDOW_DAYS,
    Season,
    bundled_seasons,
    configured_seasons,
    date_range,
    last_partition_day,
    parse_game_date,
    season_days,
    season_of,
    span_text,
    today_eastern,
)


def build_partitions(seasons: tuple[Season, ...], today: dt.date | None = None) -> dg.DailyPartitionsDefinition:
    """Daily partitions over ``seasons``: their days, the off-seasons between them excluded.

    The end is the day after the last season's last night, or the day after tomorrow while it is being played
    (so tomorrow's slate is the last partition, never a day the source cannot have yet); the keys are
    ``seasons.season_days(seasons, today)``.
    """
    tz = ZoneInfo(TIMEZONE)
    last = last_partition_day(seasons, today)
    off_days = []
    for previous, following in zip(seasons, seasons[1:]):
        day = previous.last_day + dt.timedelta(days=1)
        while day < following.first_day:
            off_days.append(dt.datetime.combine(day, dt.time(), tz))
            day += dt.timedelta(days=1)
    return dg.DailyPartitionsDefinition(
        start_date=seasons[0].first_day.isoformat(), end_date=(last + dt.timedelta(days=1)).isoformat(),
        timezone=TIMEZONE, exclusions=off_days or None)


daily_partitions = build_partitions(SEASONS)

# Phase 4 on D reads phase 3 on D-21 … D-1. Days before the first partition simply do not exist upstream.
feature_window_mapping = dg.TimeWindowPartitionMapping(
    start_offset=-WINDOW_DAYS, end_offset=-1, allow_nonexistent_upstream_partitions=True
)
