"""The storage port: every table and object operation the product needs, in its own terms.

Assets, checks, sensors, the gap scan, validation, the CLI and the demo talk to storage only through these two
resources, received from ``definitions.build_resources(settings)`` under the keys ``warehouse`` and
``object_store``. A deployment is one implementation of each:

- ``local`` (embedded default): :class:`~nba_backfill.resources.duckdb_warehouse.DuckDBWarehouse` +
  :class:`~nba_backfill.resources.local_object_store.LocalObjectStore`;
- ``gcp``: BigQuery + GCS (``resources/bigquery_warehouse.py``, ``resources/gcs_object_store.py``).

Every table is partitioned by ``game_date`` (one Dagster partition = one game date slice). Dates are
``datetime.date``; the contract (``nba_backfill_tests/resources/storage_contract.py``) runs against every
implementation. The read side alone, without Dagster, is ``resources/readers.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
import pandas as pd

from nba_backfill.resources.readers import SliceRead
from nba_backfill.schemas.table import Table


class Warehouse(dg.ConfigurableResource):
    """Tables of ``game_date`` slices. Subclasses implement every method below.

    Errors common to all implementations: ``WarehouseBusyError`` (another writer holds the storage longer
    than the implementation waits), ``SchemaDriftError`` (a stored table's columns differ from the declared
    schema), ``ValueError`` (rows that do not fit the slices being replaced).
    """

    def ensure_tables(self, tables: Sequence[Table]) -> None:
        """Create the datasets and tables that do not exist yet (idempotent).

        Raises:
            SchemaDriftError: an existing table's columns differ from ``table``'s declaration.
        """
        raise NotImplementedError

    def read_slices(self, table: Table, dates: Sequence[dt.date]) -> pd.DataFrame:
        """The rows of ``table`` whose ``game_date`` is in ``dates``, conformed to ``table``.

        Returns:
            One row per row of the table (its grain), sorted by game_date and primary key; an empty frame
            with the table's columns when none (or the table does not exist yet).
        """
        raise NotImplementedError

    def read_many(self, reads: Sequence[SliceRead]) -> list[pd.DataFrame]:
        """:meth:`read_slices` for several (table, dates) pairs; implementations may share one connection."""
        return [self.read_slices(table, dates) for table, dates in reads]

    def replace_slices(self, table: Table, df: pd.DataFrame, dates: Sequence[dt.date]) -> int:
        """Replace every row of ``table`` dated in ``dates`` by ``df``, atomically.

        A date of ``dates`` without rows in ``df`` becomes an empty slice (a day without games). Rows of other
        dates are untouched. After a failure, every slice is as it was before the call.

        Returns:
            The number of rows written.

        Raises:
            ValueError: a row of ``df`` is dated outside ``dates``, or a column does not conform.
        """
        raise NotImplementedError

    def count_by_date(self, table: Table, dates: Sequence[dt.date], distinct: str | None = None,
                      where: Mapping[str, Any] | None = None) -> dict[dt.date, int]:
        """Rows per game date of ``dates`` (``distinct``: distinct values of that column instead of rows).

        Args:
            table: the table to count in.
            dates: the game dates to count.
            distinct: count distinct values of this column instead of rows (e.g. ``game_id``).
            where: equality filters, column → value (e.g. ``{"game_status": 3}``).

        Returns:
            game date → count, for the dates that have at least one counted row (absent = 0).
        """
        raise NotImplementedError

    def is_initialized(self) -> bool:
        """Whether this warehouse was ever written (a fresh deployment has nothing to read or validate)."""
        raise NotImplementedError

    def location(self) -> str:
        """Where the warehouse lives, for messages (a file path, or ``bigquery://project``); no credentials."""
        raise NotImplementedError

    def table_uri(self, table: Table) -> str:
        """Where an operator finds ``table`` (e.g. ``duckdb:///…/warehouse.duckdb/nba_raw.nbac_schedule``)."""
        raise NotImplementedError

    def for_sensor(self) -> Warehouse:
        """A copy that gives up quickly (raises ``WarehouseBusyError``) when a run holds the storage."""
        return self


class ObjectStore(dg.ConfigurableResource):
    """Objects named like ``nba-com/boxscore/20260121/0022500622.json``; writes are all-or-nothing."""

    def put_json(self, name: str, payload: Mapping[str, Any]) -> str:
        """Write ``payload`` as JSON to object ``name`` (replacing it); return its URI."""
        raise NotImplementedError

    def put_bytes(self, name: str, data: bytes) -> str:
        """Write ``data`` verbatim to object ``name`` (e.g. a quarantined source response); return its URI."""
        raise NotImplementedError

    def get_json(self, name: str) -> dict:
        """Read object ``name`` as JSON.

        Raises:
            FileNotFoundError: no such object (the producing partition was never materialized).
            json.JSONDecodeError: the object is not JSON.
        """
        raise NotImplementedError

    def get_bytes(self, name: str) -> bytes:
        """Read object ``name`` verbatim.

        Raises:
            FileNotFoundError: no such object.
        """
        raise NotImplementedError

    def exists(self, name: str) -> bool:
        """Whether object ``name`` exists."""
        raise NotImplementedError

    def list(self, prefix: str) -> list[str]:
        """Names of the objects under ``prefix`` (e.g. ``nba-com/boxscore/20260121/``), sorted."""
        raise NotImplementedError

    def delete(self, name: str) -> None:
        """Delete object ``name`` (no error when absent)."""
        raise NotImplementedError

    def uri(self, name: str) -> str:
        """The URI of object ``name`` (``file:///…`` or ``gs://bucket/…``)."""
        raise NotImplementedError
