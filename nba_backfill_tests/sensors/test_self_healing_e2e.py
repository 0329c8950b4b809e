"""Self-healing through a real Dagster daemon and webserver (issue: gap sensor, failure streak, cascade).

The session's demo (conftest ``demo_run``) replays the incident and then starts ``dagster dev`` on its
instance; these tests read what the daemon did. The manual-path test starts its own daemon on a copy.
"""

from __future__ import annotations

import collections
import datetime as dt
import shutil
import time

import dagster as dg
import pytest

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.checks.failure_streak import CHECK_NAME
from nba_backfill.operate.graphql_client import DagsterGraphQL
from nba_backfill.operate.local_dagster import LocalDagster
from nba_backfill.operate.runner import project_instance
from nba_backfill.sensors.gap_scan import RAW_KEYS
from nba_backfill.settings import local_settings
from nba_backfill.sources.replay_server import ReplayServer

pytestmark = pytest.mark.daemon


def _days(start: str, end: str) -> list[str]:
    return date_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


GAP = _days("2025-12-27", "2026-01-21")  # 26 days
CASCADE = _days("2025-12-28", "2026-02-11")  # gap + 1 … gap end + 21: 46 days
PHASE3 = ["nba_analytics/team_offense_game_summary", "nba_analytics/team_defense_game_summary",
          "nba_analytics/player_game_summary"]


def _materializations(instance: dg.DagsterInstance, key: dg.AssetKey, after: float) -> list:
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=key, after_timestamp=after), limit=10_000).records
    return list(records)


@pytest.fixture(scope="module")
def repair(demo_run):
    instance = project_instance(demo_run.settings)
    backfills = [b for b in instance.get_backfills() if b.tags.get("nba_backfill/trigger") == "gap_sensor"]
    return instance, backfills


def test_one_sensor_tick_launched_one_backfill_with_the_exact_closure(repair):
    instance, backfills = repair
    assert len(backfills) == 1
    backfill = backfills[0]
    assert backfill.tags["dagster/sensor_name"] == "gap_sensor"
    assert backfill.tags["nba_backfill/gap_dates"] == "2025-12-27..2026-01-21"
    subset = backfill.asset_backfill_data.target_subset
    targets = {k.to_user_string(): subset.get_partitions_subset(k).get_partition_keys() for k in subset.asset_keys}
    expected = {k.to_user_string(): GAP for k in RAW_KEYS} | {name: GAP for name in PHASE3} | {
        "nba_precompute/player_composite_factors": CASCADE,
        "nba_predictions/player_prop_predictions": CASCADE,
        # grading reads predictions (D) and the outcomes in player_game_summary (D): gap ∪ cascade.
        "nba_predictions/prediction_accuracy": _days("2025-12-27", "2026-02-11"),
    }
    assert {k: sorted(v) for k, v in targets.items()} == expected
    assert backfill.status.value == "COMPLETED_SUCCESS"


def test_each_partition_was_materialized_exactly_once_by_the_repair(repair):
    instance, backfills = repair
    backfill = backfills[0]
    subset = backfill.asset_backfill_data.target_subset
    for key in subset.asset_keys:
        records = _materializations(instance, key, after=backfill.backfill_timestamp)
        counts = collections.Counter(r.partition_key for r in records)
        targeted = set(subset.get_partitions_subset(key).get_partition_keys())
        assert set(counts) == targeted, key
        assert set(counts.values()) == {1}, f"{key.to_user_string()} materialized more than once: {counts}"
        assert {r.run_id for r in records} <= {
            r.run_id for r in instance.get_runs(filters=dg.RunsFilter(tags={"dagster/backfill": backfill.backfill_id}))}


def test_automation_did_not_double_process_the_repair(repair):
    instance, backfills = repair
    backfill = backfills[0]
    after = dt.datetime.fromtimestamp(backfill.backfill_timestamp, dt.timezone.utc)
    runs = instance.get_runs(filters=dg.RunsFilter(created_after=after))
    assert runs and all(run.tags.get("dagster/backfill") == backfill.backfill_id for run in runs)


