"""Nights that are not over, and box scores that are not whole, on real 2026-01-20 games (7 final games, 14 team rows).

* The last game (0022500619, MIA at SAC) is still in progress when the nightly scrape runs: the day is PENDING
  (gaps, validate, materialization metadata), not complete and not failed; once the game is final the gap
  sensor's request re-reads the schedule too and the day completes.
* The scoreboard says Final but the box score holds 3 of 4 periods: the raw check compares each team's points
  with the schedule's final score and its minutes with 240 + 25 per OT, fails naming the game and both
  numbers, and the day counts as a gap.
"""

from __future__ import annotations

import dagster as dg
import pytest
from rich.console import Console

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import parse_game_date
from nba_backfill.dagster_private import requested_backfill_targets
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_partition, project_instance
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.gap_scan import pending_dates, scan_gaps
from nba_backfill.sensors.gap_sensor import gap_sensor
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer
from nba_backfill.validation.render import print_range
from nba_backfill.validation.report import validate_days

DAY, LATE_GAME = "2026-01-20", "0022500619"


@pytest.fixture()
def state(tmp_path):
    settings = local_settings(tmp_path, season_start=DAY, season_end=DAY)
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        yield settings, project_instance(settings), defs, build_resources(settings), replay


def _nightly(defs, instance, with_schedule=True):
    if with_schedule:
        assert materialize_partition(defs, instance, DAY, selection=SOURCES).success
    return materialize_partition(defs, instance, DAY, selection=NIGHTLY)


def _team_rows(resources) -> int:
    return resources["warehouse"].count_by_date(NBAC_TEAM_BOXSCORE, [parse_game_date(DAY)]).get(
        parse_game_date(DAY), 0)


def test_a_game_not_final_makes_the_day_pending_until_the_gap_sensor_completes_it(state):
    settings, instance, defs, resources, replay = state
    replay.set_faults({"rules": [{"kind": "not_final", "game_ids": [LATE_GAME]}]})
    assert _nightly(defs, instance).success
    assert _team_rows(resources) == 12

    gaps = scan_gaps(resources["warehouse"], instance, DAY, DAY, today=parse_game_date(DAY))
    assert list(gaps["game_date"]) == [DAY] and list(gaps["kind"]) == ["pending"]
    assert "1 game pending (not final yet)" in gaps["reason"][0]
    [report] = validate_days(resources["warehouse"], resources["object_store"], [parse_game_date(DAY)], instance)
    assert report.status == "PENDING" and not report.ok
    [files] = instance.fetch_materializations(BOXSCORE_FILES_KEY, limit=1).records
    assert files.asset_materialization.metadata["day_status"].value == "pending"  # the day's own status

    # Re-running raw alone is not enough (the stored schedule still says in progress) …
    replay.set_faults({})
    assert _nightly(defs, instance, with_schedule=False).success and _team_rows(resources) == 12
    # … the gap sensor's request re-reads the schedule with the raw tables and their closure.
    context = dg.build_sensor_context(instance=instance, resources={"warehouse": resources["warehouse"],
                                                                    "scope": resources["scope"]})
    result = gap_sensor(context)
    request = result.run_requests[0]
    targets = requested_backfill_targets(request)
    assert targets[asset_key_for(NBAC_SCHEDULE)] == [DAY] and targets[BOXSCORE_FILES_KEY] == [DAY]
    assert _nightly(defs, instance).success  # what that backfill runs for the day's raw and phase 3
    assert _team_rows(resources) == 14
    assert scan_gaps(resources["warehouse"], instance, DAY, DAY, today=parse_game_date(DAY)).empty


def test_a_final_game_with_a_partial_box_score_fails_the_raw_check_and_is_a_gap(state):
    settings, instance, defs, resources, replay = state
    replay.set_faults({"rules": [{"kind": "not_final", "game_ids": [LATE_GAME],
                                  "endpoints": ["boxscoretraditionalv3"]}]})
    outcome = _nightly(defs, instance)
    assert not outcome.success
    failure = "\n".join(outcome.failures)
    assert "nba_raw/nbac_team_boxscore complete_and_consistent failed on 1 of 1 dates" in failure
    assert f"{DAY}: game {LATE_GAME} (MIA at SAC), SAC: points" in failure
    assert "vs the schedule's final score 117" in failure and "team minutes" in failure and "vs 240" in failure
    assert "re-scrape 2026-01-20" in failure
    gaps = scan_gaps(resources["warehouse"], instance, DAY, DAY, today=parse_game_date(DAY))
    assert list(gaps["kind"]) == ["gap"]
    assert "failed checks: nba_raw/nbac_team_boxscore:complete_and_consistent" in gaps["reason"][0]

    replay.set_faults({})
    assert _nightly(defs, instance).success
    assert scan_gaps(resources["warehouse"], instance, DAY, DAY, today=parse_game_date(DAY)).empty


def test_a_re_scrape_reads_the_schedule_again_only_of_days_with_a_game_not_final(state):
    """``nba-backfill plan``/``backfill`` add the schedule of such days to the re-scrape, as the gap sensor does."""
    settings, instance, defs, resources, replay = state
    replay.set_faults({"rules": [{"kind": "not_final", "game_ids": [LATE_GAME]}]})
    assert _nightly(defs, instance).success
    assert pending_dates(resources["warehouse"], [DAY, "2026-01-19"]) == [DAY]  # 2026-01-19: nothing stored
    replay.set_faults({})
    assert _nightly(defs, instance).success
    assert pending_dates(resources["warehouse"], [DAY]) == []


def test_a_range_report_says_a_pending_day_has_a_game_not_final(state):
    """``validate START END`` on a range holding a day whose every table holds what its final games owe while one
    game is still being played (it raised StopIteration while looking for the line that was not OK).
    """
    settings, instance, defs, resources, replay = state
    replay.set_faults({"rules": [{"kind": "not_final", "game_ids": [LATE_GAME]}]})
    assert _nightly(defs, instance).success
    assert materialize_partition(defs, instance, DAY, selection=FEATURES).success
    [report] = validate_days(resources["warehouse"], resources["object_store"], [parse_game_date(DAY)], instance)
    assert all(line.ok for line in report.lines) and report.status == "PENDING"
    console = Console(width=250, record=True)
    print_range(console, [report])
    [line] = [text for text in console.export_text().splitlines() if text.startswith(DAY)]
    assert line.split()[:4] == [DAY, "PENDING", "6", "games"]  # 7 scheduled, 6 final
    assert line.endswith("1 game not final yet")
