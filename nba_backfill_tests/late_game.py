"""Real 2026-01-21 (7 final games in the bundled schedule) scraped while its last game, 0022500626 (TOR at SAC), was
still being played: 12 of 14 team rows and 137 of 156 player rows, the day PENDING. Shared by the tests of killed
runs and of the local ``nba-backfill backfill``.
"""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg

from nba_backfill.definitions import build_defs
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_partition, project_instance
from nba_backfill.settings import Settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

DAY, LATE_GAME = "2026-01-21", "0022500626"


def scrape_while_the_late_game_is_played(settings: Settings, replay: ReplayServer,
                                         extra: Sequence[Sequence[dg.AssetKey]] = ()) -> None:
    """Materialize DAY's sources, then raw → phase 3 (and each selection of ``extra``) in-process while the
    replay serves LATE_GAME as not final; the replay's faults are cleared afterwards.
    """
    client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
    defs = build_defs(settings, resource_overrides={"nba_stats": client})
    instance = project_instance(settings)
    replay.set_faults({"rules": [{"kind": "not_final", "game_ids": [LATE_GAME]}]})
    for selection in (SOURCES, NIGHTLY, *extra):
        assert materialize_partition(defs, instance, DAY, selection=selection).success
    replay.set_faults(None)
