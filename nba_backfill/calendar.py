"""The seasons the deployment covers, the one partitions definition and the partition mappings of the asset graph.

Seasons come from the schedule data, not from literals: ``scripts/build_bundle.py`` writes
``nba_backfill/data/seasons.json`` (first and last regular-season game date of every bundled schedule) and
``NBA_BACKFILL_SEASONS`` (read by ``settings.py``) picks which of them the deployment covers (default: all,
i.e. 2024-25 and 2025-26).

Partitions: every asset is partitioned by Eastern game date (an NBA game date is its America/New_York date).
The partitions are the days of the configured seasons, first game night … last regular-season night; the
**off-season is not a partition** (``exclusions``), so the UI, ``gaps`` and ``validate`` never count it as a
hole, and nothing after the last scheduled night is "missing". While a configured season is still being played
the last partition is tomorrow (the next slate can be predicted), like the former ``end_offset=1``.

Phase 3 -> phase 4 reads the 21 whole days strictly before D (``D-21 … D-1``): the game being predicted never
leaks into its own features, and inside a season a change on day X cascades to X+1 … X+21. Dagster counts
the mapping's offsets in *partitions*, so across an off-season the mapped range of the first 21 nights of a
season reaches the last nights of the previous one; the phase-4 logic slices its inputs by calendar day
(``logic/composite_window.py``), so those rows are read and discarded (features are unchanged), and a re-scrape
of a season's last 21 nights also re-runs phases 4–5 on the next season's first nights (idempotent, harmless).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from importlib import resources
from zoneinfo import ZoneInfo

import dagster as dg

from nba_backfill.errors import UnknownDateError

TIMEZONE = "America/New_York"
WINDOW_DAYS = 21  # length of the phase-4 feature window, in days


@dataclass(frozen=True)
class Season:
    """One NBA regular season: label (``2025-26``), opening night and last regular-season night (Eastern)."""

    label: str
    first_day: dt.date
    last_day: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day

    def days(self) -> list[str]:
        """Every day of the season as ``YYYY-MM-DD`` (game nights and the league's own off days)."""
        n = (self.last_day - self.first_day).days
        return [(self.first_day + dt.timedelta(days=i)).isoformat() for i in range(n + 1)]


@functools.lru_cache(maxsize=1)
def bundled_seasons() -> dict[str, Season]:
    """Every season of the bundled schedules, by label (from ``data/seasons.json``, built from the schedules)."""
    raw = json.loads((resources.files("nba_backfill") / "data" / "seasons.json").read_text())
    return {label: Season(label, dt.date.fromisoformat(v["first_day"]), dt.date.fromisoformat(v["last_day"]))
            for label, v in sorted(raw.items())}


def configured_seasons(labels: tuple[str, ...] | None = None) -> tuple[Season, ...]:
    """The seasons this deployment covers, in order: ``labels`` or ``NBA_BACKFILL_SEASONS`` (default every bundled).

    Raises:
        UnknownDateError: a label is not a bundled season (the message lists the known ones).
    """
    from nba_backfill.settings import configured_season_labels

    known = bundled_seasons()
    labels = labels or configured_season_labels() or tuple(known)
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise UnknownDateError(f"unknown season(s) {unknown}; the schedule data covers {', '.join(known)}")
    return tuple(sorted((known[label] for label in set(labels)), key=lambda s: s.first_day))


def today_eastern() -> dt.date:
    """Today's NBA game date (the Eastern date)."""
    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


def build_partitions(seasons: tuple[Season, ...], today: dt.date | None = None) -> dg.DailyPartitionsDefinition:
    """Daily partitions over ``seasons``: their days, the off-seasons between them excluded.

    The end is the day after the last season's last night, or the day after tomorrow while it is being played
    (so tomorrow's slate is the last partition, never a day the source cannot have yet).
    """
    tz = ZoneInfo(TIMEZONE)
    last = min(seasons[-1].last_day, (today or today_eastern()) + dt.timedelta(days=1))
    off_days = []
    for previous, following in zip(seasons, seasons[1:]):
        day = previous.last_day + dt.timedelta(days=1)
        while day < following.first_day:
            off_days.append(dt.datetime.combine(day, dt.time(), tz))
            day += dt.timedelta(days=1)
    return dg.DailyPartitionsDefinition(
        start_date=seasons[0].first_day.isoformat(), end_date=(last + dt.timedelta(days=1)).isoformat(),
        timezone=TIMEZONE, exclusions=off_days or None)


SEASONS: tuple[Season, ...] = configured_seasons()
daily_partitions = build_partitions(SEASONS)

# Phase 4 on D reads phase 3 on D-21 … D-1. Days before the first partition simply do not exist upstream.
feature_window_mapping = dg.TimeWindowPartitionMapping(
    start_offset=-WINDOW_DAYS, end_offset=-1, allow_nonexistent_upstream_partitions=True
)


@functools.lru_cache(maxsize=1)
def _partition_keys() -> frozenset[str]:
    return frozenset(daily_partitions.get_partition_keys())


def season_of(day: dt.date) -> Season | None:
    """The configured season ``day`` belongs to (None in an off-season or outside every configured season)."""
    return next((s for s in SEASONS if day in s), None)


def span_text() -> str:
    """The configured seasons' partitions in short, e.g. ``2024-10-22…2025-04-13, 2025-10-21…2026-04-12``."""
    last = daily_partitions.get_last_partition_key() or ""
    return ", ".join(f"{s.first_day}…{min(s.last_day.isoformat(), last)}" for s in SEASONS)


def parse_game_date(value: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` into a date that is a partition of :data:`daily_partitions`.

    Raises:
        UnknownDateError: malformed, in an off-season, or outside the configured seasons (one line saying which).
    """
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UnknownDateError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-01-21") from exc
    if day.isoformat() not in _partition_keys():
        where = "in the off-season" if SEASONS[0].first_day < day < SEASONS[-1].last_day else "outside the seasons"
        raise UnknownDateError(f"{value} is {where}, not a partition (seasons {span_text()})")
    return day


def date_range(start: dt.date, end: dt.date) -> list[str]:
    """Partition keys ``start`` … ``end`` inclusive, as ``YYYY-MM-DD`` strings (off-season days skipped)."""
    keys = _partition_keys()
    days = (end - start).days
    return [d for d in ((start + dt.timedelta(days=i)).isoformat() for i in range(days + 1)) if d in keys]
