"""Cost of per-partition metadata (``add_asset_metadata(..., partition_key=...)``) on a 26-day range run.

Runs the incident's 26 days (2025-12-27 … 2026-01-21) through the replay as range runs — schedule + props from
2025-12-06 (the window), raw → phase 3 as one run, phases 4–5 as one run — and prints per run: wall seconds,
seconds spent building the per-day metadata, materialization events, and the mean metadata size per event.
Usage: python scripts/measure_partition_metadata.py [WORKDIR]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg

import nba_backfill.assets.day_metadata as day_metadata
from nba_backfill.definitions import build_defs
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

spent = {"seconds": 0.0, "calls": 0}
_original = day_metadata.add_day_metadata


def _timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return _original(*args, **kwargs)
    finally:
        spent["seconds"] += time.perf_counter() - start
        spent["calls"] += 1


def main(root: Path) -> None:
    for module in list(sys.modules.values()):  # every asset module imported the helper by name
        if getattr(module, "add_day_metadata", None) is _original and module is not day_metadata:
            module.add_day_metadata = _timed
    settings = local_settings(root, season_start="2025-12-27", season_end="2026-01-21")
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        for name, run in (("schedule+props 2025-12-06…2026-01-21",
                           PlannedRun(tuple(SOURCES), "2025-12-06", "2026-01-21")),
                          ("raw→phase3 26 days", PlannedRun(tuple(NIGHTLY), "2025-12-27", "2026-01-21")),
                          ("phases 4–5 26 days", PlannedRun(tuple(FEATURES), "2025-12-27", "2026-01-21"))):
            spent.update(seconds=0.0, calls=0)
            start = time.perf_counter()
            outcome = materialize_range(defs, instance, run)
            wall = time.perf_counter() - start
            records = instance.get_records_for_run(outcome.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION,
                                                   limit=10_000).records
            sizes = [len(json.dumps({k: str(v.value) for k, v in r.asset_materialization.metadata.items()}))
                     for r in records]
            print(f"{name}: success={outcome.success} wall={wall:.1f}s per-day metadata={spent['seconds']:.2f}s "
                  f"({spent['calls']} calls) materialization events={len(records)} "
                  f"mean metadata≈{sum(sizes) / max(len(sizes), 1):.0f} chars/event", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="nba_meta_")))
