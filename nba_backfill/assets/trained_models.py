"""The learned systems' models for phase 5: trained on the warehouse's own history before each training cutoff.

``logic/predictions/models.py`` fits them from frames it is given (pure); this module reads those frames — every
``player_composite_factors`` row and ``player_game_summary`` outcome dated strictly before the cutoff, whatever the
season — through the storage port, and keeps the fitted models per (cutoff, hash of the training frame) for the
process. The history is read outside the partition mappings on purpose: a training set spanning months must not
make every phase-3 change cascade into every later prediction; the monthly cutoff (``training_cutoff``) fixes
what a date's models saw, so a re-run of D trains on the same history unless that history was repaired.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.calendar import daily_partitions, date_range
from nba_backfill.logic.predictions.models import TrainedModels, models_for_cutoff, training_rows
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS

_fitted: dict[tuple[dt.date, int], TrainedModels | None] = {}


def training_frame(warehouse: Warehouse, cutoff: dt.date) -> pd.DataFrame:
    """The training rows strictly before ``cutoff`` (factors + ``actual_points``), sorted: hash it to cache a fit."""
    first = dt.date.fromisoformat(daily_partitions.get_first_partition_key())
    days = [dt.date.fromisoformat(d) for d in date_range(first, cutoff - dt.timedelta(days=1))]
    if not days or not warehouse.is_initialized():
        return training_rows(pd.DataFrame(), pd.DataFrame(), cutoff)
    factors, player_games = warehouse.read_many([(PLAYER_COMPOSITE_FACTORS, days), (PLAYER_GAME_SUMMARY, days)])
    return training_rows(factors, player_games, cutoff)


def frame_hash(frame: pd.DataFrame) -> int:
    """A content hash of a training frame (equal history -> equal hash)."""
    return int(pd.util.hash_pandas_object(frame, index=False).sum()) if len(frame) else 0


def models_before(warehouse: Warehouse, cutoff: dt.date) -> TrainedModels | None:
    """The models trained on the history before ``cutoff``; None (fallback) when it is too short."""
    rows = training_frame(warehouse, cutoff)
    key = (cutoff, frame_hash(rows))
    if key not in _fitted:
        _fitted[key] = models_for_cutoff(rows, cutoff)
    return _fitted[key]
