"""The cascade plan comes from the partition mappings: exact partition sets for the 2026 incident."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.definitions import build_defs
from nba_backfill.sensors.cascade_plan import cascade_plan, group_into_runs


def _days(start: str, end: str) -> list[str]:
    return date_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


RAW_AND_PHASE3 = {
    "nba_raw/nbac_boxscore_files", "nba_raw/nbac_team_boxscore", "nba_raw/nbac_player_boxscore",
    "nba_analytics/team_offense_game_summary", "nba_analytics/team_defense_game_summary",
    "nba_analytics/player_game_summary",
}
PHASE45 = {"nba_precompute/player_composite_factors", "nba_predictions/player_prop_predictions"}
GRADING = "nba_predictions/prediction_accuracy"


def test_gap_plan_matches_the_seed_runbook_scope():
    gap = _days("2025-12-27", "2026-01-21")
    assert len(gap) == 26
    plan = cascade_plan(build_defs(), {BOXSCORE_FILES_KEY: gap})
    by_name = {k.to_user_string(): v for k, v in plan.items()}
    assert set(by_name) == RAW_AND_PHASE3 | PHASE45 | {GRADING}
    for name in RAW_AND_PHASE3:
        assert by_name[name] == gap
    # D-21 … D-1 window: 2025-12-27 + 1 = 2025-12-28, 2026-01-21 + 21 = 2026-02-11 → 46 days.
    for name in PHASE45:
        assert by_name[name] == _days("2025-12-28", "2026-02-11")
        assert len(by_name[name]) == 46
    # Grading reads D's outcomes (player_game_summary, same day: the 26 gap days 12-27 … 01-21) and D's
    # predictions (same day: 12-28 … 02-11): the union is 2025-12-27 … 2026-02-11, 26 + 46 − 25 overlap = 47 days.
    assert by_name[GRADING] == _days("2025-12-27", "2026-02-11")
    assert len(by_name[GRADING]) == 47


def test_one_day_rescrape_cascades_to_the_next_21_days():
    plan = cascade_plan(build_defs(), {BOXSCORE_FILES_KEY: ["2026-01-10"]})
    by_name = {k.to_user_string(): v for k, v in plan.items()}
    assert by_name["nba_analytics/player_game_summary"] == ["2026-01-10"]
    assert by_name["nba_precompute/player_composite_factors"] == _days("2026-01-11", "2026-01-31")
    assert by_name[GRADING] == _days("2026-01-10", "2026-01-31")  # the re-scraped day's outcomes + 21 days
    assert "nba_raw/nbac_schedule" not in by_name and "nba_raw/odds_player_points_props" not in by_name


def test_runs_group_equal_ranges_once_each():
    defs = build_defs()
    plan = cascade_plan(defs, {BOXSCORE_FILES_KEY: _days("2025-12-27", "2026-01-21")})
    runs = group_into_runs(plan)
    assert [(r.start, r.end, r.partition_count) for r in runs] == [
        ("2025-12-27", "2026-01-21", 26), ("2025-12-28", "2026-02-11", 46), ("2025-12-27", "2026-02-11", 47)]
    assert {k.to_user_string() for k in runs[0].assets} == RAW_AND_PHASE3
    assert {k.to_user_string() for k in runs[1].assets} == PHASE45
    assert [k.to_user_string() for k in runs[2].assets] == [GRADING]


def test_non_contiguous_changes_split_into_ranges():
    defs = build_defs()
    plan = cascade_plan(defs, {BOXSCORE_FILES_KEY: ["2026-01-02", "2026-01-03", "2026-01-20"]})
    runs = group_into_runs(plan)
    assert [(r.start, r.end) for r in runs if dg.AssetKey(["nba_raw", "nbac_boxscore_files"]) in r.assets] == [
        ("2026-01-02", "2026-01-03"), ("2026-01-20", "2026-01-20")]
    # the two windows overlap downstream and merge into one range: 2026-01-03 … 2026-02-10
    assert [(r.start, r.end) for r in runs if r.assets[-1].path[-1] == "player_prop_predictions"] == [
        ("2026-01-03", "2026-02-10")]
