"""A night on which the source hangs fails in bounded time, with one message naming the date, the games not
fetched and what to do; nothing of the night reaches the tables.

Real 2026-01-21 (7 final games, 0022500620 … 0022500626): the replay answers the first three box scores and
hangs 30 s on the last four, longer than the client's 0.5 s timeout. Without a deadline each hanging game costs
4 attempts x 0.5 s + 0 + 1 + 2 s of urllib3 backoff (factor 0.5) = 5 s, 20 s for the four; with a 3 s deadline
per date the step gives up after about 3 s. Settings come through ``build_resources`` (the environment's path).
"""

from __future__ import annotations

import dagster as dg
import pytest

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import parse_game_date
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_partition, project_instance
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.partition_status import partition_status
from nba_backfill.settings import local_settings
from nba_backfill.sources.replay_server import ReplayServer

DAY = "2026-01-21"
GOOD = ["0022500620", "0022500621", "0022500622"]
HANGING = ["0022500623", "0022500624", "0022500625", "0022500626"]
DEADLINE = 3.0


@pytest.fixture()
def hanging_night(tmp_path):
    with ReplayServer() as replay:
        settings = local_settings(tmp_path, stats_base_url=replay.base_url, season_start=DAY, season_end=DAY,
                                  source_timeout_seconds=0.5, partition_deadline_seconds=DEADLINE)
        defs = build_defs(settings)
        instance = project_instance(settings)
        assert materialize_partition(defs, instance, DAY, selection=SOURCES).success
        replay.set_faults({"rules": [{"kind": "hang", "seconds": 30, "game_ids": HANGING,
                                      "endpoints": ["boxscoretraditionalv3"]}]})
        outcome = materialize_partition(defs, instance, DAY, selection=NIGHTLY)
        yield settings, instance, outcome, replay


def _step_seconds(instance: dg.DagsterInstance, run_id: str, step_key: str) -> float:
    events = {e.dagster_event.event_type_value: e.timestamp for e in instance.all_logs(run_id)
              if e.dagster_event and e.dagster_event.step_key == step_key
              and e.dagster_event.event_type_value in ("STEP_START", "STEP_FAILURE")}
    return events["STEP_FAILURE"] - events["STEP_START"]


def test_a_hanging_night_fails_at_its_deadline_naming_the_date_and_the_games_not_fetched(hanging_night):
    settings, instance, outcome, replay = hanging_night
    assert not outcome.success
    message = "\n".join(outcome.failures)
    first_line = message.split(": ", 1)[1].splitlines()[0]  # after the step key
    print(message)
    assert first_line.startswith(f"{DAY}: the 3 s deadline per date passed (the source hangs or is too slow); "
                                 "4 games not fetched: " + ", ".join(HANGING))
    assert f"re-materialize {DAY} (nba-backfill backfill {DAY})" in first_line
    assert "4 of 7 final games failed to scrape on 2026-01-21" in message
    # Bounded: the step ran about the deadline, not 4 games x 5 s (loose bound; speed is not asserted here).
    seconds = _step_seconds(instance, outcome.run_id, "nba_raw__nbac_boxscore_files")
    assert seconds < 3 * DEADLINE, seconds
    # The games after the deadline were never requested.
    assert sum(replay.request_count("boxscoretraditionalv3", g) for g in HANGING) < 4 * len(HANGING)
    assert replay.request_count("boxscoretraditionalv3", HANGING[-1]) == 0


def test_nothing_of_the_hanging_night_reaches_the_tables(hanging_night):
    settings, instance, outcome, replay = hanging_night
    warehouse = build_resources(settings)["warehouse"]
    day = parse_game_date(DAY)
    assert warehouse.count_by_date(NBAC_TEAM_BOXSCORE, [day]).get(day, 0) == 0
    assert warehouse.count_by_date(NBAC_PLAYER_BOXSCORE, [day]).get(day, 0) == 0
    assert partition_status(instance, BOXSCORE_FILES_KEY, [DAY])[DAY] == "FAILED"
