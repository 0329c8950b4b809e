"""The embedded warehouse: one DuckDB file whose schemas are the datasets (nba_raw, nba_analytics, …).

Every write replaces exactly one ``game_date`` slice inside one transaction, so a re-run never duplicates
rows and a failed write leaves the previous slice intact. DuckDB allows a single writing process; the
project's Dagster instance queues runs one at a time and the code location uses the in-process executor.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import dagster as dg
import duckdb
import pandas as pd
import tenacity

from nba_backfill.errors import SchemaDriftError, WarehouseBusyError
from nba_backfill.schemas.table import Table


def _ddl(table: Table) -> str:
    cols = ", ".join(f'"{c.name}" {c.dtype}' for c in table.columns)
    return f"CREATE TABLE IF NOT EXISTS {table.qualified_name} ({cols})"


class DuckDBWarehouse(dg.ConfigurableResource):
    """DuckDB file warehouse; ``path`` is usually ``$NBA_BACKFILL_HOME/warehouse.duckdb``."""

    path: str
    lock_wait_seconds: float = 60.0

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        def locked(exc: BaseException) -> bool:
            return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()

        # Another process (a queued Dagster run, a sensor) may hold the file briefly: wait, then say so.
        try:
            for attempt in tenacity.Retrying(
                retry=tenacity.retry_if_exception(locked), reraise=True,
                stop=tenacity.stop_after_delay(self.lock_wait_seconds), wait=tenacity.wait_fixed(0.5),
            ):
                with attempt:
                    return duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            if not locked(exc):
                raise
            raise WarehouseBusyError(
                f"the warehouse {self.path} is locked by another process (a run is writing) for more than "
                f"{self.lock_wait_seconds:.0f} s; retry when it finishes"
            ) from exc
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open a connection (the parent folder is created on first use).

        Raises:
            WarehouseBusyError: another process kept the file locked for ``lock_wait_seconds``.
        """
        if not read_only:
            from pathlib import Path

            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = self._open(read_only)
        try:
            yield con
        finally:
            con.close()

    def ensure_table(self, con: duckdb.DuckDBPyConnection, table: Table) -> None:
        """Create the dataset schema and the table if absent.

        Raises:
            SchemaDriftError: the stored table's columns differ from the declared schema (an older version
                wrote it); the message names the columns and how to rebuild.
        """
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {table.dataset}")
        con.execute(_ddl(table))
        stored = [row[0] for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "ORDER BY ordinal_position", [table.dataset, table.name]).fetchall()]
        if stored != table.column_names:
            missing = sorted(set(table.column_names) - set(stored))
            extra = sorted(set(stored) - set(table.column_names))
            raise SchemaDriftError(
                f"{table.qualified_name} in {self.path} was written by another version (missing columns "
                f"{missing}, unknown {extra}); rebuild it: `nba-backfill demo` starts fresh, or drop the table "
                "and backfill its partitions"
            )

    def replace_slice(self, table: Table, df: pd.DataFrame, start: dt.date, end: dt.date) -> int:
        """Replace the rows with ``start <= game_date < end`` by ``df`` in one transaction.

        Args:
            table: the target table's schema.
            df: rows conforming to ``table`` (use ``table.conform``); every ``game_date`` inside the slice.
            start: first game date of the slice (inclusive).
            end: end of the slice (exclusive).

        Returns:
            The number of rows written.

        Raises:
            ValueError: a row's game_date lies outside the slice (it would escape the replacement).
            duckdb.Error: the write failed; the transaction is rolled back and the old slice kept.
        """
        df = table.conform(df)
        outside = df[(df["game_date"] < start) | (df["game_date"] >= end)] if len(df) else df
        if len(outside):
            raise ValueError(
                f"{table.qualified_name}: {len(outside)} rows have game_date outside {start} … {end} "
                f"(first: {outside['game_date'].iloc[0]}); the asset built rows for the wrong partition"
            )
        casts = ", ".join(f'CAST("{c.name}" AS {c.dtype})' for c in table.columns)
        with self.connect() as con:
            self.ensure_table(con, table)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(
                    f"DELETE FROM {table.qualified_name} WHERE game_date >= ? AND game_date < ?", [start, end]
                )
                if len(df):
                    con.register("incoming_slice", df)
                    con.execute(f"INSERT INTO {table.qualified_name} SELECT {casts} FROM incoming_slice")
                    con.unregister("incoming_slice")
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return len(df)

    def read_slice(self, table: Table, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Rows with ``start <= game_date < end``, conformed to ``table`` (empty frame if none or no table)."""
        with self.connect() as con:
            self.ensure_table(con, table)
            df = con.execute(
                f"SELECT * FROM {table.qualified_name} WHERE game_date >= ? AND game_date < ? "
                f"ORDER BY {', '.join(('game_date', *table.primary_key))}",
                [start, end],
            ).df()
        return table.conform(df) if len(df) else table.empty_frame()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame (used by reports and checks)."""
        with self.connect() as con:
            return con.execute(sql, params or []).df()
