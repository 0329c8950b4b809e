"""Benchmark (``make bench``): the seed-scope repair as range runs vs one Dagster run per partition.

Both variants re-run the same cascade (raw + phase 3 on 2025-12-27 … 2026-01-21, phases 4–5 on
2025-12-28 … 2026-02-11) in-process against the replay, on a warehouse loaded once. Reported as a ratio
measured in one run (this machine is noisy; never as a test assertion). Usage: python scripts/bench.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

from nba_backfill.assets import ALL_ASSETS  # noqa: E402
from nba_backfill.calendar import date_range  # noqa: E402
from nba_backfill.definitions import build_defs  # noqa: E402
from nba_backfill.operate.runner import materialize_range, project_instance  # noqa: E402
from nba_backfill.sensors.cascade_plan import PlannedRun, cascade_plan, group_into_runs  # noqa: E402
from nba_backfill.sensors.gap_scan import RAW_KEYS  # noqa: E402
from nba_backfill.settings import local_settings  # noqa: E402
from nba_backfill.sources.nba_stats_client import NbaStatsClient  # noqa: E402
from nba_backfill.sources.replay_server import ReplayServer  # noqa: E402


def main() -> None:
    settings = local_settings(Path(tempfile.mkdtemp(prefix="nba_bench_")))
    instance = project_instance(settings)
    season = ("2025-10-21", "2026-02-12")
    gap = date_range(dt.date(2025, 12, 27), dt.date(2026, 1, 21))
    with ReplayServer() as replay:
        defs = build_defs(settings, {"nba_stats": NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)})
        began = time.monotonic()
        days = date_range(dt.date.fromisoformat(season[0]), dt.date.fromisoformat(season[1]))
        everything = cascade_plan(ALL_ASSETS, {key: days for assets_def in ALL_ASSETS for key in assets_def.keys})
        for run in group_into_runs(everything):
            assert materialize_range(defs, instance, run).success, run
        load = time.monotonic() - began
        runs = group_into_runs(cascade_plan(ALL_ASSETS, {k: gap for k in RAW_KEYS}))
        began = time.monotonic()
        for run in runs:
            assert materialize_range(defs, instance, run).success
        ranged = time.monotonic() - began
        began = time.monotonic()
        per_partition = 0
        for run in runs:
            for day in date_range(dt.date.fromisoformat(run.start), dt.date.fromisoformat(run.end)):
                assert materialize_range(defs, instance, PlannedRun(run.assets, day, day)).success
                per_partition += 1
        single = time.monotonic() - began
    print(f"season load {season[0]} … {season[1]} as range runs: {load:.1f} s")
    print(f"seed-scope repair as {len(runs)} range runs:      {ranged:.1f} s")
    print(f"same repair as {per_partition} per-partition runs:  {single:.1f} s")
    print(f"ratio per-partition / range runs:       {single / ranged:.1f}x")


if __name__ == "__main__":
    main()
