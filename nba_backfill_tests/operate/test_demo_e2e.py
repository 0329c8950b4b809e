"""The main job end to end (``nba-backfill demo``) on the real 2025-26 data, against the real replay,
real DuckDB and a real Dagster instance. The numbers are facts of the season (bundled PROVENANCE):
2025-10-21 → 2026-02-12 has 819 regular-season games on 112 dates; the gap 2025-12-27 → 2026-01-21 has 198.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import duckdb
import pytest

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.operate.runner import project_instance

GAP = date_range(dt.date(2025, 12, 27), dt.date(2026, 1, 21))
CASCADE = date_range(dt.date(2025, 12, 28), dt.date(2026, 2, 11))


@pytest.fixture(scope="module")
def demo(demo_run):
    # same configuration as the pipeline's own connections: DuckDB refuses mixed configs in one process
    con = duckdb.connect(str(demo_run.settings.warehouse_path))
    yield demo_run.settings, demo_run.result, demo_run.output, con
    con.close()


def _one(con, sql: str):
    return con.execute(sql).fetchall()


def test_exactly_the_gap_failed_loudly_and_the_plan_came_from_the_mappings(demo):
    _, result, output, _ = demo
    assert result.failed_partitions == GAP
    assert "answered HTTP 200 with no team or player statistics for final game 0022500432 on 2025-12-27" in output
    plan = {k.to_user_string(): v for k, v in result.plan.items()}
    assert plan["nba_raw/nbac_boxscore_files"] == GAP
    assert plan["nba_analytics/team_offense_game_summary"] == GAP
    assert plan["nba_precompute/player_composite_factors"] == CASCADE
    assert plan["nba_predictions/player_prop_predictions"] == CASCADE
    # Grading reads D's outcomes and D's predictions (same day): the union of the gap and the cascade.
    assert plan["nba_predictions/prediction_accuracy"] == date_range(dt.date(2025, 12, 27), dt.date(2026, 2, 11))
    assert "requested by gap_sensor" in output and "d. validation report for 2026-01-21" in output


def test_team_boxscore_holds_two_rows_per_game_for_the_season(demo):
    _, _, _, con = demo
    assert _one(con, "SELECT count(*), count(DISTINCT game_id), count(DISTINCT game_date) "
                     "FROM nba_raw.nbac_team_boxscore") == [(1638, 819, 112)]
    assert _one(con, "SELECT count(*), count(DISTINCT game_id) FROM nba_raw.nbac_team_boxscore "
                     "WHERE game_date BETWEEN '2025-12-27' AND '2026-01-21'") == [(396, 198)]
    assert _one(con, "SELECT count(*) FROM (SELECT game_id FROM nba_raw.nbac_team_boxscore GROUP BY game_id "
                     "HAVING count(*) <> 2 OR sum(is_home::INT) <> 1)") == [(0,)]
    assert _one(con, "SELECT count(DISTINCT game_id), count(*) FROM nba_raw.nbac_team_boxscore "
                     "WHERE game_date = '2026-01-21'") == [(7, 14)]
    assert _one(con, "SELECT team_abbr, is_home, pts FROM nba_raw.nbac_team_boxscore "
                     "WHERE game_id = '0022500622' ORDER BY is_home") == [("BKN", False, 66), ("NYK", True, 120)]


def test_team_points_equal_the_sum_of_player_points_for_every_team_game(demo):
    _, _, _, con = demo
    rows = _one(con, """
        SELECT count(*) AS team_games, count(*) FILTER (WHERE t.pts = p.pts) AS matching
        FROM nba_raw.nbac_team_boxscore t
        LEFT JOIN (SELECT game_id, team_id, sum(pts) AS pts FROM nba_raw.nbac_player_boxscore GROUP BY ALL) p
        USING (game_id, team_id)""")
    assert rows == [(1638, 1638)]
    # 17,772 bundled player lines through 2026-02-12 (PROVENANCE): every one landed exactly once.
    assert _one(con, "SELECT count(*), count(DISTINCT (game_id, player_id)) FROM nba_raw.nbac_player_boxscore") == [
        (17772, 17772)]


def test_downstream_was_materialized_after_the_gap_raw_partitions(demo):
    settings, _, _, _ = demo
    instance = project_instance(settings)
    mat = dg.DagsterEventType.ASSET_MATERIALIZATION

    def latest(path: list[str], partitions: list[str]) -> dict[str, int]:
        ids = instance.get_latest_storage_id_by_partition(dg.AssetKey(path), mat, set(partitions))
        assert set(ids) == set(partitions), f"{path}: partitions never materialized"
        return ids

    raw_done = max(latest(["nba_raw", "nbac_team_boxscore"], GAP).values())
    assert max(latest(BOXSCORE_FILES_KEY.path, GAP).values()) <= raw_done
    for table in ("team_offense_game_summary", "team_defense_game_summary", "player_game_summary"):
        assert min(latest(["nba_analytics", table], GAP).values()) > raw_done
    phase3_done = max(latest(["nba_analytics", "player_game_summary"], GAP).values())
    for path in (["nba_precompute", "player_composite_factors"], ["nba_predictions", "player_prop_predictions"],
                 ["nba_predictions", "prediction_accuracy"]):
        assert min(latest(path, CASCADE).values()) > phase3_done


def test_predictions_cover_every_composite_factor_player_on_the_report_date(demo):
    _, result, _, con = demo
    factors, predicted, incomplete = _one(con, """
        SELECT count(*),
               count(*) FILTER (WHERE player_id IN (SELECT player_id FROM nba_predictions.player_prop_predictions
                                                    WHERE game_date = '2026-01-21')),
               count(*) FILTER (WHERE NOT window_is_complete)
        FROM nba_precompute.player_composite_factors WHERE game_date = '2026-01-21'""")[0]
    assert factors > 0 and predicted == factors and incomplete == 0
    assert all(line.status == "COMPLETE" for line in result.report), result.report


def test_no_window_after_the_repair_misses_a_game(demo):
    _, _, _, con = demo
    assert _one(con, "SELECT count(*) FROM nba_precompute.player_composite_factors WHERE NOT window_is_complete") == [
        (0,)]
