"""The replay serves the real wire format: compared field by field with the real stats.nba.com samples."""

from __future__ import annotations

import requests

from nba_backfill.logic.boxscore_v3 import parse_scoreboard_v3

BOX_URL = "/boxscoretraditionalv3"
SCOREBOARD_URL = "/scoreboardv3"


def _get(replay, path: str, **params) -> requests.Response:
    return requests.get(replay.base_url + path, params=params, timeout=10)


def _whole_minutes(clock: str) -> int:
    """Real "MM:SS" rounded half up to whole minutes, the way the bundled game logs round them."""
    minutes, seconds = clock.split(":")
    return int(minutes) + (int(seconds) >= 30)


def _players(box: dict) -> dict[int, dict]:
    return {p["personId"]: p for side in ("homeTeam", "awayTeam") for p in box[side]["players"]}


def test_boxscore_has_the_real_key_structure(replay, real_box):
    replayed = _get(replay, BOX_URL, GameID="0022500165", LeagueID="00").json()
    real, ours = real_box["boxScoreTraditional"], replayed["boxScoreTraditional"]
    assert replayed.keys() == real_box.keys() and replayed["meta"].keys() == real_box["meta"].keys()
    assert ours.keys() == real.keys()
    for side in ("homeTeam", "awayTeam"):
        assert ours[side].keys() == real[side].keys()
        for block in ("statistics", "starters", "bench"):
            assert ours[side][block].keys() == real[side][block].keys()
        assert ours[side]["players"][0].keys() == real[side]["players"][0].keys()
        assert ours[side]["players"][0]["statistics"].keys() == real[side]["players"][0]["statistics"].keys()


def test_boxscore_team_statistics_equal_the_real_response(replay, real_box):
    real = real_box["boxScoreTraditional"]
    ours = _get(replay, BOX_URL, GameID="0022500165").json()["boxScoreTraditional"]
    assert (ours["gameId"], ours["homeTeamId"], ours["awayTeamId"]) == ("0022500165", 1610612761, 1610612749)
    for side in ("homeTeam", "awayTeam"):
        for key in ("teamId", "teamCity", "teamName", "teamTricode", "teamSlug"):
            assert ours[side][key] == real[side][key]
        # Every team statistic, percentages and plus-minus included, equals the real answer.
        assert ours[side]["statistics"] == real[side]["statistics"]
    # Hand values from the real sample: v3 team turnovers exclude team turnovers (leaguegamelog: 10 / 15).
    assert ours["homeTeam"]["statistics"]["turnovers"] == 9 and ours["awayTeam"]["statistics"]["turnovers"] == 12
    assert ours["homeTeam"]["statistics"]["points"] == 128 and ours["awayTeam"]["statistics"]["points"] == 100
    assert ours["homeTeam"]["statistics"]["minutes"] == "240:00" == ours["awayTeam"]["statistics"]["minutes"]
    assert (ours["homeTeam"]["teamCity"], ours["homeTeam"]["teamName"]) == ("Toronto", "Raptors")


def test_boxscore_player_lines_equal_the_real_response(replay, real_box):
    real = _players(real_box["boxScoreTraditional"])
    ours = _players(_get(replay, BOX_URL, GameID="0022500165").json()["boxScoreTraditional"])
    played = {pid for pid, p in real.items() if p["statistics"]["minutes"]}
    assert len(real) == 29 and len(played) == 27
    assert set(ours) == played  # the bundle lists only players who appeared: no DNP rows
    assert {202066, 203648}.isdisjoint(ours)  # Garrett Temple, Thanasis Antetokounmpo: DNP - Coach's Decision
    for pid in played:
        r, o = real[pid], ours[pid]
        assert f"{o['firstName']} {o['familyName']}" == f"{r['firstName']} {r['familyName']}"
        assert (o["firstName"], o["familyName"]) == (r["firstName"], r["familyName"])
        assert int(o["statistics"]["minutes"].split(":")[0]) == _whole_minutes(r["statistics"]["minutes"])
        assert o["statistics"]["minutes"].endswith(":00")
        for key, value in r["statistics"].items():
            if key != "minutes":
                assert o["statistics"][key] == value, (pid, key)
        assert o["position"] == ""  # no starter flag in the bundle
    assert ours[1627742]["statistics"]["minutes"] == "31:00"  # Brandon Ingram, real 30:49


