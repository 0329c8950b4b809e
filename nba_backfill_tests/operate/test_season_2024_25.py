"""The 2024-25 season through the whole pipeline on a few real weeks, and the leakage experiment in both seasons.

One module fixture builds 2024-10-22 … 2024-12-04 against the replay as a fresh deployment would (sources, then
raw → phase 3, then phases 4–5 from 2024-11-10: three range runs); December's learned models then train on the
factors of 2024-11-10 … 11-30. Expected counts are read off the bundled 2024-25 files by hand (see each test).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer
from nba_backfill.validation.report import validate_days
from nba_backfill_tests.leakage import leak_experiment

pytestmark = pytest.mark.e2e

FIRST, FEATURES_FROM, LAST = "2024-10-22", "2024-11-10", "2024-12-04"
DAYS = [dt.date(2024, 12, 2), dt.date(2024, 12, 3), dt.date(2024, 12, 4)]


@pytest.fixture(scope="module")
def season_2024_25(tmp_path_factory):
    settings = local_settings(tmp_path_factory.mktemp("home_2024_25"))
    instance = project_instance(settings)
    with ReplayServer() as server:
        defs = build_defs(settings, resource_overrides={"nba_stats": NbaStatsClient(
            base_url=server.base_url, rate_limit_seconds=0, backoff_seconds=0.05, max_retries=2)})
        runs = [materialize_range(defs, instance, PlannedRun(tuple(assets), start, LAST))
                for assets, start in ((SOURCES, FIRST), (NIGHTLY, FIRST), (FEATURES, FEATURES_FROM))]
    return settings, instance, runs


def test_three_2024_25_dates_raw_to_grading_with_every_check_passing(season_2024_25):
    settings, instance, runs = season_2024_25
    assert all(r.success for r in runs), [r.failures for r in runs]
    warehouse = DuckDBWarehouse(path=str(settings.warehouse_path))
    counts = warehouse.query("""
        SELECT 'games' AS t, game_date, count(*) AS n FROM nba_raw.nbac_schedule GROUP BY ALL
        UNION ALL SELECT 'team', game_date, count(*) FROM nba_raw.nbac_team_boxscore GROUP BY ALL
        UNION ALL SELECT 'player', game_date, count(*) FROM nba_raw.nbac_player_boxscore GROUP BY ALL
        UNION ALL SELECT 'summary', game_date, count(*) FROM nba_analytics.player_game_summary GROUP BY ALL
        UNION ALL SELECT 'roster', game_date, count(*) FROM nba_raw.nbac_player_list GROUP BY ALL
        UNION ALL SELECT 'factors', game_date, count(*) FROM nba_precompute.player_composite_factors GROUP BY ALL
        UNION ALL SELECT 'predictions', game_date, count(*) FROM nba_predictions.player_prop_predictions GROUP BY ALL
        UNION ALL SELECT 'graded', game_date, count(*) FROM nba_predictions.prediction_accuracy GROUP BY ALL""")
    got = {(r.t, str(r.game_date)[:10]): int(r.n) for r in counts.itertuples()}
    # From the bundle (schedule_2024_25 / player_box_2024_25): games, 2 team rows per game, one player row per line;
    # rosters = players with a line by that date (listed from their first game); factors = players on a roster of
    # D whose team plays on D with a line in D-21 … D-1 (counted in pandas from player_box_2024_25).
    expected = {
        "2024-12-02": {"games": 4, "team": 8, "player": 88, "summary": 88, "roster": 491, "factors": 117},
        "2024-12-03": {"games": 11, "team": 22, "player": 242, "summary": 242, "roster": 492, "factors": 339},
        "2024-12-04": {"games": 6, "team": 12, "player": 129, "summary": 129, "roster": 494, "factors": 181},
    }
    for day, tables in expected.items():
        for table, n in tables.items():
            assert got.get((table, day)) == n, (table, day)
        assert got[("predictions", day)] == 7 * tables["factors"]
        assert got[("graded", day)] == 7 + 1  # seven systems and the last-10 baseline (no 2024-25 lines bundled)
    models = warehouse.query("SELECT DISTINCT model_status FROM nba_predictions.player_prop_predictions "
                             "WHERE system_id = 'gradient_boosting' AND game_date >= '2024-12-01'")
    assert list(models["model_status"]) == ["learned"]  # trained on November's factors of this build
    reports = validate_days(build_resources(settings)["warehouse"], build_resources(settings)["object_store"], DAYS,
                            instance)
    assert [(r.day, r.status) for r in reports] == [(d, "COMPLETE") for d in DAYS], [
        (line.item, line.expected, line.found, line.problems[:1]) for r in reports for line in r.lines if not line.ok]
    assert all(line.checks in ("1 passed", "-", "") for r in reports for line in r.lines)


def _assert_no_leak(frames: dict[str, tuple[pd.DataFrame, pd.DataFrame]], day: dt.date) -> None:
    control = day + dt.timedelta(days=1)
    for table in ("player_composite_factors", "player_prop_predictions"):
        before, rebuilt = frames[f"{table} {day}"]
        assert len(before) > 100
        pd.testing.assert_frame_equal(rebuilt, before, check_exact=True, obj=f"{table} {day}")
        changed_before, changed_rebuilt = frames[f"{table} {control}"]
        assert len(changed_before) > 100 and not changed_rebuilt.equals(changed_before), f"{table} {control}"


def test_no_game_on_or_after_d_reaches_a_2024_25_prediction(season_2024_25, tmp_path):
    settings, _, runs = season_2024_25
    assert all(r.success for r in runs)
    day = dt.date(2024, 12, 3)  # December: learned models trained on November
    frames = leak_experiment(settings.warehouse_path, tmp_path / "copy", day, dt.date.fromisoformat(LAST))
    _assert_no_leak(frames, day)
    learned = frames[f"player_prop_predictions {day}"][1]
    assert set(learned.loc[learned["system_id"] == "gradient_boosting", "model_status"]) == {"learned"}


def test_no_game_on_or_after_d_reaches_a_2025_26_prediction(demo_run, tmp_path):
    day = dt.date(2026, 1, 15)  # learned models trained on 2025-10-21 … 12-31
    frames = leak_experiment(demo_run.settings.warehouse_path, tmp_path / "copy", day, dt.date(2026, 2, 12))
    _assert_no_leak(frames, day)
    learned = frames[f"player_prop_predictions {day}"][1]
    assert set(learned.loc[learned["system_id"] == "gradient_boosting", "model_status"]) == {"learned"}
