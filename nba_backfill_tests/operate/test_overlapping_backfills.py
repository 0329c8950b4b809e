"""Two overlapping backfills on the embedded default (DuckDB + SQLite instance, run queue of one).

Backfill A re-scrapes the raw tables for 2026-01-20 … 2026-01-21, backfill B for 2026-01-21 … 2026-01-22: both
are submitted at once through the webserver's GraphQL (as the UI's partition picker does), so 2026-01-21 is
targeted twice while both are in flight. Both must finish, the runs must never overlap (one DuckDB writer), and
each date must hold its real counts once: from ``nba_backfill/data`` (team_box / player_box 2025-26 parquet),
2026-01-20 has 7 games = 14 team rows and 147 player rows, 2026-01-21 7 = 14 and 156, 2026-01-22 8 = 16 and 165.
"""

from __future__ import annotations

import time

import dagster as dg
import pytest

from nba_backfill.calendar import parse_game_date
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import SOURCES
from nba_backfill.operate.graphql_client import DagsterGraphQL
from nba_backfill.operate.local_dagster import LocalDagster
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.sensors.gap_scan import RAW_KEYS
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

pytestmark = pytest.mark.daemon

EXPECTED = {"2026-01-20": (14, 147), "2026-01-21": (14, 156), "2026-01-22": (16, 165)}  # team, player rows
A, B = ["2026-01-20", "2026-01-21"], ["2026-01-21", "2026-01-22"]
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED]


def test_two_overlapping_backfills_both_finish_one_run_at_a_time_without_duplicates(tmp_path):
    # The gap sensor watches a day whose schedule is not loaded (nothing owed): only A and B write raw rows.
    settings = local_settings(tmp_path, season_start="2025-10-21", season_end="2025-10-21")
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)
        instance = project_instance(settings)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        assert materialize_range(defs, instance, PlannedRun(tuple(SOURCES), "2026-01-20", "2026-01-22")).success
        env = {"NBA_BACKFILL_STATS_URL": replay.base_url, "NBA_BACKFILL_RATE_LIMIT_SECONDS": "0",
               "NBA_BACKFILL_SEASON_START": "2025-10-21", "NBA_BACKFILL_SEASON_END": "2025-10-21"}
        with LocalDagster(settings, env=env) as url:
            graphql = DagsterGraphQL(url)
            started = time.time()
            ids = [graphql.launch_backfill({k: days for k in RAW_KEYS}, tags={"test": "overlap"}, title=name)
                   for name, days in (("A", A), ("B", B))]
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                statuses = [graphql.backfill_progress(i) for i in ids]
                busy = instance.get_run_records(filters=dg.RunsFilter(statuses=IN_PROGRESS))
                if all(s.finished for s in statuses) and not busy:
                    break
                time.sleep(3)
            assert [s.status for s in statuses] == ["COMPLETED_SUCCESS", "COMPLETED_SUCCESS"], statuses

    runs = sorted((r for r in instance.get_run_records() if r.create_timestamp.timestamp() >= started),
                  key=lambda r: r.start_time)
    assert {r.dagster_run.tags.get("dagster/backfill") for r in runs} >= set(ids)
    assert all(r.dagster_run.status == dg.DagsterRunStatus.SUCCESS for r in runs)
    for earlier, later in zip(runs, runs[1:]):  # the queue of one: never two runs at once
        assert earlier.end_time <= later.start_time, (earlier.dagster_run.run_id, later.dagster_run.run_id)

    warehouse = build_resources(settings)["warehouse"]
    days = [parse_game_date(d) for d in EXPECTED]
    found = {}
    for table in (NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE):
        rows = warehouse.read_slices(table, days)
        assert not rows.duplicated(subset=list(table.primary_key)).any(), table.name
        found[table.name] = rows.groupby(rows["game_date"].astype(str)).size().to_dict()
    assert {d: (found[NBAC_TEAM_BOXSCORE.name][d], found[NBAC_PLAYER_BOXSCORE.name][d]) for d in EXPECTED} == EXPECTED
