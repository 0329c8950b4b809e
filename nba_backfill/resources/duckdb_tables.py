"""The DuckDB file warehouse as a plain class: every SQL statement of the embedded deployment, without Dagster.

One DuckDB file whose schemas are the datasets (nba_raw, nba_analytics, …). Every write replaces a set of
``game_date`` slices inside one transaction, so a re-run never duplicates rows and a failed write leaves the
previous slices intact. DuckDB allows a single writing process; the project's Dagster instance queues runs
one at a time and the code location uses the in-process executor.

:class:`~nba_backfill.resources.duckdb_warehouse.DuckDBWarehouse` (the Dagster resource of the storage port)
delegates here; ``nba-backfill validate`` reads through this class directly, so it starts without importing
Dagster (``resources/readers.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import tenacity

from nba_backfill.errors import SchemaDriftError, WarehouseBusyError
from nba_backfill.resources.readers import SliceRead
from nba_backfill.schemas.table import Table

# A date list as a DATE[] parameter; the BETWEEN lets DuckDB skip row groups outside the range.
_IN_DATES = "game_date BETWEEN ? AND ? AND game_date IN (SELECT unnest(?::DATE[]))"


def _ddl(table: Table) -> str:
    cols = ", ".join(f'"{c.name}" {c.dtype}' for c in table.columns)
    return f"CREATE TABLE IF NOT EXISTS {table.qualified_name} ({cols})"


def _date_params(dates: Sequence[dt.date]) -> list:
    days = sorted(set(dates))
    return [days[0], days[-1], days]


@dataclass(frozen=True)
class DuckDBTables:
    """Tables of ``game_date`` slices in the DuckDB file ``path`` (usually ``$NBA_BACKFILL_HOME/warehouse.duckdb``).

    ``lock_wait_seconds``: how long to wait for another process's lock before raising ``WarehouseBusyError``.
    """

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
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = self._open(read_only)
        try:
            yield con
        finally:
            con.close()

    def _ensure(self, con: duckdb.DuckDBPyConnection, table: Table) -> None:
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

    def ensure_tables(self, tables: Sequence[Table]) -> None:
        """Create the schemas and tables that do not exist yet.

        Raises:
            SchemaDriftError: a stored table's columns differ from the declared schema (an older version
                wrote it); the message names the columns and how to rebuild.
        """
        with self.connect() as con:
            for table in tables:
                self._ensure(con, table)

    def replace_slices(self, table: Table, df: pd.DataFrame, dates: Sequence[dt.date]) -> int:
        """Replace the rows dated in ``dates`` by ``df`` in one transaction (see the port for the contract).

        Returns:
            The number of rows written.

        Raises:
            ValueError: a row's game_date lies outside ``dates`` (it would escape the replacement).
            duckdb.Error: the write failed; the transaction is rolled back and the old slices kept.
        """
        df = table.conform(df)
        wanted = set(dates)
        outside = df[~df["game_date"].isin(wanted)] if len(df) else df
        if len(outside):
            raise ValueError(
                f"{table.qualified_name}: {len(outside)} rows have a game_date outside the {len(wanted)} dates "
                f"being replaced (first: {outside['game_date'].iloc[0]}); the asset built rows for the wrong partition"
            )
        if not wanted:
            return 0  # nothing to replace (the port's contract, as in BigQuery)
        casts = ", ".join(f'CAST("{c.name}" AS {c.dtype})' for c in table.columns)
        with self.connect() as con:
            self._ensure(con, table)
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f"DELETE FROM {table.qualified_name} WHERE {_IN_DATES}", _date_params(dates))
                if len(df):
                    con.register("incoming_slice", df)
                    con.execute(f"INSERT INTO {table.qualified_name} SELECT {casts} FROM incoming_slice")
                    con.unregister("incoming_slice")
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return len(df)

    def _read(self, con: duckdb.DuckDBPyConnection, table: Table, dates: Sequence[dt.date]) -> pd.DataFrame:
        if not dates:
            return table.empty_frame()
        try:
            df = con.execute(
                f"SELECT * FROM {table.qualified_name} WHERE {_IN_DATES} "
                f"ORDER BY {', '.join(('game_date', *table.primary_key))}", _date_params(dates)).df()
        except duckdb.CatalogException:  # never written yet: nothing stored for any date
            return table.empty_frame()
        return table.conform(df) if len(df) else table.empty_frame()

    def read_slices(self, table: Table, dates: Sequence[dt.date]) -> pd.DataFrame:
        """The rows of ``table`` dated in ``dates``, conformed to ``table``.

        Returns:
            One row per row of the table (its grain), sorted by game_date and primary key; an empty frame
            with the table's columns when none (or the table does not exist yet).

        Raises:
            WarehouseBusyError: another process kept the file locked for ``lock_wait_seconds``.
        """
        with self.connect() as con:
            return self._read(con, table, dates)

    def read_many(self, reads: Sequence[SliceRead]) -> list[pd.DataFrame]:
        """:meth:`read_slices` of several (table, dates) pairs through one connection (opening the file costs
        ~20 ms; a check step reads up to 8).

        Raises:
            WarehouseBusyError: another process kept the file locked for ``lock_wait_seconds``.
        """
        with self.connect() as con:
            return [self._read(con, table, dates) for table, dates in reads]

    def count_by_date(self, table: Table, dates: Sequence[dt.date], distinct: str | None = None,
                      where: Mapping[str, Any] | None = None) -> dict[dt.date, int]:
        """Rows (or distinct ``distinct`` values) per game date, with equality filters ``where`` (None: IS NULL).

        Returns:
            game date → count, for the dates that have at least one counted row (absent = 0).

        Raises:
            ValueError: ``distinct`` or a ``where`` column is not a column of ``table``.
        """
        if not dates:
            return {}
        names = set(table.column_names)
        unknown = [c for c in [distinct, *(where or {})] if c and c not in names]
        if unknown:
            raise ValueError(f"{table.qualified_name} has no columns {unknown}")
        counted = f'count(DISTINCT "{distinct}")' if distinct else "count(*)"
        where = dict(where or {})
        # None means SQL IS NULL (an equality with NULL would match nothing)
        filters = "".join(f' AND "{col}" IS NULL' if value is None else f' AND "{col}" = ?'
                          for col, value in where.items())
        values = [value for value in where.values() if value is not None]
        sql = (f"SELECT game_date, {counted} AS n FROM {table.qualified_name} WHERE {_IN_DATES}{filters} "
               "GROUP BY game_date")
        with self.connect() as con:
            try:
                rows = con.execute(sql, [*_date_params(dates), *values]).fetchall()
            except duckdb.CatalogException:
                return {}
        return {day: int(n) for day, n in rows if n}

    def is_initialized(self) -> bool:
        """Whether the DuckDB file exists."""
        return Path(self.path).exists()

    def location(self) -> str:
        """The DuckDB file's path."""
        return str(Path(self.path).resolve())

    def table_uri(self, table: Table) -> str:
        """``duckdb:///<file>#<dataset>.<table>``."""
        return f"duckdb://{Path(self.path).resolve()}#{table.qualified_name}"

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read query (DuckDB only, not part of the port: tests and ad-hoc inspection)."""
        with self.connect() as con:
            return con.execute(sql, params or []).df()
