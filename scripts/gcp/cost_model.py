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
the checked tables on the run's dates. ``READS_PER_RUN`` is measured on the emulator: the gcp tier's terminal
summary prints the BigQuery jobs per table of a range run of every asset (the same for 1 or 3 dates); each table
also gets one MERGE (target + staging referenced).
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
# Read queries per table in one run of every asset, with checks (measured on the emulator, any number of dates).
READS_PER_RUN = {
    "nba_raw.nbac_schedule": 6, "nba_raw.nbac_team_boxscore": 5, "nba_raw.nbac_player_boxscore": 3,
    "nba_raw.odds_player_points_props": 1, "nba_analytics.team_offense_game_summary": 3,
    "nba_analytics.team_defense_game_summary": 2, "nba_analytics.player_game_summary": 4,
    "nba_precompute.player_composite_factors": 4, "nba_predictions.player_prop_predictions": 2,
    "nba_predictions.prediction_accuracy": 0,
}
WINDOW_DAYS = 21


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
    per_day: dict[str, float] = {}
    print(f"{'table':45s} {'rows/day':>9s} {'BQ B/row':>9s} {'BQ MB/day':>10s} {'season MB':>10s}")
    for table in ALL_TABLES:
        df = warehouse.read_slices(table, days)
        b = logical_bytes(table, df)
        per_day[table.qualified_name] = b / n
        print(f"{table.qualified_name:45s} {len(df) / n:9.1f} {b / max(len(df), 1):9.1f} {b / n / 1e6:10.3f} "
              f"{b / n * args.season_days / 1e6:10.1f}")
    with warehouse.connect(read_only=True) as con:
        stored = sum(con.execute(f"SELECT count(*) FROM {t.qualified_name}").fetchone()[0] for t in ALL_TABLES)
    print(f"DuckDB file {file_bytes / 1e6:.1f} MB for all its {stored} rows: {file_bytes / max(stored, 1):.0f} B/row "
          "(compressed; includes the catalog)")
    print(f"season ({args.season_days} dates), all tables: {sum(per_day.values()) * args.season_days / 1e6:.1f} MB "
          "logical in BigQuery")
    runs = (("nightly partition run (1 date)", 1), ("season rebuild (range runs)", args.season_days))
    for label, days_in_run in runs:
        scanned = billed = 0.0
        for name, reads in READS_PER_RUN.items():
            # phase 4's window D-21 … D-1 (an upper bound: the phase-3 checks read only the run's dates)
            span = days_in_run + (WINDOW_DAYS if name.startswith("nba_analytics.") else 0)
            read_bytes = per_day[name] * span
            write_bytes = per_day[name] * days_in_run
            scanned += reads * read_bytes + 2 * write_bytes  # MERGE: target slices + staging
            billed += reads * max(MIN_BILLED, read_bytes) + 2 * max(MIN_BILLED, write_bytes)
        print(f"{label}: scans {scanned / 1e6:.1f} MB, billed {billed / 1e6:.0f} MB with the 10 MB minimum "
              f"→ ${billed / TIB * PRICE_PER_TIB:.4f}")
    tick = 3 * MIN_BILLED  # gap sensor: 3 count queries per tick
    month = tick * 2880 * 30
    print(f"gap_sensor every 30 s: {tick / 1e6:.0f} MB billed per tick, {month / TIB:.2f} TiB per 30 days → "
          f"${month / TIB * PRICE_PER_TIB:.2f}")


if __name__ == "__main__":
    main()
