"""The scrape ledger: the latest outcome of every final game's box-score scrape, kept in the object store.

One small JSON object per game (``ops/scrape_outcomes/{game_id}.json``) is overwritten on each attempt, so
failures are counted across runs without touching the warehouse (DuckDB has one writer; the failure-streak
sensor must read while runs write).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.resources.storage import ObjectStore

PREFIX = "ops/scrape_outcomes/"


def record_outcome(store: ObjectStore, game_id: str, game_date: str, error: Exception | None) -> None:
    """Record the latest scrape outcome of one game (``stored`` when ``error`` is None, else ``failed``)."""
    store.put_json(f"{PREFIX}{game_id}.json", {
        "game_id": game_id, "game_date": game_date, "outcome": "failed" if error else "stored",
        "error": str(error) if error else "", "error_type": type(error).__name__ if error else "",
        "recorded_at": dt.datetime.now(dt.timezone.utc).isoformat(),
    })


def read_outcomes(store: ObjectStore) -> pd.DataFrame:
    """Every game's latest outcome: columns game_id, game_date, outcome, error, error_type, recorded_at."""
    rows = [store.get_json(name) for name in store.list(PREFIX)]
    columns = ["game_id", "game_date", "outcome", "error", "error_type", "recorded_at"]
    return pd.DataFrame(rows, columns=columns)
