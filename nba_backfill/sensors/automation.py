"""The declarative-automation sensor that evaluates the phases' ``cascade_condition`` (``assets/automation.py``).

Re-materializing an upstream partition (from the UI, the CLI or a sensor) re-runs exactly the downstream
partitions it affects, each once, after their upstream.
"""

from __future__ import annotations

import dagster as dg

# Evaluates the conditions; emits one backfill per tick for multi-partition requests.
cascade_automation_sensor = dg.AutomationConditionSensorDefinition(
    "cascade_automation_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=15,
    description="Runs the downstream partitions of any re-materialized upstream partition (phases 2–5).",
)
