"""The code location loads, and the package keeps its layout rules (what DESIGN.md "Layout" promises).

Rules checked on the source tree: storage only behind ``resources/`` (no other module imports duckdb or writes
SQL; the one exception is ``dagster_private/``, which reads the Dagster instance's own SQLite tables), non-public
Dagster API in the ``dagster_private`` package only, ``logic/`` imports without Dagster, at most 10 modules at
the top level.
"""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import pytest

import nba_backfill
from nba_backfill.definitions import build_defs
from nba_backfill.errors import SettingsError
from nba_backfill.settings import load_settings, local_settings
from nba_backfill_tests.imports import loaded_modules

PACKAGE = Path(nba_backfill.__file__).parent
ASSET_KEYS = {
    "nba_raw/nbac_schedule", "nba_raw/nbac_boxscore_files", "nba_raw/nbac_team_boxscore",
    "nba_raw/nbac_player_boxscore", "nba_raw/odds_player_points_props", "nba_raw/nbac_player_list",
    "nba_analytics/team_offense_game_summary",
    "nba_analytics/team_defense_game_summary", "nba_analytics/player_game_summary",
    "nba_precompute/player_composite_factors", "nba_predictions/player_prop_predictions",
    "nba_predictions/prediction_accuracy",
}


def _sources(exclude: tuple[str, ...] = ()) -> dict[str, str]:
    return {str(p.relative_to(PACKAGE)): p.read_text() for p in PACKAGE.rglob("*.py")
            if not str(p.relative_to(PACKAGE)).startswith(exclude)}


def test_the_code_location_loads_with_every_asset_check_sensor_and_resource(tmp_path):
    defs = build_defs(local_settings(tmp_path))
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} == ASSET_KEYS
    # The checks DESIGN.md asks for, one per table property (README "Asset checks").
    assert {f"{k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys} == {
        "nba_raw/nbac_schedule:one_row_per_game", "nba_raw/nbac_boxscore_files:scrape_failure_streak",
        "nba_raw/nbac_team_boxscore:complete_and_consistent",
        "nba_raw/nbac_player_boxscore:sums_match_team_keys_unique",
        "nba_raw/nbac_player_list:one_row_per_player_known_teams",
        "nba_analytics/team_offense_game_summary:one_row_per_team_row",
        "nba_analytics/team_defense_game_summary:mirrors_opponent_offense",
        "nba_analytics/player_game_summary:one_row_per_player_row",
        "nba_precompute/player_composite_factors:one_row_per_eligible_player",
        "nba_precompute/player_composite_factors:window_complete",
        "nba_predictions/player_prop_predictions:one_row_per_player_and_system",
    }
    assert {s.name for s in defs.sensors} == {"gap_sensor", "failure_streak_sensor", "cascade_automation_sensor",
                                             "refresh_sensor"}
    assert set(defs.resources) == {"warehouse", "warehouse_io_manager", "object_store", "nba_stats", "props_feed",
                                   "scope", "model_cache"}


def test_the_sensors_that_launch_runs_start_stopped_for_the_backfill_commands_own_dagster(tmp_path, monkeypatch):
    monkeypatch.setenv("NBA_BACKFILL_SENSORS", "stopped")
    assert load_settings().launching_sensors is False
    stopped = build_defs(local_settings(tmp_path, launching_sensors=False))
    running = build_defs(local_settings(tmp_path))
    assert {s.name: s.default_status.value for s in stopped.sensors} == {
        "gap_sensor": "STOPPED", "refresh_sensor": "STOPPED", "cascade_automation_sensor": "STOPPED",
        "failure_streak_sensor": "RUNNING"}  # an alert, it launches nothing
    assert {s.default_status.value for s in running.sensors} == {"RUNNING"}
    monkeypatch.setenv("NBA_BACKFILL_SENSORS", "off")
    with pytest.raises(SettingsError, match="NBA_BACKFILL_SENSORS='off' is not one of running, stopped"):
        load_settings()


def test_no_module_outside_resources_imports_duckdb_or_writes_sql():
    sql = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|DELETE\s+FROM|CREATE\s+(TABLE|SCHEMA))\b")
    duckdb = re.compile(r"^\s*(import duckdb|from duckdb)", re.M)
    offenders = [name for name, text in _sources(exclude=("resources",)).items()
                 if duckdb.search(text) or (sql.search(text) and not name.startswith("dagster_private/"))]
    assert offenders == []
    # dagster_private/ only reads (SELECT) the instance's SQLite tables, never writes them
    writes = re.compile(r"\b(INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+|DROP\s+)")
    assert [name for name, text in _sources().items() if name.startswith("dagster_private/")
            and writes.search(text)] == []


def test_non_public_dagster_api_lives_in_the_dagster_private_package():
    private = sorted(name for name, text in _sources().items() if re.search(r"\bdagster\._", text))
    assert private and all(name.startswith("dagster_private/") for name in private), private


def test_logic_imports_without_dagster():
    out = loaded_modules(
        "import importlib, pkgutil; import nba_backfill.logic as L; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(L.__path__, 'nba_backfill.logic.')]",
        ("dagster", "duckdb", "requests"))
    assert out == "[]"


def test_the_top_level_holds_at_most_ten_modules():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert modules == ["__init__.py", "calendar.py", "cli.py", "definitions.py", "errors.py", "seasons.py",
                       "settings.py"]


def test_source_timeout_retries_and_deadline_reach_the_client_from_the_environment(monkeypatch, tmp_path):
    from nba_backfill.definitions import build_resources
    from nba_backfill.settings import load_settings

    monkeypatch.setenv("NBA_BACKFILL_HOME", str(tmp_path))
    monkeypatch.setenv("NBA_BACKFILL_SOURCE_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("NBA_BACKFILL_SOURCE_RETRIES", "1")
    monkeypatch.setenv("NBA_BACKFILL_PARTITION_DEADLINE_SECONDS", "30")
    client = build_resources(load_settings())["nba_stats"]
    assert (client.timeout_seconds, client.max_retries, client.partition_deadline_seconds) == (2.5, 1, 30.0)
    defaults = build_resources(local_settings(tmp_path))["nba_stats"]
    assert (defaults.timeout_seconds, defaults.max_retries, defaults.partition_deadline_seconds) == (10.0, 3, 120.0)
