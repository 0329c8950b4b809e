"""The storage port's contract, run against every implementation (DuckDB + local folder, BigQuery + GCS).

Reusable test classes: a concrete module subclasses them and provides the fixtures

- ``warehouse``: a fresh, empty :class:`~nba_backfill.resources.storage.Warehouse` (per test);
- ``object_store``: a fresh, empty :class:`~nba_backfill.resources.storage.ObjectStore` (per test);

and, for the schema-drift test, implements :meth:`WarehouseContract.create_stale_table` (a table of the same
name holding only some of the declared columns, written "by another version").

Example::

    class TestDuckDBWarehouse(WarehouseContract):
        @pytest.fixture()
        def warehouse(self, tmp_path): return DuckDBWarehouse(path=str(tmp_path / "w.duckdb"))
        def create_stale_table(self, warehouse, table, columns): ...

The rows are real: 2026-01-21 0022500622 BKN 66 at NYK 120 and 0022500623 ATL 124 at MEM 122, 2026-01-22
0022500627 CHA 124 at ORL 97 (team box scores and schedule as served by stats.nba.com).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import ClassVar

import pandas as pd
import pytest

from nba_backfill.errors import SchemaDriftError
from nba_backfill.schemas.raw import NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE
from nba_backfill.schemas.table import Table

D1, D2, D3 = dt.date(2026, 1, 21), dt.date(2026, 1, 22), dt.date(2026, 1, 23)

_TEAMS = {
    1610612751: ("BKN", "Brooklyn Nets"), 1610612752: ("NYK", "New York Knicks"),
    1610612737: ("ATL", "Atlanta Hawks"), 1610612763: ("MEM", "Memphis Grizzlies"),
    1610612753: ("ORL", "Orlando Magic"), 1610612766: ("CHA", "Charlotte Hornets"),
}
# (date, game, team, opponent, home, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, reb, ast, stl, blk, tov, pf, pts, +/-)
_TEAM_BOX = [
    (D1, "0022500622", 1610612751, 1610612752, False, 23, 79, 11, 40, 9, 13, 4, 23, 27, 15, 5, 4, 14, 16, 66, -54),
    (D1, "0022500622", 1610612752, 1610612751, True, 46, 80, 16, 32, 12, 17, 8, 48, 56, 28, 10, 6, 12, 18, 120, 54),
    (D1, "0022500623", 1610612737, 1610612763, False, 43, 92, 20, 45, 18, 24, 11, 31, 42, 34, 9, 6, 17, 24, 124, 2),
    (D1, "0022500623", 1610612763, 1610612737, True, 43, 93, 12, 35, 24, 27, 13, 30, 43, 26, 7, 7, 18, 23, 122, -2),
    (D2, "0022500627", 1610612753, 1610612766, True, 33, 79, 14, 37, 17, 22, 6, 25, 31, 25, 7, 4, 12, 23, 97, -27),
    (D2, "0022500627", 1610612766, 1610612753, False, 43, 79, 17, 36, 21, 25, 10, 37, 47, 26, 7, 4, 15, 18, 124, 27),
]
_STATS = ("fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf",
          "pts", "plus_minus")
# (date, game, home, away, home_pts, away_pts)
_SCHEDULE = [
    (D1, "0022500622", 1610612752, 1610612751, 120, 66),
    (D1, "0022500623", 1610612763, 1610612737, 122, 124),
    (D2, "0022500627", 1610612753, 1610612766, 97, 124),
]


def team_box_rows(*dates: dt.date) -> pd.DataFrame:
    """Real ``nba_raw.nbac_team_boxscore`` rows of the given dates, conformed."""
    rows = []
    for day, game, team, opp, home, *stats in _TEAM_BOX:
        if day in dates:
            rows.append({"game_date": day, "game_id": game, "team_id": team, "team_abbr": _TEAMS[team][0],
                         "team_name": _TEAMS[team][1], "opponent_team_id": opp, "opponent_team_abbr": _TEAMS[opp][0],
                         "is_home": home, "minutes": 240.0, **dict(zip(_STATS, stats, strict=True))})
    return NBAC_TEAM_BOXSCORE.conform(pd.DataFrame(rows, columns=NBAC_TEAM_BOXSCORE.column_names))


def schedule_rows(*dates: dt.date) -> pd.DataFrame:
    """Real ``nba_raw.nbac_schedule`` rows of the given dates, conformed."""
    rows = [{"game_date": day, "game_id": game, "season": "2025-26", "stage": "Regular Season", "in_scope": True,
             "game_status": 3, "game_status_text": "Final", "home_team_id": home, "home_team_abbr": _TEAMS[home][0],
             "away_team_id": away, "away_team_abbr": _TEAMS[away][0], "home_pts": hp, "away_pts": ap}
            for day, game, home, away, hp, ap in _SCHEDULE if day in dates]
    return NBAC_SCHEDULE.conform(pd.DataFrame(rows, columns=NBAC_SCHEDULE.column_names))


def sorted_like_read(table: Table, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` in the order ``read_slices`` promises: game_date, then primary key."""
    keys = list(dict.fromkeys(("game_date", *table.primary_key)))
    return table.conform(df).sort_values(keys).reset_index(drop=True)


