"""The replay's ``playerindex``: the real wire format, the roster of the requested date, and the client on it.

Expected teams are read off the bundled 2025-26 player log (``nba_backfill/data/player_box_2025_26.parquet``):
Dennis Schröder (203471) last played for SAC on 2026-01-30 and first for CLE on 2026-02-04; Nikola Vučević
(202696) last for CHI on 2026-02-01 and first for BOS on 2026-02-06; Jaren Jackson Jr. (1628991) last for MEM on
2026-02-02 and first for UTA on 2026-02-07. The rule (PROVENANCE): on the day after his last game for the old team
a player is on the new team's roster.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import requests

from nba_backfill.errors import EmptyStatsError, MalformedResponseError, SourceUnavailableError
from nba_backfill.logic.player_index import parse_player_index
from nba_backfill.sources.bundle import default_data_dir

URL = "/playerindex"
PARAMS = {"LeagueID": "00", "Season": "2025-26", "Historical": "0"}
# nba_api's endpoint analysis of stats.nba.com/stats/playerindex (PlayerIndex data set, validated 2023-03-10).
REAL_HEADERS = ["PERSON_ID", "PLAYER_LAST_NAME", "PLAYER_FIRST_NAME", "PLAYER_SLUG", "TEAM_ID", "TEAM_SLUG",
                "IS_DEFUNCT", "TEAM_CITY", "TEAM_NAME", "TEAM_ABBREVIATION", "JERSEY_NUMBER", "POSITION", "HEIGHT",
                "WEIGHT", "COLLEGE", "COUNTRY", "DRAFT_YEAR", "DRAFT_ROUND", "DRAFT_NUMBER", "ROSTER_STATUS", "PTS",
                "REB", "AST", "STATS_TIMEFRAME", "FROM_YEAR", "TO_YEAR"]
SCHRODER, VUCEVIC, JJJ = 203471, 202696, 1628991


def _index(replay, day: str, **params) -> dict:
    response = requests.get(replay.base_url + URL, params={**PARAMS, **params},
                            headers={"x-nba-backfill-as-of": day}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _teams(payload: dict) -> dict[int, str]:
    result = payload["resultSets"][0]
    i, t = result["headers"].index("PERSON_ID"), result["headers"].index("TEAM_ABBREVIATION")
    return {row[i]: row[t] for row in result["rowSet"]}


def test_the_wire_format_is_the_real_playerindex(replay):
    payload = _index(replay, "2026-02-05")
    assert list(payload) == ["resource", "parameters", "resultSets"] and payload["resource"] == "playerindex"
    assert (payload["parameters"]["LeagueID"], payload["parameters"]["Season"],
            payload["parameters"]["Historical"]) == ("00", "2025-26", 0)
    [result] = payload["resultSets"]
    assert result["name"] == "PlayerIndex" and result["headers"] == REAL_HEADERS
    row = dict(zip(REAL_HEADERS, next(r for r in result["rowSet"] if r[0] == SCHRODER)))
    assert (row["PLAYER_FIRST_NAME"], row["PLAYER_LAST_NAME"], row["TEAM_ID"], row["TEAM_ABBREVIATION"],
            row["TEAM_CITY"], row["TEAM_NAME"], row["ROSTER_STATUS"]) == (
        "Dennis", "Schröder", 1610612739, "CLE", "Cleveland", "Cavaliers", 1)


@pytest.mark.parametrize(("day", "schroder", "vucevic", "jjj"), [
    ("2026-01-30", "SAC", "CHI", "MEM"),  # Schröder's last SAC game
    ("2026-01-31", "CLE", "CHI", "MEM"),  # the day after: on CLE's roster, before his first CLE game (02-04)
    ("2026-02-01", "CLE", "CHI", "MEM"),  # Vučević's last CHI game
    ("2026-02-02", "CLE", "BOS", "MEM"),  # JJJ's last MEM game
    ("2026-02-03", "CLE", "BOS", "UTA"),
    ("2026-02-07", "CLE", "BOS", "UTA"),  # JJJ's first UTA game
])
def test_the_roster_of_the_requested_date_follows_the_trades(replay, day, schroder, vucevic, jjj):
    teams = _teams(_index(replay, day))
    assert (teams[SCHRODER], teams[VUCEVIC], teams[JJJ]) == (schroder, vucevic, jjj)


def test_players_are_listed_from_their_first_game_and_averages_are_of_games_before_d(replay):
    log = pd.read_parquet(default_data_dir() / "player_box_2025_26.parquet")
    opening = log[log["game_date"].astype(str) == "2025-10-21"]
    payload = _index(replay, "2025-10-21")
    rows = payload["resultSets"][0]["rowSet"]
    # Opening night: exactly the players of its two games, none with a game before it.
    assert {r[0] for r in rows} == set(opening["player_id"]) and len(rows) == opening["player_id"].nunique()
    assert all(r[REAL_HEADERS.index("PTS")] is None for r in rows)
    # Schröder before 2025-10-25: his SAC games of 10-22 and 10-24 (from the log, averaged by hand).
    mine = log[(log["player_id"] == SCHRODER) & (log["game_date"].astype(str) < "2025-10-25")]
    assert list(mine["pts"]) == [14, 17]
    row = next(r for r in _index(replay, "2025-10-25")["resultSets"][0]["rowSet"] if r[0] == SCHRODER)
    assert row[REAL_HEADERS.index("PTS")] == 15.5


def test_team_filter_and_bad_requests(replay):
    cle = _index(replay, "2026-02-05", TeamID="1610612739")
    assert set(_teams(cle).values()) == {"CLE"} and SCHRODER in _teams(cle)
    get = lambda params, day="2026-02-05": requests.get(  # noqa: E731
        replay.base_url + URL, params=params, headers={"x-nba-backfill-as-of": day}, timeout=10)
    assert get({**PARAMS, "Season": "2025"}).status_code == 400
    outside = get(PARAMS, "2026-07-01")
    assert outside.status_code == 400 and "2025-10-21 … 2026-04-12" in outside.json()["message"]
    assert get(PARAMS, "2026-02-30").status_code == 400


def test_the_client_parses_the_rosters_of_a_date(client):
    rows = parse_player_index(client.fetch_player_index("2025-26", "2026-02-04"), dt.date(2026, 2, 4), "2025-26")
    assert not rows["player_id"].duplicated().any() and rows["team_id"].nunique() == 30
    schroder = rows[rows["player_id"] == SCHRODER].iloc[0]
    assert (schroder["player_name"], schroder["team_abbr"], schroder["season"]) == ("Dennis Schröder", "CLE", "2025-26")


def test_roster_faults_are_opt_in_and_the_client_retries_them(replay, client):
    # A date rule of the incident (no endpoints) never touches the rosters.
    replay.set_faults({"rules": [{"kind": "http_status", "status": 503, "dates": ["2026-02-04"]}]})
    assert len(client.fetch_player_index("2025-26", "2026-02-04")["resultSets"][0]["rowSet"]) > 400
    replay.set_faults({"rules": [{"kind": "http_status", "status": 503, "first_n": 2, "dates": ["2026-02-04"],
                                  "endpoints": ["playerindex"]}]})
    assert client.fetch_player_index("2025-26", "2026-02-04")
    assert replay.request_count("playerindex", "2026-02-04") == 1 + 3  # first call, then 2 x 503 and a 200
    replay.set_faults({"rules": [{"kind": "http_status", "status": 503, "dates": ["2026-02-04"],
                                  "endpoints": ["playerindex"]}]})
    with pytest.raises(SourceUnavailableError, match="playerindex .* 2026-02-04"):
        client.fetch_player_index("2025-26", "2026-02-04")


def test_malformed_and_empty_answers_fail_loudly():
    good = {"resultSets": [{"name": "PlayerIndex", "headers": REAL_HEADERS, "rowSet": []}]}
    with pytest.raises(EmptyStatsError, match="no player on a roster for 2026-02-04"):
        parse_player_index(good, dt.date(2026, 2, 4), "2025-26")
    with pytest.raises(MalformedResponseError, match=r"headers \['TEAM_ID'\] are missing"):
        headers = [h for h in REAL_HEADERS if h != "TEAM_ID"]
        parse_player_index({"resultSets": [{"name": "PlayerIndex", "headers": headers, "rowSet": []}]},
                           dt.date(2026, 2, 4), "2025-26")
    with pytest.raises(MalformedResponseError, match="no 'PlayerIndex' result set"):
        parse_player_index({"resultSets": []}, dt.date(2026, 2, 4), "2025-26")
