"""Composite factors on real 2025-26 data: one player hand-checked, who is expected, leakage, window honesty."""

from __future__ import annotations

import datetime as dt
import statistics

import pandas as pd
import pytest

from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS

D = dt.date(2026, 1, 21)
BARNES, TOR, SAC = 1630567, 1610612761, 1610612758


def possessions(fga, fta, oreb, tov):
    return fga + 0.44 * fta - oreb + tov


@pytest.fixture(scope="module")
def phase3(raw_schedule, team_offense_season, team_defense_season, player_games_season, rosters_season):
    return dict(schedule=raw_schedule, player_games=player_games_season,
                team_offense=team_offense_season, team_defense=team_defense_season, roster=rosters_season)


@pytest.fixture(scope="module")
def factors_d(phase3) -> pd.DataFrame:
    return build_player_composite_factors([D], **phase3)


def _barnes(factors: pd.DataFrame) -> pd.Series:
    rows = factors[factors["player_id"] == BARNES]
    assert len(rows) == 1
    return rows.iloc[0]


def test_barnes_tor_at_sac_2026_01_21_hand_checked(factors_d, barnes_window, raw_team_box):
    w = barnes_window
    row = _barnes(factors_d)
    assert list(factors_d.columns) == PLAYER_COMPOSITE_FACTORS.column_names
    assert (row["game_id"], row["team_abbr"], row["opponent_team_abbr"], bool(row["is_home"])) == (
        "0022500626", "TOR", "SAC", False)
    assert (row["window_start_date"], row["window_end_date"]) == (dt.date(2025, 12, 31), dt.date(2026, 1, 20))

    # Recent scoring: 10 games played (none on 2026-01-09).
    points = [g[5] for g in w["barnes"]]  # 20 20 18 17 31 15 26 24 22 26
    assert row["games_played_window"] == 10
    assert row["points_per_game_last_5"] == pytest.approx((15 + 26 + 24 + 22 + 26) / 5)  # 22.6
    assert row["points_per_game_last_10"] == pytest.approx(219 / 10)  # 21.9
    assert row["points_per_game_window"] == pytest.approx(sum(points) / 10)
    assert row["points_std_window"] == pytest.approx(statistics.stdev(points))
    assert row["minutes_per_game_window"] == pytest.approx(362 / 10)

    # Fatigue: last game 2026-01-20, the day before D -> back-to-back; D−7 … D−1 = 01-14 … 01-20: 4 games.
    assert row["last_game_date"] == dt.date(2026, 1, 20)
    assert (row["days_since_last_game"], row["days_rest"], bool(row["is_back_to_back"])) == (1, 0, True)
    assert row["games_last_7_days"] == 4
    assert row["minutes_last_7_days"] == 38 + 41 + 35 + 39

    # Pace: TOR's 11 games (two in overtime, 265 team minutes) vs SAC's 11 games.
    tor_paces = [possessions(fga, fta, oreb, tov) * 48 / (mins / 5) for _, fga, fta, oreb, tov, mins in w["tor"]]
    sac_paces = [possessions(fga, fta, oreb, tov) * 48 / (mins / 5) for _, fga, fta, oreb, tov, mins in w["sac"]]
    assert (row["team_games_window"], row["opponent_games_window"]) == (11, 11)
    assert row["team_pace_window_mean"] == pytest.approx(statistics.mean(tor_paces))
    assert row["opponent_pace_window_mean"] == pytest.approx(statistics.mean(sac_paces))
    assert row["pace_differential"] == pytest.approx(statistics.mean(tor_paces) - statistics.mean(sac_paces))

    # Opponent defense: SAC allowed 100·points/possessions of each opponent; league = every team-game in the window.
    sac_ratings = [100 * pts / possessions(fga, fta, oreb, tov)
                   for _, _, pts, fga, fta, oreb, tov in w["sac_opponents"]]
    window = raw_team_box[(raw_team_box["game_date"] >= dt.date(2025, 12, 31))
                          & (raw_team_box["game_date"] <= dt.date(2026, 1, 20))].astype({"pts": float})
    # Each team-game's defensive rating is the other team's offensive rating: same set of values.
    league = (100 * window["pts"] / possessions(window["fga"], window["fta"], window["oreb"], window["tov"])).mean()
    assert row["opponent_defensive_rating_window_mean"] == pytest.approx(statistics.mean(sac_ratings))
    assert row["league_defensive_rating_window_mean"] == pytest.approx(league)
    assert row["opponent_defense_differential"] == pytest.approx(statistics.mean(sac_ratings) - league)

    # Usage trend: Basketball-Reference usage per game; last 3 = 01-16, 01-18, 01-20.
    usage = [100 * ((fga + 0.44 * fta + tov) * (tmin / 5)) / (mins * (tfga + 0.44 * tfta + ttov))
             for _, mins, fga, fta, tov, _, tfga, tfta, ttov, tmin in w["barnes"]]
    assert row["usage_rate_window_pct"] == pytest.approx(statistics.mean(usage))
    assert row["usage_rate_last_3_pct"] == pytest.approx(statistics.mean(usage[-3:]))
    assert row["usage_trend_pct"] == pytest.approx(statistics.mean(usage[-3:]) - statistics.mean(usage))

    # Window honesty: TOR had a final game on 11 window dates; all 11 landed in team_offense.
    expected = ",".join(d for d, *_ in w["tor"])
    assert row["window_expected_dates"] == row["window_found_dates"] == expected
    assert (row["window_missing_dates"], row["window_expected_games"], row["window_found_games"]) == ("", 11, 11)
    assert bool(row["window_is_complete"])


