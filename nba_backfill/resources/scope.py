"""Which game stages the pipeline owns (game-id prefixes), set once per deployment from settings."""

from __future__ import annotations

import dagster as dg


class PipelineScope(dg.ConfigurableResource):
    """Stages in scope as game-id prefixes: ``["002"]`` = regular season only (the default)."""

    stages: list[str] = ["002"]
