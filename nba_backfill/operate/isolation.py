"""Failure isolation for range runs: one bad game never holds back the good dates of a range.

Dagster 1.13 cannot mark part of a multi-partition step's output failed, and a failed step skips every
downstream step of the run for the whole range. So the raw files step stores every good game, materializes
each fully stored date on its own and fails naming only the bad dates (``assets/boxscore_files.py``); this
module then runs the rest of the run's assets over the good dates only, as few range runs as there are
contiguous stretches between bad dates. The good files are not fetched again (the follow-up selection starts
below the files asset), so the cost of isolation is one extra run per stretch, no extra request.
The bad dates stay FAILED in Dagster and are listed by ``nba-backfill gaps``.
"""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range, parse_game_date
from nba_backfill.operate.runner import RunOutcome, materialize_range
from nba_backfill.sensors.cascade_plan import PlannedRun, contiguous_ranges

ISOLATION_TAG = "nba_backfill/isolated_from"


@dataclass(frozen=True)
class IsolatedOutcome:
    """The first range run, the follow-up runs over the good dates, and the dates that failed."""

    first: RunOutcome
    follow_ups: tuple[RunOutcome, ...]
    failed_dates: tuple[str, ...]

    @property
    def success(self) -> bool:
        """True when every date of the range was stored (no failed date, no failed follow-up)."""
        return self.first.success or (not self.failed_dates and all(o.success for o in self.follow_ups))

    @property
    def failures(self) -> tuple[str, ...]:
        """Failure descriptions of every run (the first names the bad games, dates and causes)."""
        return self.first.failures + tuple(f for o in self.follow_ups for f in o.failures)


def _stored_by_run(instance: dg.DagsterInstance, run_id: str, days: list[str]) -> set[str]:
    """The ``days`` whose raw files partition this run materialized."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=BOXSCORE_FILES_KEY, asset_partitions=days), limit=len(days) + 10).records
    return {r.partition_key for r in records if r.run_id == run_id}


def materialize_range_isolated(defs: dg.Definitions, instance: dg.DagsterInstance, run: PlannedRun,
                               tags: dict[str, str] | None = None) -> IsolatedOutcome:
    """Run ``run`` as one range run; if its raw files step failed on some dates, finish the good dates.

    Returns:
        The outcomes; ``failed_dates`` are the dates whose raw files partition was not stored.
    """
    first = materialize_range(defs, instance, run, tags)
    if first.success or BOXSCORE_FILES_KEY not in run.assets:
        return IsolatedOutcome(first, (), ())
    days = date_range(parse_game_date(run.start), parse_game_date(run.end))
    good = _stored_by_run(instance, first.run_id, days)
    failed = tuple(d for d in days if d not in good)
    below = tuple(k for k in run.assets if k != BOXSCORE_FILES_KEY and k not in _upstream_of_files(run.assets))
    follow_ups = tuple(
        materialize_range(defs, instance, PlannedRun(below, start, end),
                          {**(tags or {}), ISOLATION_TAG: first.run_id})
        for start, end in contiguous_ranges(sorted(good))
    ) if below else ()
    return IsolatedOutcome(first, follow_ups, failed)


def _upstream_of_files(assets: tuple[dg.AssetKey, ...]) -> set[dg.AssetKey]:
    """Source assets of the run (schedule, props): already materialized by the first run when selected."""
    return {k for k in assets if k.path[-1] in ("nbac_schedule", "odds_player_points_props")}
