"""Sensors: the gap sensor (+ the gap scan and the cascade plan it requests), the failure-streak alert, and
the declarative-automation sensor that cascades re-materialized partitions.

``ALL_SENSORS`` is what ``definitions.py`` loads; all are on by default.
"""

import dagster as dg

from nba_backfill.sensors.automation import cascade_automation_sensor
from nba_backfill.sensors.failure_streak import failure_streak_sensor
from nba_backfill.sensors.gap_sensor import gap_sensor

ALL_SENSORS: list[dg.SensorDefinition] = [gap_sensor, failure_streak_sensor, cascade_automation_sensor]
