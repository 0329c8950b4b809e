"""The failure-streak sensor: reports the ``scrape_failure_streak`` check (``checks/failure_streak.py``) without
a run whenever the streak state changes, so the alert appears on the first broken day even when every run fails.
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.checks.failure_streak import CHECK_NAME, streak_evaluation
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.storage import ObjectStore


@dg.sensor(name="failure_streak_sensor", minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Raises the scrape_failure_streak check when consecutive final games fail to scrape.")
def failure_streak_sensor(context: dg.SensorEvaluationContext, object_store: ObjectStore, scope: PipelineScope):
    """Report the check whenever the streak state changes; the cursor holds the last reported state."""
    passed, description, metadata = streak_evaluation(object_store, scope.failure_streak_threshold)
    state = hashlib.sha1(json.dumps([passed, str(metadata.get("games"))]).encode()).hexdigest()
    changed = state != context.cursor
    if changed:
        context.instance.report_runless_asset_event(dg.AssetCheckEvaluation(
            asset_key=BOXSCORE_FILES_KEY, check_name=CHECK_NAME, passed=passed,
            severity=dg.AssetCheckSeverity.ERROR, description=description, metadata=metadata))
    # Every tick logs the state (the tick's "View logs"); the check result is reported only when it changes.
    reported = "reported to the asset check" if changed else "unchanged since the last report"
    (context.log.info if passed else context.log.error)(f"{'ALERT: ' if not passed else ''}{description} ({reported})")
    context.update_cursor(state)
    return dg.SkipReason(("ALERT: " if not passed else "") + description)
