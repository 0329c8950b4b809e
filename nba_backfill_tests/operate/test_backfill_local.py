"""``nba-backfill backfill DAY`` without ``--url``: the command starts its own webserver + daemon (``dagster dev``)
on the project's instance, launches one backfill through it, follows it and stops it.

Real parts: the installed ``nba-backfill`` console script in its own process (a real SIGINT for Ctrl-C),
``dagster dev`` on the project's instance, the replay of stats.nba.com. Every test starts from real 2026-01-21
(7 final games in the bundled schedule) scraped while its last game, 0022500626 (TOR at SAC), was still being
played: the day is a gap the command repairs, and one the daemon's gap sensor would repair too.

* The re-scrape of a day whose stored schedule still has a game in progress reads the day's schedule again
  (as the gap sensor's repair does); before, the backfill succeeded and the day stayed PENDING.
* The sensors of the command's own Dagster that launch runs start stopped (``NBA_BACKFILL_SENSORS=stopped``):
  before, the gap sensor ticked before the command's launch in about one run of three and repaired the day a
  second time (the cascade automation did the same on stale downstream partitions, 7 runs in 10).
* A failed step's own words are printed while the command's webserver still answers.
* Ctrl-C cancels the backfill before the daemon stops; before, it stayed REQUESTED in the instance, the gap
  sensor counted its dates "in flight" and the UI showed a backfill nothing would ever run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import psutil
import pytest

from nba_backfill.operate.demo import FEATURES
from nba_backfill.operate.runner import project_instance
from nba_backfill.sensors.gap_sensor import raw_partitions_in_flight
from nba_backfill.settings import local_settings
from nba_backfill.sources.replay_server import ReplayServer
from nba_backfill_tests.late_game import DAY, scrape_while_the_late_game_is_played

pytestmark = pytest.mark.daemon

BAD_GAME = "0022500622"  # BKN at NYK on DAY (bundled schedule)
UNFINISHED = {dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
              dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING}


@pytest.fixture()
def pending_day(tmp_path):
    """(settings, instance, replay, environment of the command) with DAY scraped while LATE_GAME was being played."""
    settings = local_settings(tmp_path, season_start=DAY, season_end=DAY)
    with ReplayServer() as replay:
        scrape_while_the_late_game_is_played(settings, replay, extra=[FEATURES])
        instance = project_instance(settings)
        env = {**os.environ, "NBA_BACKFILL_HOME": str(settings.home), "DAGSTER_HOME": str(settings.dagster_home),
               "NBA_BACKFILL_STATS_URL": replay.base_url, "NBA_BACKFILL_RATE_LIMIT_SECONDS": "0",
               "NBA_BACKFILL_SEASON_START": DAY, "NBA_BACKFILL_SEASON_END": DAY,
               "NBA_BACKFILL_GAP_RETRY_MINUTES": "0", "PYTHONWARNINGS": "ignore"}
        yield settings, instance, replay, env


def _command(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "nba-backfill"), *args]


def _backfills(instance: dg.DagsterInstance) -> list[tuple[str, str]]:
    return [(b.tags.get("nba_backfill/trigger", ""), b.status.value) for b in instance.get_backfills()]


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


def _interrupted_backfill(env: dict[str, str], moment, what: str) -> tuple[int, str]:
    """Run ``nba-backfill backfill DAY``, send it SIGINT (what Ctrl-C in a terminal sends) once ``moment()`` is
    true; return its exit code and output.
    """
    proc = subprocess.Popen(_command("backfill", DAY), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        _wait_for(moment, 180, what)
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, output


def test_the_command_repairs_the_day_with_one_backfill_and_the_day_validates(pending_day):
    _, instance, _, env = pending_day
    result = subprocess.run(_command("backfill", DAY), env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "COMPLETED_SUCCESS" in result.stdout
    assert _backfills(instance) == [("cli", "COMPLETED_SUCCESS")]  # the gap sensor did not repair it again
    report = subprocess.run(_command("validate", DAY), env=env, capture_output=True, text=True, timeout=120)
    assert report.returncode == 0, report.stdout
    assert "COMPLETE" in report.stdout


def test_a_failed_step_is_named_with_its_game_and_date_before_the_webserver_stops(pending_day):
    _, instance, replay, env = pending_day
    replay.set_faults({"rules": [{"kind": "empty_stats", "game_ids": [BAD_GAME]}]})
    result = subprocess.run(_command("backfill", DAY), env=env, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "could not read the failed runs' errors" not in output
    assert "FAILED step nba_raw__nbac_boxscore_files" in output
    assert f"game {BAD_GAME} on {DAY}" in output and "EmptyStatsError" in output
    assert "nba-backfill gaps" in output
    assert [trigger for trigger, _ in _backfills(instance)] == ["cli"]


def test_ctrl_c_cancels_the_backfill_and_its_runs_before_the_daemon_stops(pending_day):
    _, instance, _, env = pending_day
    seen = {}

    def a_run_started() -> bool:
        seen["backfill"] = next((b for b in instance.get_backfills()
                                 if b.tags.get("nba_backfill/trigger") == "cli"), None)
        seen["running"] = seen["backfill"] and [r for r in _runs(instance, seen["backfill"].backfill_id)
                                                if r.status == dg.DagsterRunStatus.STARTED]
        return bool(seen["running"])

    returncode, output = _interrupted_backfill(env, a_run_started, "a run of the command's backfill to start")
    backfill, running = seen["backfill"], seen["running"]
    assert returncode == 130, output
    assert "Traceback" not in output
    assert f"interrupted: cancelling backfill {backfill.backfill_id}" in output
    assert f"backfill {backfill.backfill_id}: CANCELED" in output
    assert instance.get_backfill(backfill.backfill_id).status.value == "CANCELED"
    runs = {r.run_id: r.status for r in _runs(instance, backfill.backfill_id)}
    assert running[0].run_id in runs
    assert not [status for status in runs.values() if status in UNFINISHED], runs
    busy, _ = raw_partitions_in_flight(instance)
    assert DAY not in busy  # the gap sensor no longer counts the date as being repaired by someone else


def test_ctrl_c_while_its_dagster_starts_stops_it_and_exits_130(tmp_path):
    settings = local_settings(tmp_path)
    env = {**os.environ, "NBA_BACKFILL_HOME": str(settings.home), "DAGSTER_HOME": str(settings.dagster_home),
           "NBA_BACKFILL_STATS_URL": "http://127.0.0.1:9/stats", "PYTHONWARNINGS": "ignore"}
    log = settings.dagster_home / "dagster-dev.log"

    def its_dagster_is_starting() -> bool:
        if log.exists():
            time.sleep(1.0)  # dagster dev is loading the code location; its webserver does not answer yet
            return True
        return False

    returncode, output = _interrupted_backfill(env, its_dagster_is_starting, "the command to start dagster dev")
    assert returncode == 130, output
    assert "Traceback" not in output and "Aborted!" not in output
    assert output.strip().splitlines()[-1] == "interrupted"
    assert not project_instance(settings).get_backfills()
    left = [p.pid for p in psutil.process_iter(["environ"])
            if (p.info["environ"] or {}).get("DAGSTER_HOME") == str(settings.dagster_home)]
    assert not left, f"processes of this instance still running: {left}"
