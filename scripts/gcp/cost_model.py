"""BigQuery cost model of the gcp deployment, from a real local state (README, Production on GCP).

Usage: ``python scripts/gcp/cost_model.py NBA_BACKFILL_HOME START END [--season-days N]``

Reads every table of the local DuckDB warehouse over START … END through the storage port and prints, per table,
rows per game date, the DuckDB file's bytes per row, and BigQuery's logical bytes per row by BigQuery's documented
sizes (INT64/FLOAT64/DATE/TIMESTAMP 8 bytes, BOOL 1, STRING 2 + UTF-8 length, NULL 0). Then the bytes a partition
run and a season rebuild scan, at on-demand $6.25 per TiB, with and without the 10 MB minimum billed per table
referenced per query.

Read pattern (from the assets and checks; every read is ``SELECT`` of all columns of the run's dates):
each asset reads its upstream tables on its dates, phase 4 reads phase 3 on D-21 … D-1 and the schedule on
D-21 … D; each MERGE scans the target's slices of the run's dates; each check and the gap scan read or count
the checked tables on the run's dates. ``QUERIES_PER_RUN`` is measured on the emulator (the gcp test's terminal
summary prints the jobs per table of a one-date run and of a 3-date range run).
"""

from __future__ import annotations

import argparse
import os

import pandas as pd

from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.schemas import ALL_TABLES

FIXED = {"BIGINT": 8, "INTEGER": 8, "DOUBLE": 8, "DATE": 8, "TIMESTAMP": 8, "BOOLEAN": 1}
TIB = 2 ** 40
PRICE_PER_TIB = 6.25
MIN_BILLED = 10 * 2 ** 20  # per table referenced per query


def logical_bytes(table, df: pd.DataFrame) -> float:
    """Total BigQuery logical bytes of ``df``'s rows."""
    total = 0.0
    for col in table.columns:
        values = df[col.name]
        present = values.notna()
        if col.dtype == "VARCHAR":
            total += float((values[present].astype(str).str.encode("utf-8").str.len() + 2).sum())
        else:
            total += FIXED[col.dtype] * int(present.sum())
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home")
    parser.add_argument("start")
    parser.add_argument("end")
    parser.add_argument("--season-days", type=int, default=174, help="game dates of a season (2025-26: 174)")
    args = parser.parse_args()
    path = os.path.join(args.home, "warehouse.duckdb")
    warehouse = DuckDBWarehouse(path=path)
    days = list(pd.date_range(args.start, args.end).date)
    n = len(days)
    file_bytes = os.path.getsize(path)
    total_rows = 0
    per_day: dict[str, float] = {}
    print(f"{'table':45s} {'rows/day':>9s} {'BQ B/row':>9s} {'BQ MB/day':>10s} {'season MB':>10s}")
    for table in ALL_TABLES:
        df = warehouse.read_slices(table, days)
        total_rows += len(df)
        b = logical_bytes(table, df)
        per_day[table.qualified_name] = b / n
        print(f"{table.qualified_name:45s} {len(df) / n:9.1f} {b / max(len(df), 1):9.1f} {b / n / 1e6:10.3f} "
              f"{b / n * args.season_days / 1e6:10.1f}")
    print(f"DuckDB file {file_bytes / 1e6:.1f} MB for {total_rows} rows over {n} dates: "
          f"{file_bytes / max(total_rows, 1):.0f} B/row (compressed, includes catalog and free blocks)")
    season = sum(per_day.values()) * args.season_days
    print(f"season, all tables: {season / 1e9:.3f} GB logical in BigQuery")
    window = 21
    p3 = sum(v for k, v in per_day.items() if k.startswith("nba_analytics."))
    # one nightly partition run: each table's day read about twice (asset + check) and scanned once by MERGE,
    # plus phase 4's 21-day window of phase 3
    nightly = 3 * sum(per_day.values()) + window * p3
    print(f"nightly partition run scans ≈ {nightly / 1e6:.2f} MB → ${nightly / TIB * PRICE_PER_TIB:.6f} "
          "without the minimum")
    rebuild = 3 * season + window * p3 * args.season_days
    print(f"season rebuild (single-run backfill, one range run per asset) scans ≈ {rebuild / 1e9:.2f} GB → "
          f"${rebuild / TIB * PRICE_PER_TIB:.4f}")
    print(f"the 10 MB minimum: each query referencing one table bills ≥ {MIN_BILLED / 1e6:.1f} MB = "
          f"${MIN_BILLED / TIB * PRICE_PER_TIB:.6f}")


if __name__ == "__main__":
    main()
