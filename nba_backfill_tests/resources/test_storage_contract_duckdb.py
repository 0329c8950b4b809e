"""The storage contract on the local deployment: DuckDB file warehouse + local folder object store."""

from __future__ import annotations

import pytest

from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.resources.local_object_store import LocalObjectStore
from nba_backfill_tests.resources.storage_contract import ObjectStoreContract, WarehouseContract


class TestDuckDBWarehouse(WarehouseContract):
    @pytest.fixture()
    def warehouse(self, tmp_path):
        return DuckDBWarehouse(path=str(tmp_path / "warehouse.duckdb"))

    def create_stale_table(self, warehouse: DuckDBWarehouse, table, columns):
        types = {c.name: c.dtype for c in table.columns}
        with warehouse.connect() as con:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {table.dataset}")
            con.execute(f"CREATE TABLE {table.qualified_name} "
                        f"({', '.join(f'{c} {types[c]}' for c in columns)})")


class TestLocalObjectStore(ObjectStoreContract):
    @pytest.fixture()
    def object_store(self, tmp_path):
        return LocalObjectStore(root=str(tmp_path / "lake"))
