"""The declarative-automation sensor that evaluates the phases' ``cascade_condition`` (``assets/automation.py``).

Re-materializing an upstream partition (from the UI, the CLI or a sensor) re-runs exactly the downstream
partitions it affects, each once, after their upstream.
"""

from __future__ import annotations

import dagster as dg


def build_cascade_automation_sensor(
        default_status: dg.DefaultSensorStatus = dg.DefaultSensorStatus.RUNNING) -> dg.SensorDefinition:
    """The sensor evaluating every asset's automation condition; emits one backfill per tick for multi-partition
    requests.
    """
    return dg.AutomationConditionSensorDefinition(
        "cascade_automation_sensor",
        target=dg.AssetSelection.all(),
        default_status=default_status,
        minimum_interval_seconds=15,
        description="Runs the downstream partitions of any re-materialized upstream partition (phases 2–5).",
    )
