"""The learned systems' models for phase 5, fitted on the training frames and cached on disk.

``logic/predictions/models.py`` fits them from frames it is given (pure); this module supplies the frames
(today the bundled 2024-25 lines, ``sources.bundle``, package data, no network) and caches the fitted models:

* on disk, in ``cache_dir`` (``$NBA_BACKFILL_HOME/models/``, given by the ``model_cache`` resource), one pickle per
  key: every run process loads them in milliseconds instead of fitting them again (≈ 10 s);
* in the process, by the same key.

The key is a SHA-256 of the training frames passed in (values, columns, dtypes, index), of the source of the
``nba_backfill.logic`` package (features and fitting code), and of the Python/scikit-learn versions. Changing what
the models train on or how therefore trains them again; nothing needs invalidating by hand. Delete the directory
to force a retrain.
"""

from __future__ import annotations

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

from nba_backfill.logic.predictions.models import TrainedModels, train_prior_season_models
from nba_backfill.sources import bundle

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


def training_frames() -> dict[str, pd.DataFrame]:
    """What the models are trained on: the bundled 2024-25 team and player lines."""
    return {"team_box": bundle.load_team_box_2024_25(), "player_box": bundle.load_player_box_2024_25()}


def trained_models(cache_dir: Path | str | None = None) -> TrainedModels:
    """The phase-5 models (fitted on :func:`training_frames`), cached in ``cache_dir`` and in the process.

    About 10 s the first time for given training data and code, then milliseconds in every process.

    Raises:
        BundledDataError: a 2024-25 bundle file is missing or malformed.
    """
    return load_or_train(cache_dir, training_frames(),
                         lambda frames: train_prior_season_models(frames["team_box"], frames["player_box"]))


def prior_season_models() -> TrainedModels:
    """The models fitted on the bundled 2024-25 season, cached in the process only (tests, notebooks)."""
    return trained_models(None)
