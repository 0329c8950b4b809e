"""Every replay fault through the real client on loopback: the stated error or recovery for each."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest
import requests

from nba_backfill.errors import (
    EmptyStatsError,
    GameNotFoundError,
    MalformedResponseError,
    SourceDeadlineError,
    SourceUnavailableError,
)
from nba_backfill.logic.boxscore_v3 import parse_boxscore_v3, parse_scoreboard_v3
from nba_backfill.sources.nba_stats_client import NbaStatsClient

GAME, DAY = "0022500165", "2025-11-04"  # MIL @ TOR, final TOR 128 - MIL 100
BOX = "boxscoretraditionalv3"
ROOT = Path(__file__).resolve().parents[2]


def test_healthy_replay_round_trip(client):
    payload = client.fetch_boxscore(GAME, DAY)
    teams, players = parse_boxscore_v3(payload, dt.date(2025, 11, 4))
    assert dict(zip(teams["team_abbr"], teams["pts"])) == {"TOR": 128, "MIL": 100}
    assert len(players) == 27
    assert len(client.fetch_scoreboard("2025-11-05")["scoreboard"]["games"]) == 11


@pytest.mark.parametrize("rule", [
    {"kind": "empty_stats", "date_from": "2025-11-01", "date_to": "2025-11-04"},
    {"kind": "empty_stats", "dates": [DAY], "style": "empty"},
    {"kind": "empty_stats", "game_ids": [GAME]},
])
def test_empty_stats_raise_naming_game_date_and_endpoint(client, replay, rule):
    replay.set_faults({"rules": [rule]})
    with pytest.raises(EmptyStatsError) as err:
        client.fetch_boxscore(GAME, DAY)
    message = str(err.value)
    assert GAME in message and DAY in message and BOX in message and "retry later" in message
    assert (err.value.game_id, err.value.game_date, err.value.endpoint) == (GAME, DAY, BOX)
    # The scoreboard still calls the game Final: exactly the 2025-12-27 incident.
    games = client.fetch_scoreboard(DAY)["scoreboard"]["games"]
    assert next(g for g in games if g["gameId"] == GAME)["gameStatus"] == 3


def test_one_team_statistics_raise_naming_the_missing_team(client, replay):
    replay.set_faults({"rules": [{"kind": "one_team", "team": "home", "game_ids": [GAME]}]})
    with pytest.raises(EmptyStatsError, match="no statistics for MIL"):
        client.fetch_boxscore(GAME, DAY)


def test_first_two_503_recover_through_retries(client, replay):
    replay.set_faults({"rules": [{"kind": "http_status", "status": 503, "first_n": 2, "game_ids": [GAME]}]})
    payload = client.fetch_boxscore(GAME, DAY)
    assert payload["boxScoreTraditional"]["homeTeam"]["statistics"]["points"] == 128
    assert replay.request_count(BOX, GAME) == 3


def test_persistent_429_gives_up_after_max_retries(client, replay):
    replay.set_faults({"rules": [{"kind": "http_status", "status": 429}]})
    with pytest.raises(SourceUnavailableError) as err:
        client.fetch_boxscore(GAME, DAY)
    assert "HTTP 429" in str(err.value) and GAME in str(err.value) and DAY in str(err.value)
    assert replay.request_count(BOX, GAME) == client.max_retries + 1 == 3


def test_hang_times_out_quickly(replay):
    replay.set_faults({"rules": [{"kind": "hang", "seconds": 20, "dates": [DAY]}]})
    client = NbaStatsClient(base_url=replay.base_url, timeout_seconds=0.5, max_retries=1, backoff_seconds=0.01,
                            rate_limit_seconds=0)
    started = time.monotonic()
    with pytest.raises(SourceUnavailableError, match="timed out after 0.5 s"):
        client.fetch_boxscore(GAME, DAY)
    assert time.monotonic() - started < 3  # 2 attempts x 0.5 s, not the 20 s hang


def test_unknown_game_is_not_found(client):
    with pytest.raises(GameNotFoundError) as err:
        client.fetch_boxscore("0022599999", "2025-11-05")
    assert "HTTP 404" in str(err.value) and "0022599999" in str(err.value)


@pytest.mark.parametrize("call", ["box", "scoreboard"])
def test_malformed_json_raises(client, replay, call):
    replay.set_faults({"rules": [{"kind": "malformed_json", "dates": [DAY]}]})
    with pytest.raises(MalformedResponseError, match="not JSON") as err:
        client.fetch_boxscore(GAME, DAY) if call == "box" else client.fetch_scoreboard(DAY)
    assert DAY in str(err.value)


def test_not_final_and_postponed_in_the_scoreboard_parse(client, replay):
    replay.set_faults({"rules": [{"kind": "not_final", "game_ids": ["0022500171"]},
                                 {"kind": "postponed", "game_ids": ["0022500172"]}]})
    schedule = parse_scoreboard_v3(client.fetch_scoreboard("2025-11-05"), ("002",)).set_index("game_id")
    live, ppd = schedule.loc["0022500171"], schedule.loc["0022500172"]
    assert (live["game_status"], live["game_status_text"]) == (2, "Q3 5:12")
    assert pd.isna(live["home_pts"]) and pd.isna(live["away_pts"])  # scores only once final
    assert (ppd["game_status"], ppd["game_status_text"]) == (1, "PPD")
    assert (schedule.drop(index=["0022500171", "0022500172"])["game_status"] == 3).all()
    # A live game's box score is partial (3/4 of each line), a postponed game has none.
    partial = client.fetch_boxscore("0022500171", "2025-11-05")["boxScoreTraditional"]
    assert partial["homeTeam"]["statistics"]["minutes"] == "180:00"
    assert partial["homeTeam"]["statistics"]["points"] < 132
    with pytest.raises(GameNotFoundError):
        client.fetch_boxscore("0022500172", "2025-11-05")


def test_admin_endpoint_switches_faults_from_another_client(client, replay):
    admin = requests.Session()
    url = replay.root_url + "/_replay/faults"
    faults = {"as_of": None, "rules": [{"kind": "empty_stats", "game_ids": [GAME]}]}
    assert admin.put(url, data=json.dumps(faults), timeout=5).status_code == 200
    assert replay.faults.rules[0].kind == "empty_stats"
    assert admin.get(url, timeout=5).json() == faults
    with pytest.raises(EmptyStatsError):
        client.fetch_boxscore(GAME, DAY)
    assert admin.delete(url, timeout=5).json() == {"as_of": None, "rules": []}
    assert client.fetch_boxscore(GAME, DAY)["boxScoreTraditional"]["gameId"] == GAME
    bad = admin.put(url, data='{"rules": [{"kind": "meteor"}]}', timeout=5)
    assert bad.status_code == 400 and "meteor" in bad.json()["message"]
    assert admin.get(replay.root_url + "/_replay/requests", timeout=5).json() == {BOX: {GAME: 2}}


def test_separately_started_server_is_switched_over_http(tmp_path):
    faults = tmp_path / "faults.json"
    faults.write_text(json.dumps({"rules": [{"kind": "http_status", "status": 503, "game_ids": [GAME]}]}))
    code = ("import sys; from nba_backfill.sources.replay_server import serve_replay; "
            "serve_replay('127.0.0.1', 0, sys.argv[1])")
    proc = subprocess.Popen([sys.executable, "-c", code, str(faults)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert first.startswith("stats.nba.com replay at http://127.0.0.1:"), first
        base_url = first.split(" at ")[1].strip()
        client = NbaStatsClient(base_url=base_url, max_retries=0, rate_limit_seconds=0)
        with pytest.raises(SourceUnavailableError, match="HTTP 503"):
            client.fetch_boxscore(GAME, DAY)
        requests.delete(base_url.removesuffix("/stats") + "/_replay/faults", timeout=5)
        assert client.fetch_boxscore(GAME, DAY)["boxScoreTraditional"]["gameId"] == GAME
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_rate_limit_spaces_requests(replay):
    client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0.3)
    started = time.monotonic()
    client.fetch_scoreboard("2025-11-27")
    client.fetch_scoreboard("2025-11-27")
    assert time.monotonic() - started >= 0.3


def test_browser_like_headers_and_real_default_url():
    client = NbaStatsClient()
    assert client.base_url == "https://stats.nba.com/stats"
    headers = client._get_session().headers
    assert headers["Referer"] == "https://www.nba.com/" and headers["x-nba-stats-origin"] == "stats"
    assert headers["x-nba-stats-token"] == "true" and "Mozilla" in headers["User-Agent"] and "Host" not in headers


def test_resource_works_inside_a_dagster_run(replay):
    @dg.asset
    def games_on_2025_11_05(nba_stats: NbaStatsClient) -> int:
        return len(nba_stats.fetch_scoreboard("2025-11-05")["scoreboard"]["games"])

    result = dg.materialize([games_on_2025_11_05], resources={
        "nba_stats": NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)})
    assert result.success and result.output_for_node("games_on_2025_11_05") == 11


def test_429_with_retry_after_waits_that_long_then_succeeds(client, replay):
    """The source asks for 1 s (``Retry-After: 1``); the client's own backoff here is 0.01 s, so a gap of at
    least 1 s between the two requests the replay received is the header being honoured.
    """
    replay.set_faults({"rules": [{"kind": "http_status", "status": 429, "retry_after": 1, "first_n": 1,
                                  "game_ids": [GAME]}]})
    payload = client.fetch_boxscore(GAME, DAY)
    assert payload["boxScoreTraditional"]["homeTeam"]["statistics"]["points"] == 128
    first, second = replay.request_times(BOX, GAME)
    assert second - first >= 1.0


def test_a_connection_reset_once_is_retried(client, replay):
    replay.set_faults({"rules": [{"kind": "reset", "first_n": 1, "game_ids": [GAME]}]})
    assert client.fetch_boxscore(GAME, DAY)["boxScoreTraditional"]["gameId"] == GAME
    assert replay.request_count(BOX, GAME) == 2


def test_persistent_connection_resets_fail_naming_endpoint_game_and_date(client, replay):
    replay.set_faults({"rules": [{"kind": "reset", "game_ids": [GAME]}]})
    with pytest.raises(SourceUnavailableError) as err:
        client.fetch_boxscore(GAME, DAY)
    message = str(err.value)
    print(message)
    assert (err.value.endpoint, err.value.game_id, err.value.game_date) == (BOX, GAME, DAY)
    assert BOX in message and GAME in message and DAY in message and "connection reset" in message
    assert f"all {client.max_retries + 1} attempts" in message and "retry later" in message
    assert replay.request_count(BOX, GAME) == client.max_retries + 1


def test_a_deadline_stops_retries_whose_wait_would_pass_it(replay):
    """503 with ``Retry-After: 5`` on every attempt and 2 s left: the client does not sleep 5 s to retry."""
    replay.set_faults({"rules": [{"kind": "http_status", "status": 503, "retry_after": 5, "game_ids": [GAME]}]})
    client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, partition_deadline_seconds=2)
    started = time.monotonic()
    with pytest.raises(SourceDeadlineError, match="HTTP 503 after 0 retries \\(stopped at the date's 2 s deadline"):
        client.fetch_boxscore(GAME, DAY, deadline=started + 2)
    assert replay.request_count(BOX, GAME) == 1 and time.monotonic() - started < 2
    with pytest.raises(SourceDeadlineError, match="not requested: the date's 2 s deadline had passed"):
        client.fetch_boxscore(GAME, DAY, deadline=started)
    assert replay.request_count(BOX, GAME) == 1
