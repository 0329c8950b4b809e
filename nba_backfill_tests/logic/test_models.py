"""The learned systems train on the past, whatever the season: cutoff, fallback and the leakage rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill.logic.predictions import build_player_prop_predictions
from nba_backfill.logic.predictions.models import (
    MIN_TRAINING_ROWS,
    check_trained_before,
    training_cutoff,
    training_rows,
)


def test_monthly_cutoff_is_on_or_before_d():
    assert training_cutoff(dt.date(2025, 1, 17)) == dt.date(2025, 1, 1)
    assert training_cutoff(dt.date(2025, 10, 21)) == dt.date(2025, 10, 1)


def test_session_models_saw_only_games_before_the_cutoff(models):
    assert models.training_rows > 0 and MIN_TRAINING_ROWS > models.training_rows  # forced fit, for the tests
    assert models.trained_through < models.trained_before == dt.date(2025, 11, 1)


@pytest.mark.parametrize("day", [dt.date(2025, 1, 15), dt.date(2025, 11, 20)])  # one date in each season
def test_no_game_on_or_after_d_reaches_the_training_set(day):
    cutoff = training_cutoff(day)
    dates = pd.to_datetime(pd.Series([cutoff - dt.timedelta(days=2), cutoff, day, day + dt.timedelta(days=3)]))
    factors = pd.DataFrame({"game_date": dates.dt.date, "game_id": ["1", "2", "3", "4"], "player_id": [7] * 4})
    for col in training_rows.__globals__["FEATURES"]:
        factors[col] = 1.0
    games = factors[["game_date", "game_id", "player_id"]].assign(points=[10, 20, 30, 40], is_dnp=False)
    rows = training_rows(factors, games, cutoff)
    assert list(rows["game_id"]) == ["1"] and (pd.to_datetime(rows["game_date"]).dt.date < day).all()


def test_predicting_before_the_cutoff_is_refused(models):
    factors = pd.DataFrame({"game_date": [dt.date(2025, 10, 22)]})
    with pytest.raises(ValueError, match="leakage"):
        check_trained_before(models, factors)
    check_trained_before(models, factors.assign(game_date=dt.date(2025, 11, 1)))  # no error


@pytest.fixture(scope="module")
def factors_d(raw_schedule, team_offense_season, team_defense_season, player_games_season,
              rosters_season) -> pd.DataFrame:
    from nba_backfill.logic.composite_factors import build_player_composite_factors

    return build_player_composite_factors([dt.date(2025, 11, 20)], raw_schedule, player_games_season,
                                          team_offense_season, team_defense_season, rosters_season,
                                          window_days=21)


def test_short_history_falls_back_and_says_so(factors_d, raw_props):
    out = build_player_prop_predictions(factors_d, raw_props, models=None)
    status = out.groupby("system_id")["model_status"].first().to_dict()
    assert status["gradient_boosting"] == status["linear"] == status["ensemble_v1_1"] == "fallback"
    assert status["moving_average"] == "rule"
    gb = out[out["system_id"] == "gradient_boosting"].set_index("player_id")["predicted_points"]
    ma = out[out["system_id"] == "moving_average"].set_index("player_id")["predicted_points"]
    pd.testing.assert_series_equal(gb, ma, check_names=False)
