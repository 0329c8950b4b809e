"""The raw and phase-3 checks (``logic/table_checks.py``, ``logic/analytics_checks.py``) on real 2025-26 rows,
intact and corrupted.

Facts used (bundle, PROVENANCE): 2026-01-21 has 7 regular-season games, 14 team rows, 156 player rows; game
0022500622 is BKN 66 at NYK 120 — NYK 46 FGM, 16 FG3M, 12 FTM (2·46 + 16 + 12 = 120), 8 OREB + 48 DREB = 56 REB;
BKN 23 FGM, 11 FG3M, 9 FTM (2·23 + 11 + 9 = 66). No NBA game was played on 2025-12-24.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.logic.checks import analytics as ac
from nba_backfill.logic.checks import tables as tc
from nba_backfill_tests.checks.conftest import JAN_21, on

GAME = "0022500622"
XMAS_EVE = dt.date(2025, 12, 24)


def test_every_raw_and_phase3_check_passes_on_2026_01_21_with_counts_from_the_schedule(
        raw_schedule, raw_team_box, raw_player_box, team_offense_season, team_defense_season, player_games_season):
    days = [JAN_21]
    assert tc.check_schedule(raw_schedule, days)[JAN_21] == tc.DayCheck(7, 7)
    assert tc.check_team_rows(raw_team_box, raw_schedule, days)[JAN_21] == tc.DayCheck(14, 14)
    assert tc.check_team_arithmetic(raw_team_box, days)[JAN_21] == tc.DayCheck(14, 14)
    assert tc.check_player_sums(raw_player_box, raw_team_box, days)[JAN_21] == tc.DayCheck(14, 14)
    assert tc.check_unique_keys(raw_player_box, ["game_id", "player_id"], "p", days, "a")[JAN_21] == tc.DayCheck(
        156, 156)
    assert ac.check_rows_match(team_offense_season, raw_team_box, ["game_id", "team_id"], "o", "t", days,
                               "a")[JAN_21] == tc.DayCheck(14, 14)
    assert ac.check_defense_mirrors(team_defense_season, team_offense_season, days)[JAN_21] == tc.DayCheck(14, 14)
    assert ac.check_rows_match(player_games_season, raw_player_box, ["game_id", "player_id"], "s", "p", days,
                               "a")[JAN_21] == tc.DayCheck(156, 156)


def test_the_whole_season_passes_and_a_day_without_games_passes_with_nothing_expected(raw_schedule, raw_team_box,
                                                                                       raw_player_box):
    days = sorted(pd.to_datetime(raw_team_box["game_date"]).dt.date.unique()) + [XMAS_EVE]
    for result in (tc.check_team_rows(raw_team_box, raw_schedule, days), tc.check_team_arithmetic(raw_team_box, days),
                   tc.check_player_sums(raw_player_box, raw_team_box, days)):
        assert all(r.passed for r in result.values())
        assert result[XMAS_EVE] == tc.DayCheck(0, 0)
    assert len(days) == 113  # 112 game dates (PROVENANCE) + Christmas Eve


def test_a_dropped_team_row_names_the_date_the_game_and_what_to_do(raw_schedule, raw_team_box):
    team = on(raw_team_box, JAN_21)
    dropped = team[~((team["game_id"] == GAME) & (team["team_abbr"] == "BKN"))]
    result = tc.check_team_rows(dropped, raw_schedule, [JAN_21])[JAN_21]
    assert (result.expected, result.found, len(result.findings)) == (14, 13, 1)
    message = result.findings[0].message
    assert result.findings[0].game_id == GAME
    assert message.startswith("2026-01-21: game 0022500622 (BKN at NYK) has 1 team row (1 home, 0 away")
    assert "nba-backfill backfill 2026-01-21" in message


def test_zeroed_points_break_the_arithmetic_and_the_player_sums(raw_team_box, raw_player_box):
    team = on(raw_team_box, JAN_21)
    team.loc[(team["game_id"] == GAME) & (team["team_abbr"] == "NYK"), "pts"] = 0
    arithmetic = tc.check_team_arithmetic(team, [JAN_21])[JAN_21]
    assert (arithmetic.expected, arithmetic.found) == (14, 13)
    assert "2026-01-21: game 0022500622, NYK row: points = 2·FGM + FG3M + FTM fails (0 vs 120)" in \
        arithmetic.findings[0].message
    sums = tc.check_player_sums(on(raw_player_box, JAN_21), team, [JAN_21])[JAN_21]
    assert [f.game_id for f in sums.findings] == [GAME]
    assert "NYK: player sums differ from the team row — points 120 vs team 0" in sums.findings[0].message


def test_rebounds_and_made_over_attempted_are_checked(raw_team_box):
    team = on(raw_team_box, JAN_21)
    nyk = (team["game_id"] == GAME) & (team["team_abbr"] == "NYK")
    team.loc[nyk, "reb"] = 55  # 8 + 48 = 56
    team.loc[nyk, "ftm"] = 18  # 18 > 17 attempts, and 2·46 + 16 + 18 = 126 ≠ 120
    message = tc.check_team_arithmetic(team, [JAN_21])[JAN_21].findings[0].message
    assert "OREB + DREB = REB fails (56 vs 55)" in message and "FTM ≤ FTA fails (18 vs 17)" in message
    assert "points = 2·FGM + FG3M + FTM fails (120 vs 126)" in message


def test_a_duplicated_player_row_breaks_the_key_and_the_sums(raw_team_box, raw_player_box):
    players = on(raw_player_box, JAN_21)
    doubled = pd.concat([players, players[players["game_id"] == GAME].head(1)], ignore_index=True)
    keys = tc.check_unique_keys(doubled, ["game_id", "player_id"], "nba_raw.nbac_player_boxscore", [JAN_21],
                                "nba_raw/nbac_player_boxscore")[JAN_21]
    assert (keys.expected, keys.found) == (156, 157)
    row = doubled.iloc[-1]
    assert keys.findings[0].message.startswith(f"2026-01-21: nba_raw.nbac_player_boxscore key (game_id=0022500622, "
                                               f"player_id={row['player_id']}) appears 2 times")
    sums = tc.check_player_sums(doubled, on(raw_team_box, JAN_21), [JAN_21])[JAN_21]
    assert [f.game_id for f in sums.findings] == [GAME]


def test_defense_must_mirror_the_opponent_offense_exactly(team_offense_season, team_defense_season):
    defense = on(team_defense_season, JAN_21)
    bkn = (defense["game_id"] == GAME) & (defense["team_abbr"] == "BKN")
    assert defense.loc[bkn, "points_allowed"].item() == 120
    defense.loc[bkn, "points_allowed"] = 119
    result = ac.check_defense_mirrors(defense, on(team_offense_season, JAN_21), [JAN_21])[JAN_21]
    assert (result.expected, result.found) == (14, 13)
    assert "2026-01-21: game 0022500622, BKN defense does not mirror NYK offense: points_allowed 119 vs points 120" \
        in result.findings[0].message


def test_schedule_duplicates_and_unknown_statuses(raw_schedule):
    schedule = on(raw_schedule, JAN_21)
    schedule = pd.concat([schedule, schedule[schedule["game_id"] == GAME]], ignore_index=True)
    schedule.loc[0, "game_status"] = 7
    result = tc.check_schedule(schedule, [JAN_21])[JAN_21]
    assert (result.expected, result.found) == (7, 8)
    messages = [f.message for f in result.findings]
    assert any(m.startswith("2026-01-21: game 0022500622 appears 2 times") for m in messages)
    assert any("has unknown status 7" in m for m in messages)


def test_the_rosters_of_a_date_pass_and_a_doubled_player_or_unknown_team_fails(rosters_season, bundle_player_box):
    roster = on(rosters_season, JAN_21)
    # Listed from their first game of the season: every player of the log who played by 2026-01-21.
    listed = bundle_player_box.loc[bundle_player_box["game_date"] <= JAN_21, "player_id"].nunique()
    assert tc.check_player_list(roster, [JAN_21])[JAN_21] == tc.DayCheck(listed, listed)
    brunson = roster[roster["player_name"] == "Jalen Brunson"]
    doubled = pd.concat([roster, brunson.assign(team_id=1610612751, team_abbr="BKN")], ignore_index=True)
    result = tc.check_player_list(doubled, [JAN_21])[JAN_21]
    assert not result.passed and result.findings[0].message.startswith(
        "2026-01-21: player Jalen Brunson (1628973) is listed 2 times (teams NYK, BKN)")
    all_star = roster.copy()
    all_star.loc[all_star["player_name"] == "Jalen Brunson", ["team_id", "team_abbr"]] = [1610616859, "WLD"]
    result = tc.check_player_list(all_star, [JAN_21])[JAN_21]
    assert (result.expected, result.found) == (listed, listed - 1)
    assert "team id 1610616859 (WLD), not one of the 30 NBA teams" in result.findings[0].message
    assert tc.check_player_list(roster.iloc[0:0], [JAN_21])[JAN_21].findings[0].message == (
        "2026-01-21: no player on any roster; materialize nba_raw/nbac_player_list for 2026-01-21")
