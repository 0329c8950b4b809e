"""``nba-backfill validate`` on the finished demo (real season, real instance) and on corrupted copies of it.

Facts (bundle): 2026-01-21 has 7 games and 14 team rows; 2025-12-24 has no game; the season opens 2025-10-21,
so a window D-21 … D-1 is clipped until 2025-11-11. Each corruption must make exactly its table and dates
PARTIAL/MISSING: a dropped team row, a duplicated player row and zeroed points touch one raw table on
2026-01-21; deleting the team summaries of 2026-01-05 empties two phase-3 tables that day and breaks the windows
of the later dates whose teams played on 2026-01-05 (hand-derived from the schedule below).
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from click.testing import CliRunner

from nba_backfill.calendar import date_range
from nba_backfill.cli import app
from nba_backfill.logic.predictions import SYSTEMS

runner = CliRunner()


def _validate(home, dagster_home, *args: str):
    result = runner.invoke(app, ["validate", *args], env={"NBA_BACKFILL_HOME": str(home),
                                                          "DAGSTER_HOME": str(dagster_home), "COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def demo_home(demo_run):
    return demo_run.settings.home, demo_run.settings.dagster_home


def _lines(report: dict) -> dict[str, dict]:
    return {line["item"]: line for line in report["lines"]}


def test_the_repaired_report_date_is_complete_with_7_games_14_team_rows_and_7_systems(demo_home):
    result = _validate(*demo_home, "2026-01-21", "--format", "json")
    assert result.exit_code == 0
    [report] = json.loads(result.output)
    lines = _lines(report)
    assert (report["status"], report["final_games"]) == ("COMPLETE", 7)
    assert (lines["nbac_team_boxscore rows"]["expected"], lines["nbac_team_boxscore rows"]["found"]) == (14, 14)
    assert len(SYSTEMS) == 7
    assert (lines["prediction systems"]["expected"], lines["prediction systems"]["found"]) == (7, 7)
    rows = lines["player_prop_predictions rows"]
    assert rows["expected"] == rows["found"] == 7 * lines["player_composite_factors rows"]["found"] > 0
    assert {line["status"] for line in report["lines"]} == {"COMPLETE"}
    assert lines["nbac_team_boxscore rows"]["checks"] == "1 passed"
    table = _validate(*demo_home, "2026-01-21")
    assert table.exit_code == 0 and "overall 2026-01-21: COMPLETE (7 final games)" in table.output


def test_a_range_prints_one_line_per_date_with_bootstrap_and_no_games_days_ok(demo_home):
    result = _validate(*demo_home, "2025-10-21", "2025-10-23")
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if line[:4] == "2025"]
    assert [row.split()[:2] for row in rows] == [["2025-10-21", "BOOTSTRAP"], ["2025-10-22", "BOOTSTRAP"],
                                                ["2025-10-23", "BOOTSTRAP"]]
    christmas = json.loads(_validate(*demo_home, "2025-12-23", "2025-12-25", "--format", "json").output)
    assert [(r["date"], r["status"], r["final_games"]) for r in christmas] == [
        ("2025-12-23", "COMPLETE", 14), ("2025-12-24", "NO_GAMES", 0), ("2025-12-25", "COMPLETE", 5)]


def test_a_date_never_materialized_is_missing_and_bad_arguments_say_what_to_do(demo_home):
    result = _validate(*demo_home, "2026-02-13", "--format", "json")
    assert result.exit_code == 1
    [report] = json.loads(result.output)
    assert report["status"] == "MISSING"
    assert "nba_raw/nbac_schedule was never materialized for 2026-02-13" in _lines(report)["nbac_schedule games"][
        "problems"][0]
    bad = _validate(*demo_home, "2026-01-21", "2026-01-20")
    assert bad.exit_code == 2 and "END 2026-01-20 is before DATE 2026-01-21" in bad.output


CORRUPTIONS = {
    "drop one team row": ["DELETE FROM nba_raw.nbac_team_boxscore WHERE game_id = '0022500622' AND team_abbr = 'BKN'"],
    "duplicate a player row": ["INSERT INTO nba_raw.nbac_player_boxscore SELECT * FROM nba_raw.nbac_player_boxscore "
                               "WHERE game_id = '0022500622' ORDER BY player_id LIMIT 1"],
    "zero a team's points": ["UPDATE nba_raw.nbac_team_boxscore SET pts = 0 WHERE game_id = '0022500622' "
                             "AND team_abbr = 'NYK'"],
}
EXPECTED = {
    "drop one team row": ("nbac_team_boxscore rows", "PARTIAL", 14, 13,
                          "2026-01-21: game 0022500622 (BKN at NYK) has 1 team row"),
    "duplicate a player row": ("nbac_player_boxscore rows", "PARTIAL", 156, 157,
                               "2026-01-21: nba_raw.nbac_player_boxscore key (game_id=0022500622, player_id="),
    "zero a team's points": ("nbac_team_boxscore rows", "PARTIAL", 14, 14,
                             "2026-01-21: game 0022500622, NYK row: points = 2·FGM + FG3M + FTM fails (0 vs 120)"),
}


def _corrupted_home(demo_run, copy, statements):
    con = duckdb.connect(str(copy))
    for sql in statements:
        con.execute(sql)
    con.close()
    (copy.parent / "lake").symlink_to(demo_run.settings.lake_path)  # the raw files stay the demo's, read-only
    return copy.parent, demo_run.settings.dagster_home


def _not_ok(reports: list[dict]) -> dict[tuple[str, str], str]:
    return {(r["date"], line["item"]): line["status"] for r in reports for line in r["lines"]
            if line["status"] not in ("COMPLETE", "NO_GAMES", "BOOTSTRAP")}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_corrupted_raw_table_is_partial_on_exactly_its_table_and_date(demo_run, demo_warehouse_copy, corruption):
    home = _corrupted_home(demo_run, demo_warehouse_copy, CORRUPTIONS[corruption])
    result = _validate(*home, "2026-01-20", "2026-01-22", "--format", "json")
    assert result.exit_code == 1
    reports = json.loads(result.output)
    item, status, expected, found, message = EXPECTED[corruption]
    assert _not_ok(reports) == {("2026-01-21", item): status}
    line = _lines(reports[1])[item]
    assert (line["expected"], line["found"]) == (expected, found)
    assert line["problems"][0].startswith(message)


def test_deleting_a_day_of_team_summaries_is_missing_that_day_and_breaks_the_later_windows(demo_run,
                                                                                          demo_warehouse_copy):
    day = "2026-01-05"
    home = _corrupted_home(demo_run, demo_warehouse_copy, [
        f"DELETE FROM nba_analytics.team_offense_game_summary WHERE game_date = DATE '{day}'",
        f"DELETE FROM nba_analytics.team_defense_game_summary WHERE game_date = DATE '{day}'"])
    # Hand-derived: D in 2026-01-06 … 2026-01-26 where a team that played on 2026-01-05 plays again.
    con = duckdb.connect(str(demo_warehouse_copy), read_only=True)
    later = {str(d) for (d,) in con.execute(f"""
        WITH teams(day, team) AS (SELECT game_date, home_team_id FROM nba_raw.nbac_schedule WHERE in_scope
                                  UNION ALL SELECT game_date, away_team_id FROM nba_raw.nbac_schedule WHERE in_scope)
        SELECT DISTINCT day FROM teams WHERE day BETWEEN DATE '{day}' + 1 AND DATE '{day}' + 21
          AND team IN (SELECT team FROM teams WHERE day = DATE '{day}')""").fetchall()}
    con.close()
    assert len(later) == 20 and "2026-01-06" not in later  # no team played both 2026-01-05 and 2026-01-06
    result = _validate(*home, "2026-01-03", "2026-01-28", "--format", "json")
    assert result.exit_code == 1
    reports = json.loads(result.output)
    assert _not_ok(reports) == {
        (day, "team_offense_game_summary rows"): "MISSING", (day, "team_defense_game_summary rows"): "MISSING",
        **{(d, "rows with a complete window"): "PARTIAL" for d in later}}
    window = _lines(next(r for r in reports if r["date"] == "2026-01-07"))["rows with a complete window"]
    assert "2026-01-07: the window 2025-12-17 … 2026-01-06 misses game 0022500502 (NYK at DET) of 2026-01-05" in \
        window["problems"][0]


def test_the_gap_days_window_checks_failed_in_step_a_and_passed_after_the_backfill(demo_run):
    from dagster._core.event_api import PartitionKeyFilter

    from nba_backfill.checks.features import WINDOWS
    from nba_backfill.operate.runner import project_instance

    storage = project_instance(demo_run.settings).event_log_storage
    history = {day: [r.status.value for r in storage.get_asset_check_execution_history(
        WINDOWS.key, limit=10, partition_filter=PartitionKeyFilter(key=day))]
        for day in date_range(dt.date(2025, 12, 26), dt.date(2026, 2, 12))}
    cascade = date_range(dt.date(2025, 12, 28), dt.date(2026, 2, 11))
    assert {day for day, statuses in history.items() if statuses == ["SUCCEEDED", "FAILED"]} == set(cascade)
    assert history["2025-12-26"] == history["2025-12-27"] == history["2026-02-12"] == ["SUCCEEDED"]


def test_the_report_read_without_dagster_equals_the_report_through_the_dagster_api(demo_run):
    """The demo's instance (the incident's failed nights, the repair's backfill): the SQLite readers the command
    uses and the Dagster API give the same report on every date around the gap, and the same check records.
    """
    import dagster as dg

    from nba_backfill.definitions import build_resources
    from nba_backfill.resources.readers import local_readers
    from nba_backfill.validation.check_lines import LINE_CHECKS
    from nba_backfill.validation.recorded import DagsterRecords, SqliteRecords, open_records
    from nba_backfill.validation.render import as_json
    from nba_backfill.validation.report import validate_days

    settings = demo_run.settings
    days = [dt.date.fromisoformat(d) for d in date_range(dt.date(2025, 12, 20), dt.date(2026, 2, 13))]
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    records = open_records(settings.dagster_home)
    assert isinstance(records, SqliteRecords)
    try:
        fast = as_json(validate_days(*local_readers(settings), days, records))
        pairs = [(asset, name) for asset, names in LINE_CHECKS.values() for name in names]
        iso = [d.isoformat() for d in days]
        mine = sorted(records.check_results(pairs, iso), key=lambda r: (r.asset, r.check, r.partition))
    finally:
        records.close()
    theirs = sorted(DagsterRecords(instance).check_results(pairs, iso), key=lambda r: (r.asset, r.check, r.partition))
    assert mine == theirs and len(mine) > 400
    resources = build_resources(settings)
    assert fast == as_json(validate_days(resources["warehouse"], resources["object_store"], days, instance))
