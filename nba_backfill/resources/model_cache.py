"""Where fitted models are cached between run processes (``$NBA_BACKFILL_HOME/models`` by default)."""

from __future__ import annotations

import dagster as dg


class ModelCache(dg.ConfigurableResource):
    """The on-disk model cache of a deployment (see ``assets/trained_models.py`` for the key).

    Attributes:
        directory: folder of the cached model files; empty caches in the run process only.
    """

    directory: str = ""
