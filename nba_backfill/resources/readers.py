"""The read side of the storage port, without Dagster: what ``nba-backfill validate`` and the checks read.

``TableReader`` and ``ObjectReader`` are the few port methods a report needs. The Dagster resources of every
deployment (``storage.Warehouse`` / ``storage.ObjectStore``) satisfy them, and so do the plain classes of the
local deployment (``DuckDBTables`` + ``LocalFolder``), which :func:`local_readers` builds without importing
Dagster: a command that only reads starts in well under a second (importing Dagster alone takes ~1 s).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from nba_backfill.schemas.table import Table

if TYPE_CHECKING:
    import pandas as pd

    from nba_backfill.settings import Settings

SliceRead = tuple[Table, Sequence[dt.date]]


class TableReader(Protocol):
    """Reads ``game_date`` slices of tables (see ``storage.Warehouse`` for the contract)."""

    def read_many(self, reads: Sequence[SliceRead]) -> list[pd.DataFrame]:
        """Per (table, dates): its rows dated in ``dates``, conformed to the table (one row per table row)."""

    def is_initialized(self) -> bool:
        """Whether the warehouse was ever written."""

    def location(self) -> str:
        """Where the warehouse lives, for messages."""


class ObjectReader(Protocol):
    """Reads raw objects by name (see ``storage.ObjectStore`` for the contract)."""

    def exists(self, name: str) -> bool:
        """Whether object ``name`` exists."""

    def get_json(self, name: str) -> Any:
        """Object ``name`` parsed as JSON (raises ``FileNotFoundError`` when absent)."""


def read_slices(warehouse: TableReader, *reads: tuple[Table, dt.date, dt.date]) -> list[pd.DataFrame]:
    """The rows ``start <= game_date < end`` of several (table, start, end), in one storage round
    (``read_many``: one connection on DuckDB). A table not created yet reads as empty.

    Returns:
        One frame per read, in order; one row per row of its table.

    Raises:
        WarehouseBusyError: another process holds the storage longer than the implementation waits.
    """
    def days(start: dt.date, end: dt.date) -> list[dt.date]:
        return [start + dt.timedelta(days=i) for i in range((end - start).days)]

    return warehouse.read_many([(table, days(start, end)) for table, start, end in reads])


def local_readers(settings: Settings) -> tuple[TableReader, ObjectReader] | None:
    """The deployment's warehouse and object store for reading, without Dagster: the DuckDB file and the lake
    folder of the ``local`` deployment; None for any other deployment (use ``definitions.build_storage``).
    """
    if settings.deployment != "local":
        return None
    from nba_backfill.resources.duckdb_tables import DuckDBTables
    from nba_backfill.resources.local_folder import LocalFolder

    return DuckDBTables(str(settings.warehouse_path)), LocalFolder(str(settings.lake_path))
