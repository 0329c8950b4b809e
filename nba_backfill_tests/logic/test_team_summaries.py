"""Team offense and defense summaries on real 2025-26 games, values worked by hand from the box lines."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.analytics import TEAM_DEFENSE_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY

MIL, TOR = 1610612749, 1610612761
HOU, OKC = 1610612745, 1610612760


def _row(frame: pd.DataFrame, game_id: str, team_id: int) -> pd.Series:
    rows = frame[(frame["game_id"] == game_id) & (frame["team_id"] == team_id)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.fixture(scope="module")
def mil_at_tor(raw_team_box) -> pd.DataFrame:
    return raw_team_box[raw_team_box["game_id"] == "0022500165"]


def test_offense_mil_at_tor_2025_11_04(mil_at_tor):
    offense = build_team_offense_game_summary(mil_at_tor)
    assert list(offense.columns) == TEAM_OFFENSE_GAME_SUMMARY.column_names
    tor, mil = _row(offense, "0022500165", TOR), _row(offense, "0022500165", MIL)

    # TOR box: 44/91 FG, 17/38 3P, 23/29 FT, 10 OREB, 9 TOV (players' sum; the v3 JSON also says 9), 128 PTS.
    assert (tor["fgm"], tor["fga"], tor["fta"], tor["oreb"], tor["tov"], tor["points"]) == (44, 91, 29, 10, 9, 128)
    assert tor["possessions"] == pytest.approx(91 + 0.44 * 29 - 10 + 9)  # 102.76
    assert tor["offensive_rating"] == pytest.approx(100 * 128 / 102.76)  # 124.56
    assert tor["pace"] == pytest.approx(102.76 * 48 / (240 / 5))  # regulation: pace == possessions
    assert tor["true_shooting_pct"] == pytest.approx(128 / (2 * (91 + 0.44 * 29)))  # 0.6168
    assert bool(tor["is_home"]) and bool(tor["is_win"])
    assert (tor["opponent_team_abbr"], tor["opponent_points"], tor["margin"]) == ("MIL", 100, 128 - 100)
    assert tor["overtime_periods"] == 0

    # MIL box: 37/86 FG, 15/21 FT, 9 OREB, 12 TOV (v3: 12; leaguegamelog's 15 counts team turnovers), 100 PTS.
    assert mil["possessions"] == pytest.approx(86 + 0.44 * 21 - 9 + 12)  # 98.24
    assert mil["offensive_rating"] == pytest.approx(100 * 100 / 98.24)  # 101.79
    assert mil["true_shooting_pct"] == pytest.approx(100 / (2 * (86 + 0.44 * 21)))  # 0.5250
    assert not bool(mil["is_home"]) and not bool(mil["is_win"])
    assert mil["margin"] == 100 - 128


def test_offense_double_overtime_hou_at_okc_2025_10_21(raw_team_box):
    offense = build_team_offense_game_summary(raw_team_box[raw_team_box["game_id"] == "0022500001"])
    hou, okc = _row(offense, "0022500001", HOU), _row(offense, "0022500001", OKC)
    assert hou["team_minutes"] == 290.0
    assert hou["overtime_periods"] == (290 - 240) / 25  # 2 overtimes
    # HOU: 97 FGA, 31 FTA, 16 OREB, 22 TOV (players' sum), 124 PTS, in 290 team minutes = 58 player-game minutes.
    assert hou["possessions"] == pytest.approx(97 + 0.44 * 31 - 16 + 22)  # 116.64
    assert hou["pace"] == pytest.approx(116.64 * 48 / (290 / 5))  # 96.53 per 48 minutes, not 116.64
    assert hou["offensive_rating"] == pytest.approx(100 * 124 / 116.64)
    # OKC: 104 FGA, 25 FTA, 11 OREB, 11 TOV, 125 PTS.
    assert okc["possessions"] == pytest.approx(104 + 0.44 * 25 - 11 + 11)  # 115.0
    assert okc["pace"] == pytest.approx(115.0 * 48 / 58)  # 95.17
    assert (okc["margin"], bool(okc["is_win"])) == (125 - 124, True)


def test_defense_mil_at_tor_is_the_opponent_line_flipped(mil_at_tor):
    defense = build_team_defense_game_summary(build_team_offense_game_summary(mil_at_tor))
    assert list(defense.columns) == TEAM_DEFENSE_GAME_SUMMARY.column_names
    tor = _row(defense, "0022500165", TOR)
    # TOR defended MIL's line: 100 points on 37/86 FG, 11/38 3P, 15/21 FT, 9 OREB, 26 AST, 12 TOV.
    assert tor["points_allowed"] == 100
    assert (tor["opponent_fgm"], tor["opponent_fga"], tor["opponent_fg3m"], tor["opponent_fg3a"]) == (37, 86, 11, 38)
    assert (tor["opponent_ftm"], tor["opponent_fta"], tor["opponent_oreb"], tor["opponent_ast"]) == (15, 21, 9, 26)
    assert tor["turnovers_forced"] == 12
    assert tor["possessions"] == pytest.approx(86 + 0.44 * 21 - 9 + 12)  # MIL's 98.24
    assert tor["defensive_rating"] == pytest.approx(100 * 100 / 98.24)
    assert tor["opponent_pace"] == pytest.approx(98.24 * 48 / 48)


def test_defense_rating_equals_opponent_offense_rating_for_every_team_game_of_a_date(raw_team_box):
    day = raw_team_box[raw_team_box["game_date"] == dt.date(2026, 1, 21)]
    offense = build_team_offense_game_summary(day)
    defense = build_team_defense_game_summary(offense)
    assert len(offense) == len(defense) == 14  # 7 games on 2026-01-21
    pairs = defense.merge(
        offense, left_on=["game_id", "opponent_team_id"], right_on=["game_id", "team_id"], suffixes=("_d", "_o"))
    assert len(pairs) == 14
    # Exact equality: the defense row copies the opponent's offense values, nothing is recomputed or rounded.
    assert (pairs["defensive_rating"] == pairs["offensive_rating"]).all()
    assert (pairs["possessions_d"] == pairs["possessions_o"]).all()
    assert (pairs["points_allowed"] == pairs["points"]).all()
    assert (pairs["opponent_pace"] == pairs["pace"]).all()


def test_empty_input_gives_empty_conformed_frames(raw_team_box):
    offense = build_team_offense_game_summary(raw_team_box.iloc[0:0])
    defense = build_team_defense_game_summary(offense)
    assert offense.empty and list(offense.columns) == TEAM_OFFENSE_GAME_SUMMARY.column_names
    assert defense.empty and list(defense.columns) == TEAM_DEFENSE_GAME_SUMMARY.column_names


def test_a_game_with_one_team_row_is_an_error(mil_at_tor):
    with pytest.raises(ValueError, match="0022500165"):
        build_team_offense_game_summary(mil_at_tor[mil_at_tor["team_id"] == TOR])


def test_team_minutes_off_the_overtime_grid_are_an_error(mil_at_tor):
    odd = mil_at_tor.assign(minutes=241.0)  # the sum of rounded player minutes, not team minutes
    with pytest.raises(ValueError, match="0022500165"):
        build_team_offense_game_summary(odd)


def test_defense_without_the_opponent_row_is_an_error(mil_at_tor):
    offense = build_team_offense_game_summary(mil_at_tor)
    with pytest.raises(ValueError, match="0022500165"):
        build_team_defense_game_summary(offense[offense["team_id"] == TOR])
