"""What the pipeline owns and watches, set once per deployment from settings (see ``settings.py``)."""

from __future__ import annotations

import dagster as dg


class PipelineScope(dg.ConfigurableResource):
    """Scope of the pipeline and of its sensors.

    Attributes:
        stages: game-id prefixes in scope: ``["002"]`` = regular season only (the default).
        season_start, season_end: game dates (ISO) the gap sensor watches, up to today.
        failure_streak_threshold: consecutive failed final games that raise the failure-streak alert.
        gap_retry_minutes: after requesting a gap day, wait this long before requesting it again
            (a source still broken would otherwise be hammered on every tick); the refresh sensor too.
        refresh_days: the refresh sensor re-checks the final games of this many last watched dates.
        local_run_workers: run workers run on this machine (local deployment): the gap sensor may mark a
            STARTED run whose process is gone as FAILURE (``sensors/dead_runs.py``).
    """

    stages: list[str] = ["002"]
    season_start: str = "2025-10-21"
    season_end: str = "2026-04-12"
    failure_streak_threshold: int = 3
    gap_retry_minutes: float = 30.0
    refresh_days: int = 7
    local_run_workers: bool = False
