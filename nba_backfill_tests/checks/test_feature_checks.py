"""The phase 4–5 checks (``logic/feature_checks.py``) on real rows: factors built from the real season, and the
predictions the demo stored. A hole in phase 3 must be an ERROR on every date whose window holds it.

Facts (bundle schedule): on 2025-12-27 nine games were played (0022500432 DAL at SAC … 0022500440 UTA at SAS);
the window of 2025-12-28 is 2025-12-07 … 2025-12-27, the window of 2025-12-27 ends on 2025-12-26.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from nba_backfill.logic.checks import features as fc
from nba_backfill.logic.predictions import SYSTEMS
from nba_backfill_tests.checks.conftest import JAN_21, on

DEC_27, DEC_28 = dt.date(2025, 12, 27), dt.date(2025, 12, 28)


def _teams_on(schedule: pd.DataFrame, day: dt.date) -> dict[int, str]:
    games = on(schedule, day)
    return {**dict(zip(games["home_team_id"], games["game_id"])), **dict(zip(games["away_team_id"], games["game_id"]))}


def test_factor_rows_match_the_eligible_players_recomputed_from_phase_3(factors_gap_span, player_games_season,
                                                                        raw_schedule, rosters_season):
    days = [DEC_27, DEC_28, JAN_21]
    result = fc.check_factor_rows(factors_gap_span, player_games_season, raw_schedule, rosters_season, days, 21)
    for day in days:
        assert result[day].passed and result[day].expected == result[day].found == len(on(factors_gap_span, day)) > 0
    dropped = factors_gap_span[~((factors_gap_span["player_name"] == "Jalen Brunson")
                                 & (pd.to_datetime(factors_gap_span["game_date"]).dt.date == JAN_21))]
    broken = fc.check_factor_rows(dropped, player_games_season, raw_schedule, rosters_season, [JAN_21], 21)[JAN_21]
    assert broken.found == broken.expected - 1
    assert broken.findings[0].message.startswith(
        "2026-01-21: game 0022500622 (BKN at NYK): 1 players have no factors row (e.g. Jalen Brunson)")


def test_a_phase3_hole_fails_the_window_of_every_later_date_that_holds_it(factors_gap_span, raw_schedule,
                                                                          team_offense_season):
    complete = fc.check_windows(factors_gap_span, raw_schedule, team_offense_season, [DEC_27, DEC_28], 21)
    assert complete[DEC_28].passed and complete[DEC_28].found == len(on(factors_gap_span, DEC_28))
    holed = team_offense_season[pd.to_datetime(team_offense_season["game_date"]).dt.date != DEC_27]
    result = fc.check_windows(factors_gap_span, raw_schedule, holed, [DEC_27, DEC_28], 21)
    assert result[DEC_27].passed  # its window ends on 2025-12-26
    # Expected by hand from the schedule: the Dec 27 games of the teams that play again on Dec 28.
    played, again = _teams_on(raw_schedule, DEC_27), _teams_on(raw_schedule, DEC_28)
    factors_28 = on(factors_gap_span, DEC_28)
    affected_teams = {t for t in again if t in played}
    assert {f.game_id for f in result[DEC_28].findings} == {played[t] for t in affected_teams}
    assert result[DEC_28].found == int((~factors_28["team_id"].isin(affected_teams)).sum())
    first = result[DEC_28].findings[0].message
    assert first.startswith("2025-12-28: the window 2025-12-07 … 2025-12-27 misses game ")
    assert "of 2025-12-27: no team_offense row for" in first and "backfill 2025-12-27" in first


def test_a_window_emptied_by_the_hole_fails_even_with_no_factors_rows(factors_gap_span, raw_schedule,
                                                                      team_offense_season):
    """The 2026 incident: with phase 3 missing for 2025-12-27 … 2026-01-21, 2026-01-21 had no eligible player and
    0 factors rows; a check that only looked at existing rows would pass. Every game of its window is named.
    """
    days = pd.to_datetime(team_offense_season["game_date"]).dt.date
    holed = team_offense_season[(days < DEC_27) | (days > JAN_21)]
    no_rows = factors_gap_span.iloc[0:0]
    result = fc.check_windows(no_rows, raw_schedule, holed, [JAN_21], 21)[JAN_21]
    assert (result.expected, result.found) == (0, 0) and not result.passed
    playing = _teams_on(raw_schedule, JAN_21)
    window = on(raw_schedule, *(JAN_21 - dt.timedelta(days=k) for k in range(1, 22)))
    owed = set(window.loc[window["home_team_id"].isin(playing) | window["away_team_id"].isin(playing), "game_id"])
    assert {f.game_id for f in result.findings} == owed
    assert "their players have no factors row on 2026-01-21 at all" in result.findings[0].message


def test_a_row_that_claims_an_incomplete_window_without_a_hole_is_stale(factors_gap_span, raw_schedule,
                                                                        team_offense_season):
    factors = on(factors_gap_span, JAN_21)
    factors.loc[0, "window_is_complete"] = False
    factors.loc[0, "window_missing_dates"] = "2026-01-20"
    result = fc.check_windows(factors, raw_schedule, team_offense_season, [JAN_21], 21)[JAN_21]
    assert result.found == len(factors) - 1
    assert result.findings[0].message.startswith(
        "2026-01-21: 1 factors rows say their window misses 2026-01-20 but phase 3 now holds those games")


@pytest.fixture(scope="module")
def stored_predictions(demo_run) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Predictions and factors of 2026-01-21 as the demo's pipeline stored them."""
    con = duckdb.connect(str(demo_run.settings.warehouse_path))
    try:
        where = "WHERE game_date = DATE '2026-01-21'"
        return (con.execute(f"SELECT * FROM nba_predictions.player_prop_predictions {where}").df(),
                con.execute(f"SELECT * FROM nba_precompute.player_composite_factors {where}").df())
    finally:
        con.close()


