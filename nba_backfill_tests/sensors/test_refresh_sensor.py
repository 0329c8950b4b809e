"""The refresh sensor on a small real state: the replay, DuckDB, a Dagster instance, ``dg.build_sensor_context``.

State: 2026-02-11 (14 final games) and 2026-02-12 (3) scraped and summarized (raw → phase 3) as the league first
published them; the schedule through 2026-02-19, and phase 4 on 2026-02-19 (SAS host PHX; its window 01-29 … 02-18
holds SAS's 2026-02-11 game only). The sensor watches 02-11 … 02-12 with a window of 2 days. Then the league
corrects 0022500788 (SAS @ GSW, 2026-02-11): Harrison Barnes 10 → 8 points, Stephon Castle 8 → 10
(PROVENANCE caveat 4; the by-hand numbers are in ``sources/test_replay_stat_correction.py``).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.dagster_private import requested_backfill_targets
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_partition, materialize_range, project_instance
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.raw import NBAC_SCHEDULE
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.sensors.refresh_sensor import build_refresh_sensor
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_faults import BOX, SCOREBOARD
from nba_backfill.sources.replay_server import ReplayServer

DAYS = ("2026-02-11", "2026-02-12")
GAME, DAY, SAS_NEXT = "0022500788", "2026-02-11", "2026-02-19"
BARNES, CASTLE = 203084, 1642264
FACTORS = asset_key_for(PLAYER_COMPOSITE_FACTORS)
refresh_sensor = build_refresh_sensor(minimum_interval_seconds=60)


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    """(instance, defs, resources, replay, client, games per day) after the first-published nights and phase 4."""
    settings = local_settings(tmp_path_factory.mktemp("refresh"), season_start=DAYS[0], season_end=DAYS[-1],
                              refresh_days=2)
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, backoff_seconds=0.01, max_retries=1)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        assert materialize_range(defs, instance, PlannedRun(tuple(SOURCES), DAYS[0], SAS_NEXT)).success
        assert materialize_range(defs, instance, PlannedRun(tuple(NIGHTLY), DAYS[0], DAYS[-1])).success
        assert materialize_partition(defs, instance, SAS_NEXT, selection=[FACTORS]).success
        resources = build_resources(settings)
        schedule = resources["warehouse"].read_slices(NBAC_SCHEDULE, [dt.date.fromisoformat(d) for d in DAYS])
        games = {d: sorted(schedule.loc[schedule["game_date"].astype(str) == d, "game_id"]) for d in DAYS}
        assert {d: len(g) for d, g in games.items()} == {DAYS[0]: 14, DAYS[1]: 3}  # the real slates
        yield instance, defs, resources, replay, client, games


def _tick(state, cursor=None, sensor=refresh_sensor):
    instance, _, resources, _, client, _ = state
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources={
            "nba_stats": client, "object_store": resources["object_store"], "warehouse": resources["warehouse"],
            "scope": resources["scope"]}) as context:
        return sensor(context)


def _points(resources, table, day, key: str) -> dict:
    rows = resources["warehouse"].read_slices(table, [dt.date.fromisoformat(day)])
    return dict(zip(rows[key], rows["points" if table is not PLAYER_COMPOSITE_FACTORS
                                     else "points_per_game_window"]))


def test_nothing_changed_costs_one_request_per_game_and_no_run(state):
    *_, replay, _, games = state
    replay.set_faults(None)
    replay.reset_counts()
    result = _tick(state)
    assert isinstance(result, dg.SensorResult) and not result.run_requests
    assert result.skip_reason.skip_message == "refresh 2026-02-11..2026-02-12: 17 final games re-fetched, none changed"
    assert {g: replay.request_count(BOX, g) for d in DAYS for g in games[d]} == {g: 1 for d in DAYS for g in games[d]}
    assert replay.request_count(BOX) == 17 and replay.request_count(SCOREBOARD) == 0


def test_a_tick_out_of_time_leaves_the_rest_of_the_window_to_the_next_tick(state):
    *_, replay, _, games = state
    hurried = build_refresh_sensor(minimum_interval_seconds=60, tick_budget_seconds=0)  # one game per tick
    ordered = [g for d in DAYS for g in games[d]]
    replay.reset_counts()
    first = _tick(state, sensor=hurried)
    assert first.skip_reason.skip_message == ("refresh 2026-02-11..2026-02-12: 1 final games re-fetched, none "
                                              "changed (16 left for the next tick: time budget)")
    second = _tick(state, cursor=first.cursor, sensor=hurried)
    assert not second.run_requests
    assert [replay.request_count(BOX, g) for g in ordered[:3]] == [1, 1, 0] and replay.request_count(BOX) == 2


def test_a_correction_waits_while_another_game_of_its_date_cannot_be_fetched(state):
    *_, replay, _, games = state
    broken = next(g for g in games[DAY] if g != GAME)
    replay.set_faults({"rules": [{"kind": "stat_correction", "game_ids": [GAME]},
                                 {"kind": "empty_stats", "game_ids": [broken]}]})
    result = _tick(state)
    assert not result.run_requests
    message = result.skip_reason.skip_message
    assert message.startswith("refresh 2026-02-11..2026-02-12: 16 final games re-fetched, 1 changed; 1 could not be "
                              f"re-fetched (first: {broken} EmptyStatsError: stats.nba.com boxscoretraditionalv3 "
                              "answered HTTP 200 with no team or player statistics")
    assert message.endswith("; changed but not every game re-fetched, waiting: 2026-02-11")


def test_the_corrected_game_requests_exactly_its_date_with_its_downstream_closure(state, capfd):
    *_, replay, _, _ = state
    replay.set_faults({"rules": [{"kind": "stat_correction", "game_ids": [GAME]}]})
    result = _tick(state)
    [request] = result.run_requests
    targets = {k.to_user_string(): v for k, v in requested_backfill_targets(request).items()}
    same_day = ["nba_raw/nbac_boxscore_files", "nba_raw/nbac_team_boxscore", "nba_raw/nbac_player_boxscore",
                "nba_analytics/team_offense_game_summary", "nba_analytics/team_defense_game_summary",
                "nba_analytics/player_game_summary"]
    cascade = date_range(dt.date(2026, 2, 12), dt.date(2026, 3, 4))  # D-21 … D-1 holds 02-11: 02-12 … 03-04
    # Grading reads the day's own actual points too (player summary, same day): 02-11's grades change as well.
    assert targets == {**{k: [DAY] for k in same_day}, "nba_precompute/player_composite_factors": cascade,
                       "nba_predictions/player_prop_predictions": cascade,
                       "nba_predictions/prediction_accuracy": [DAY, *cascade]}
    assert request.tags["nba_backfill/trigger"] == "refresh_sensor"
    assert request.tags["nba_backfill/refresh_dates"] == DAY and request.tags["nba_backfill/refresh_games"] == GAME
    # The tick's log says what changed (the UI shows a skip reason only as a tooltip, the logs in full).
    logged = capfd.readouterr().err
    assert (f"{GAME} ({DAY}) changed: SAS Harrison Barnes pts 10→8, fgm 4→3, fga 8→7, oreb 4→3, reb 5→4; "
            "SAS Stephon Castle pts 8→10, fgm 3→4, fga 11→12, oreb 3→4, reb 4→5") in logged

    # Until the backfill has run, the next tick does not request the date again (retry window).
    again = _tick(state, cursor=result.cursor)
    assert not again.run_requests
    assert again.skip_reason.skip_message == ("refresh 2026-02-11..2026-02-12: 17 final games re-fetched, 1 changed; "
                                              "requested within the retry window, waiting: 2026-02-11")


def test_after_the_refresh_run_the_downstream_tables_hold_the_corrected_points(state):
    instance, defs, resources, replay, _, _ = state
    replay.set_faults({"rules": [{"kind": "stat_correction", "game_ids": [GAME]}]})
    summary_before = resources["warehouse"].read_slices(PLAYER_GAME_SUMMARY, [dt.date.fromisoformat(DAY)])
    assert {p: _points(resources, PLAYER_GAME_SUMMARY, DAY, "player_id")[p] for p in (BARNES, CASTLE)} == {
        BARNES: 10, CASTLE: 8}
    assert {p: _points(resources, PLAYER_COMPOSITE_FACTORS, SAS_NEXT, "player_id")[p] for p in (BARNES, CASTLE)} == {
        BARNES: 10.0, CASTLE: 8.0}
    offense_before = resources["warehouse"].read_slices(TEAM_OFFENSE_GAME_SUMMARY, [dt.date.fromisoformat(DAY)])

    # What the requested backfill runs: raw + phase 3 on the date, then phase 4 on a day of its cascade.
    [request] = _tick(state).run_requests
    targets = requested_backfill_targets(request)
    same_day = tuple(k for k, days in targets.items() if days == [DAY])
    assert BOXSCORE_FILES_KEY in same_day and asset_key_for(PLAYER_GAME_SUMMARY) in same_day
    assert materialize_range(defs, instance, PlannedRun(same_day, DAY, DAY)).success
    assert SAS_NEXT in targets[FACTORS]
    assert materialize_partition(defs, instance, SAS_NEXT, selection=[FACTORS]).success

    summary = resources["warehouse"].read_slices(PLAYER_GAME_SUMMARY, [dt.date.fromisoformat(DAY)])
    points = _points(resources, PLAYER_GAME_SUMMARY, DAY, "player_id")
    assert {p: points[p] for p in (BARNES, CASTLE)} == {BARNES: 8, CASTLE: 10}
    # Nothing else moved: same rows (no duplicate), same points for everyone else, team totals unchanged.
    assert len(summary) == len(summary_before) and not summary.duplicated(["game_id", "player_id"]).any()
    others = summary_before[~summary_before["player_id"].isin([BARNES, CASTLE])]
    assert {p: points[p] for p in others["player_id"]} == dict(zip(others["player_id"], others["points"]))
    offense = resources["warehouse"].read_slices(TEAM_OFFENSE_GAME_SUMMARY, [dt.date.fromisoformat(DAY)])
    assert offense[["game_id", "team_abbr", "points"]].equals(offense_before[["game_id", "team_abbr", "points"]])
    sas = offense[(offense["game_id"] == GAME)].set_index("team_abbr")["points"].to_dict()
    assert sas == {"SAS": 126, "GSW": 113}
    # Phase 4 on SAS's next game: the window's only SAS game now says 8 and 10.
    factors = _points(resources, PLAYER_COMPOSITE_FACTORS, SAS_NEXT, "player_id")
    assert {p: factors[p] for p in (BARNES, CASTLE)} == {BARNES: 8.0, CASTLE: 10.0}

    # The stored raw object is the corrected one: the next tick finds nothing to do.
    after = _tick(state)
    assert not after.run_requests
    assert after.skip_reason.skip_message == "refresh 2026-02-11..2026-02-12: 17 final games re-fetched, none changed"
