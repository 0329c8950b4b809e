"""Slice replacement in the DuckDB warehouse: exact, idempotent, and atomic on failure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.schemas.raw import NBAC_SCHEDULE

D1, D2 = dt.date(2026, 1, 21), dt.date(2026, 1, 22)


def _schedule_rows(day: dt.date, game_ids: list[str]) -> pd.DataFrame:
    # 0022500622 BKN 66 at NYK 120 on 2026-01-21 (real); other ids only need to be distinct.
    return pd.DataFrame({
        "game_date": [day] * len(game_ids), "game_id": game_ids, "season": "2025-26", "stage": "Regular Season",
        "in_scope": True, "game_status": 3, "game_status_text": "Final", "home_team_id": 1610612752,
        "home_team_abbr": "NYK", "away_team_id": 1610612751, "away_team_abbr": "BKN", "home_pts": 120,
        "away_pts": 66,
    })


@pytest.fixture()
def warehouse(tmp_path) -> DuckDBWarehouse:
    return DuckDBWarehouse(path=str(tmp_path / "w.duckdb"))


def _ids(warehouse: DuckDBWarehouse) -> list[tuple[str, str]]:
    df = warehouse.query("SELECT game_date::VARCHAR d, game_id FROM nba_raw.nbac_schedule ORDER BY 1, 2")
    return list(df.itertuples(index=False, name=None))


def test_rerun_replaces_the_slice_and_never_duplicates(warehouse):
    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622", "0022500623"]), [D1])
    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D2, ["0022500630"]), [D2])
    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622", "0022500623"]), [D1])
    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622"]), [D1])
    assert _ids(warehouse) == [("2026-01-21", "0022500622"), ("2026-01-22", "0022500630")]


def test_failed_write_keeps_the_previous_slice(warehouse):
    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622"]), [D1])
    bad = _schedule_rows(D1, ["0022500622", "0022500623"])
    bad["home_pts"] = ["120", "not a score"]
    with pytest.raises(ValueError, match="home_pts"):
        warehouse.replace_slices(NBAC_SCHEDULE, bad, [D1])
    assert _ids(warehouse) == [("2026-01-21", "0022500622")]


def test_rows_outside_the_slice_are_refused(warehouse):
    with pytest.raises(ValueError, match="outside"):
        warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D2, ["0022500630"]), [D1])


def test_empty_slice_is_a_complete_empty_partition(warehouse):
    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622"]), [D1])
    assert warehouse.replace_slices(NBAC_SCHEDULE, NBAC_SCHEDULE.empty_frame(), [D1]) == 0
    assert _ids(warehouse) == []
    assert len(warehouse.read_slices(NBAC_SCHEDULE, [D1])) == 0


def test_failure_inside_the_transaction_rolls_back_the_delete(warehouse):
    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622"]), [D1])
    overflow = _schedule_rows(D1, ["0022500622", "0022500623"])
    overflow["home_pts"] = [120, 3_000_000_000]  # passes the Int64 conform, overflows DuckDB INTEGER after DELETE
    with pytest.raises(Exception, match="(?i)overflow|out of range|conversion"):
        warehouse.replace_slices(NBAC_SCHEDULE, overflow, [D1])
    assert _ids(warehouse) == [("2026-01-21", "0022500622")]


def test_a_table_written_by_another_version_is_refused_with_a_clear_error(warehouse):
    from nba_backfill.errors import SchemaDriftError

    with warehouse.connect() as con:
        con.execute("CREATE SCHEMA nba_raw")
        con.execute("CREATE TABLE nba_raw.nbac_schedule (game_date DATE, game_id VARCHAR)")
    with pytest.raises(SchemaDriftError, match=r"nba_raw.nbac_schedule .*missing columns \['away_pts'"):
        warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622"]), [D1])


def test_the_plain_duckdb_tables_read_what_the_resource_reads(warehouse):
    """``validate`` reads through ``DuckDBTables`` without Dagster: the same file, the same conformed frames."""
    from nba_backfill.resources.readers import local_readers
    from nba_backfill.settings import local_settings

    warehouse.replace_slices(NBAC_SCHEDULE, _schedule_rows(D1, ["0022500622", "0022500623"]), [D1])
    plain = warehouse.tables
    [via_resource], [via_plain] = warehouse.read_many([(NBAC_SCHEDULE, [D1, D2])]), plain.read_many(
        [(NBAC_SCHEDULE, [D1, D2])])
    pd.testing.assert_frame_equal(via_resource, via_plain)
    assert list(via_plain["game_date"]) == [D1, D1] and list(via_plain["home_pts"]) == [120, 120]
    assert str(via_plain["home_pts"].dtype) == "Int64" and str(via_plain["game_id"].dtype) == "string"
    home = warehouse.path.rsplit("/", 1)[0]
    tables, folder = local_readers(local_settings(Path(home)))
    assert (tables.path, folder.root) == (f"{home}/warehouse.duckdb", f"{home}/lake")


@pytest.mark.parametrize("values", [
    pd.Series(pd.to_datetime(["2026-01-21", "2026-01-22"])),  # datetime64, as DuckDB returns DATE
    pd.Series(pd.to_datetime(["2026-01-21", None])),  # with a missing value: pandas' NaT, as before
    pd.Series([D1, D2], dtype="object"),  # already dates
    pd.Series(["2026-01-21", "2026-01-22"]),  # ISO strings
    pd.Series([], dtype="object"),
])
def test_date_objects_equal_pandas_dt_date(values):
    from nba_backfill.schemas.table import date_objects

    expected = pd.to_datetime(values).dt.date if len(values) else values.astype("object")
    pd.testing.assert_series_equal(date_objects(values), expected)