def test_scoreboard_equals_the_real_response(replay, real_scoreboard):
    real = real_scoreboard["scoreboard"]
    ours = _get(replay, SCOREBOARD_URL, GameDate="2025-11-05", LeagueID="00").json()["scoreboard"]
    assert {k: ours[k] for k in ("gameDate", "leagueId", "leagueName")} == \
        {k: real[k] for k in ("gameDate", "leagueId", "leagueName")}
    assert [g["gameId"] for g in ours["games"]] == [g["gameId"] for g in real["games"]]
    assert len(ours["games"]) == 11
    for r, o in zip(real["games"], ours["games"]):
        assert o.keys() == r.keys()
        for key in ("gameCode", "gameStatus", "gameStatusText", "period", "regulationPeriods"):
            assert o[key] == r[key], (r["gameId"], key)
        for side in ("homeTeam", "awayTeam"):
            assert o[side].keys() == r[side].keys()
            for key in ("teamId", "teamName", "teamCity", "teamTricode", "teamSlug", "wins", "losses", "score"):
                assert o[side][key] == r[side][key], (r["gameId"], side, key)
        for side in ("homeLeaders", "awayLeaders"):
            for key in ("personId", "name", "teamTricode", "points", "rebounds", "assists"):
                assert o["gameLeaders"][side][key] == r["gameLeaders"][side][key], (r["gameId"], side, key)
    cle = ours["games"][0]
    assert (cle["homeTeam"]["teamTricode"], cle["homeTeam"]["score"], cle["awayTeam"]["score"]) == ("CLE", 132, 121)


def test_scoreboard_parses_to_the_same_schedule_rows_as_the_real_one(replay, real_scoreboard):
    ours = _get(replay, SCOREBOARD_URL, GameDate="2025-11-05").json()
    assert parse_scoreboard_v3(ours, ("002",)).equals(parse_scoreboard_v3(real_scoreboard, ("002",)))


def test_overtime_game_shows_in_status_period_and_team_minutes(replay):
    # 0022500001 HOU @ OKC, 2025-10-21: leaguegamelog team MIN 290 = 240 + 2 x 25, i.e. double overtime.
    game = _get(replay, SCOREBOARD_URL, GameDate="2025-10-21").json()["scoreboard"]["games"]
    okc = next(g for g in game if g["gameId"] == "0022500001")
    assert (okc["gameStatusText"], okc["period"]) == ("Final/2OT", 6)
    assert (okc["homeTeam"]["score"], okc["awayTeam"]["score"]) == (125, 124)
    box = _get(replay, BOX_URL, GameID="0022500001").json()["boxScoreTraditional"]
    assert box["homeTeam"]["statistics"]["minutes"] == "290:00"


def test_day_without_games_is_an_empty_200(replay):
    response = _get(replay, SCOREBOARD_URL, GameDate="2025-11-27")  # Thanksgiving: no NBA games
    assert response.status_code == 200
    assert response.json()["scoreboard"]["games"] == []


def test_unknown_game_and_bad_parameters(replay):
    unknown = _get(replay, BOX_URL, GameID="0022599999")
    assert unknown.status_code == 404 and "0022599999" in unknown.json()["message"]
    preseason = _get(replay, BOX_URL, GameID="0012500008")  # scheduled, but no bundled box score
    assert preseason.status_code == 404 and "no bundled box score" in preseason.json()["message"]
    assert _get(replay, BOX_URL, GameID="22500165").status_code == 400
    assert _get(replay, BOX_URL).status_code == 400
    assert _get(replay, SCOREBOARD_URL, GameDate="2025-13-01").status_code == 400
    assert _get(replay, "/leaguegamelog").status_code == 404
    assert replay.request_count("boxscoretraditionalv3") == 4 and replay.request_count("scoreboardv3") == 1


def test_as_of_turns_later_games_into_scheduled_ones(replay):
    replay.set_faults({"as_of": "2025-11-04"})
    games = _get(replay, SCOREBOARD_URL, GameDate="2025-11-05").json()["scoreboard"]["games"]
    assert {g["gameStatus"] for g in games} == {1}
    assert {(g["homeTeam"]["score"], g["awayTeam"]["score"]) for g in games} == {(0, 0)}
    det = next(g for g in games if g["gameId"] == "0022500172")
    assert det["gameStatusText"] == "7:00 pm ET"  # tip 2025-11-06T00:00Z
    # Records before the game: CLE beat PHI 132-121 that night and stood 5-3 after it, PHI 5-3 after losing.
    cle = games[0]
    assert (cle["homeTeam"]["wins"], cle["homeTeam"]["losses"]) == (4, 3)
    assert (cle["awayTeam"]["wins"], cle["awayTeam"]["losses"]) == (5, 2)
    earlier = _get(replay, SCOREBOARD_URL, GameDate="2025-11-04").json()["scoreboard"]["games"]
    assert {g["gameStatus"] for g in earlier} == {3}
    unplayed = _get(replay, BOX_URL, GameID="0022500171").json()["boxScoreTraditional"]
    assert unplayed["homeTeam"]["players"] == [] and unplayed["homeTeam"]["statistics"]["points"] == 0
