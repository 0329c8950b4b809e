"""The learned systems' models for phase 5, trained once per process from the bundled 2024-25 season.

``logic/predictions/models.py`` fits them from frames it is given (pure); this module supplies the bundled
prior-season lines (``sources.bundle``, package data, no network) and keeps the result for the process.
"""

from __future__ import annotations

import functools

from nba_backfill.logic.predictions.models import TrainedModels, train_prior_season_models
from nba_backfill.sources import bundle


@functools.lru_cache(maxsize=1)
def prior_season_models() -> TrainedModels:
    """The models fitted on the bundled 2024-25 season (≈ 5 s once per process, then cached).

    Raises:
        BundledDataError: a 2024-25 bundle file is missing or malformed.
    """
    return train_prior_season_models(bundle.load_team_box_2024_25(), bundle.load_player_box_2024_25())
