"""Bundled data loaders: real row counts from PROVENANCE, types, and clear errors for damaged files."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from nba_backfill.errors import BundledDataError
from nba_backfill.sources import bundle


@pytest.mark.parametrize(("loader", "rows"), [
    (bundle.load_schedule, 1400),            # every 2025-26 game, all stages
    (bundle.load_team_box, 2460),            # 1,230 regular-season games x 2
    (bundle.load_player_box, 17772),         # 2025-10-21 -> 2026-02-12
    (bundle.load_props, 65548),              # points props 2025-10-21 -> 2025-12-06
    (bundle.load_player_box_2024_25, 24236),
    (bundle.load_team_box_2024_25, 2460),    # every 2024-25 regular-season game x 2 (player lines: 1,132)
    (lambda: bundle.load_season_schedule("2024-25"), 1230),  # derived from leaguegamelog
])
def test_loaders_return_every_bundled_row_with_string_ids_and_dates(loader, rows):
    df = loader()
    assert len(df) == rows
    assert df["game_id"].map(type).eq(str).all() and df["game_id"].str.len().eq(10).all()
    assert df["game_date"].map(type).eq(dt.date).all()


def test_schedule_row_of_the_sample_game():
    sched = bundle.load_schedule()
    game = sched.set_index("game_id").loc["0022500165"]
    # MIL @ TOR on 2025-11-04, final TOR 128 - MIL 100 (PROVENANCE D).
    assert game["game_date"] == dt.date(2025, 11, 4)
    assert (game["home_abbr"], game["away_abbr"], game["home_pts"], game["away_pts"]) == ("TOR", "MIL", 128, 100)


def test_each_call_returns_an_independent_copy():
    first = bundle.load_schedule()
    first.loc[:, "home_pts"] = -1
    assert (bundle.load_schedule()["home_pts"] >= 0).all()


def test_missing_file_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(BundledDataError) as err:
        bundle.load_schedule(tmp_path)
    message = str(err.value)
    assert "schedule_2025_26.parquet" in message and "is missing" in message
    assert "git checkout nba_backfill/data" in message and "\n" not in message


def test_corrupt_file_names_the_file_and_the_fix(tmp_path):
    (tmp_path / "team_box_2025_26.parquet").write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(BundledDataError, match=r"team_box_2025_26\.parquet is not readable Parquet.*git checkout"):
        bundle.load_team_box(tmp_path)


def test_file_without_a_required_column_is_rejected(tmp_path):
    sched = bundle.load_schedule().drop(columns=["stage"])
    sched.to_parquet(tmp_path / "schedule_2025_26.parquet")
    with pytest.raises(BundledDataError, match=r"lacks columns \['stage'\]"):
        bundle.load_schedule(tmp_path)


def test_game_ids_that_lost_their_leading_zeros_are_rejected(tmp_path):
    sched = bundle.load_schedule()
    sched["game_id"] = sched["game_id"].astype(int)  # "0022500165" -> 22500165
    sched.to_parquet(tmp_path / "schedule_2025_26.parquet")
    with pytest.raises(BundledDataError, match="not 10 digits"):
        bundle.load_schedule(tmp_path)


def test_a_good_copy_elsewhere_loads(tmp_path):
    shutil.copy(bundle.default_data_dir() / "schedule_2025_26.parquet", tmp_path)
    pd.testing.assert_frame_equal(bundle.load_schedule(tmp_path), bundle.load_schedule())
