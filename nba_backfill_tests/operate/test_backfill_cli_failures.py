"""``nba-backfill backfill --url`` through a real webserver + daemon when one final game is served empty:
the command exits 1 and prints the failed step's own words — the game, the date, the cause and what to do —
not only "N failed" per asset (issue 10, "every surface names the game, the date and the cause").

Three real dates (2026-01-09 … 2026-01-11: 10, 6 and 10 games in the bundled schedule) are built in-process
first, so the gap sensor has nothing to repair; then game 0022500545 (SAS at BOS, 2026-01-10) answers HTTP 200
with empty statistics and the CLI re-scrapes the three dates through the daemon.
"""

from __future__ import annotations

import time

import dagster as dg
import pytest
from click.testing import CliRunner

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.cli import app
from nba_backfill.definitions import build_defs
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES
from nba_backfill.operate.local_dagster import LocalDagster
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

pytestmark = pytest.mark.daemon

START, BAD_DAY, END = "2026-01-09", "2026-01-10", "2026-01-11"
BAD_GAME = "0022500545"  # SAS at BOS, 2026-01-10 (bundled schedule)


@pytest.fixture(scope="module")
def cli_backfill(tmp_path_factory, monkeypatch_module):
    settings = local_settings(tmp_path_factory.mktemp("clifail"), season_start=START, season_end=END)
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        for assets in (SOURCES, NIGHTLY, FEATURES):
            assert materialize_range(defs, instance, PlannedRun(tuple(assets), START, END)).success
        replay.set_faults({"rules": [{"kind": "empty_stats", "game_ids": [BAD_GAME]}]})
        monkeypatch_module.setenv("NBA_BACKFILL_HOME", str(settings.home))
        monkeypatch_module.setenv("DAGSTER_HOME", str(settings.dagster_home))
        monkeypatch_module.setenv("NBA_BACKFILL_SEASON_START", START)
        monkeypatch_module.setenv("NBA_BACKFILL_SEASON_END", END)
        with LocalDagster(settings, env={
                "NBA_BACKFILL_STATS_URL": replay.base_url, "NBA_BACKFILL_RATE_LIMIT_SECONDS": "0",
                "NBA_BACKFILL_SEASON_START": START, "NBA_BACKFILL_SEASON_END": END}) as url:
            started = time.time()
            result = CliRunner().invoke(app, ["backfill", START, END, "--url", url])
            healed = _wait_for_good_dates(instance, started, timeout_seconds=240)
        yield settings, instance, result, healed


def _phase3_after(instance: dg.DagsterInstance, started: float) -> set[str]:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset_key_for(PLAYER_GAME_SUMMARY), asset_partitions=[START, BAD_DAY, END],
                              after_timestamp=started), limit=100).records
    return {r.partition_key for r in records}


def _wait_for_good_dates(instance: dg.DagsterInstance, started: float, timeout_seconds: float) -> set[str]:
    """Keep the daemon up until the automation has re-run phase 3 on the good dates (or the timeout)."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline and _phase3_after(instance, started) != {START, END}:
        time.sleep(3)
    return _phase3_after(instance, started)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_command_fails_and_names_the_game_the_date_and_the_cause(cli_backfill):
    _, _, result, _ = cli_backfill
    print(result.output)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "FAILED step nba_raw__nbac_boxscore_files" in result.output
    assert f"game {BAD_GAME} on {BAD_DAY}" in result.output
    assert "EmptyStatsError" in result.output
    assert "What to do" in result.output
    assert "nba-backfill gaps" in result.output


def test_the_good_dates_raw_files_were_stored_by_the_same_run(cli_backfill):
    _, instance, _, _ = cli_backfill
    backfill = next(b for b in instance.get_backfills() if b.tags.get("nba_backfill/trigger") == "cli")
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=BOXSCORE_FILES_KEY, asset_partitions=[START, BAD_DAY, END]),
        limit=100).records
    runs = instance.get_run_records(dg.RunsFilter(tags={"dagster/backfill": backfill.backfill_id}))
    run_ids = {r.dagster_run.run_id for r in runs}
    assert sorted({r.partition_key for r in records if r.run_id in run_ids}) == [START, END]


def test_the_automation_then_builds_the_good_dates_downstream_and_not_the_bad_one(cli_backfill):
    """The backfill's run skipped every step below the failed files step, for all three dates. The daemon
    then finishes the two good dates without fetching them again: the gap sensor requests the bad date's
    files and the raw tables of all three (``logic.gaps.days_to_refetch``), or the cascade automation rebuilds
    them from the stored files, whichever ticks first.
    """
    _, _, _, healed = cli_backfill
    assert healed == {START, END}
