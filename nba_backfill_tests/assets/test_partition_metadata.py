"""Every partition of a range run carries its own numbers (issue 12): a small real range run through the replay.

2026-01-19 … 2026-01-21 (real schedule): schedule + props from 2025-12-31 (D-21 of 2026-01-21), then raw → phase 3
as ONE range run, then phases 4–5 for 2026-01-20 … 2026-01-21 as one range run. Each partition's latest
materialization must show that day's ``dagster/row_count`` (real values from the bundled data), not the run's total.
"""

from __future__ import annotations

import time

import dagster as dg
import pytest

from nba_backfill.definitions import build_defs
from nba_backfill.operate.demo import FEATURES, NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_range, project_instance
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources import bundle
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

DAYS = ("2026-01-19", "2026-01-20", "2026-01-21")
WINDOW_START = "2025-12-31"  # the schedule is loaded over 2026-01-21's whole window, like in production
TEAM_BOX = asset_key_for(NBAC_TEAM_BOXSCORE)
FACTORS = dg.AssetKey(["nba_precompute", "player_composite_factors"])
PREDICTIONS = dg.AssetKey(["nba_predictions", "player_prop_predictions"])


@pytest.fixture(scope="module")
def range_state(tmp_path_factory):
    """(instance, seconds per run) after the three range runs."""
    settings = local_settings(tmp_path_factory.mktemp("metadata"), season_start=DAYS[0], season_end=DAYS[-1])
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        seconds = {}
        for name, run in (("sources", PlannedRun(tuple(SOURCES), WINDOW_START, DAYS[-1])),
                          ("raw_to_phase3", PlannedRun(tuple(NIGHTLY), DAYS[0], DAYS[-1])),
                          ("phases_4_5", PlannedRun(tuple(FEATURES), DAYS[1], DAYS[-1]))):
            start = time.perf_counter()
            outcome = materialize_range(defs, instance, run)
            seconds[name] = time.perf_counter() - start
            assert outcome.success, outcome.failures
        yield instance, seconds


def _latest(instance: dg.DagsterInstance, key: dg.AssetKey, day: str) -> dict:
    records = instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=key, asset_partitions=[day]),
                                              limit=1).records
    assert records, f"{key.to_user_string()} {day} not materialized"
    return records[0].asset_materialization.metadata


def _bundled_team_rows_and_games(day: str) -> tuple[int, int]:
    team_box = bundle.load_team_box()
    schedule = bundle.load_schedule()
    rows = int((team_box["game_date"].astype(str) == day).sum())
    on_day = schedule[schedule["game_date"].astype(str) == day]
    return rows, int(on_day["game_id"].astype(str).str.startswith("002").sum())


def test_each_day_of_a_range_run_carries_its_own_row_count(range_state):
    instance, seconds = range_state
    counts = {}
    for day in DAYS:
        metadata = _latest(instance, TEAM_BOX, day)
        rows, finals = _bundled_team_rows_and_games(day)
        counts[day] = metadata["dagster/row_count"].value
        assert counts[day] == rows == 2 * finals
        assert metadata["final_games"].value == metadata["games_found"].value == finals
        assert "stored" in metadata["slate"].value and "MISSING" not in metadata["slate"].value
        assert metadata["dagster/table_name"].value == "nba_raw.nbac_team_boxscore"
        assert metadata["dagster/uri"].value.startswith("duckdb://")
        assert "team_abbr" in [c.name for c in metadata["dagster/column_schema"].schema.columns]
        assert "3 partitions" in metadata["run_partitions"].value  # the run's total, named as such
    assert counts["2026-01-21"] == 14  # 7 final games on 2026-01-21 (real schedule)
    assert len(set(counts.values())) > 1 and sum(counts.values()) not in counts.values()
    # The schedule's own slate per day; still one materialization event per partition and asset (no extras).
    assert _latest(instance, asset_key_for(NBAC_SCHEDULE), "2026-01-21")["final_in_scope_games"].value == 7
    events = instance.fetch_materializations(TEAM_BOX, limit=100).records
    assert sorted(r.partition_key for r in events) == list(DAYS)
    schedule_events = instance.fetch_materializations(asset_key_for(NBAC_SCHEDULE), limit=100).records
    assert len(schedule_events) == 22 and len({r.asset_materialization.metadata["dagster/row_count"].value
                                                for r in schedule_events}) > 1
    print(f"\nrange run seconds: {seconds}")


def test_phase4_shows_its_window_and_phase5_its_top_predictions(range_state):
    instance, _ = range_state
    factors = _latest(instance, FACTORS, "2026-01-21")
    assert factors["window"].value == "2025-12-31 … 2026-01-20 (D-21 … D-1)"
    # Phase 3 holds only 2026-01-19 … 2026-01-20 of that window: incomplete, and the page says which dates miss.
    assert factors["window_is_complete"].value is False
    assert "2025-12-31" in factors["window_missing_dates"].value
    assert factors["window_games_found"].value < factors["window_games_expected"].value
    assert factors["games_expected"].value == 7
    # By hand from the bundled schedule: 161 final regular-season games on 2025-12-31 … 2026-01-20, of which
    # phase 3 holds those of 2026-01-19 and 2026-01-20 (16); every earlier date with games is missing.
    schedule = bundle.load_schedule()
    final = schedule["game_id"].str.startswith("002") & (schedule["status"] == 3)
    final_days = schedule["game_date"].astype(str)[final]
    assert (factors["window_games_expected"].value, factors["window_games_found"].value) == (161, 16)
    assert factors["window_missing_dates"].value.split(", ") == sorted(
        set(final_days[(final_days >= WINDOW_START) & (final_days < DAYS[0])]))
    predictions = _latest(instance, PREDICTIONS, "2026-01-21")
    assert predictions["dagster/row_count"].value == sum(predictions["predictions_per_system"].value.values())
    assert predictions["dagster/row_count"].value == sum(predictions["calls"].value.values())
    assert predictions["games_expected"].value == factors["games_found"].value
    assert predictions["dagster/row_count"].value != _latest(instance, PREDICTIONS, "2026-01-20")[
        "dagster/row_count"].value or predictions["dagster/row_count"].value == 0
    assert "| player |" in predictions["top_predictions"].value or "No predictions" in predictions[
        "top_predictions"].value
