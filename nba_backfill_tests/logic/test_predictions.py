"""Predictions on real 2025-26 data: moving_average hand-checked, line sources, leakage, incomplete windows."""

from __future__ import annotations

import datetime as dt
import statistics

import pandas as pd
import pytest

from nba_backfill.logic import predictions
from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.predictions import (
    PredictionSystem,
    build_player_prop_predictions,
    estimate_line,
    recommend,
)
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS

D = dt.date(2026, 1, 21)
MA = ("moving_average",)
BARNES, TOR, GIANNIS = 1630567, 1610612761, 203507


def possessions(fga, fta, oreb, tov):
    return fga + 0.44 * fta - oreb + tov


@pytest.fixture(scope="module")
def phase3(raw_schedule, team_offense_season, team_defense_season, player_games_season, rosters_season):
    return dict(schedule=raw_schedule, player_games=player_games_season,
                team_offense=team_offense_season, team_defense=team_defense_season, roster=rosters_season)


@pytest.fixture(scope="module")
def factors_d(phase3) -> pd.DataFrame:
    return build_player_composite_factors([D], **phase3)


def _one(frame: pd.DataFrame, player_id: int) -> pd.Series:
    rows = frame[frame["player_id"] == player_id]
    assert len(rows) == 1
    return rows.iloc[0]


def test_moving_average_barnes_2026_01_21_hand_checked(factors_d, raw_props, barnes_window, raw_team_box, models):
    w = barnes_window
    # 7 systems per player
    assert len(build_player_prop_predictions(factors_d, raw_props, models=models)) == 7 * len(factors_d)
    out = build_player_prop_predictions(factors_d, raw_props, systems=MA)
    assert list(out.columns) == PLAYER_PROP_PREDICTIONS.column_names
    assert len(out) == len(factors_d)  # one system -> one row per expected player
    row = _one(out, BARNES)

    points = [g[5] for g in w["barnes"]]
    base = 0.5 * (15 + 26 + 24 + 22 + 26) / 5 + 0.3 * 219 / 10 + 0.2 * 219 / 10  # 11.3 + 6.57 + 4.38 = 22.25
    tor_pace = statistics.mean(possessions(*g[1:5]) * 48 / (g[5] / 5) for g in w["tor"])
    sac_pace = statistics.mean(possessions(*g[1:5]) * 48 / (g[5] / 5) for g in w["sac"])
    pace_adj = 1 - (tor_pace - sac_pace) / (2 * tor_pace)  # ≈ 0.994, inside [0.95, 1.05]
    sac_def = statistics.mean(100 * g[2] / possessions(*g[3:7]) for g in w["sac_opponents"])
    window = raw_team_box[(raw_team_box["game_date"] >= dt.date(2025, 12, 31))
                          & (raw_team_box["game_date"] <= dt.date(2026, 1, 20))].astype({"pts": float})
    league = (100 * window["pts"] / possessions(window["fga"], window["fta"], window["oreb"], window["tov"])).mean()
    defense_adj = 1 + (sac_def - league) / league  # ≈ 1.020, inside [0.93, 1.07]
    fatigue_adj = 0.97  # played 2026-01-20: back-to-back
    usage = [100 * ((fga + 0.44 * fta + tov) * (tmin / 5)) / (mins * (tfga + 0.44 * tfta + ttov))
             for _, mins, fga, fta, tov, _, tfga, tfta, ttov, tmin in w["barnes"]]
    raw_usage_adj = 1 + 0.5 * (statistics.mean(usage[-3:]) - statistics.mean(usage)) / statistics.mean(usage)
    assert raw_usage_adj > 1.05  # usage up ~12% over the last 3 games: the adjustment hits its bound
    usage_adj = 1.05
    expected = base * pace_adj * defense_adj * fatigue_adj * usage_adj
    assert row["predicted_points"] == pytest.approx(expected)
    assert row["predicted_points"] == pytest.approx(22.25 * 0.99395 * 1.01996 * 0.97 * 1.05, abs=0.01)  # 22.97
    # confidence = min(10/10, 1) · 1/(1 + stdev/mean) · 11/11
    assert row["confidence"] == pytest.approx(1 / (1 + statistics.stdev(points) / statistics.mean(points)))

    # No sportsbook lines are bundled after 2025-12-06: last-10 average 21.9 -> 22.0, labelled, never bet.
    assert (row["prop_line"], row["prop_line_source"], row["n_books"]) == (22.0, "estimate_last10_avg", 0)
    assert row["recommendation"] == "NO_LINE"
    assert row["edge_points"] == pytest.approx(expected - 22.0)
    assert bool(row["window_is_complete"]) and bool(row["is_active"])
    assert (row["system_id"], row["team_abbr"], row["opponent_team_abbr"]) == ("moving_average", "TOR", "SAC")


def test_sportsbook_line_giannis_2025_11_04(phase3, raw_props):
    day = dt.date(2025, 11, 4)
    out = build_player_prop_predictions(build_player_composite_factors([day], **phase3), raw_props, systems=MA)
    row = _one(out, GIANNIS)
    # Median of the 8 books' main lines, worked by hand in test_prop_lines: (30.5 + 31.0) / 2.
    assert (row["prop_line"], row["prop_line_source"], row["n_books"]) == (30.75, "sportsbook_consensus", 8)
    assert row["edge_points"] == pytest.approx(row["predicted_points"] - 30.75)
    edge, trusted = row["edge_points"], row["confidence"] >= 0.3
    want = "OVER" if trusted and edge >= 1.5 else "UNDER" if trusted and edge <= -1.5 else "PASS"
    assert row["recommendation"] == want
    # Every player with a book line that day is judged against it; the others get a labelled estimate.
    booked = out["prop_line_source"] == "sportsbook_consensus"
    day_props = raw_props[raw_props["game_date"] == day]
    with_lines = set(zip(day_props["game_id"], day_props["player_id"]))
    assert set(zip(out.loc[booked, "game_id"], out.loc[booked, "player_id"])) == (
        set(zip(out["game_id"], out["player_id"])) & with_lines)
    assert out.loc[booked, "n_books"].between(1, 8).all()
    assert (out.loc[~booked, "recommendation"] == "NO_LINE").all()
    assert (out.loc[~booked, "n_books"] == 0).all()


