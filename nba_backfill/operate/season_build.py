"""Build one season from scratch: every asset over the season's partitions as one range run against the replay.

``nba-backfill build-season 2024-25 --through 2025-04-01``: the replay of stats.nba.com (bundled real data) serves
the season; the run materializes raw → phase 5 for every partition of the span (off-season excluded), then the
rows per table and a validation sample are printed. Stops at the first failed run (the failure names the game).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from rich.console import Console

from nba_backfill.calendar import configured_seasons, date_range, parse_game_date
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.errors import NbaBackfillError
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES, reset_home
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.schemas.analytics import ANALYTICS_TABLES
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PREDICTIONS_TABLES
from nba_backfill.schemas.raw import RAW_TABLES
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import Settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer


@dataclass
class SeasonBuild:
    """What a season build did: span, seconds per stage, rows per table, failures."""

    season: str
    start: str
    end: str
    partitions: int
    seconds: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    failures: tuple[str, ...] = ()


def build_season(settings: Settings, season: str, through: str | None = None, fresh: bool = False,
                 console: Console | None = None) -> SeasonBuild:
    """Materialize every asset over ``season`` (… ``through``) against a local replay; rows per table.

    Raises:
        UnknownDateError: unknown season or ``through`` outside it.
        NbaBackfillError: a run failed (its failures are in the message).
    """
    console = console or Console()
    (spec,) = configured_seasons((season,))
    end = parse_game_date(through) if through else spec.last_day
    if not spec.first_day <= end <= spec.last_day:
        raise NbaBackfillError(f"--through {end} is not in season {season} ({spec.first_day} … {spec.last_day})")
    days = date_range(spec.first_day, end)
    if fresh:
        reset_home(settings)
    instance = project_instance(settings)
    result = SeasonBuild(season, days[0], days[-1], len(days))
    began = time.monotonic()
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0.0, backoff_seconds=0.05, max_retries=2)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        for stage, assets in (("sources", SOURCES), ("raw → phase 3", NIGHTLY), ("phases 4–5", FEATURES)):
            t0 = time.monotonic()
            outcome = materialize_range(defs, instance, PlannedRun(tuple(assets), days[0], days[-1]),
                                        tags={"nba_backfill/trigger": f"build-season {season}"})
            result.seconds[stage] = time.monotonic() - t0
            console.print(f"   {stage}: {days[0]} … {days[-1]} ({len(days)} partitions) in "
                          f"{result.seconds[stage]:.1f} s: {'ok' if outcome.success else 'FAILED'}")
            if not outcome.success:
                result.failures = outcome.failures
                raise NbaBackfillError(f"build-season {season} failed at {stage}: "
                                       + "; ".join(outcome.failures)[:2000])
    result.seconds["total"] = time.monotonic() - began
    warehouse = build_resources(settings)["warehouse"]
    dates = [dt.date.fromisoformat(d) for d in days]
    for table in (*RAW_TABLES, *ANALYTICS_TABLES, PLAYER_COMPOSITE_FACTORS, *PREDICTIONS_TABLES):
        result.rows[f"{table.dataset}.{table.name}"] = sum(warehouse.count_by_date(table, dates).values())
    return result
