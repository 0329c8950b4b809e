"""Slice replacement in the DuckDB warehouse: exact, idempotent, and atomic on failure."""

from __future__ import annotations

import datetime as dt

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
