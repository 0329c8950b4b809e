"""The table-schema record every warehouse table is declared with (PUDL-style: schema first, checks from it).

A ``Table`` names its dataset (= Dagster key prefix = DuckDB schema = BigQuery dataset), its grain, its
columns with warehouse types, and its primary key. Storage creates tables from it and conforms every
DataFrame to it before a write, so a wrong column fails loudly before anything is replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

# Warehouse type -> pandas nullable dtype used to conform frames before a write.
PANDAS_DTYPES = {
    "VARCHAR": "string",
    "BIGINT": "Int64",
    "INTEGER": "Int64",
    "DOUBLE": "Float64",
    "BOOLEAN": "boolean",
    "DATE": "object",  # datetime.date values; DuckDB and BigQuery both take them as DATE
    "TIMESTAMP": "datetime64[us, UTC]",
}


def date_objects(values: pd.Series) -> pd.Series:
    """``values`` (dates, Timestamps, datetime64 or ISO strings) as ``datetime.date`` objects, index kept.

    Raises:
        ValueError: a value is not a date.
    """
    if not len(values):
        return values.astype("object")
    if values.dtype.kind == "M" and getattr(values.dtype, "tz", None) is None and not values.isna().any():
        # numpy turns datetime64[D] into datetime.date objects in C; pandas' .dt.date loops in Python (~5 ms
        # per column of a few thousand rows). Missing values keep pandas' NaT below.
        days = values.to_numpy().astype("datetime64[D]").astype(object)
        return pd.Series(days, index=values.index, name=values.name, dtype="object")
    if values.dtype == object and all(type(v) is dt.date for v in values):
        return values.copy()  # already dates (a frame read and conformed before)
    return pd.to_datetime(values).dt.date


@dataclass(frozen=True)
class Column:
    """One column: name (units in the name: ``_minutes``, ``_pct``), warehouse type, description."""

    name: str
    dtype: str
    description: str = ""


@dataclass(frozen=True)
class Table:
    """One warehouse table partitioned by ``game_date`` (one Dagster partition = one game date slice)."""

    dataset: str
    name: str
    grain: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]

    @property
    def qualified_name(self) -> str:
        """``dataset.table``, e.g. ``nba_raw.nbac_team_boxscore``."""
        return f"{self.dataset}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        """The declared column names, in order."""
        return [c.name for c in self.columns]

    def conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return ``df`` with exactly this table's columns, in order, cast to the declared types.

        Raises:
            ValueError: a declared column is missing or a value cannot be cast; names the table and column.
        """
        missing = [c for c in self.column_names if c not in df.columns]
        if missing:
            raise ValueError(f"{self.qualified_name}: frame lacks columns {missing}; fix the asset that builds it")
        out = {}
        for col in self.columns:
            target = PANDAS_DTYPES[col.dtype]
            values = df[col.name]
            try:
                if col.dtype == "DATE":
                    out[col.name] = date_objects(values)
                elif col.dtype == "TIMESTAMP":
                    out[col.name] = pd.to_datetime(values, utc=True)
                else:
                    out[col.name] = values.astype(target)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{self.qualified_name}.{col.name}: cannot cast to {col.dtype}: {exc}") from exc
        # One frame from all columns at once: inserting them one by one costs ~0.1 ms per column and table read.
        return pd.DataFrame(out, index=df.index).reset_index(drop=True)

    def empty_frame(self) -> pd.DataFrame:
        """A zero-row frame with this table's columns and dtypes (a day without games)."""
        return self.conform(pd.DataFrame({c: [] for c in self.column_names}))
