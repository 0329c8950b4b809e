"""Phases 4–5 through Dagster: one active row per player, system and game after re-runs; the cascade equals a
rebuild from scratch; ``nba-backfill grade`` on the demo's warehouse.
"""

from __future__ import annotations

import shutil

import dagster as dg
import pandas as pd
import pytest
from click.testing import CliRunner

from nba_backfill.cli import app
from nba_backfill.definitions import build_defs
from nba_backfill.operate.runner import materialize_partition, materialize_range, project_instance
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

PHASE45 = (PLAYER_COMPOSITE_FACTORS, PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY)


@pytest.fixture(scope="module")
def rerun_home(tmp_path_factory):
    """Opening nights through Dagster (one range run of every asset), then 2025-10-23 re-run twice."""
    settings = local_settings(tmp_path_factory.mktemp("rerun_home"))
    instance = project_instance(settings)
    with ReplayServer() as server:
        defs = build_defs(settings, resource_overrides={
            "nba_stats": NbaStatsClient(base_url=server.base_url, rate_limit_seconds=0)})
        every_asset = tuple(key for assets_def in defs.assets for key in assets_def.keys)
        first = materialize_range(defs, instance, PlannedRun(every_asset, "2025-10-21", "2025-10-23"))
        reruns = [materialize_partition(defs, instance, "2025-10-23") for _ in range(2)]
    return DuckDBWarehouse(path=str(settings.warehouse_path)), first, reruns


def test_exactly_one_active_row_per_player_system_and_game_after_reruns(rerun_home):
    warehouse, first, reruns = rerun_home
    assert first.success, first.failures
    assert all(run.success for run in reruns), [run.failures for run in reruns]
    counts = warehouse.query("""
        SELECT game_date, game_id, player_id, system_id, count(*) FILTER (WHERE is_active) AS active, count(*) AS n
        FROM nba_predictions.player_prop_predictions GROUP BY ALL""")
    # 10-21 has no window and none of its teams (HOU, OKC, GSW, LAL) played on 10-22; on 10-23 (OKC @ IND,
    # DEN @ GSW) the OKC and GSW players of opening night are expected.
    assert sorted(counts["game_date"].astype(str).unique()) == ["2025-10-23"]
    assert (counts["active"] == 1).all() and (counts["n"] == 1).all()
    per_player = counts.groupby(["game_date", "player_id"])["system_id"].nunique()
    assert (per_player == 7).all()
    graded = warehouse.query("SELECT game_date, system_id, count(*) AS n, max(graded) AS graded "
                             "FROM nba_predictions.prediction_accuracy GROUP BY ALL")
    assert (graded["n"] == 1).all() and len(graded) == 7 + 2
    assert (graded.loc[graded["system_id"] != "baseline_sportsbook_line", "graded"] > 0).all()


def test_cascade_equals_a_rebuild_of_phases_4_5_from_scratch(demo_run, tmp_path):
    """After the gap fill, rebuilding phases 4–5 for 2025-12-28 … 2026-02-11 from emptied partitions gives the
    cascaded rows exactly (every column, every value). The partitions before stay: the learned systems train on
    the history before each month (``assets/trained_models.py``), which a rebuild of these dates must not lose.
    """
    settings = local_settings(tmp_path / "home")
    settings.home.mkdir()
    shutil.copy(demo_run.settings.warehouse_path, settings.warehouse_path)
    copy = DuckDBWarehouse(path=str(settings.warehouse_path))
    days = list(pd.date_range("2025-12-28", "2026-02-11").date)
    for table in PHASE45:
        copy.replace_slices(table, table.empty_frame(), days)
        assert copy.count_by_date(table, days) == {}
    defs = build_defs(settings)  # no network: phases 4–5 read only the warehouse
    rebuilt = materialize_range(defs, dg.DagsterInstance.ephemeral(), PlannedRun(
        tuple(asset_key_for(t) for t in PHASE45), "2025-12-28", "2026-02-11"))
    assert rebuilt.success, rebuilt.failures
    demo = DuckDBWarehouse(path=str(demo_run.settings.warehouse_path))
    for table in PHASE45:
        cascaded, scratch = demo.read_slices(table, days), copy.read_slices(table, days)
        assert len(scratch) > 0
        pd.testing.assert_frame_equal(scratch, cascaded, check_exact=True, obj=table.qualified_name)


def test_grade_command_prints_the_span_table(demo_run, monkeypatch):
    monkeypatch.setenv("NBA_BACKFILL_HOME", str(demo_run.settings.home))
    result = CliRunner().invoke(app, ["grade", "2025-11-15", "2025-12-06"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.replace("│", " ").split())  # table cells as space-separated words
    for system_id in ("moving_average", "opponent_matchup", "similarity", "gradient_boosting", "linear",
                      "ensemble_v1", "ensemble_v1_1", "baseline_last10", "baseline_sportsbook_line"):
        assert system_id in text
    # The line's own MAE over 2025-11-15 … 12-06, computed here in SQL from the stored lines and box scores.
    line_mae = DuckDBWarehouse(path=str(demo_run.settings.warehouse_path)).query("""
        SELECT avg(abs(p.prop_line - g.points)) AS mae, count(*) AS n
        FROM nba_predictions.player_prop_predictions p
        JOIN nba_analytics.player_game_summary g USING (game_id, player_id)
        WHERE p.system_id = 'moving_average' AND p.prop_line_source = 'sportsbook_consensus'
          AND NOT g.is_dnp AND g.points IS NOT NULL AND p.game_date BETWEEN '2025-11-15' AND '2025-12-06'
    """).iloc[0]
    assert line_mae["n"] > 1000
    assert f"baseline_sportsbook_line {int(line_mae['n'])} {line_mae['mae']:.3f}" in text
    missing = CliRunner().invoke(app, ["grade", "2025-12-24"])  # no games on Christmas Eve: nothing graded
    assert missing.exit_code == 2 and "no graded predictions" in missing.output