def test_early_season_neutral_factors_and_low_confidence_curry_2025_10_23(phase3, raw_props):
    day = dt.date(2025, 10, 23)
    factors = build_player_composite_factors([day], **phase3)
    row = _one(build_player_prop_predictions(factors, raw_props, systems=MA), 201939)
    # One game in the window (23 points on 10-21); DEN had no game, so pace and defense are neutral (1.0);
    # usage trend 0; two days since the last game, no back-to-back.
    assert row["predicted_points"] == pytest.approx((0.5 + 0.3 + 0.2) * 23 * 1.0 * 1.0 * 1.0 * 1.0)
    assert row["confidence"] == pytest.approx(min(1 / 10, 1) * 1 / (1 + 1) * 1)  # std unknown -> stability 0.5
    # Books: 25.5 everywhere except bovada, whose main line is 26.5 (−110/−120 beats 25.5 at −130/+100).
    assert (row["prop_line"], row["n_books"], row["prop_line_source"]) == (25.5, 8, "sportsbook_consensus")
    assert row["edge_points"] == pytest.approx(23 - 25.5)
    assert row["recommendation"] == "PASS"  # |edge| 2.5 ≥ 1.5 but confidence 0.05 < 0.3


def test_changing_d_box_rows_changes_no_prediction(phase3, factors_d, raw_props, raw_team_box, raw_player_box,
                                                   models):
    team = raw_team_box.copy()
    on_d = team["game_date"] == D
    team.loc[on_d, ["pts", "fga"]] = team.loc[on_d, ["pts", "fga"]] * 2
    player = raw_player_box.copy()
    on_d_p = player["game_date"] == D
    player.loc[on_d_p, ["pts", "minutes"]] = player.loc[on_d_p, ["pts", "minutes"]] * 2
    offense = build_team_offense_game_summary(team)
    factors = build_player_composite_factors(
        [D], phase3["schedule"], build_player_game_summary(player, team), offense,
        build_team_defense_game_summary(offense), phase3["roster"])
    pd.testing.assert_frame_equal(
        build_player_prop_predictions(factors, raw_props, models=models),
        build_player_prop_predictions(factors_d, raw_props, models=models))


def test_prediction_on_an_incomplete_window_says_so(phase3, factors_d, raw_props):
    offense = phase3["team_offense"]
    dropped = offense[~((offense["team_id"] == TOR) & (offense["game_date"] == dt.date(2026, 1, 7)))]
    factors = build_player_composite_factors([D], **{**phase3, "team_offense": dropped})
    row = _one(build_player_prop_predictions(factors, raw_props, systems=MA), BARNES)
    full = _one(build_player_prop_predictions(factors_d, raw_props, systems=MA), BARNES)
    assert not bool(row["window_is_complete"]) and bool(full["window_is_complete"])
    assert row["confidence"] == pytest.approx(full["confidence"] * 10 / 11)  # 10 of 11 team games found


def test_registry_takes_more_systems(monkeypatch, factors_d, raw_props):
    def season_average(factors: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"predicted_points": factors["points_per_game_window"].astype(float),
                             "confidence": 0.5}, index=factors.index)

    monkeypatch.setitem(predictions.SYSTEMS, "linear", PredictionSystem("linear", season_average, "test stand-in"))
    out = build_player_prop_predictions(factors_d, raw_props, systems=("moving_average", "linear"))
    assert len(out) == 2 * len(factors_d)
    assert not out.duplicated(["game_date", "player_id", "system_id"]).any()
    assert _one(out[out["system_id"] == "linear"], BARNES)["predicted_points"] == pytest.approx(21.9)


def test_unknown_system_and_empty_factors(factors_d, raw_props):
    with pytest.raises(ValueError, match="xgboost_v9"):
        build_player_prop_predictions(factors_d, raw_props, systems=("xgboost_v9",))
    empty = build_player_prop_predictions(factors_d.iloc[0:0], raw_props)
    assert empty.empty and list(empty.columns) == PLAYER_PROP_PREDICTIONS.column_names


def test_estimate_line_rounds_to_the_nearest_half():
    got = estimate_line(pd.Series([21.9, 21.25, 21.2, 21.75, 0.0]))
    assert got.tolist() == [22.0, 21.5, 21.0, 22.0, 0.0]


def test_recommendation_thresholds():
    edge = pd.Series([1.5, 1.49, -1.5, -1.49, 3.0, 3.0, float("nan")])
    conf = pd.Series([0.3, 0.9, 0.3, 0.9, 0.29, 0.9, 0.9])
    book = "sportsbook_consensus"
    source = pd.Series([book, book, book, book, book, "estimate_last10_avg", book])
    assert recommend(edge, conf, source).tolist() == ["OVER", "PASS", "UNDER", "PASS", "PASS", "NO_LINE", "PASS"]
