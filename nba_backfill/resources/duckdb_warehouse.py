"""The embedded warehouse as a Dagster resource: one DuckDB file whose schemas are the datasets.

Implements the storage port :class:`~nba_backfill.resources.storage.Warehouse` by delegating every call to
:class:`~nba_backfill.resources.duckdb_tables.DuckDBTables`, the plain class that holds the SQL (and that
``nba-backfill validate`` uses without Dagster). Every write replaces a set of ``game_date`` slices inside one
transaction, so a re-run never duplicates rows and a failed write leaves the previous slices intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from nba_backfill.resources.duckdb_tables import DuckDBTables
from nba_backfill.resources.storage import SliceRead, Warehouse
from nba_backfill.schemas.table import Table


class DuckDBWarehouse(Warehouse):
    """DuckDB file warehouse; ``path`` is usually ``$NBA_BACKFILL_HOME/warehouse.duckdb``."""

    path: str
    lock_wait_seconds: float = 60.0

    @property
    def tables(self) -> DuckDBTables:
        """The plain DuckDB class every method delegates to (same file, same lock wait)."""
        return DuckDBTables(self.path, self.lock_wait_seconds)

    @contextlib.contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open a connection (the parent folder is created on first use).

        Raises:
            WarehouseBusyError: another process kept the file locked for ``lock_wait_seconds``.
        """
        with self.tables.connect(read_only) as con:
            yield con

    def ensure_tables(self, tables: Sequence[Table]) -> None:
        """Create the schemas and tables that do not exist yet.

        Raises:
            SchemaDriftError: a stored table's columns differ from the declared schema (an older version
                wrote it); the message names the columns and how to rebuild.
        """
        self.tables.ensure_tables(tables)

    def replace_slices(self, table: Table, df: pd.DataFrame, dates: Sequence[dt.date]) -> int:
        """Replace the rows dated in ``dates`` by ``df`` in one transaction (see the port for the contract).

        Raises:
            ValueError: a row's game_date lies outside ``dates`` (it would escape the replacement).
            duckdb.Error: the write failed; the transaction is rolled back and the old slices kept.
        """
        return self.tables.replace_slices(table, df, dates)

    def read_slices(self, table: Table, dates: Sequence[dt.date]) -> pd.DataFrame:
        """Rows dated in ``dates``, conformed to ``table`` (empty frame if none or no table)."""
        return self.tables.read_slices(table, dates)

    def read_many(self, reads: Sequence[SliceRead]) -> list[pd.DataFrame]:
        """Several reads through one connection (opening the file costs ~20 ms; a check step reads up to 8)."""
        return self.tables.read_many(reads)

    def count_by_date(self, table: Table, dates: Sequence[dt.date], distinct: str | None = None,
                      where: Mapping[str, Any] | None = None) -> dict[dt.date, int]:
        """Rows (or distinct ``distinct`` values) per game date, with equality filters ``where`` (None: IS NULL)."""
        return self.tables.count_by_date(table, dates, distinct, where)

    def is_initialized(self) -> bool:
        """Whether the DuckDB file exists."""
        return self.tables.is_initialized()

    def location(self) -> str:
        """The DuckDB file's path."""
        return self.tables.location()

    def table_uri(self, table: Table) -> str:
        """``duckdb:///<file>#<dataset>.<table>``."""
        return self.tables.table_uri(table)

    def for_sensor(self) -> DuckDBWarehouse:
        """A copy that waits at most 2 s for a writing run before raising ``WarehouseBusyError``."""
        return self.model_copy(update={"lock_wait_seconds": 2.0})

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read query (DuckDB only, not part of the port: tests and ad-hoc inspection)."""
        return self.tables.query(sql, params)
