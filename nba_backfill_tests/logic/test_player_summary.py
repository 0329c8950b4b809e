"""Player game summary on real 2025-26 games: usage rate and true shooting worked by hand, DNPs as NULL."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY

GIANNIS, DURANT = 203507, 201142


def _game(frame: pd.DataFrame, game_id: str) -> pd.DataFrame:
    return frame[frame["game_id"] == game_id].reset_index(drop=True)


def _player(frame: pd.DataFrame, player_id: int) -> pd.Series:
    rows = frame[frame["player_id"] == player_id]
    assert len(rows) == 1
    return rows.iloc[0]


def test_usage_and_true_shooting_giannis_2025_11_04(raw_player_box, raw_team_box):
    summary = build_player_game_summary(_game(raw_player_box, "0022500165"), _game(raw_team_box, "0022500165"))
    assert list(summary.columns) == PLAYER_GAME_SUMMARY.column_names
    assert len(summary) == 27  # 14 MIL + 13 TOR players with a line
    giannis = _player(summary, GIANNIS)
    # Giannis: 24 MIN, 9/14 FG, 4/6 FT, 1 TOV, 22 PTS. MIL: 86 FGA, 21 FTA, 12 TOV (players' sum), 240 team minutes.
    assert (giannis["minutes"], giannis["fga"], giannis["fta"], giannis["tov"], giannis["points"]) == (24, 14, 6, 1, 22)
    assert (giannis["team_fga"], giannis["team_fta"], giannis["team_tov"], giannis["team_minutes"]) == (86, 21, 12, 240)
    # 100 · ((14 + 0.44·6 + 1) · (240/5)) / (24 · (86 + 0.44·21 + 12))
    #   = 100 · 17.64 · 48 / (24 · 107.24) = 32.90 %
    assert giannis["usage_rate_pct"] == pytest.approx(100 * (17.64 * 48) / (24 * 107.24))
    assert giannis["usage_rate_pct"] == pytest.approx(32.898, abs=1e-3)
    assert giannis["true_shooting_pct"] == pytest.approx(22 / (2 * (14 + 0.44 * 6)))  # 22 / 33.28 = 0.661
    assert (giannis["team_abbr"], giannis["opponent_team_abbr"], bool(giannis["is_home"])) == ("MIL", "TOR", False)
    assert not bool(giannis["is_dnp"])


def test_usage_uses_overtime_team_minutes_durant_2025_10_21(raw_player_box, raw_team_box):
    summary = build_player_game_summary(_game(raw_player_box, "0022500001"), _game(raw_team_box, "0022500001"))
    durant = _player(summary, DURANT)
    # Durant: 47 MIN, 16 FGA, 6 FTA, 4 TOV. HOU: 97 FGA, 31 FTA, 22 TOV in 290 team minutes (double overtime).
    expected = 100 * ((16 + 0.44 * 6 + 4) * (290 / 5)) / (47 * (97 + 0.44 * 31 + 22))  # 22.64·58 / (47·132.64)
    assert durant["usage_rate_pct"] == pytest.approx(expected)
    assert durant["usage_rate_pct"] == pytest.approx(21.064, abs=1e-3)


def test_dnp_is_null_not_zero(raw_player_box, raw_team_box):
    players = _game(raw_player_box, "0022500165")
    # Make Giannis a DNP the way the v3 parser emits one: flagged, no minutes, no stats, the comment kept.
    dnp = players["player_id"] == GIANNIS
    stats = ["minutes", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk",
             "tov", "pf", "pts", "plus_minus"]
    players.loc[dnp, stats] = pd.NA
    players.loc[dnp, ["is_dnp", "comment"]] = [True, "DNP - Coach's Decision"]
    summary = build_player_game_summary(players, _game(raw_team_box, "0022500165"))
    giannis = _player(summary, GIANNIS)
    assert bool(giannis["is_dnp"]) and giannis["dnp_reason"] == "DNP - Coach's Decision"
    for col in ["minutes", "points", "fga", "usage_rate_pct", "true_shooting_pct"]:
        assert pd.isna(giannis[col]), col
    # The team's mean points over players who played is unchanged by the DNP row (a 0 would pull it down).
    mil = summary[summary["team_abbr"] == "MIL"]
    assert mil["points"].mean() == pytest.approx((100 - 22) / 13)


def test_dnp_flag_wins_over_zeros_from_a_parser(raw_player_box, raw_team_box):
    players = _game(raw_player_box, "0022500165")
    players.loc[players["player_id"] == GIANNIS, ["is_dnp", "minutes", "pts", "fga"]] = [True, 0.0, 0, 0]
    giannis = _player(build_player_game_summary(players, _game(raw_team_box, "0022500165")), GIANNIS)
    assert pd.isna(giannis["points"]) and pd.isna(giannis["minutes"]) and pd.isna(giannis["usage_rate_pct"])


def test_zero_minutes_player_has_undefined_usage(raw_player_box, raw_team_box):
    # Chris Youngblood (OKC) is listed with 0 rounded minutes and no shots on 2025-10-21: usage is 0/0.
    summary = build_player_game_summary(_game(raw_player_box, "0022500001"), _game(raw_team_box, "0022500001"))
    youngblood = summary[summary["player_name"] == "Chris Youngblood"].iloc[0]
    assert youngblood["minutes"] == 0 and not bool(youngblood["is_dnp"])
    assert pd.isna(youngblood["usage_rate_pct"]) and pd.isna(youngblood["true_shooting_pct"])


def test_team_points_equal_the_sum_of_player_points_on_a_date(raw_player_box, raw_team_box):
    day = dt.date(2026, 1, 21)
    summary = build_player_game_summary(
        raw_player_box[raw_player_box["game_date"] == day], raw_team_box[raw_team_box["game_date"] == day])
    sums = summary.groupby(["game_id", "team_id"])["points"].sum().astype("int64")
    team = raw_team_box[raw_team_box["game_date"] == day].set_index(["game_id", "team_id"])["pts"].astype("int64")
    assert np.array_equal(sums.sort_index().to_numpy(), team.sort_index().to_numpy())


def test_player_without_team_row_is_an_error(raw_player_box, raw_team_box):
    teams = _game(raw_team_box, "0022500165")
    with pytest.raises(ValueError, match="0022500165"):
        build_player_game_summary(_game(raw_player_box, "0022500165"), teams[teams["team_abbr"] == "TOR"])


def test_empty_input_gives_empty_conformed_frame(raw_player_box, raw_team_box):
    out = build_player_game_summary(raw_player_box.iloc[0:0], raw_team_box.iloc[0:0])
    assert out.empty and list(out.columns) == PLAYER_GAME_SUMMARY.column_names
