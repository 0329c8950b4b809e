"""The seasons as configuration: partitions = the days of the configured seasons, off-season excluded."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill import calendar
from nba_backfill.errors import UnknownDateError
from nba_backfill.sources import bundle


def test_seasons_come_from_the_bundled_schedules():
    for season in calendar.bundled_seasons().values():
        schedule = bundle.load_season_schedule(season.label)
        regular = schedule[schedule["stage"] == "Regular Season"]
        assert (season.first_day, season.last_day) == (min(regular["game_date"]), max(regular["game_date"]))
    assert [s.label for s in calendar.SEASONS] == ["2024-25", "2025-26"]  # default: every bundled season


def test_partitions_are_the_season_days_and_the_off_season_is_not_a_partition():
    keys = calendar.daily_partitions.get_partition_keys()
    assert keys[0] == "2024-10-22" and keys[-1] == "2026-04-12"  # last scheduled night, not today + 1
    assert len(keys) == 174 + 174
    assert "2025-04-13" in keys and "2025-04-14" not in keys and "2025-10-20" not in keys and "2025-10-21" in keys
    assert calendar.date_range(dt.date(2025, 4, 12), dt.date(2025, 10, 22)) == [
        "2025-04-12", "2025-04-13", "2025-10-21", "2025-10-22"]


def test_partitions_end_tomorrow_while_a_season_is_played():
    defn = calendar.build_partitions(calendar.SEASONS, today=dt.date(2026, 1, 10))
    assert defn.get_last_partition_key() == "2026-01-11"


@pytest.mark.parametrize("today", [None, dt.date(2026, 1, 10), dt.date(2025, 7, 1), dt.date(2025, 4, 13)])
def test_the_dagster_free_season_days_are_the_partition_keys(today):
    """``seasons.py`` (what ``validate`` parses dates with, without Dagster) and the partitions definition agree,
    also mid-season (tomorrow is the last key) and in the off-season between two seasons.
    """
    from nba_backfill import seasons

    defn = calendar.build_partitions(calendar.SEASONS, today=today)
    assert seasons.season_days(calendar.SEASONS, today) == defn.get_partition_keys()
    if today is None:
        assert seasons.span_text() == "2024-10-22…2025-04-13, 2025-10-21…2026-04-12"


@pytest.mark.parametrize(("value", "words"), [
    ("2025-07-01", "is in the off-season"), ("2024-10-21", "is outside the seasons"),
    ("2026-04-13", "is outside the seasons"), ("2025-13-01", "is not a date"),
    ("20260121", "'20260121' is not written YYYY-MM-DD; write 2026-01-21"),
    ("2026-W04-3", "'2026-W04-3' is not written YYYY-MM-DD; write 2026-01-21")])
def test_dates_outside_the_partitions_are_refused_with_one_line(value, words):
    with pytest.raises(UnknownDateError, match=words) as info:
        calendar.parse_game_date(value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", ["2024-10-22", "2025-04-01", "2025-04-13", "2025-10-21", "2026-04-12"])
def test_every_season_day_is_accepted(value):
    assert calendar.parse_game_date(value) == dt.date.fromisoformat(value)


def test_unknown_season_is_refused():
    with pytest.raises(UnknownDateError, match="2019-20"):
        calendar.configured_seasons(("2019-20",))


def test_2024_25_team_points_equal_the_sum_of_player_points():
    team, player = bundle.load_team_box_2024_25(), bundle.load_player_box_2024_25()
    sums = player.groupby(["game_id", "team_id"], as_index=False)["pts"].sum()
    joined = team.merge(sums, on=["game_id", "team_id"], suffixes=("", "_players"))
    assert len(joined) == 2264 and (joined["pts"] == joined["pts_players"]).all()
    assert pd.Series(player["player_name"] != "").mean() > 0.85