def test_expected_players_are_on_the_rosters_of_d_with_a_team_playing_and_played_in_the_window(
        factors_d, raw_player_box, raw_schedule, rosters_season):
    playing = raw_schedule[(raw_schedule["game_date"] == D) & raw_schedule["in_scope"]]
    teams_on_d = set(playing["home_team_id"]) | set(playing["away_team_id"])
    window = raw_player_box[(raw_player_box["game_date"] >= dt.date(2025, 12, 31))
                            & (raw_player_box["game_date"] <= dt.date(2026, 1, 20))]
    roster_d = rosters_season[rosters_season["game_date"] == D]
    on_teams = roster_d[roster_d["team_id"].isin(teams_on_d)]
    expected = set(on_teams["player_id"]) & set(window["player_id"])
    assert set(factors_d["player_id"]) == expected
    assert not factors_d["player_id"].duplicated().any()
    team_of = dict(zip(roster_d["player_id"], roster_d["team_id"]))
    assert all(team_of[p] == t for p, t in zip(factors_d["player_id"], factors_d["team_id"]))


def test_dnp_only_player_is_not_expected_and_the_roster_decides_the_team(phase3):
    games = phase3["player_games"].copy()
    in_window = (games["game_date"] >= dt.date(2025, 12, 31)) & (games["game_date"] <= dt.date(2026, 1, 20))
    barnes = games["player_id"] == BARNES
    only_dnp = games.assign(is_dnp=games["is_dnp"] | (barnes & in_window))
    factors = build_player_composite_factors([D], **{**phase3, "player_games": only_dnp})
    assert BARNES not in set(factors["player_id"])

    # The rosters of D move Barnes to SAC (his window games are all with TOR): he is expected with SAC, at home
    # against TOR, and no row predicts TOR's game for him.
    roster = phase3["roster"].copy()
    roster.loc[(roster["player_id"] == BARNES) & (roster["game_date"] == D), ["team_id", "team_abbr"]] = [SAC, "SAC"]
    row = _barnes(build_player_composite_factors([D], **{**phase3, "roster": roster}))
    assert (row["team_abbr"], row["opponent_team_abbr"], bool(row["is_home"])) == ("SAC", "TOR", True)
    # A window game with another team does not move him: the roster of D does.
    last = barnes & (games["game_date"] == dt.date(2026, 1, 20))
    traded = games.copy()
    traded.loc[last, ["team_id", "team_abbr"]] = [SAC, "SAC"]
    row = _barnes(build_player_composite_factors([D], **{**phase3, "player_games": traded}))
    assert (row["team_abbr"], row["opponent_team_abbr"]) == ("TOR", "SAC")
    # Off the rosters of D: not expected, whatever he played.
    off = phase3["roster"][~((phase3["roster"]["player_id"] == BARNES) & (phase3["roster"]["game_date"] == D))]
    assert BARNES not in set(build_player_composite_factors([D], **{**phase3, "roster": off})["player_id"])


def test_changing_d_and_later_box_rows_changes_no_factor(phase3, factors_d, raw_team_box, raw_player_box):
    # Tamper with every raw box row dated D or later, rebuild phase 3 over the whole season and compare.
    later_t = raw_team_box["game_date"] >= D
    later_p = raw_player_box["game_date"] >= D
    team = raw_team_box.copy()
    team.loc[later_t, ["pts", "fga", "tov"]] = team.loc[later_t, ["pts", "fga", "tov"]] + 30
    player = raw_player_box.copy()
    player.loc[later_p, ["pts", "fga", "minutes"]] = player.loc[later_p, ["pts", "fga", "minutes"]] + 30
    offense = build_team_offense_game_summary(team)
    tampered = dict(schedule=phase3["schedule"], player_games=build_player_game_summary(player, team),
                    team_offense=offense, team_defense=build_team_defense_game_summary(offense),
                    roster=phase3["roster"])
    assert (tampered["team_offense"]["game_date"] == D).sum() == 14  # D's rows are really passed in
    pd.testing.assert_frame_equal(build_player_composite_factors([D], **tampered), factors_d)


