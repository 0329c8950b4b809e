"""Where fitted models are cached between run processes (``$NBA_BACKFILL_HOME/models`` by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:
    from nba_backfill.logic.predictions.models import TrainedModels


class ModelCache(dg.ConfigurableResource):
    """The on-disk model cache of a deployment (see ``assets/trained_models.py`` for the key).

    Attributes:
        directory: folder of the cached model files; empty caches in the run process only.
    """

    directory: str = ""

    def models(self) -> TrainedModels:
        """The phase-5 models: loaded from the cache, or fitted and stored there."""
        from nba_backfill.assets.trained_models import trained_models

        return trained_models(self.directory or None)
