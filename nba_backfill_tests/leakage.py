"""The leakage experiment on a copy of a real warehouse: change every box-score row dated on or after D, drop
everything derived from those games, rebuild phases 4–5 of D through Dagster and compare.

If no game on or after D reaches the prediction for D, D's factors and predictions come out identical; the control
day D + 1 (whose window holds D's games) must come out different, which shows the change is visible at all.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd

from nba_backfill.definitions import build_defs
from nba_backfill.operate.runner import materialize_range
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_PLAYER_LIST, NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings

BOX_TABLES = (NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE, TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY,
              PLAYER_GAME_SUMMARY)
PHASE45 = (PLAYER_COMPOSITE_FACTORS, PLAYER_PROP_PREDICTIONS)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _changed(frame: pd.DataFrame) -> pd.DataFrame:
    """Every measure of every row changed (ids, keys, dates and flags kept): points, minutes, shots, ratings."""
    out = frame.copy()
    for column in out.columns:
        if column.endswith("_id") or column in ("game_date",) or not pd.api.types.is_numeric_dtype(out[column]) \
                or pd.api.types.is_bool_dtype(out[column]):
            continue
        out[column] = out[column] * 2 + 3 if pd.api.types.is_float_dtype(out[column]) else out[column] + 9
    return out


def leak_experiment(source_warehouse: Path, home: Path, day: dt.date, last: dt.date
                    ) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Run the experiment for D = ``day`` on a copy of ``source_warehouse`` (data through ``last``).

    Returns:
        Per ``"{table} {date}"`` for D and D + 1: (rows before, rows rebuilt) of the factors and predictions.
    """
    settings = local_settings(home)
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(source_warehouse, settings.warehouse_path)
    copy = DuckDBWarehouse(path=str(settings.warehouse_path))
    control = day + dt.timedelta(days=1)
    before = {f"{t.name} {d}": copy.read_slices(t, [d]) for t in PHASE45 for d in (day, control)}
    on_and_after, after = _days(day, last), _days(control, last)
    for table in BOX_TABLES:
        changed = _changed(copy.read_slices(table, on_and_after))
        assert len(changed) > 0, f"{table.qualified_name} has no rows on or after {day}: nothing to leak"
        copy.replace_slices(table, changed, on_and_after)
    # What was derived from those games: graded outcomes of D on, factors and predictions from D on (D and the
    # control are rebuilt below), the rosters after D.
    for table, dates in ((PREDICTION_ACCURACY, on_and_after), (PLAYER_PROP_PREDICTIONS, on_and_after),
                         (PLAYER_COMPOSITE_FACTORS, on_and_after), (NBAC_PLAYER_LIST, after)):
        copy.replace_slices(table, table.empty_frame(), dates)
    # A fresh home, so an empty model cache on disk; in this process, models are reused only for training frames
    # with the same hash (assets/trained_models.py): a future game in the training rows would change it and refit.
    defs = build_defs(settings)  # no network: phases 4–5 read only the warehouse
    keys = tuple(asset_key_for(t) for t in PHASE45)
    for date in (day, control):  # D first, alone: D + 1's rows must not exist while D is rebuilt
        outcome = materialize_range(defs, dg.DagsterInstance.ephemeral(),
                                    PlannedRun(keys, date.isoformat(), date.isoformat()))
        assert outcome.success, outcome.failures
    return {key: (rows, copy.read_slices(next(t for t in PHASE45 if key.startswith(t.name)),
                                         [dt.date.fromisoformat(key.split()[-1])]))
            for key, rows in before.items()}