def test_missing_team_date_makes_the_window_incomplete(phase3, factors_d):
    offense = phase3["team_offense"]
    dropped = offense[~((offense["team_id"] == TOR) & (offense["game_date"] == dt.date(2026, 1, 7)))]
    factors = build_player_composite_factors([D], **{**phase3, "team_offense": dropped})
    row = _barnes(factors)
    assert not bool(row["window_is_complete"])
    assert row["window_missing_dates"] == "2026-01-07"
    assert (row["window_expected_games"], row["window_found_games"], row["team_games_window"]) == (11, 10, 10)
    assert "2026-01-07" in row["window_expected_dates"] and "2026-01-07" not in row["window_found_dates"]
    # Only TOR lost a game: every other team's rows stay complete.
    assert factors.loc[factors["team_id"] != TOR, "window_is_complete"].all()
    assert factors_d["window_is_complete"].all()


def test_postponed_game_and_no_game_day(phase3):
    schedule = phase3["schedule"].copy()
    ppd = schedule["game_id"] == "0022500626"
    schedule.loc[ppd, ["game_status", "game_status_text"]] = [1, "PPD"]
    factors = build_player_composite_factors([D], **{**phase3, "schedule": schedule})
    assert not set(factors["team_abbr"]) & {"TOR", "SAC"} and len(factors) > 0

    # 2025-12-24: no NBA games -> an empty, conformed frame (a complete, empty partition).
    empty = build_player_composite_factors([dt.date(2025, 12, 24)], **phase3)
    assert empty.empty and list(empty.columns) == PLAYER_COMPOSITE_FACTORS.column_names


def test_several_dates_at_once_equal_one_by_one(phase3, factors_d):
    both = build_player_composite_factors([dt.date(2026, 1, 20), D], **phase3)
    pd.testing.assert_frame_equal(both[both["game_date"] == D].reset_index(drop=True), factors_d)
    assert set(both["game_date"]) == {dt.date(2026, 1, 20), D}


def test_factor_without_inputs_is_null_not_zero(phase3):
    # 2025-10-23, GSW @ DEN: GSW played on opening night (2025-10-21), DEN had not played yet.
    factors = build_player_composite_factors([dt.date(2025, 10, 23)], **phase3)
    curry = factors[factors["player_id"] == 201939].iloc[0]  # Stephen Curry: 23 points in 32 minutes at LAL
    assert (curry["games_played_window"], curry["points_per_game_last_5"], curry["minutes_per_game_window"]) == (
        1, 23, 32)
    assert (curry["days_since_last_game"], bool(curry["is_back_to_back"])) == (2, False)
    assert (curry["team_games_window"], curry["opponent_games_window"]) == (1, 0)
    for col in ["opponent_pace_window_mean", "pace_differential", "opponent_defensive_rating_window_mean",
                "opponent_defense_differential", "points_std_window"]:
        assert pd.isna(curry[col]), col
    assert curry["usage_trend_pct"] == 0  # one game: last-3 mean == window mean


# Real 2025-26 deadline moves, read off the bundled player log and schedule (player, old team, first day he is not
# on it = the day after his last game for it, first game for the new team: date, game, team, opponent).
DEADLINE_MOVES = [
    (203471, "Dennis Schröder", "SAC", dt.date(2026, 1, 31), dt.date(2026, 2, 4), "0022500732", "CLE", "LAC"),
    (1629631, "De'Andre Hunter", "CLE", dt.date(2026, 1, 31), dt.date(2026, 2, 4), "0022500731", "SAC", "MEM"),
    (1627824, "Guerschon Yabusele", "NYK", dt.date(2026, 1, 31), dt.date(2026, 2, 5), "0022500736", "CHI", "TOR"),
    (1629014, "Anfernee Simons", "BOS", dt.date(2026, 2, 2), dt.date(2026, 2, 5), "0022500736", "CHI", "TOR"),
    (202696, "Nikola Vučević", "CHI", dt.date(2026, 2, 2), dt.date(2026, 2, 6), "0022500741", "BOS", "MIA"),
    (1628991, "Jaren Jackson Jr.", "MEM", dt.date(2026, 2, 3), dt.date(2026, 2, 7), "0022500750", "UTA", "ORL"),
    (201935, "James Harden", "LAC", dt.date(2026, 1, 31), dt.date(2026, 2, 7), "0022500756", "CLE", "SAC"),
]


def test_deadline_moves_are_predicted_for_the_new_team_and_never_for_the_old(phase3):
    days = [dt.date(2026, 1, 31) + dt.timedelta(days=k) for k in range(10)]  # 01-31 … 02-09
    factors = build_player_composite_factors(days, **phase3)
    for player_id, name, old, gone_from, first_day, game_id, team, opponent in DEADLINE_MOVES:
        mine = factors[factors["player_id"] == player_id]
        first = mine[mine["game_date"] == first_day]
        assert len(first) == 1, name
        assert tuple(first.iloc[0][["game_id", "team_abbr", "opponent_team_abbr"]]) == (game_id, team, opponent), name
        assert not (mine.loc[mine["game_date"] >= gone_from, "team_abbr"] == old).any(), name
    # The old rule (team of the latest window game) would have put Schröder on SAC's 2026-02-04 game against MEM.
    assert not ((factors["game_id"] == "0022500731") & (factors["player_id"] == 203471)).any()