def assert_same_rows(table: Table, got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same rows, same order, same columns and the same dtypes as ``table.conform`` gives."""
    assert list(got.columns) == table.column_names
    assert dict(got.dtypes) == dict(table.empty_frame().dtypes), "dtypes differ from Table.conform's"
    pd.testing.assert_frame_equal(got.reset_index(drop=True), sorted_like_read(table, expected))


class WarehouseContract:
    """Every :class:`~nba_backfill.resources.storage.Warehouse` must pass these (fixture ``warehouse``)."""

    def create_stale_table(self, warehouse, table: Table, columns: list[str]) -> None:
        """Create ``table`` holding only ``columns`` (as an older version would have); implementation-specific."""
        pytest.skip("this implementation provides no way to create a stale table")

    # --- replace and read ---------------------------------------------------------------------------------

    def test_replace_then_read_two_tables_on_two_dates(self, warehouse):
        box, sched = team_box_rows(D1, D2), schedule_rows(D1, D2)
        assert warehouse.replace_slices(NBAC_TEAM_BOXSCORE, box, [D1, D2]) == 6
        assert warehouse.replace_slices(NBAC_SCHEDULE, sched, [D1, D2]) == 3
        assert_same_rows(NBAC_TEAM_BOXSCORE, warehouse.read_slices(NBAC_TEAM_BOXSCORE, [D1, D2]), box)
        assert_same_rows(NBAC_TEAM_BOXSCORE, warehouse.read_slices(NBAC_TEAM_BOXSCORE, [D2]), team_box_rows(D2))
        got_box, got_sched = warehouse.read_many([(NBAC_TEAM_BOXSCORE, [D1]), (NBAC_SCHEDULE, [D2, D1])])
        assert_same_rows(NBAC_TEAM_BOXSCORE, got_box, team_box_rows(D1))
        assert_same_rows(NBAC_SCHEDULE, got_sched, sched)

    def test_replacing_again_never_duplicates(self, warehouse):
        for _ in range(2):
            warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1, D2), [D1, D2])
        warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1), [D1])
        assert_same_rows(NBAC_TEAM_BOXSCORE, warehouse.read_slices(NBAC_TEAM_BOXSCORE, [D1, D2]),
                         team_box_rows(D1, D2))
        # a smaller slice replaces the whole date: game 0022500623 disappears from D1, D2 is untouched
        only_622 = team_box_rows(D1).query("game_id == '0022500622'")
        assert warehouse.replace_slices(NBAC_TEAM_BOXSCORE, only_622, [D1]) == 2
        assert warehouse.count_by_date(NBAC_TEAM_BOXSCORE, [D1, D2]) == {D1: 2, D2: 2}

    def test_an_empty_frame_empties_exactly_that_date(self, warehouse):
        warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1, D2), [D1, D2])
        assert warehouse.replace_slices(NBAC_TEAM_BOXSCORE, NBAC_TEAM_BOXSCORE.empty_frame(), [D1]) == 0
        assert warehouse.count_by_date(NBAC_TEAM_BOXSCORE, [D1, D2]) == {D2: 2}
        empty = warehouse.read_slices(NBAC_TEAM_BOXSCORE, [D1])
        assert_same_rows(NBAC_TEAM_BOXSCORE, empty, NBAC_TEAM_BOXSCORE.empty_frame())
        # a date listed without rows in the frame becomes empty too (a day without games)
        warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1), [D1, D2])
        assert warehouse.count_by_date(NBAC_TEAM_BOXSCORE, [D1, D2]) == {D1: 4}

    def test_rows_outside_the_dates_are_refused_and_nothing_changes(self, warehouse):
        warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1, D2), [D1, D2])
        with pytest.raises(ValueError, match="outside"):
            warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1, D2), [D1])
        with pytest.raises(ValueError, match="outside"):
            warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D2), [D3])
        assert warehouse.count_by_date(NBAC_TEAM_BOXSCORE, [D1, D2, D3]) == {D1: 4, D2: 2}

    def test_a_frame_that_cannot_be_conformed_keeps_the_old_slice(self, warehouse):
        warehouse.replace_slices(NBAC_SCHEDULE, schedule_rows(D1), [D1])
        bad = schedule_rows(D1).astype({"home_pts": object})
        bad.loc[0, "home_pts"] = "not a score"
        with pytest.raises(ValueError, match="home_pts"):
            warehouse.replace_slices(NBAC_SCHEDULE, bad, [D1])
        assert_same_rows(NBAC_SCHEDULE, warehouse.read_slices(NBAC_SCHEDULE, [D1]), schedule_rows(D1))

    def test_a_value_the_warehouse_rejects_keeps_the_old_slices(self, warehouse):
        warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1, D2), [D1, D2])
        bad = team_box_rows(D1, D2)
        bad.loc[0, "team_name"] = "Brooklyn Nets\ud800"  # a lone surrogate: no UTF-8 encoding exists
        with pytest.raises(Exception):  # noqa: B017 - each implementation names it its own way
            warehouse.replace_slices(NBAC_TEAM_BOXSCORE, bad, [D1, D2])
        assert_same_rows(NBAC_TEAM_BOXSCORE, warehouse.read_slices(NBAC_TEAM_BOXSCORE, [D1, D2]),
                         team_box_rows(D1, D2))

    def test_no_dates_writes_nothing_and_rows_without_dates_are_refused(self, warehouse):
        warehouse.replace_slices(NBAC_SCHEDULE, schedule_rows(D1), [D1])
        assert warehouse.replace_slices(NBAC_SCHEDULE, NBAC_SCHEDULE.empty_frame(), []) == 0
        with pytest.raises(ValueError, match="outside"):
            warehouse.replace_slices(NBAC_SCHEDULE, schedule_rows(D2), [])
        assert warehouse.count_by_date(NBAC_SCHEDULE, [D1, D2]) == {D1: 2}
        assert warehouse.count_by_date(NBAC_SCHEDULE, []) == {}
        assert warehouse.read_slices(NBAC_SCHEDULE, []).empty

    def test_is_initialized_once_written_and_location_names_no_secret(self, warehouse):
        assert not warehouse.is_initialized()
        warehouse.replace_slices(NBAC_SCHEDULE, schedule_rows(D1), [D1])
        assert warehouse.is_initialized()
        assert warehouse.location() and "token" not in warehouse.location().lower()

    def test_reading_a_table_never_written_gives_an_empty_frame(self, warehouse):
        got = warehouse.read_slices(NBAC_SCHEDULE, [D1, D2])
        assert len(got) == 0
        assert_same_rows(NBAC_SCHEDULE, got, NBAC_SCHEDULE.empty_frame())
        assert warehouse.count_by_date(NBAC_SCHEDULE, [D1]) == {}

    # --- counts --------------------------------------------------------------------------------------------

    def test_count_by_date_with_distinct_and_where(self, warehouse):
        warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1, D2), [D1, D2])
        warehouse.replace_slices(NBAC_SCHEDULE, schedule_rows(D1, D2), [D1, D2])
        box = NBAC_TEAM_BOXSCORE
        assert warehouse.count_by_date(box, [D1, D2, D3]) == {D1: 4, D2: 2}
        assert warehouse.count_by_date(box, [D1, D2], distinct="game_id") == {D1: 2, D2: 1}
        assert warehouse.count_by_date(box, [D1, D2], where={"is_home": True}) == {D1: 2, D2: 1}
        assert warehouse.count_by_date(box, [D1, D2], where={"team_abbr": "NYK"}) == {D1: 1}
        assert warehouse.count_by_date(box, [D1, D2], distinct="game_id", where={"pts": 124}) == {D1: 1, D2: 1}
        assert warehouse.count_by_date(box, [D2], where={"team_id": 1610612751}) == {}
        assert warehouse.count_by_date(NBAC_SCHEDULE, [D1, D2], where={"game_status": 3}) == {D1: 2, D2: 1}
        # None matches missing values (SQL IS NULL), never nothing: a scheduled game has no score yet
        pending = schedule_rows(D1, D2)
        pending.loc[pending["game_id"] == "0022500627", ["home_pts", "away_pts", "game_status"]] = [pd.NA, pd.NA, 1]
        warehouse.replace_slices(NBAC_SCHEDULE, pending, [D1, D2])
        assert warehouse.count_by_date(NBAC_SCHEDULE, [D1, D2], where={"home_pts": None}) == {D2: 1}
        assert warehouse.count_by_date(NBAC_SCHEDULE, [D1, D2], where={"home_pts": None, "game_status": 1}) == {D2: 1}
        counts = warehouse.count_by_date(box, [D1])
        assert all(type(k) is dt.date for k in counts) and all(type(v) is int for v in counts.values())

    # --- tables --------------------------------------------------------------------------------------------

    def test_ensure_tables_is_idempotent_and_uri_names_the_table(self, warehouse):
        warehouse.ensure_tables([NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE])
        warehouse.ensure_tables([NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE])
        assert warehouse.table_uri(NBAC_SCHEDULE).endswith("nba_raw.nbac_schedule")
        assert warehouse.for_sensor().read_slices(NBAC_SCHEDULE, [D1]).empty

    def test_a_table_written_by_another_version_is_refused(self, warehouse):
        self.create_stale_table(warehouse, NBAC_SCHEDULE, ["game_date", "game_id"])
        with pytest.raises(SchemaDriftError, match=r"nba_raw\.nbac_schedule.*missing columns \['away_pts'"):
            warehouse.ensure_tables([NBAC_SCHEDULE])


class ObjectStoreContract:
    """Every :class:`~nba_backfill.resources.storage.ObjectStore` must pass these (fixture ``object_store``)."""

    NAME = "nba-com/boxscore/20260121/0022500622.json"
    PAYLOAD: ClassVar[dict] = {"gameId": "0022500622", "homeTeam": {"teamTricode": "NYK", "score": 120},
               "awayTeam": {"teamTricode": "BKN", "score": 66}}

    def test_put_then_get_json(self, object_store):
        uri = object_store.put_json(self.NAME, self.PAYLOAD)
        assert uri == object_store.uri(self.NAME) and uri.endswith(self.NAME)
        assert object_store.get_json(self.NAME) == self.PAYLOAD
        object_store.put_json(self.NAME, {**self.PAYLOAD, "homeTeam": {"teamTricode": "NYK", "score": 121}})
        assert object_store.get_json(self.NAME)["homeTeam"]["score"] == 121  # replaced, not appended

    def test_bytes_are_kept_verbatim(self, object_store):
        data = b"\x00\xff<html>429 Too Many Requests</html>\r\n"
        name = "quarantine/nba-com/boxscore/20260121/0022500622.bin"
        assert object_store.put_bytes(name, data) == object_store.uri(name)
        assert object_store.get_bytes(name) == data
        object_store.put_bytes("nba-com/x/not-json.json", b"<html>")
        with pytest.raises(json.JSONDecodeError):
            object_store.get_json("nba-com/x/not-json.json")

    def test_list_exists_delete(self, object_store):
        names = ["nba-com/boxscore/20260121/0022500623.json", self.NAME,
                 "nba-com/boxscore/20260122/0022500627.json", "nba-com/scoreboard/20260121.json"]
        for name in names:
            object_store.put_json(name, self.PAYLOAD)
        assert object_store.list("nba-com/boxscore/20260121/") == sorted(names[:2])
        assert object_store.list("nba-com/boxscore/") == sorted(names[:3])
        assert object_store.list("nba-com/nothing-here/") == []
        assert object_store.exists(self.NAME) and not object_store.exists("nba-com/boxscore/20260121/none.json")
        object_store.delete(self.NAME)
        object_store.delete(self.NAME)  # absent: no error
        assert not object_store.exists(self.NAME)
        assert object_store.list("nba-com/boxscore/20260121/") == [names[0]]

    def test_a_missing_object_raises_file_not_found(self, object_store):
        with pytest.raises(FileNotFoundError):
            object_store.get_json("nba-com/boxscore/20260121/0022599999.json")
        with pytest.raises(FileNotFoundError):
            object_store.get_bytes("nba-com/boxscore/20260121/0022599999.json")