def test_stored_predictions_have_one_row_per_registered_system_per_player(stored_predictions):
    predictions, factors = stored_predictions
    result = fc.check_prediction_systems(predictions, factors, list(SYSTEMS), [JAN_21])[JAN_21]
    assert result.passed and result.expected == result.found == len(factors) * len(SYSTEMS)
    assert fc.check_active_rows(predictions, [JAN_21])[JAN_21].passed
    confidence = fc.check_confidence(predictions, [JAN_21])[JAN_21]
    assert confidence.passed and confidence.expected == confidence.found == len(predictions)


def test_missing_system_duplicate_active_row_and_bad_confidence_are_named(stored_predictions):
    predictions, factors = stored_predictions
    brunson = predictions["player_name"] == "Jalen Brunson"
    system = sorted(SYSTEMS)[0]
    missing = predictions[~(brunson & (predictions["system_id"] == system))]
    result = fc.check_prediction_systems(missing, factors, list(SYSTEMS), [JAN_21])[JAN_21]
    assert result.found == result.expected - 1
    assert result.findings[0].message.startswith("2026-01-21: game 0022500622: 1 players do not have exactly one")
    assert f"missing ['{system}']" in result.findings[0].message
    doubled = pd.concat([predictions, predictions[brunson].head(1)], ignore_index=True)
    active = fc.check_active_rows(doubled, [JAN_21])[JAN_21]
    assert "Jalen Brunson" in active.findings[0].message and "has 2 active" in active.findings[0].message
    wild = predictions.copy()
    wild.loc[wild.index[brunson][0], "confidence"] = 1.2
    confidence = fc.check_confidence(wild, [JAN_21])[JAN_21]
    assert confidence.found == len(wild) - 1
    assert "Jalen Brunson: 1.2" in confidence.findings[0].message


def test_a_row_for_the_old_team_or_a_team_missing_from_the_rosters_fails(factors_gap_span, player_games_season,
                                                                         raw_schedule, rosters_season):
    factors = on(factors_gap_span, JAN_21)
    # Jalen Brunson's (NYK) row moved to another game of the night: a row predicting a game his roster team does
    # not play (what the old "latest team" rule did after a trade).
    other = factors.loc[factors["game_id"] != "0022500622"].iloc[0]
    wrong = factors.copy()
    at = wrong["player_name"] == "Jalen Brunson"
    wrong.loc[at, ["game_id", "team_id", "team_abbr"]] = [other["game_id"], other["team_id"], other["team_abbr"]]
    result = fc.check_factor_rows(wrong, player_games_season, raw_schedule, rosters_season, [JAN_21], 21)[JAN_21]
    assert (result.expected, result.found) == (len(factors), len(factors))
    assert [f.message for f in result.findings] == [
        "2026-01-21: game 0022500622 (BKN at NYK): 1 players have a row for another game than their roster team's "
        "(e.g. Jalen Brunson); re-materialize nba_precompute/player_composite_factors for 2026-01-21"]
    # NYK's players missing from the rosters of D: expected (and found) without them would pass; it fails instead.
    no_nyk = rosters_season[~((pd.to_datetime(rosters_season["game_date"]).dt.date == JAN_21)
                              & (rosters_season["team_abbr"] == "NYK"))]
    result = fc.check_factor_rows(factors, player_games_season, raw_schedule, no_nyk, [JAN_21], 21)[JAN_21]
    assert any(f.message.startswith("2026-01-21: game 0022500622 (BKN at NYK): the rosters of 2026-01-21 "
                                    "(nba_raw/nbac_player_list) list no player of NYK") for f in result.findings)
    coverage = fc.check_roster_coverage(raw_schedule, no_nyk, [JAN_21])[JAN_21]
    assert (coverage.expected, coverage.found) == (14, 13)  # 7 games on 2026-01-21: 14 teams, NYK unlisted
