"""Single sensor ticks with ``dg.build_sensor_context`` on a small real state: three real game dates through the
replay, DuckDB and a Dagster instance, the middle one served empty (the incident's fault).

2026-01-19 … 2026-01-21 (real schedule): the replay answers HTTP 200 with empty statistics for every game of
2026-01-20, so that raw partition fails in its nightly run, like the 26 days of the incident did.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from nba_backfill.calendar import date_range
from nba_backfill.dagster_private import requested_backfill_targets
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_partition, materialize_range, project_instance
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.sensors.failure_streak import failure_streak_sensor
from nba_backfill.sensors.gap_scan import RAW_KEYS
from nba_backfill.sensors.gap_sensor import gap_sensor
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

DAYS = ("2026-01-19", "2026-01-20", "2026-01-21")
BAD_DAY = "2026-01-20"


@pytest.fixture(scope="module")
def small_state(tmp_path_factory):
    """(settings, instance, resources, replay) after the three nightly runs; the replay still serves the fault."""
    settings = local_settings(tmp_path_factory.mktemp("ticks"), season_start=DAYS[0], season_end=DAYS[-1])
    with ReplayServer(faults={"rules": [{"kind": "empty_stats", "dates": [BAD_DAY]}]}) as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        assert materialize_range(defs, instance, PlannedRun(tuple(SOURCES), DAYS[0], DAYS[-1])).success
        outcomes = {day: materialize_partition(defs, instance, day, selection=NIGHTLY) for day in DAYS}
        assert [day for day, o in outcomes.items() if not o.success] == [BAD_DAY]
        yield settings, instance, defs, build_resources(settings), replay


def _tick(sensor, instance, resources, cursor=None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources)
    return sensor(context), context


def test_gap_sensor_requests_the_failed_day_with_its_downstream_closure(small_state):
    settings, instance, _, resources, _ = small_state
    result, _ = _tick(gap_sensor, instance, {"warehouse": resources["warehouse"], "scope": resources["scope"]})
    assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
    targets = {k.to_user_string(): v for k, v in requested_backfill_targets(result.run_requests[0]).items()}
    # Raw and phase 3 on the failed day only; phases 4–5 on the 21 days whose window D-21 … D-1 holds it.
    cascade = date_range(dt.date(2026, 1, 21), dt.date(2026, 2, 10))
    for key in RAW_KEYS:
        assert targets[key.to_user_string()] == [BAD_DAY]
    assert targets["nba_analytics/team_offense_game_summary"] == [BAD_DAY]
    assert targets["nba_precompute/player_composite_factors"] == cascade
    assert targets["nba_predictions/player_prop_predictions"] == cascade
    assert result.run_requests[0].tags["nba_backfill/gap_dates"] == BAD_DAY

    # The next tick with the sensor's cursor does not request the same day again within the retry window.
    again, _ = _tick(gap_sensor, instance, {"warehouse": resources["warehouse"], "scope": resources["scope"]},
                     cursor=result.cursor)
    assert isinstance(again, dg.SkipReason)
    assert again.skip_message == (f"1 gap days ({BAD_DAY}): 1 gap days, all in flight or requested within the "
                                  "retry window")


def test_failure_streak_sensor_raises_the_alert_with_the_games_of_the_day(small_state):
    _, instance, _, resources, _ = small_state
    skip, context = _tick(failure_streak_sensor, instance,
                          {"object_store": resources["object_store"], "scope": resources["scope"]})
    # 2026-01-20 has 7 final regular-season games (real schedule); all failed: one streak of 7 ≥ 3.
    assert skip.skip_message.startswith("ALERT: 7 consecutive final games failed to scrape (2026-01-20 … 2026-01-20)")
    assert "EmptyStatsError" in skip.skip_message
    first_line = skip.skip_message.splitlines()[0]  # the Checks tab's first line names the games and the dates
    assert "on 1 day: games 00225" in first_line and ", … 1 more; cause EmptyStatsError" in first_line
    assert context.cursor  # the reported state: the next tick reports again only when it changes


def test_gap_sensor_says_no_gaps_once_the_day_is_repaired(small_state, capfd):
    settings, instance, defs, resources, replay = small_state
    replay.set_faults({})
    assert materialize_partition(defs, instance, BAD_DAY, selection=NIGHTLY).success
    result, _ = _tick(gap_sensor, instance, {"warehouse": resources["warehouse"], "scope": resources["scope"]})
    assert result.skip_reason.skip_message == "no gaps: every watched date holds what its schedule owes"
    # The decision is also in the tick's log (the UI shows a skip reason only as a tooltip).
    logged = capfd.readouterr().err  # dagster's console handler: the same lines the tick's "View logs" shows
    assert "- dagster - INFO - no gaps: every watched date holds what its schedule owes" in logged
    streak, _ = _tick(failure_streak_sensor, instance,
                      {"object_store": resources["object_store"], "scope": resources["scope"]})
    assert streak.skip_message == "no run of 3+ consecutive failed final games"
    assert "INFO - no run of 3+ consecutive failed final games (reported to the asset check)" in capfd.readouterr().err


def test_a_day_without_rosters_is_requested_with_the_rosters_only(tmp_path):
    """2026-01-21 (7 real games): schedule and box scores stored, its rosters never read (e.g. the source failed that
    morning). The tick requests the rosters of that day with their closure (phases 4–5 of the same day), not the box
    scores again.
    """
    day = "2026-01-21"
    settings = local_settings(tmp_path, season_start=day, season_end=day)
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        sources_without_rosters = [k for k in SOURCES if k.path[-1] != "nbac_player_list"]
        assert materialize_partition(defs, instance, day, selection=sources_without_rosters).success
        assert materialize_partition(defs, instance, day, selection=NIGHTLY).success
    resources = build_resources(settings)
    result, _ = _tick(gap_sensor, instance, {"warehouse": resources["warehouse"], "scope": resources["scope"]})
    targets = {k.to_user_string(): v for k, v in requested_backfill_targets(result.run_requests[0]).items()}
    assert targets == {"nba_raw/nbac_player_list": [day], "nba_precompute/player_composite_factors": [day],
                       "nba_predictions/player_prop_predictions": [day],
                       "nba_predictions/prediction_accuracy": [day]}
    assert result.run_requests[0].tags["nba_backfill/gap_dates"] == day
