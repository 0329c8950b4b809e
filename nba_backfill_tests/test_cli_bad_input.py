"""Bad input gets one clear error line and loses nothing: unknown dates, an unreachable source, a dead port,
the standalone replay server.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from nba_backfill.cli import app
from nba_backfill.definitions import build_defs
from nba_backfill.operate.local_dagster import free_port
from nba_backfill.operate.runner import materialize_partition, project_instance
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_SCHEDULE
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer


@pytest.mark.parametrize("args, message", [
    (["plan", "2026-13-01"], "'2026-13-01' is not a date; write it as YYYY-MM-DD"),
    (["plan", "2024-01-10"], "2024-01-10 is outside the seasons, not a partition"),
    (["validate", "2025-07-01"], "2025-07-01 is in the off-season, not a partition"),
    (["backfill", "yesterday"], "'yesterday' is not a date"),
])
def test_unknown_dates_give_one_line_and_exit_2(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in " ".join(result.output.split())


def test_an_unreachable_source_fails_the_partition_and_keeps_the_previous_slice(tmp_path):
    settings = local_settings(tmp_path)
    instance = project_instance(settings)
    day = "2026-01-21"
    with ReplayServer() as replay:
        good = build_defs(settings, {"nba_stats": NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)})
        assert materialize_partition(good, instance, day, selection=[asset_key_for(NBAC_SCHEDULE)]).success
    dead = f"http://127.0.0.1:{free_port()}/stats"  # nothing listens there
    broken = build_defs(settings, {"nba_stats": NbaStatsClient(base_url=dead, rate_limit_seconds=0, max_retries=1,
                                                               backoff_seconds=0.01, timeout_seconds=1)})
    outcome = materialize_partition(broken, instance, day, selection=[asset_key_for(NBAC_SCHEDULE)])
    assert not outcome.success
    message = outcome.failures[0]
    assert "scoreboardv3" in message and "2026-01-21" in message and "retry later" in message and dead in message
    rows = DuckDBWarehouse(path=str(settings.warehouse_path)).query(
        "SELECT game_id FROM nba_raw.nbac_schedule WHERE game_date = '2026-01-21' ORDER BY 1")
    # the 7 regular-season games of 2026-01-21 from the good run are still there, nothing duplicated
    assert len(rows) == 7 and "0022500622" in set(rows["game_id"])


def _ignore_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def test_the_replay_server_runs_standalone_from_the_cli():
    """Started with SIGTERM ignored (as a child of a process that ignores it inherits), it still stops on it."""
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "nba-backfill"), "replay-server", "--port", str(port)],
                            stdout=subprocess.PIPE, text=True, preexec_fn=_ignore_sigterm)
    try:
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/stats" in first
        body = requests.get(f"http://127.0.0.1:{port}/stats/scoreboardv3",
                            params={"GameDate": "2026-01-21", "LeagueID": "00"}, timeout=10).json()
        games = {g["gameId"]: (g["awayTeam"]["teamTricode"], g["awayTeam"]["score"], g["homeTeam"]["teamTricode"],
                               g["homeTeam"]["score"]) for g in body["scoreboard"]["games"]}
        assert games["0022500622"] == ("BKN", 66, "NYK", 120)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