def test_failure_streak_alert_rose_on_day_one_and_cleared_after_the_repair(repair):
    instance, backfills = repair
    key = dg.AssetCheckKey(BOXSCORE_FILES_KEY, CHECK_NAME)
    history = instance.event_log_storage.get_asset_check_execution_history(key, limit=1000)
    # storage ids order the evaluations (timestamps have 1 s resolution; nightly ticks come faster)
    evaluated = sorted((h for h in history if h.status.value in ("FAILED", "SUCCEEDED")), key=lambda h: h.id)
    first_alert = next(h for h in evaluated if h.status.value == "FAILED")
    data = first_alert.event.dagster_event.event_specific_data
    # day one: the 9 final games of 2025-12-27 (0022500432 … 0022500440), not day 26
    assert data.metadata["failed_games_in_streaks"].value == 9
    assert data.metadata["first_failed_date"].value == "2025-12-27"
    assert data.metadata["last_failed_date"].value == "2025-12-27"
    first_line = data.description.splitlines()[0]  # the alert's first line names the games, the day and the cause
    assert first_line.startswith("9 consecutive final games failed to scrape (2025-12-27 … 2025-12-27)")
    assert "games 0022500432" in first_line and "EmptyStatsError" in first_line
    assert max(h.event.dagster_event.event_specific_data.metadata["failed_games_in_streaks"].value
               for h in evaluated if h.status.value == "FAILED") == 198
    assert evaluated[-1].status.value == "SUCCEEDED"
    assert evaluated[-1].create_timestamp > backfills[0].backfill_timestamp


@pytest.fixture(scope="module")
def live_copy(demo_run, tmp_path_factory):
    """A copy of the finished demo's home served by a real webserver + daemon (and the replay)."""
    home = tmp_path_factory.mktemp("live") / "home"
    shutil.copytree(demo_run.settings.home, home)
    settings = local_settings(home)
    with ReplayServer() as replay, LocalDagster(settings, env={
            "NBA_BACKFILL_STATS_URL": replay.base_url, "NBA_BACKFILL_RATE_LIMIT_SECONDS": "0",
            "NBA_BACKFILL_SEASON_START": "2025-10-21", "NBA_BACKFILL_SEASON_END": "2026-02-12"}) as url:
        yield settings, url


def _materialized_since(instance: dg.DagsterInstance, started: float) -> dict[str, collections.Counter]:
    seen = {}
    for key in instance.get_asset_keys():
        records = _materializations(instance, key, after=started)
        if records:
            seen[key.to_user_string()] = collections.Counter(r.partition_key for r in records)
    return seen


def test_rematerializing_one_raw_day_cascades_exactly_through_automation(live_copy):
    """The UI's partition picker sends the same GraphQL mutation: raw 2026-01-10 → phase 3 on 2026-01-10,
    phases 4–5 on 2026-01-11 … 2026-01-31 (D-21 … D-1 window), each once, nothing else.
    """
    settings, url = live_copy
    expected = {k.to_user_string(): ["2026-01-10"] for k in RAW_KEYS} | {n: ["2026-01-10"] for n in PHASE3} | {
        "nba_precompute/player_composite_factors": _days("2026-01-11", "2026-01-31"),
        "nba_predictions/player_prop_predictions": _days("2026-01-11", "2026-01-31"),
        "nba_predictions/prediction_accuracy": _days("2026-01-10", "2026-01-31"),
    }
    instance = project_instance(settings)
    started = time.time()
    DagsterGraphQL(url).launch_backfill({k: ["2026-01-10"] for k in RAW_KEYS}, tags={"test": "manual"},
                                        title="re-scrape 2026-01-10")
    deadline = started + 600
    while time.time() < deadline:
        time.sleep(10)
        seen = _materialized_since(instance, started)
        busy = instance.get_runs(filters=dg.RunsFilter(statuses=[
            dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]))
        if {k: sorted(v) for k, v in seen.items()} == expected and not busy:
            time.sleep(35)  # two more automation ticks (15 s apart): nothing else may start
            break
    final = _materialized_since(instance, started)
    assert {k: sorted(v) for k, v in final.items()} == expected
    assert all(set(c.values()) == {1} for c in final.values()), final


def test_the_backfill_command_launches_one_backfill_and_follows_it_to_the_end(live_copy, monkeypatch):
    from click.testing import CliRunner

    from nba_backfill.cli import app

    settings, url = live_copy
    monkeypatch.setenv("NBA_BACKFILL_HOME", str(settings.home))
    monkeypatch.setenv("DAGSTER_HOME", str(settings.dagster_home))
    instance = project_instance(settings)
    started = time.time()
    result = CliRunner().invoke(app, ["backfill", "2026-01-05", "--url", url])
    assert result.exit_code == 0, result.output
    assert "COMPLETED_SUCCESS" in result.output
    cli_backfills = [b for b in instance.get_backfills() if b.tags.get("nba_backfill/trigger") == "cli"]
    assert len(cli_backfills) == 1
    final = _materialized_since(instance, started)
    assert final["nba_raw/nbac_team_boxscore"] == {"2026-01-05": 1}
    assert sorted(final["nba_precompute/player_composite_factors"]) == _days("2026-01-06", "2026-01-26")
    assert all(set(c.values()) == {1} for c in final.values()), final
