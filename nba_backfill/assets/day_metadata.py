"""What a partition's materialization page shows: that game date's own numbers, even inside a range run.

A range run (single-run backfill) materializes N partitions in one step; Dagster then records one
materialization event per partition. Metadata given with ``context.add_output_metadata`` (or by the IO manager)
is copied to all N events, so a day of a 26-day repair would show the repair's totals. The public
``context.add_asset_metadata(metadata, asset_key=..., partition_key=...)`` (Dagster ≥ 1.8) scopes metadata to
one partition's event and wins over the run-wide keys: every asset body calls :func:`add_day_metadata` with its
output, and each day's event carries ``dagster/row_count`` and the day's expected vs found games (plus, per
phase, the window read, a markdown preview of the day…). No extra events are logged: still one per partition.

The column schema, table name and URI are the same for every day: the IO manager adds them
(``dagster/column_schema``, ``dagster/table_name``, ``dagster/uri``), and the asset definitions carry the schema
and table name too (``schemas.keys.definition_metadata``), so the asset's overview lists the columns before any run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import dagster as dg
import pandas as pd

PREVIEW_ROWS = 10

DayMetadata = Callable[[str, pd.DataFrame], Mapping[str, Any]]


def day_keys(df: pd.DataFrame, column: str = "game_date") -> pd.Series:
    """``YYYY-MM-DD`` of each row's ``column`` (dates, timestamps or strings; no missing values)."""
    if not len(df):
        return pd.Series([], dtype="object", index=df.index)
    # A range's rows hold few distinct dates: format each once (a 46-day phase 5 has ~70,000 rows).
    codes, uniques = pd.factorize(df[column])
    labels = pd.to_datetime(pd.Series(uniques)).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    return pd.Series(labels[codes], index=df.index)


def split_by_day(df: pd.DataFrame, column: str = "game_date") -> dict[str, pd.DataFrame]:
    """The rows of each date present in ``df`` (one pass; a date absent from ``df`` has no entry)."""
    if not len(df):
        return {}
    return {str(day): rows for day, rows in df.groupby(day_keys(df, column), sort=True)}


def add_day_metadata(context: dg.AssetExecutionContext, df: pd.DataFrame, per_day: DayMetadata | None = None,
                     asset_key: dg.AssetKey | None = None) -> None:
    """Attach to every partition of the run its own ``dagster/row_count`` and ``per_day(day, rows_of_day)``.

    Args:
        context: the asset's execution context (one partition or a range).
        df: the rows the asset returns for the whole run (column ``game_date``).
        per_day: more metadata of one day, from its date and rows (e.g. expected vs found games, a preview).
        asset_key: which output of a multi-asset the metadata belongs to.
    """
    by_day = split_by_day(df) if per_day is not None else {}
    empty = df.iloc[0:0]
    add_metadata_by_day(context, df, {key: per_day(key, by_day.get(key, empty)) for key in context.partition_keys}
                        if per_day is not None else {}, asset_key=asset_key)


def add_metadata_by_day(context: dg.AssetExecutionContext, df: pd.DataFrame,
                        metadata_by_day: Mapping[str, Mapping[str, Any]],
                        asset_key: dg.AssetKey | None = None) -> None:
    """Like :func:`add_day_metadata`, from metadata already computed per date for the whole run.

    Args:
        context: the asset's execution context (one partition or a range).
        df: the rows the asset returns for the whole run (column ``game_date``): each date's ``dagster/row_count``.
        metadata_by_day: ``YYYY-MM-DD`` → that date's other metadata; a date missing here gets its row count only.
        asset_key: which output of a multi-asset the metadata belongs to.
    """
    rows = day_keys(df).value_counts() if len(df) else pd.Series(dtype="int64")
    for key in context.partition_keys:
        context.add_asset_metadata({"dagster/row_count": int(rows.get(key, 0)), **metadata_by_day.get(key, {})},
                                   asset_key=asset_key, partition_key=key)


def games_by_day(df: pd.DataFrame) -> dict[str, int]:
    """Distinct games per date in ``df`` (``YYYY-MM-DD`` → games; a date without rows is absent)."""
    if not len(df):
        return {}
    return {str(k): int(v) for k, v in df.groupby(day_keys(df))["game_id"].nunique().items()}


def counts_by_day(df: pd.DataFrame, column: str) -> dict[str, dict[str, int]]:
    """Rows per value of ``column`` per date (``YYYY-MM-DD`` → {value: rows}, values sorted)."""
    if not len(df):
        return {}
    out: dict[str, dict[str, int]] = {}
    for (day, value), n in df.groupby([day_keys(df), df[column]]).size().sort_index().items():
        out.setdefault(str(day), {})[str(value)] = int(n)
    return out


def games(df: pd.DataFrame) -> int:
    """Distinct games in ``df``."""
    return int(df["game_id"].nunique()) if len(df) else 0


def markdown_table(header: list[str], rows: list[list[Any]]) -> str:
    """A small markdown table (the UI renders it in the metadata panel)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if v is None or v is pd.NA else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def slate_preview(schedule_day: pd.DataFrame, stored_game_ids: set[str] | None = None) -> dg.MarkdownMetadataValue:
    """The day's in-scope slate: matchup, final score, status (and whether the box score is stored)."""
    slate = schedule_day[schedule_day["in_scope"].astype(bool)] if len(schedule_day) else schedule_day
    if not len(slate):
        return dg.MetadataValue.md("No in-scope games on this date (an empty partition is complete).")
    header = ["game", "away @ home", "score", "status"] + (["box score"] if stored_game_ids is not None else [])
    rows = []
    for g in slate.sort_values("game_id").itertuples():
        final = pd.notna(g.away_pts) and pd.notna(g.home_pts)
        row = [g.game_id, f"{g.away_team_abbr} @ {g.home_team_abbr}",
               f"{int(g.away_pts)}–{int(g.home_pts)}" if final else "", g.game_status_text]
        if stored_game_ids is not None:
            row.append("stored" if str(g.game_id) in stored_game_ids else
                       ("MISSING" if int(g.game_status) == 3 else "not final"))
        rows.append(row)
    return dg.MetadataValue.md(markdown_table(header, rows))


def window_bounds(day: str, window_days: int) -> tuple[dt.date, dt.date]:
    """The phase-4 feature window of D: D-window_days … D-1."""
    d = dt.date.fromisoformat(day)
    return d - dt.timedelta(days=window_days), d - dt.timedelta(days=1)
