"""The seasons the deployment covers and their game dates, without Dagster (``calendar.py`` builds the Dagster
partitions definition from the same days; a test keeps the two equal).

Seasons come from the schedule data, not from literals: ``scripts/build_bundle.py`` writes
``nba_backfill/data/seasons.json`` (first and last regular-season game date of every bundled schedule) and
``NBA_BACKFILL_SEASONS`` (read by ``settings.py``) picks which of them the deployment covers (default: all,
i.e. 2024-25 and 2025-26). A game date is an Eastern (America/New_York) date.

The partitions are the days of the configured seasons, first game night … last regular-season night; the
**off-season is not a partition**. While a configured season is still being played the last partition is
tomorrow (the next slate can be predicted). Commands that must start fast (``nba-backfill validate``) parse and
enumerate dates here, so they need not import Dagster.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from importlib import resources
from zoneinfo import ZoneInfo

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


def last_partition_day(seasons: tuple[Season, ...], today: dt.date | None = None) -> dt.date:
    """The last partition: the last season's last night, or tomorrow while that season is being played."""
    return min(seasons[-1].last_day, (today or today_eastern()) + dt.timedelta(days=1))


def season_days(seasons: tuple[Season, ...], today: dt.date | None = None) -> list[str]:
    """The partition keys of ``seasons``: one ``YYYY-MM-DD`` per day of each season up to
    :func:`last_partition_day`, ascending, the off-seasons between them left out.
    """
    last = last_partition_day(seasons, today)
    return [d for season in seasons for d in season.days() if d <= last.isoformat()]


SEASONS: tuple[Season, ...] = configured_seasons()


@functools.lru_cache(maxsize=1)
def _partition_keys() -> frozenset[str]:
    return frozenset(season_days(SEASONS))


def season_of(day: dt.date) -> Season | None:
    """The configured season ``day`` belongs to (None in an off-season or outside every configured season)."""
    return next((s for s in SEASONS if day in s), None)


def span_text() -> str:
    """The configured seasons' partitions in short, e.g. ``2024-10-22…2025-04-13, 2025-10-21…2026-04-12``."""
    last = max(_partition_keys(), default="")
    return ", ".join(f"{s.first_day}…{min(s.last_day.isoformat(), last)}" for s in SEASONS)


def parse_game_date(value: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` into a date that is a partition (a day of a configured season).

    Raises:
        UnknownDateError: malformed, in an off-season, or outside the configured seasons (one line saying which).
    """
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UnknownDateError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-01-21") from exc
    if day.isoformat() != value:  # Python also reads 20260121 and week dates (2026-W04-3): not a partition key
        raise UnknownDateError(f"{value!r} is not written YYYY-MM-DD; write {day.isoformat()}")
    if day.isoformat() not in _partition_keys():
        where = "in the off-season" if SEASONS[0].first_day < day < SEASONS[-1].last_day else "outside the seasons"
        raise UnknownDateError(f"{value} is {where}, not a partition (seasons {span_text()})")
    return day


def date_range(start: dt.date, end: dt.date) -> list[str]:
    """Partition keys ``start`` … ``end`` inclusive, as ``YYYY-MM-DD`` strings (off-season days skipped)."""
    keys = _partition_keys()
    days = (end - start).days
    return [d for d in ((start + dt.timedelta(days=i)).isoformat() for i in range(days + 1)) if d in keys]
