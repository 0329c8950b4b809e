"""The learned systems' models for phase 5: trained on the warehouse's own history before each training cutoff.

``logic/predictions/models.py`` fits them from frames it is given (pure); this module reads those frames — every
``player_composite_factors`` row and ``player_game_summary`` outcome dated strictly before the cutoff, whatever the
season — through the storage port, and caches the fitted models:

* on disk, in ``cache_dir`` (``$NBA_BACKFILL_HOME/models/``, given by the ``model_cache`` resource), one pickle per
  key: every run process loads them in milliseconds instead of fitting them again (≈ 10 s);
* in the process, by the same key.

The key is a SHA-256 of the training frames (values, columns, dtypes, index), of the source of the
``nba_backfill.logic`` package (features and fitting code), and of the Python/scikit-learn versions: new history or
new code trains again; nothing needs invalidating by hand. Delete the directory to force a retrain.

The history is read outside the partition mappings on purpose: a training set spanning months must not make every
phase-3 change cascade into every later prediction; the monthly cutoff (``training_cutoff``) fixes what a date's
models saw, so a re-run of D trains on the same history unless that history was repaired.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from nba_backfill.calendar import daily_partitions, date_range
from nba_backfill.logic.predictions.models import MIN_TRAINING_ROWS, TrainedModels, models_for_cutoff, training_rows
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS

log = logging.getLogger(__name__)
_LOGIC_DIR = Path(__file__).resolve().parent.parent / "logic"
_IN_PROCESS: dict[str, TrainedModels] = {}


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of the ``nba_backfill.logic`` sources and the Python + scikit-learn versions."""
    sklearn = importlib.metadata.version("scikit-learn")  # without importing it (≈ 1 s)
    digest = hashlib.sha256(f"{sys.version_info[:2]} sklearn {sklearn}".encode())
    for path in sorted(_LOGIC_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(_LOGIC_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(frames: Mapping[str, pd.DataFrame]) -> str:
    """The models' identity: a hash of the training frames (by name) and of :func:`code_version`."""
    digest = hashlib.sha256(code_version().encode())
    for name in sorted(frames):
        frame = frames[name]
        digest.update(f"{name}|{list(frame.columns)}|{[str(t) for t in frame.dtypes]}|{frame.shape}".encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()[:32]


def load_or_train(cache_dir: Path | str | None, frames: Mapping[str, pd.DataFrame],
                  train: Callable[[Mapping[str, pd.DataFrame]], TrainedModels]) -> TrainedModels:
    """The models fitted by ``train(frames)``: from this process, else from ``cache_dir``, else fitted and stored.

    Args:
        cache_dir: folder of the on-disk cache (created if absent); None caches in the process only.
        frames: everything the models are trained on, by name; the cache key is derived from them.
        train: fits the models from ``frames`` (pure).

    A missing, unreadable or foreign cache file is ignored (the models are fitted again and the file replaced);
    files are written atomically, so concurrent run processes never read half a file.
    """
    key = cache_key(frames)
    if key in _IN_PROCESS:
        return _IN_PROCESS[key]
    path = Path(cache_dir) / f"models-{key}.pkl" if cache_dir is not None else None
    models = None
    if path is not None and path.exists():
        try:
            with open(path, "rb") as handle:
                models = pickle.load(handle)
            if not isinstance(models, TrainedModels):
                models = None
        except Exception:  # noqa: BLE001 - a bad cache file only costs a retrain
            log.warning("model cache %s unreadable; training again", path, exc_info=True)
            models = None
    if models is None:
        models = train(frames)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".models-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(models, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
    _IN_PROCESS[key] = models
    return models


def training_frame(warehouse: Warehouse, cutoff: dt.date) -> pd.DataFrame:
    """The training rows strictly before ``cutoff`` (factors + ``actual_points``), sorted: hash it to cache a fit."""
    first = dt.date.fromisoformat(daily_partitions.get_first_partition_key())
    days = [dt.date.fromisoformat(d) for d in date_range(first, cutoff - dt.timedelta(days=1))]
    if not days or not warehouse.is_initialized():
        return training_rows(pd.DataFrame(), pd.DataFrame(), cutoff)
    factors, player_games = warehouse.read_many([(PLAYER_COMPOSITE_FACTORS, days), (PLAYER_GAME_SUMMARY, days)])
    return training_rows(factors, player_games, cutoff)


def models_before(warehouse: Warehouse, cutoff: dt.date, cache_dir: Path | str | None = None) -> TrainedModels | None:
    """The models trained on the history before ``cutoff``; None (fallback) when it is too short.

    Fitted once per (cutoff, training data, code): from this process, else from ``cache_dir`` on disk (every run
    process of a daemon loads them in milliseconds), else fitted (≈ 10 s) and stored there.
    """
    rows = training_frame(warehouse, cutoff)
    if len(rows) < MIN_TRAINING_ROWS:
        return None  # fallback: nothing to fit or cache
    frames = {"training_rows": rows, "cutoff": pd.DataFrame({"cutoff": [cutoff]})}
    return load_or_train(cache_dir, frames, lambda f: models_for_cutoff(f["training_rows"], cutoff))
