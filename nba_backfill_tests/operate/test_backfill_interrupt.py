"""Ctrl-C during ``nba-backfill backfill`` without ``--url`` (the command starts its own webserver + daemon).

Before, the command stopped its daemon and left the Dagster backfill REQUESTED in the instance: the gap sensor
then counted its dates "in flight" and the UI showed a backfill that nothing would ever run. Now the command
cancels the backfill (the UI's "Cancel backfill"), waits for the daemon to stop its runs, and exits 130.

Real parts: the installed ``nba-backfill`` console script in its own process, a real SIGINT, ``dagster dev``
(webserver + daemon) on the project's instance, the replay of stats.nba.com. The date, 2026-01-21 (7 final games
in the bundled schedule), is built in-process first so the gap sensor has nothing of its own to launch.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from nba_backfill.definitions import build_defs
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.sensors.gap_sensor import raw_partitions_in_flight
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

pytestmark = pytest.mark.daemon

DAY = "2026-01-21"
UNFINISHED = {dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
              dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING}


def _cli_backfill(instance: dg.DagsterInstance):
    return next((b for b in instance.get_backfills() if b.tags.get("nba_backfill/trigger") == "cli"), None)


def _runs(instance: dg.DagsterInstance, backfill_id: str) -> list[dg.DagsterRun]:
    return [r.dagster_run for r in instance.get_run_records(dg.RunsFilter(tags={"dagster/backfill": backfill_id}))]


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def test_ctrl_c_cancels_the_backfill_and_its_runs_before_the_daemon_stops(tmp_path):
    settings = local_settings(tmp_path, season_start=DAY, season_end=DAY)
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        for assets in (SOURCES, NIGHTLY, FEATURES):
            assert materialize_range(defs, instance, PlannedRun(tuple(assets), DAY, DAY)).success
        env = {**os.environ, "NBA_BACKFILL_HOME": str(settings.home), "DAGSTER_HOME": str(settings.dagster_home),
               "NBA_BACKFILL_STATS_URL": replay.base_url, "NBA_BACKFILL_RATE_LIMIT_SECONDS": "0",
               "NBA_BACKFILL_SEASON_START": DAY, "NBA_BACKFILL_SEASON_END": DAY, "PYTHONWARNINGS": "ignore"}
        command = [str(Path(sys.executable).parent / "nba-backfill"), "backfill", DAY]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            backfill = _wait_for(lambda: _cli_backfill(instance), 180, "the command to launch its backfill")
            running = _wait_for(lambda: [r for r in _runs(instance, backfill.backfill_id)
                                         if r.status == dg.DagsterRunStatus.STARTED], 120,
                                "a run of the backfill to start")
            proc.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends the command
            output, _ = proc.communicate(timeout=240)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    print(output)
    assert proc.returncode == 130, output
    assert "Traceback" not in output
    assert f"interrupted: cancelling backfill {backfill.backfill_id}" in output
    assert f"backfill {backfill.backfill_id}: CANCELED" in output
    assert instance.get_backfill(backfill.backfill_id).status.value == "CANCELED"
    runs = {r.run_id: r.status for r in _runs(instance, backfill.backfill_id)}
    assert running[0].run_id in runs
    assert not [status for status in runs.values() if status in UNFINISHED], runs
    # The gap sensor no longer counts the date as being repaired by someone else.
    busy, _ = raw_partitions_in_flight(instance)
    assert DAY not in busy
