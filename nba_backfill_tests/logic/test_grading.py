"""Grading: hand-worked MAE, bias, hit rate and pushes; baselines; span aggregation; a real sportsbook day."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.grading import grade_predictions, summarize
from nba_backfill.logic.predictions import build_player_prop_predictions
from nba_backfill.schemas.predictions import PREDICTION_ACCURACY

DAY = dt.date(2025, 11, 4)
BOOK, EST = "sportsbook_consensus", "estimate_last10_avg"


def _predictions(rows: list[tuple]) -> pd.DataFrame:
    """(player_id, system_id, predicted, line, source, recommendation) → prediction-shaped rows on DAY."""
    return pd.DataFrame([{"game_date": DAY, "game_id": "0022500165", "player_id": p, "system_id": s,
                          "predicted_points": pred, "prop_line": line, "prop_line_source": src,
                          "recommendation": rec} for p, s, pred, line, src, rec in rows])


@pytest.fixture()
def hand_built():
    predictions = _predictions([
        (1, "sys", 20.0, 18.5, BOOK, "OVER"),    # actual 25: error 20 − 25 = −5, OVER wins (25 > 18.5)
        (2, "sys", 10.0, 12.5, BOOK, "UNDER"),   # actual 15: error −5, UNDER loses
        (3, "sys", 30.0, 27.0, BOOK, "OVER"),    # actual 27: error +3, push (27 = 27.0)
        (4, "sys", 8.0, 8.0, EST, "NO_LINE"),    # actual 6: error +2, no real line
        (5, "sys", 12.0, 11.5, BOOK, "OVER"),    # did not play: not graded
    ])
    games = pd.DataFrame({"game_id": "0022500165", "player_id": [1, 2, 3, 4, 5],
                          "points": [25, 15, 27, 6, None], "is_dnp": [False, False, False, False, True]})
    factors = pd.DataFrame({"game_id": "0022500165", "player_id": [1, 2, 3, 4, 5],
                            "points_per_game_last_10": [21.0, 14.5, 26.0, 7.0, 12.0]})
    return predictions, games, factors


def test_hand_worked_day(hand_built):
    out = grade_predictions(*hand_built).set_index("system_id")
    assert list(grade_predictions(*hand_built).columns) == PREDICTION_ACCURACY.column_names
    sys = out.loc["sys"]
    assert (sys["predictions"], sys["graded"], sys["graded_with_line"]) == (5, 4, 3)
    assert sys["mae_points"] == pytest.approx((5 + 5 + 3 + 2) / 4)  # 3.75
    assert sys["bias_points"] == pytest.approx((-5 - 5 + 3 + 2) / 4)  # −1.25
    assert sys["mae_with_line_points"] == pytest.approx((5 + 5 + 3) / 3)
    assert sys["line_mae_points"] == pytest.approx((6.5 + 2.5 + 0) / 3)  # |18.5−25|, |12.5−15|, |27−27|
    assert (sys["calls"], sys["pushes"], sys["hits"]) == (3, 1, 1)
    assert sys["hit_rate"] == pytest.approx(1 / 2)  # one win, one loss, one push

    last10 = out.loc["baseline_last10"]
    # Predicts 21, 14.5, 26, 7: errors −4, −0.5, −1, +1. Calls vs lines: 21 − 18.5 = 2.5 → OVER (wins);
    # 14.5 − 12.5 = 2.0 → OVER (15 > 12.5, wins); 26 − 27 = −1 → no call; player 4 has no real line.
    assert last10["mae_points"] == pytest.approx((4 + 0.5 + 1 + 1) / 4)
    assert (last10["calls"], last10["hits"], last10["hit_rate"]) == (2, 2, 1.0)

    line = out.loc["baseline_sportsbook_line"]
    assert (line["predictions"], line["graded"], line["calls"]) == (4, 3, 0)  # only rows with a real line
    assert line["mae_points"] == pytest.approx((6.5 + 2.5 + 0) / 3) == line["line_mae_points"]
    assert pd.isna(line["hit_rate"])


def test_outcomes_not_landed_grade_nothing(hand_built):
    predictions, games, factors = hand_built
    out = grade_predictions(predictions, games.iloc[0:0], factors).set_index("system_id")
    assert (out["graded"] == 0).all() and out["mae_points"].isna().all()
    assert grade_predictions(predictions.iloc[0:0], games, factors).empty


def test_summary_weights_players_not_days(hand_built):
    predictions, games, factors = hand_built
    day2 = predictions[predictions["player_id"] == 1].assign(game_date=DAY + dt.timedelta(days=1))
    both = pd.concat([grade_predictions(predictions, games, factors), grade_predictions(day2, games, factors)])
    total = summarize(both).set_index("system_id").loc["sys"]
    # Day 1: 4 graded, |e| sum 15; day 2: player 1 again, |e| 5 → 20 / 5 = 4.0 (a mean of daily MAEs: 4.375).
    assert (total["days"], total["graded"]) == (2, 5)
    assert total["mae_points"] == pytest.approx(20 / 5)
    assert (total["calls"], total["hits"], total["hit_rate"]) == (4, 2, pytest.approx(2 / 3))


def test_giannis_against_the_real_line_2025_11_04(raw_schedule, team_offense_season, team_defense_season, models,
                                                  player_games_season, raw_props, rosters_season):
    factors = build_player_composite_factors([DAY], raw_schedule, player_games_season, team_offense_season,
                                             team_defense_season, rosters_season)
    giannis = factors[factors["player_id"] == 203507]
    predictions = build_player_prop_predictions(giannis, raw_props, models=models)
    out = grade_predictions(predictions, player_games_season[player_games_season["game_date"] == DAY],
                            giannis).set_index("system_id")
    assert len(out) == 7 + 2
    # Consensus 30.75 (test_prop_lines), Giannis scored 22 (test_player_summary): the line missed by 8.75.
    assert out.loc["baseline_sportsbook_line", "mae_points"] == pytest.approx(30.75 - 22)
    assert out["line_mae_points"].astype(float).tolist() == pytest.approx([8.75] * 9)
    for system_id, row in out.drop(index="baseline_sportsbook_line").iterrows():
        by_system = predictions.set_index("system_id")["predicted_points"]
        predicted = (giannis["points_per_game_last_10"].iloc[0] if system_id == "baseline_last10"
                     else by_system[system_id])
        assert row["mae_points"] == pytest.approx(abs(predicted - 22)), system_id
        assert row["bias_points"] == pytest.approx(predicted - 22), system_id
