"""``nba-backfill validate`` on the local deployment runs without importing Dagster (it takes ~1 s alone): the
warehouse through ``DuckDBTables``, the lake through ``LocalFolder``, the instance's records through its SQLite
files. When those files are absent (or the instance is not SQLite-backed) it goes through the Dagster API and
prints the same report.

State: one real final game, 0022500622 (BKN 66 at NYK 120, 2026-01-21), in the schedule table; nothing else
materialized, so every other line is MISSING and the schedule partition was never materialized in Dagster.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pandas as pd

from nba_backfill.resources.duckdb_tables import DuckDBTables
from nba_backfill.schemas import ALL_TABLES
from nba_backfill.schemas.raw import NBAC_SCHEDULE
from nba_backfill.settings import ensure_dagster_home, local_settings
from nba_backfill.validation.check_lines import LINE_CHECKS

DAY = dt.date(2026, 1, 21)
VALIDATE = """
import sys
from nba_backfill.cli import main
sys.argv = ["nba-backfill", "validate", "2026-01-21", "--format", "json"]
try:
    main()
except SystemExit as exc:
    print("EXIT", exc.code, [m for m in ("dagster", "pydantic") if m in sys.modules], file=sys.stderr)
"""


def _validate(settings) -> tuple[list[dict], int, list[str]]:
    env = {**os.environ, "NBA_BACKFILL_HOME": str(settings.home), "DAGSTER_HOME": str(settings.dagster_home)}
    done = subprocess.run([sys.executable, "-c", VALIDATE], capture_output=True, text=True, env=env, check=True)
    _, code, dagster = done.stderr.strip().splitlines()[-1].split(" ", 2)
    return json.loads(done.stdout), int(code), eval(dagster)  # noqa: S307  (our own print of a list of names)


def test_validate_imports_no_dagster_and_reports_as_the_dagster_path_does(tmp_path):
    settings = local_settings(tmp_path)
    warehouse = DuckDBTables(str(settings.warehouse_path))
    warehouse.ensure_tables(ALL_TABLES)
    warehouse.replace_slices(NBAC_SCHEDULE, pd.DataFrame({
        "game_date": [DAY], "game_id": ["0022500622"], "season": "2025-26", "stage": "Regular Season",
        "in_scope": True, "game_status": 3, "game_status_text": "Final", "home_team_id": 1610612752,
        "home_team_abbr": "NYK", "away_team_id": 1610612751, "away_team_abbr": "BKN", "home_pts": 120,
        "away_pts": 66}), [DAY])
    ensure_dagster_home(settings)  # the project's dagster.yaml; no SQLite file yet: the Dagster API is used

    through_dagster, code, dagster = _validate(settings)
    assert (code, dagster) == (1, ["dagster", "pydantic"])
    import dagster as dg

    dg.DagsterInstance.from_config(str(settings.dagster_home)).dispose()  # creates the SQLite files
    without_dagster, code, dagster = _validate(settings)
    assert (code, dagster) == (1, [])  # nor pydantic (the CLI parses with click: ~0.13 s less than typer)
    assert without_dagster == through_dagster
    [report] = without_dagster
    lines = {line["item"]: line for line in report["lines"]}
    assert (report["status"], report["final_games"]) == ("PARTIAL", 1)  # the schedule holds the game
    schedule = lines["nbac_schedule games"]
    assert (schedule["expected"], schedule["found"], schedule["checks"]) == (1, 1, "1 never run")
    assert schedule["problems"] == ["2026-01-21: nba_raw/nbac_schedule was never materialized for 2026-01-21 — "
                                    "materialize it (a day without games is materialized empty, not skipped)"]
    team = lines["nbac_team_boxscore rows"]
    assert (team["expected"], team["found"], team["status"]) == (2, 0, "MISSING")


def test_the_report_lines_name_the_checks_of_the_code_location(tmp_path):
    """``check_lines.LINE_CHECKS`` holds user strings (no Dagster import): they are the partitioned checks of the
    code location (all but the scrape-failure streak, which is not per partition).
    """
    from nba_backfill.definitions import build_defs

    graph = build_defs(local_settings(tmp_path)).resolve_asset_graph()
    specs = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys
             if key.name != "scrape_failure_streak"}
    named = {(asset, name) for asset, names in LINE_CHECKS.values() for name in names}
    assert named == specs and len(named) == 10
