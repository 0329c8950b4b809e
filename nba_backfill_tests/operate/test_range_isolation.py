"""One final game served empty inside a 26-day range run (2025-12-27 … 2026-01-21, real schedule, 198 games):
the other 25 dates are stored and materialized, only 2026-01-10 fails, named with its game and cause, and
``gaps`` lists exactly that date. Real replay, DuckDB and Dagster instance.
"""

from __future__ import annotations

import time

import dagster as dg
import pytest

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range, parse_game_date
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.isolation import materialize_range_isolated
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.sensors.gap_scan import scan_gaps
from nba_backfill.sensors.partition_status import partition_status
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

START, END = "2025-12-27", "2026-01-21"
BAD_DAY, BAD_GAME = "2026-01-10", "0022500545"  # SAS at BOS
DAYS = date_range(parse_game_date(START), parse_game_date(END))
OFFENSE = dg.AssetKey(["nba_analytics", "team_offense_game_summary"])


@pytest.fixture(scope="module")
def range_run(tmp_path_factory):
    settings = local_settings(tmp_path_factory.mktemp("isolation"), season_start=START, season_end=END)
    with ReplayServer(faults={"rules": [{"kind": "empty_stats", "game_ids": [BAD_GAME]}]}) as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        assert materialize_range(defs, instance, PlannedRun(tuple(SOURCES), START, END)).success
        began = time.monotonic()
        outcome = materialize_range_isolated(defs, instance, PlannedRun(tuple(NIGHTLY), START, END))
        seconds = time.monotonic() - began
        first = instance.get_run_record_by_id(outcome.first.run_id)
        print(f"\nfirst range run {first.end_time - first.start_time:.1f} s")
        print(f"\nrange run {START} … {END} with one bad game: {seconds:.1f} s, "
              f"{1 + len(outcome.follow_ups)} runs, {len(DAYS) - len(outcome.failed_dates)} of {len(DAYS)} "
              f"dates stored, {replay.request_count('boxscoretraditionalv3')} box-score requests")
        yield settings, instance, outcome


def test_one_bad_game_fails_only_its_date_and_the_other_25_are_stored(range_run):
    settings, instance, outcome = range_run
    assert not outcome.success and outcome.failed_dates == (BAD_DAY,)
    good = [d for d in DAYS if d != BAD_DAY]
    for key in (BOXSCORE_FILES_KEY, asset_key_for(NBAC_TEAM_BOXSCORE), OFFENSE):
        status = partition_status(instance, key, DAYS)
        assert [d for d in DAYS if status[d] == "MATERIALIZED"] == good, key
        assert status[BAD_DAY] == "FAILED", key
    counts = build_resources(settings)["warehouse"].count_by_date(
        NBAC_TEAM_BOXSCORE, [parse_game_date(d) for d in DAYS])
    assert len(counts) == 25 and parse_game_date(BAD_DAY) not in counts


def test_the_failure_names_the_game_the_date_and_the_cause(range_run):
    _, _, outcome = range_run
    message = "\n".join(outcome.first.failures)
    print(message)
    assert "1 of 198 final games failed to scrape on 2026-01-10 (EmptyStatsError)" in message
    assert "the other 25 dates of this run were stored and materialized" in message
    assert f"game {BAD_GAME} on {BAD_DAY}" in message and "What to do" in message


def test_gaps_lists_only_the_bad_date(range_run):
    settings, instance, _ = range_run
    gaps = scan_gaps(build_resources(settings)["warehouse"], instance, START, END,
                     today=parse_game_date(END))
    assert list(gaps["game_date"]) == [BAD_DAY]
    assert "raw partition not materialized" in gaps["reason"][0]
