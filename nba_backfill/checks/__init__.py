"""Asset checks per game-date partition: row counts from the schedule, keys, cross-table consistency, windows.

One module per phase (``raw``, ``analytics``, ``features``); each defines one ``@dg.multi_asset_check`` step
per phase — the step reads the run's slice once and evaluates every check of the phase on it with the pure
functions of ``logic/table_checks.py``, ``logic/analytics_checks.py`` and ``logic/feature_checks.py`` (the same
ones ``nba-backfill validate`` uses). ``evaluation.py`` records one result per partition, also in range runs.
Raw and analytics checks are blocking; phases 4–5 report ERRORs without blocking.

``ALL_CHECKS`` is the registry ``definitions.py`` loads.
"""

import dagster as dg

from nba_backfill.checks.analytics import analytics_checks
from nba_backfill.checks.features import precompute_checks, predictions_checks
from nba_backfill.checks.raw import boxscore_checks, roster_checks, schedule_checks

ALL_CHECKS: list[dg.AssetChecksDefinition] = [
    schedule_checks,
    roster_checks,
    boxscore_checks,
    analytics_checks,
    precompute_checks,
    predictions_checks,
]
