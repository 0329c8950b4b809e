"""The six systems after moving_average on real data: hand-worked values, the one confidence scale, ensembles."""

from __future__ import annotations

import datetime as dt
import statistics

import numpy as np
import pandas as pd
import pytest

from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.predictions import SYSTEM_IDS, SYSTEMS, build_player_prop_predictions, ensemble

D = dt.date(2026, 1, 21)
BARNES = 1630567


def possessions(fga, fta, oreb, tov):
    return fga + 0.44 * fta - oreb + tov


@pytest.fixture(scope="module")
def factors_d(raw_schedule, team_offense_season, team_defense_season, player_games_season,
              rosters_season) -> pd.DataFrame:
    return build_player_composite_factors([D], raw_schedule, player_games_season, team_offense_season,
                                          team_defense_season, rosters_season)


@pytest.fixture(scope="module")
def predictions_d(factors_d, raw_props, models) -> pd.DataFrame:
    return build_player_prop_predictions(factors_d, raw_props, models=models)


def _system(predictions: pd.DataFrame, system_id: str, player_id: int = BARNES) -> pd.Series:
    rows = predictions[(predictions["system_id"] == system_id) & (predictions["player_id"] == player_id)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_seven_systems_one_row_each_per_player(factors_d, predictions_d):
    assert SYSTEM_IDS == ("moving_average", "opponent_matchup", "similarity", "gradient_boosting", "linear",
                          "ensemble_v1", "ensemble_v1_1")
    assert len(predictions_d) == 7 * len(factors_d)
    assert not predictions_d.duplicated(["game_date", "player_id", "system_id"]).any()
    assert predictions_d["is_active"].all() and predictions_d["predicted_points"].notna().all()
    assert predictions_d["confidence"].between(0, 1).all()
    # Every system's docstring names its method and a source.
    for system in SYSTEMS.values():
        doc = __import__(system.predict.__module__, fromlist=["_"]).__doc__
        assert "Method" in doc and any(ch.isdigit() for ch in doc), system.system_id


def test_opponent_matchup_barnes_hand_worked(predictions_d, barnes_window, raw_team_box):
    w = barnes_window
    row = _system(predictions_d, "opponent_matchup")
    tor_pace = statistics.mean(possessions(*g[1:5]) * 48 / (g[5] / 5) for g in w["tor"])
    sac_pace = statistics.mean(possessions(*g[1:5]) * 48 / (g[5] / 5) for g in w["sac"])
    pace_ratio = ((tor_pace + sac_pace) / 2) / tor_pace  # ≈ 0.994
    sac_def = statistics.mean(100 * g[2] / possessions(*g[3:7]) for g in w["sac_opponents"])
    window = raw_team_box[(raw_team_box["game_date"] >= dt.date(2025, 12, 31))
                          & (raw_team_box["game_date"] <= dt.date(2026, 1, 20))].astype({"pts": float})
    league = (100 * window["pts"] / possessions(window["fga"], window["fta"], window["oreb"], window["tov"])).mean()
    shrunk = (11 * sac_def + 4 * league) / (11 + 4)  # SAC's 11 window games, 4-game league prior
    expected = 219 / 10 * pace_ratio * (shrunk / league)  # window average 21.9 points
    assert row["predicted_points"] == pytest.approx(expected)
    # pace 0.99395 and SAC − league 0.01996 as in the moving_average test; 11/15 of the defense effect kept.
    assert row["predicted_points"] == pytest.approx(21.9 * 0.99395 * (1 + 11 / 15 * 0.01996), abs=0.01)  # 22.09
    points = [g[5] for g in w["barnes"]]
    # 10 games, SAC's 11 games (≥ 10), complete window: confidence = 1/(1 + CV) · 1 · 1.
    assert row["confidence"] == pytest.approx(1 / (1 + statistics.stdev(points) / statistics.mean(points)))


def test_similarity_uses_the_context_mean_and_kish_sample(factors_d, predictions_d, barnes_window):
    row = _system(predictions_d, "similarity")
    factor = factors_d[factors_d["player_id"] == BARNES].iloc[0]
    assert row["predicted_points"] == factor["points_similar_context_mean"]  # 21.486, worked in test_game_context
    points = [g[5] for g in barnes_window["barnes"]]
    stability = 1 / (1 + statistics.stdev(points) / statistics.mean(points))
    assert row["confidence"] == pytest.approx(min(factor["similar_context_games"] / 10, 1) * stability)
    assert row["confidence"] < _system(predictions_d, "moving_average")["confidence"]  # 8.85 effective games < 10


def test_one_confidence_scale_same_inputs_same_confidence(predictions_d):
    ma = predictions_d[predictions_d["system_id"] == "moving_average"].set_index("player_id")["confidence"]
    for system_id in ("gradient_boosting", "linear"):
        other = predictions_d[predictions_d["system_id"] == system_id].set_index("player_id")["confidence"]
        pd.testing.assert_series_equal(other, ma, check_names=False)
    om = predictions_d[predictions_d["system_id"] == "opponent_matchup"].set_index("player_id")["confidence"]
    assert (om <= ma + 1e-12).all()  # the opponent's sample can only lower it


def test_ensembles_combine_their_members(factors_d, predictions_d):
    members = {s: predictions_d[predictions_d["system_id"] == s].set_index("player_id") for s in SYSTEM_IDS}
    v1 = members["ensemble_v1"].loc[BARNES]
    four = ("moving_average", "opponent_matchup", "similarity", "gradient_boosting")
    p = np.array([members[s].loc[BARNES, "predicted_points"] for s in four])
    c = np.array([members[s].loc[BARNES, "confidence"] for s in four])
    assert v1["predicted_points"] == pytest.approx((c * p).sum() / c.sum())
    assert v1["confidence"] == pytest.approx((c * c).sum() / c.sum())
    v11 = members["ensemble_v1_1"].loc[BARNES]
    assert ensemble.V1_1_WEIGHTS == {"gradient_boosting": 0.7, "opponent_matchup": 0.3}
    assert v11["predicted_points"] == pytest.approx(0.7 * members["gradient_boosting"].loc[BARNES, "predicted_points"]
                                                   + 0.3 * members["opponent_matchup"].loc[BARNES, "predicted_points"])


def test_learned_systems_are_plausible_on_real_rows(factors_d, predictions_d):
    last10 = factors_d.set_index("player_id")["points_per_game_last_10"].astype(float)
    for system_id in ("gradient_boosting", "linear"):
        got = predictions_d[predictions_d["system_id"] == system_id].set_index("player_id")["predicted_points"]
        assert got.between(-1, 60).all()
        # A model on these features must track recent scoring closely (not asserted to the decimal: it is fitted).
        assert np.corrcoef(got.loc[last10.index], last10)[0, 1] > 0.9
