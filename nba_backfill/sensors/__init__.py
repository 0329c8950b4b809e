"""Sensors: the gap sensor (+ the gap scan and the cascade plan it requests), the failure-streak alert, the
refresh sensor (league stat corrections), and the declarative-automation sensor that cascades re-materialized
partitions.

``build_sensors`` is what ``definitions.py`` loads (the refresh sensor's interval comes from settings); all are on
by default.
"""

import dagster as dg

from nba_backfill.sensors.automation import build_cascade_automation_sensor
from nba_backfill.sensors.failure_streak import failure_streak_sensor
from nba_backfill.sensors.gap_sensor import build_gap_sensor
from nba_backfill.sensors.refresh_sensor import build_refresh_sensor


def build_sensors(refresh_interval_seconds: int, launching: bool = True) -> list[dg.SensorDefinition]:
    """Every sensor of the code location; the refresh sensor ticks every ``refresh_interval_seconds``.

    ``launching=False`` (``NBA_BACKFILL_SENSORS=stopped``): the sensors that launch runs (gap, refresh, cascade
    automation) start STOPPED; the failure-streak alert, which launches nothing, still runs. A sensor started by
    hand in the UI keeps running either way (its state is stored in the instance).
    """
    status = dg.DefaultSensorStatus.RUNNING if launching else dg.DefaultSensorStatus.STOPPED
    return [build_gap_sensor(status), failure_streak_sensor, build_cascade_automation_sensor(status),
            build_refresh_sensor(refresh_interval_seconds, default_status=status)]
