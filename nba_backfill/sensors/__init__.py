"""Sensors: the gap sensor (+ the gap scan and the cascade plan it requests), the failure-streak alert, the
refresh sensor (league stat corrections), and the declarative-automation sensor that cascades re-materialized
partitions.

``build_sensors`` is what ``definitions.py`` loads (the refresh sensor's interval comes from settings); all are on
by default.
"""

import dagster as dg

from nba_backfill.sensors.automation import cascade_automation_sensor
from nba_backfill.sensors.failure_streak import failure_streak_sensor
from nba_backfill.sensors.gap_sensor import gap_sensor
from nba_backfill.sensors.refresh_sensor import build_refresh_sensor

ALL_SENSORS: list[dg.SensorDefinition] = [gap_sensor, failure_streak_sensor, cascade_automation_sensor]


def build_sensors(refresh_interval_seconds: int) -> list[dg.SensorDefinition]:
    """Every sensor of the code location; the refresh sensor ticks every ``refresh_interval_seconds``."""
    return [*ALL_SENSORS, build_refresh_sensor(refresh_interval_seconds)]
