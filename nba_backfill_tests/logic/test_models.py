"""The learned systems' training data: the 2024-25 season through the same phase-3/4 code, and the leakage rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill.assets.trained_models import prior_season_models
from nba_backfill.calendar import SEASON_START
from nba_backfill.logic.predictions import build_player_prop_predictions
from nba_backfill.logic.predictions.models import check_trained_before
from nba_backfill.logic.prior_season import raw_frames, training_rows
from nba_backfill.sources import bundle

ACHIUWA = 1630173  # Precious Achiuwa, NYK


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return raw_frames(bundle.load_team_box_2024_25(), bundle.load_player_box_2024_25())


def test_prior_season_raw_frames_hold_every_bundled_game(frames):
    team, player, schedule = frames["team_box"], frames["player_box"], frames["schedule"]
    # PROVENANCE: 1,132 games 2024-10-22 → 2025-04-01; team PTS = Σ player PTS for all 2,264 team-games.
    assert (len(schedule), len(team), len(player)) == (1132, 2264, 24236)
    assert (schedule["game_date"].min(), schedule["game_date"].max()) == (dt.date(2024, 10, 22), dt.date(2025, 4, 1))
    sums = player.groupby(["game_id", "team_id"])[["pts", "tov"]].sum()
    joined = team.set_index(["game_id", "team_id"])[["pts", "tov"]].join(sums, rsuffix="_players")
    assert (joined["pts"] == joined["pts_players"]).all()
    assert (joined["tov"] == joined["tov_players"]).all()  # v3 semantics: player-credited turnovers only
    assert (team.groupby("game_id")["is_home"].sum() == 1).all()


def test_training_row_achiuwa_2025_04_01_hand_checked(frames):
    rows = training_rows(frames, [dt.date(2025, 4, 1)])
    row = rows[rows["player_id"] == ACHIUWA].iloc[0]
    # Player log: NYK vs. PHI, 2 points. Window 2025-03-11 … 03-31 (03-10 falls outside): points by date
    # 03-12 0, 03-15 0, 03-17 4, 03-19 4, 03-20 2, 03-22 4, 03-25 11, 03-26 6, 03-28 0, 03-30 10.
    assert row["actual_points"] == 2 and row["team_abbr"] == "NYK" and bool(row["is_home"])
    assert row["games_played_window"] == 10
    assert row["points_per_game_last_10"] == pytest.approx((0 + 0 + 4 + 4 + 2 + 4 + 11 + 6 + 0 + 10) / 10)  # 4.1
    assert row["points_per_game_last_5"] == pytest.approx((4 + 11 + 6 + 0 + 10) / 5)  # 6.2
    assert (row["days_since_last_game"], row["days_rest"]) == (2, 1)  # last game 03-30
    assert (row["window_start_date"], row["window_end_date"]) == (dt.date(2025, 3, 11), dt.date(2025, 3, 31))
    # Only players who played on D carry a target: every row has one.
    assert rows["actual_points"].notna().all()


def test_models_are_trained_strictly_before_every_predicted_date():
    models = prior_season_models()
    # The last 2024-25 outcome in the bundle is 2025-04-01; every 2025-26 partition starts 2025-10-21.
    assert models.trained_through == dt.date(2025, 4, 1)
    assert models.trained_through < dt.date.fromisoformat(SEASON_START)
    assert models.trained_from >= dt.date(2024, 10, 23)  # opening night has no window, it is skipped
    assert models.training_rows > 10_000
    assert prior_season_models() is models  # cached: trained once per process


def test_predicting_a_trained_date_is_refused(frames):
    rows = training_rows(frames, [dt.date(2025, 4, 1)]).drop(columns=["actual_points"])
    with pytest.raises(ValueError, match="leakage: models trained on outcomes through 2025-04-01 cannot predict"):
        check_trained_before(prior_season_models(), rows)
    with pytest.raises(ValueError, match="leakage"):
        build_player_prop_predictions(rows, pd.DataFrame(), systems=("gradient_boosting",),
                                      models=prior_season_models())
    check_trained_before(prior_season_models(), rows.assign(game_date=dt.date(2025, 10, 21)))  # no error
