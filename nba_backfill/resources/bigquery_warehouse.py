"""The ``gcp`` warehouse: BigQuery datasets ``nba_raw``, ``nba_analytics``, ``nba_precompute``, ``nba_predictions``.

Tables are created up front from the same :class:`~nba_backfill.schemas.table.Table` declarations as the DuckDB
warehouse: partitioned by ``game_date`` (DAY), clustered by up to four primary-key columns other than
``game_date``, and ``require_partition_filter = true``, so every query below filters on ``game_date``.

A write replaces whole ``game_date`` slices in one statement: the frame is loaded into a staging table
(PARQUET, WRITE_TRUNCATE, explicit schema), then one parameterised ``MERGE … ON FALSE`` deletes the target's
rows of those dates and inserts the staged rows atomically; the staging table is dropped afterwards. A failure
leaves every slice as it was.

Credentials come only from Application Default Credentials (dagster-gcp's ``BigQueryResource``). When
``api_endpoint`` is set (tests, the local emulator) the client talks to that endpoint with anonymous
credentials instead; in production it stays empty.

Each query job's ``total_bytes_processed`` is recorded in :attr:`BigQueryWarehouse.job_stats` and logged at
INFO (logger ``nba_backfill.resources.bigquery_warehouse``), to derive a cost model later.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from dagster_gcp import BigQueryResource
from google.api_core import exceptions as gexc
from google.cloud import bigquery
from pydantic import PrivateAttr

from nba_backfill.errors import SchemaDriftError, WarehouseWriteError
from nba_backfill.resources.storage import SliceRead, Warehouse
from nba_backfill.schemas.table import Table

log = logging.getLogger(__name__)

# DuckDB type (as declared in nba_backfill.schemas) -> BigQuery standard SQL type.
BIGQUERY_TYPES = {
    "VARCHAR": "STRING",
    "BIGINT": "INT64",
    "INTEGER": "INT64",
    "DOUBLE": "FLOAT64",
    "BOOLEAN": "BOOL",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
}
# The tables API answers with legacy names (INTEGER, FLOAT, BOOLEAN); compare in standard SQL names.
_STANDARD_NAMES = {"INTEGER": "INT64", "FLOAT": "FLOAT64", "BOOLEAN": "BOOL"}
# BigQuery cannot cluster on FLOAT64 columns.
_CLUSTERABLE = {"STRING", "INT64", "BOOL", "DATE", "TIMESTAMP"}

PARTITION_COLUMN = "game_date"
_MAX_JOB_STATS = 1000
# `game_date IN UNNEST(@dates)` is exact; the BETWEEN bounds are constants BigQuery prunes partitions by.
DATE_FILTER = "{a}game_date IN UNNEST(@dates) AND {a}game_date BETWEEN @lo AND @hi"


@dataclass(frozen=True)
class JobStat:
    """One BigQuery job: what it did, on which table, and the bytes it processed (None if not reported)."""

    kind: str  # "read", "count", "merge", "load"
    table: str
    n_dates: int
    job_id: str | None
    total_bytes_processed: int | None
    total_bytes_billed: int | None


def bigquery_schema(table: Table) -> list[bigquery.SchemaField]:
    """The BigQuery schema of ``table`` (all columns NULLABLE, declared order)."""
    return [bigquery.SchemaField(c.name, BIGQUERY_TYPES[c.dtype], description=c.description or None)
            for c in table.columns]


def clustering_columns(table: Table) -> list[str]:
    """Up to four primary-key columns other than ``game_date`` that BigQuery can cluster on."""
    types = {c.name: BIGQUERY_TYPES[c.dtype] for c in table.columns}
    return [c for c in table.primary_key if c != PARTITION_COLUMN and types[c] in _CLUSTERABLE][:4]


def bigquery_table(table_id: str, table: Table) -> bigquery.Table:
    """The table resource created for ``table``: DAY partitions on game_date, clustered, partition filter required."""
    target = bigquery.Table(table_id, schema=bigquery_schema(table))
    target.time_partitioning = bigquery.TimePartitioning(type_=bigquery.TimePartitioningType.DAY,
                                                         field=PARTITION_COLUMN)
    target.clustering_fields = clustering_columns(table) or None
    target.require_partition_filter = True
    target.description = table.grain
    return target


class EmulatorAwareBigQueryResource(BigQueryResource):
    """dagster-gcp's ``BigQueryResource`` plus an optional ``api_endpoint`` (empty in production).

    With an endpoint, the client uses it with anonymous credentials (a local emulator); without, the stock
    behaviour: ``bigquery.Client(project, location)`` with Application Default Credentials.
    """

    api_endpoint: str | None = None

    @contextlib.contextmanager
    def get_client(self) -> Iterator[bigquery.Client]:
        """A client on ``api_endpoint`` with anonymous credentials, or the stock ADC client."""
        if not self.api_endpoint:
            with super().get_client() as client:
                yield client
            return
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials

        client = bigquery.Client(project=self.project, location=self.location,
                                 credentials=AnonymousCredentials(),
                                 client_options=ClientOptions(api_endpoint=self.api_endpoint))
        try:
            yield client
        finally:
            client.close()


class BigQueryWarehouse(Warehouse):
    """BigQuery implementation of the storage port's :class:`~nba_backfill.resources.storage.Warehouse`.

    Attributes:
        project: the GCP project that holds the datasets (and runs the jobs).
        dataset_location: dataset and job location, e.g. ``US`` or ``europe-west1`` (named so because
            :meth:`location` is the port's "where is the warehouse" method).
        dataset_prefix: prepended to every dataset name (``dev_`` -> ``dev_nba_raw``); empty in production.
        api_endpoint: BigQuery REST endpoint of an emulator (``http://127.0.0.1:9050``); empty in production.
    """

    project: str
    dataset_location: str = "US"
    dataset_prefix: str = ""
    api_endpoint: str = ""

    _ensured: set = PrivateAttr(default_factory=set)
    _job_stats: list = PrivateAttr(default_factory=list)

    # --- plumbing ------------------------------------------------------------------------------------------

    def _resource(self) -> EmulatorAwareBigQueryResource:
        return EmulatorAwareBigQueryResource(project=self.project, location=self.dataset_location,
                                             api_endpoint=self.api_endpoint or None)

    @contextlib.contextmanager
    def client(self) -> Iterator[bigquery.Client]:
        """A BigQuery client for this project (ADC in production, anonymous on an emulator endpoint)."""
        with self._resource().get_client() as client:
            yield client

    @property
    def job_stats(self) -> list[JobStat]:
        """The latest jobs this instance ran (at most 1000), oldest first (bytes processed for a cost model)."""
        return list(self._job_stats)

    def dataset_id(self, table: Table) -> str:
        """The dataset of ``table`` with the prefix (``dev_nba_raw``)."""
        return f"{self.dataset_prefix}{table.dataset}"

    def table_id(self, table: Table) -> str:
        """``project.dataset.table`` as the client API takes it."""
        return f"{self.project}.{self.dataset_id(table)}.{table.name}"

    def _sql_name(self, table: Table) -> str:
        return f"`{self.table_id(table)}`"

    def table_uri(self, table: Table) -> str:
        """``bigquery://project/dataset.table``."""
        return f"bigquery://{self.project}/{self.dataset_id(table)}.{table.name}"

    def location(self) -> str:
        """``bigquery://project/<prefix>nba_* (location)``: where the datasets live, no credentials."""
        return f"bigquery://{self.project}/{self.dataset_prefix}nba_* ({self.dataset_location})"

    def is_initialized(self) -> bool:
        """Whether the raw dataset exists (every deployment writes the schedule first)."""
        with self.client() as client:
            try:
                client.get_dataset(f"{self.project}.{self.dataset_prefix}nba_raw")
            except gexc.NotFound:
                return False
        return True

    def _record(self, kind: str, table: Table, n_dates: int, job: Any) -> None:
        stat = JobStat(kind, self.table_id(table), n_dates, getattr(job, "job_id", None),
                       getattr(job, "total_bytes_processed", None), getattr(job, "total_bytes_billed", None))
        self._job_stats.append(stat)
        del self._job_stats[:-_MAX_JOB_STATS]  # a long-lived process (sensor daemon) keeps only the latest
        log.info("bigquery %s %s (%d dates): %s bytes processed, %s billed, job %s", kind, stat.table,
                 n_dates, stat.total_bytes_processed, stat.total_bytes_billed, stat.job_id)

    def _query(self, client: bigquery.Client, kind: str, table: Table, sql: str,
               params: list, n_dates: int) -> bigquery.QueryJob:
        job = client.query(sql, job_config=bigquery.QueryJobConfig(query_parameters=params))
        job.result()
        self._record(kind, table, n_dates, job)
        return job

    @staticmethod
    def _date_params(dates: Sequence[dt.date]) -> tuple[list[dt.date], list]:
        days = sorted(set(dates))
        return days, [
            bigquery.ArrayQueryParameter("dates", "DATE", days),
            bigquery.ScalarQueryParameter("lo", "DATE", days[0]),
            bigquery.ScalarQueryParameter("hi", "DATE", days[-1]),
        ]

    # --- tables ----------------------------------------------------------------------------------------------

    def ensure_tables(self, tables: Sequence[Table]) -> None:
        """Create the datasets and the partitioned, clustered tables that do not exist (see the port)."""
        with self.client() as client:
            for table in tables:
                self._ensure(client, table)

    def _ensure(self, client: bigquery.Client, table: Table) -> None:
        key = self.table_id(table)
        if key in self._ensured:
            return
        dataset = bigquery.Dataset(f"{self.project}.{self.dataset_id(table)}")
        dataset.location = self.dataset_location
        client.create_dataset(dataset, exists_ok=True)
        try:
            client.create_table(bigquery_table(key, table))
        except gexc.Conflict:
            self._check_drift(client.get_table(key), table)
        self._ensured.add(key)

    def _check_drift(self, stored: bigquery.Table, table: Table) -> None:
        stored_cols = [(f.name, _STANDARD_NAMES.get(f.field_type.upper(), f.field_type.upper()))
                       for f in stored.schema]
        declared = [(c.name, BIGQUERY_TYPES[c.dtype]) for c in table.columns]
        if stored_cols == declared:
            return
        stored_names = [n for n, _ in stored_cols]
        missing = sorted(set(table.column_names) - set(stored_names))
        extra = sorted(set(stored_names) - set(table.column_names))
        retyped = sorted(n for (n, t) in declared if n in stored_names and dict(stored_cols)[n] != t)
        raise SchemaDriftError(
            f"{self.table_uri(table)} was written by another version (missing columns {missing}, unknown "
            f"{extra}, other type {retyped}{', other order' if not (missing or extra or retyped) else ''}); "
            "rebuild it: drop the table and backfill its partitions"
        )

    # --- reads -----------------------------------------------------------------------------------------------

    def read_slices(self, table: Table, dates: Sequence[dt.date]) -> pd.DataFrame:
        """Rows dated in ``dates``, conformed (see the port); one query, pruned to those partitions."""
        return self.read_many([(table, dates)])[0]

    def read_many(self, reads: Sequence[SliceRead]) -> list[pd.DataFrame]:
        """Several reads through one client."""
        out = []
        with self.client() as client:
            for table, dates in reads:
                out.append(self._read(client, table, dates))
        return out

    def _read(self, client: bigquery.Client, table: Table, dates: Sequence[dt.date]) -> pd.DataFrame:
        if not dates:
            return table.empty_frame()
        self._ensure(client, table)
        days, params = self._date_params(dates)
        cols = ", ".join(f"`{c}`" for c in table.column_names)
        order = ", ".join(f"`{c}`" for c in dict.fromkeys((PARTITION_COLUMN, *table.primary_key)))
        sql = (f"SELECT {cols} FROM {self._sql_name(table)} WHERE {DATE_FILTER.format(a='')} "
               f"ORDER BY {order}")
        job = self._query(client, "read", table, sql, params, len(days))
        df = job.to_dataframe(create_bqstorage_client=False)
        if not len(df):
            return table.empty_frame()
        for col in table.columns:  # db-dtypes dbdate -> datetime.date objects before conforming
            if col.dtype == "DATE":
                df[col.name] = df[col.name].astype(object).where(df[col.name].notna(), None)
        return table.conform(df)

    def count_by_date(self, table: Table, dates: Sequence[dt.date], distinct: str | None = None,
                      where: Mapping[str, Any] | None = None) -> dict[dt.date, int]:
        """Rows (or distinct ``distinct`` values) per game date, with equality filters ``where`` (None: IS NULL)."""
        if not dates:
            return {}
        types = {c.name: BIGQUERY_TYPES[c.dtype] for c in table.columns}
        unknown = [c for c in [distinct, *(where or {})] if c is not None and c not in types]
        if unknown:
            raise ValueError(f"{table.qualified_name} has no columns {unknown}")
        days, params = self._date_params(dates)
        conditions = [DATE_FILTER.format(a="")]
        for i, (col, value) in enumerate((where or {}).items()):
            if value is None:
                conditions.append(f"`{col}` IS NULL")
            else:
                conditions.append(f"`{col}` = @w{i}")
                params.append(bigquery.ScalarQueryParameter(f"w{i}", types[col], value))
        measure = f"COUNT(DISTINCT `{distinct}`)" if distinct else "COUNT(*)"
        sql = (f"SELECT game_date, {measure} AS n FROM {self._sql_name(table)} "
               f"WHERE {' AND '.join(conditions)} GROUP BY game_date")
        with self.client() as client:
            self._ensure(client, table)
            job = self._query(client, "count", table, sql, params, len(days))
            return {row["game_date"]: int(row["n"]) for row in job.result() if row["n"]}

    # --- writes ----------------------------------------------------------------------------------------------

    def replace_slices(self, table: Table, df: pd.DataFrame, dates: Sequence[dt.date]) -> int:
        """Replace the slices of ``dates`` by ``df``: staging load, then one atomic MERGE (see the port).

        Raises:
            ValueError: a row dated outside ``dates`` or a non-conforming column (nothing written).
            WarehouseWriteError: the load or the MERGE failed; the slices keep their previous rows.
        """
        df = table.conform(df)  # ValueError before anything is touched
        days = sorted(set(dates))
        if len(df):
            outside = df[~df[PARTITION_COLUMN].isin(set(days))]
            if len(outside):
                raise ValueError(
                    f"{table.qualified_name}: {len(outside)} rows have game_date outside the slices "
                    f"{[d.isoformat() for d in days]} (first: {outside[PARTITION_COLUMN].iloc[0]}); the asset "
                    "built rows for the wrong partition"
                )
        if not days:
            return 0
        with self.client() as client:
            self._ensure(client, table)
            staging_id = f"{self.project}.{self.dataset_id(table)}._staging_{table.name}_{uuid.uuid4().hex[:12]}"
            try:
                self._stage(client, table, df, staging_id, len(days))
                self._merge(client, table, staging_id, days)
            except Exception as exc:
                raise WarehouseWriteError(
                    f"writing {len(df)} rows to {self.table_uri(table)} for game dates "
                    f"{[d.isoformat() for d in days]} failed; the previous rows of those dates are kept: {exc}"
                ) from exc
            finally:
                with contextlib.suppress(Exception):
                    client.delete_table(staging_id, not_found_ok=True)
        return len(df)

    def _stage(self, client: bigquery.Client, table: Table, df: pd.DataFrame, staging_id: str,
               n_dates: int) -> None:
        staging = bigquery.Table(staging_id, schema=bigquery_schema(table))
        # A crashed process cannot drop it: let BigQuery expire it.
        staging.expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=6)
        client.create_table(staging)
        if not len(df):
            return
        job = client.load_table_from_dataframe(df, staging_id, job_config=bigquery.LoadJobConfig(
            schema=bigquery_schema(table), source_format=bigquery.SourceFormat.PARQUET,
            write_disposition=bigquery.WriteDisposition.WRITE_TRUNCATE))
        job.result()
        self._record("load", table, n_dates, job)

    def _merge(self, client: bigquery.Client, table: Table, staging_id: str, days: list[dt.date]) -> None:
        cols = ", ".join(f"`{c}`" for c in table.column_names)
        values = ", ".join(f"S.`{c}`" for c in table.column_names)
        sql = (
            f"MERGE {self._sql_name(table)} T USING (SELECT {cols} FROM `{staging_id}`) S ON FALSE "
            f"WHEN NOT MATCHED BY SOURCE AND {DATE_FILTER.format(a='T.')} THEN DELETE "
            f"WHEN NOT MATCHED THEN INSERT ({cols}) VALUES ({values})"
        )
        self._query(client, "merge", table, sql, self._date_params(days)[1], len(days))
