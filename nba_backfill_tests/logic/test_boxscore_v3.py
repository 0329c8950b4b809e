"""The v3 parsers on the REAL stats.nba.com samples (copies in nba_backfill_tests/fixtures, PROVENANCE D).

Expected values are read off the sample JSON by hand: game 0022500165, MIL @ TOR on 2025-11-04, final
TOR 128 - MIL 100, 29 players listed of whom 2 DNP; scoreboard of 2025-11-05 with 11 final games.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from nba_backfill.errors import EmptyStatsError, MalformedResponseError
from nba_backfill.logic.boxscore_v3 import parse_boxscore_v3, parse_boxscores_v3, parse_minutes, parse_scoreboard_v3
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DAY = dt.date(2025, 11, 4)


@pytest.fixture(scope="module")
def real_box() -> dict:
    return json.loads((FIXTURES / "boxscoretraditionalv3_0022500165.json").read_text())


@pytest.fixture(scope="module")
def real_scoreboard() -> dict:
    return json.loads((FIXTURES / "scoreboardv3_2025-11-05.json").read_text())


@pytest.fixture(scope="module")
def parsed(real_box):
    return parse_boxscore_v3(real_box, DAY)


def test_team_rows(parsed):
    teams = parsed[0].set_index("team_abbr")
    assert list(parsed[0].columns) == NBAC_TEAM_BOXSCORE.column_names and len(teams) == 2
    tor, mil = teams.loc["TOR"], teams.loc["MIL"]
    assert (tor["pts"], mil["pts"]) == (128, 100)
    assert (tor["team_name"], mil["team_name"]) == ("Toronto Raptors", "Milwaukee Bucks")
    assert (tor["team_id"], tor["opponent_team_id"], tor["opponent_team_abbr"]) == (1610612761, 1610612749, "MIL")
    assert bool(tor["is_home"]) and not bool(mil["is_home"])
    assert (tor["minutes"], mil["minutes"]) == (240.0, 240.0)
    assert (tor["tov"], mil["tov"]) == (9, 12)  # player-credited only (leaguegamelog says 10 / 15)
    assert (tor["fgm"], tor["fga"], tor["fg3m"], tor["ftm"], tor["reb"], tor["ast"]) == (44, 91, 17, 23, 50, 33)
    assert (tor["plus_minus"], mil["plus_minus"]) == (28.0, -28.0)
    assert set(parsed[0]["game_date"]) == {DAY} and set(parsed[0]["game_id"]) == {"0022500165"}


def test_many_games_parse_to_the_per_game_rows_concatenated(real_box):
    """The range parser (one conform for all games) gives exactly the one-game parser's rows, game after game:
    the real sample, then the same answer as another game on another date.
    """
    other = copy.deepcopy(real_box)
    other["boxScoreTraditional"]["gameId"] = "0022500999"
    games = [(real_box, DAY), (other, dt.date(2025, 11, 5))]
    team, player = parse_boxscores_v3(games)
    singles = [parse_boxscore_v3(payload, day) for payload, day in games]
    pd.testing.assert_frame_equal(team, pd.concat([t for t, _ in singles], ignore_index=True))
    pd.testing.assert_frame_equal(player, pd.concat([p for _, p in singles], ignore_index=True))
    assert (len(team), len(player)) == (4, 58)
    empty_team, empty_player = parse_boxscores_v3([])
    pd.testing.assert_frame_equal(empty_team, NBAC_TEAM_BOXSCORE.empty_frame())
    pd.testing.assert_frame_equal(empty_player, NBAC_PLAYER_BOXSCORE.empty_frame())


def test_player_rows(parsed):
    players = parsed[1].set_index("player_id")
    assert list(parsed[1].columns) == NBAC_PLAYER_BOXSCORE.column_names
    assert len(players) == 29 and int(players["is_dnp"].sum()) == 2
    ingram = players.loc[1627742]
    assert ingram["player_name"] == "Brandon Ingram" and ingram["position"] == "F"
    assert ingram["minutes"] == pytest.approx(30.8167, abs=1e-4)  # 30:49 = 30 + 49/60
    assert (ingram["pts"], ingram["reb"], ingram["plus_minus"]) == (13, 8, 17.0)
    temple = players.loc[202066]
    assert bool(temple["is_dnp"]) and temple["comment"] == "DNP - Coach's Decision"
    assert pd.isna(temple["minutes"]) and pd.isna(temple["pts"]) and pd.isna(temple["fga"])
    # The real team totals equal the sum of the player lines (DNPs count as nothing).
    assert players.groupby("team_abbr")["pts"].sum().to_dict() == {"MIL": 100, "TOR": 128}
    assert players.loc[1642867, "position"] == ""  # Collin Murray-Boyles came off the bench


@pytest.mark.parametrize(("clock", "minutes"), [
    ("30:49", 30 + 49 / 60), ("240:00", 240.0), ("6:30", 6.5), ("PT30M49.00S", 30 + 49 / 60), ("", None), (None, None),
])
def test_parse_minutes(clock, minutes):
    assert parse_minutes(clock) == minutes


def _zeroed(team: dict) -> None:
    team["players"] = []
    team["statistics"] = {k: ("0:00" if k == "minutes" else 0) for k in team["statistics"]}


def test_empty_stats_answer_raises_naming_game_date_endpoint(real_box):
    empty = copy.deepcopy(real_box)
    for side in ("homeTeam", "awayTeam"):
        _zeroed(empty["boxScoreTraditional"][side])
    with pytest.raises(EmptyStatsError) as err:
        parse_boxscore_v3(empty, DAY)
    assert "0022500165" in str(err.value) and "2025-11-04" in str(err.value)
    assert "boxscoretraditionalv3" in str(err.value) and "HTTP 200" in str(err.value)
    assert (err.value.game_id, err.value.game_date, err.value.endpoint) == ("0022500165", "2025-11-04",
                                                                             "boxscoretraditionalv3")


def test_one_team_without_statistics_raises(real_box):
    one = copy.deepcopy(real_box)
    _zeroed(one["boxScoreTraditional"]["awayTeam"])
    with pytest.raises(EmptyStatsError, match="no statistics for MIL"):
        parse_boxscore_v3(one, DAY)


@pytest.mark.parametrize("damage", ["no_box", "no_away", "no_player_stats", "other_game"])
def test_malformed_answers_raise(real_box, damage):
    bad = copy.deepcopy(real_box)
    box = bad["boxScoreTraditional"]
    if damage == "no_box":
        del bad["boxScoreTraditional"]
    elif damage == "no_away":
        del box["awayTeam"]
    elif damage == "no_player_stats":
        del box["homeTeam"]["players"][0]["statistics"]
    with pytest.raises(MalformedResponseError) as err:
        parse_boxscore_v3(bad, DAY, game_id="0022500999" if damage == "other_game" else None)
    assert "2025-11-04" in str(err.value) and "boxscoretraditionalv3" in str(err.value)


def test_scoreboard_rows(real_scoreboard):
    schedule = parse_scoreboard_v3(real_scoreboard, ("002",))
    assert list(schedule.columns) == NBAC_SCHEDULE.column_names and len(schedule) == 11
    first = schedule.iloc[0]
    assert (first["game_id"], first["home_team_abbr"], first["away_team_abbr"]) == ("0022500171", "CLE", "PHI")
    assert (first["home_pts"], first["away_pts"], first["game_status"]) == (132, 121, 3)
    assert (first["season"], first["stage"], first["game_date"]) == ("2025-26", "Regular Season", dt.date(2025, 11, 5))
    assert schedule["in_scope"].all() and (schedule["game_status_text"] == "Final").all()
    assert not parse_scoreboard_v3(real_scoreboard, ("004",))["in_scope"].any()


def test_scoreboard_scores_are_null_until_final(real_scoreboard):
    live = copy.deepcopy(real_scoreboard)
    live["scoreboard"]["games"][0].update(gameStatus=2, gameStatusText="Q3 5:12 ")
    row = parse_scoreboard_v3(live, ("002",)).iloc[0]
    assert row["game_status"] == 2 and row["game_status_text"] == "Q3 5:12"
    assert pd.isna(row["home_pts"]) and pd.isna(row["away_pts"])


def test_scoreboard_without_games_and_malformed(real_scoreboard):
    empty = {"scoreboard": {"gameDate": "2025-11-27", "leagueId": "00", "games": []}}
    none = parse_scoreboard_v3(empty, ("002",))
    assert none.empty and list(none.columns) == NBAC_SCHEDULE.column_names
    with pytest.raises(MalformedResponseError, match="2025-11-27"):
        parse_scoreboard_v3({"scoreboard": {"gameDate": "2025-11-27"}}, ("002",))
    broken = copy.deepcopy(real_scoreboard)
    del broken["scoreboard"]["games"][3]["homeTeam"]
    with pytest.raises(MalformedResponseError, match="2025-11-05"):
        parse_scoreboard_v3(broken, ("002",))
