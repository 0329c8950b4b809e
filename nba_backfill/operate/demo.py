"""The main job end to end: the January 2026 team-boxscore incident, replayed on real data and repaired.

a. The season 2025-10-21 → 2026-02-12 is loaded as it ran: schedule and props in one range run; the
   healthy months before the incident (→ 2025-12-26) as one catch-up range run of raw → phase 3; then
   one nightly scrape run per date of 2025-12-27 → 2026-01-21, while the replay of stats.nba.com answers
   HTTP 200 with empty statistics for every game (the failure-streak sensor ticks after each failed night);
   the healthy nights after it (→ 2026-02-12) as one range run; then phases 4–5 over the season.
b. The source recovers (the fault is switched off).
c. A real Dagster webserver + daemon start on the same instance; the gap sensor's first tick finds the
   26 missing days and requests them with their downstream closure (from the partition mappings) as one
   asset backfill; the demo prints its targets per asset and follows it to the end.
d. The validation report of 2026-01-21 is printed.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from dataclasses import dataclass, field

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from nba_backfill.assets import ALL_ASSETS
from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.dagster_private import backfills
from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.follow import follow_backfill, wait_for_sensor_backfill
from nba_backfill.operate.graphql_client import DagsterGraphQL
from nba_backfill.operate.local_dagster import LocalDagster
from nba_backfill.operate.runner import materialize_partition, materialize_range, project_instance
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY
from nba_backfill.schemas.raw import (
    NBAC_PLAYER_BOXSCORE,
    NBAC_PLAYER_LIST,
    NBAC_SCHEDULE,
    NBAC_TEAM_BOXSCORE,
    ODDS_PLAYER_POINTS_PROPS,
)
from nba_backfill.sensors.cascade_plan import PlannedRun, cascade_plan
from nba_backfill.sensors.failure_streak import failure_streak_sensor
from nba_backfill.sensors.gap_sensor import TRIGGER_TAG
from nba_backfill.settings import Settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer
from nba_backfill.validation.report import ReportLine, validation_report

NIGHTLY = [BOXSCORE_FILES_KEY, *(asset_key_for(t) for t in (
    NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE, TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY,
    PLAYER_GAME_SUMMARY))]
# The sources of a date: its schedule, its prop lines and its rosters (read by phase 4 for who plays for whom).
SOURCES = [asset_key_for(NBAC_SCHEDULE), asset_key_for(ODDS_PLAYER_POINTS_PROPS), asset_key_for(NBAC_PLAYER_LIST)]
FEATURES = [asset_key_for(t) for t in (PLAYER_COMPOSITE_FACTORS, PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY)]


@dataclass(frozen=True)
class DemoConfig:
    """The scenario: the season span, the broken-source span and the report date (the 2026 incident)."""

    start: str = "2025-10-21"
    end: str = "2026-02-12"
    gap_start: str = "2025-12-27"
    gap_end: str = "2026-01-21"
    report_date: str = "2026-01-21"


@dataclass
class DemoResult:
    """What the demo did, for the CLI and the tests."""

    failed_partitions: list[str] = field(default_factory=list)
    plan: dict[dg.AssetKey, list[str]] = field(default_factory=dict)
    backfill_id: str = ""
    backfill_status: str = ""
    report: list[ReportLine] = field(default_factory=list)
    seconds: float = 0.0


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


def reset_home(settings: Settings) -> None:
    """Remove the warehouse, the object store and the Dagster instance under ``$NBA_BACKFILL_HOME``."""
    settings.warehouse_path.unlink(missing_ok=True)
    shutil.rmtree(settings.lake_path, ignore_errors=True)
    if settings.dagster_home.is_relative_to(settings.home):
        shutil.rmtree(settings.dagster_home, ignore_errors=True)


def _print_plan(console: Console, backfill_id: str, plan: dict[dg.AssetKey, list[str]]) -> None:
    table = RichTable(title=f"c. backfill {backfill_id} requested by gap_sensor (closure from the partition mappings)")
    for col in ("asset", "partitions", "first", "last"):
        table.add_column(col)
    for key, keys in plan.items():
        table.add_row(key.to_user_string(), str(len(keys)), keys[0], keys[-1])
    console.print(table)


def _tick_failure_streak(instance: dg.DagsterInstance, settings: Settings, cursor: str | None, console: Console,
                         day: str) -> str | None:
    """One in-process tick of the real failure-streak sensor (the daemon is not running during step a)."""
    resources = build_resources(settings)
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={
        "object_store": resources["object_store"], "scope": resources["scope"]})
    # The sensor's log line would repeat what the demo prints below. Its logger is Dagster's InstigationLogger,
    # a logger of its own (outside the "dagster" logging tree), created once per context: quieted here.
    context.log.setLevel(logging.CRITICAL)
    skip = failure_streak_sensor(context)
    if context.cursor != cursor and skip.skip_message.startswith("ALERT") and cursor is None:
        console.print(f"   [red]{day} failure_streak_sensor[/red] {skip.skip_message}", highlight=False)
    return context.cursor


def print_report(console: Console, day: str, lines: list[ReportLine]) -> None:
    """Render the validation report of one date as a table with an overall line."""
    table = RichTable(title=f"d. validation report for {day}")
    for col in ("phase", "what", "expected", "found", "status", "note"):
        table.add_column(col)
    for line in lines:
        table.add_row(line.phase, line.item, str(line.expected), str(line.found), line.status, line.note)
    console.print(table)
    bad = [line for line in lines if line.status not in ("COMPLETE", "NO_GAMES")]
    console.print(f"overall: {'COMPLETE' if not bad else 'INCOMPLETE (' + str(len(bad)) + ' lines)'}")


def run_demo(settings: Settings, config: DemoConfig = DemoConfig(), console: Console | None = None,
             fresh: bool = True) -> DemoResult:
    """Replay the incident and its repair; return what happened (see module docstring for the steps)."""
    console = console or Console()
    began = time.monotonic()
    if fresh:
        reset_home(settings)
    instance = project_instance(settings)
    result = DemoResult()
    season = date_range(dt.date.fromisoformat(config.start), dt.date.fromisoformat(config.end))
    with ReplayServer() as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0.0, backoff_seconds=0.05, max_retries=2)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        replay.set_faults({"rules": [{"kind": "empty_stats", "date_from": config.gap_start,
                                      "date_to": config.gap_end}]})
        console.rule(f"a. season {config.start} → {config.end}; stats.nba.com serves empty stats "
                     f"{config.gap_start} → {config.gap_end}")
        outcome = materialize_range(defs, instance, PlannedRun(tuple(SOURCES), config.start, config.end))
        console.print(f"   schedule + props + rosters, one range run of {len(season)} partitions: "
                      f"{'ok' if outcome.success else 'FAILED'}")
        streak_cursor = None
        before = [d for d in season if d < config.gap_start]
        nightly = [d for d in season if config.gap_start <= d <= config.gap_end]
        after = [d for d in season if d > config.gap_end]
        if before:
            outcome = materialize_range(defs, instance, PlannedRun(tuple(NIGHTLY), before[0], before[-1]))
            console.print(f"   healthy months {before[0]} → {before[-1]}, raw → phase 3 as one catch-up range run "
                          f"of {len(before)} partitions: {'ok' if outcome.success else 'FAILED'}")
        with _progress(console) as progress:
            task = progress.add_task("   nightly scrape runs (raw → phase 3)", total=len(nightly))
            for day in nightly:
                outcome = materialize_partition(defs, instance, day, selection=NIGHTLY)
                if not outcome.success:
                    result.failed_partitions.append(day)
                    streak_cursor = _tick_failure_streak(instance, settings, streak_cursor, progress.console, day)
                    if len(result.failed_partitions) == 1:
                        first = outcome.failures[0].splitlines()
                        progress.console.print(f"   [red]{day} FAILED[/red] {first[0]}\n   {first[1]}\n   …",
                                               highlight=False)
                progress.update(task, advance=1, description=f"   nightly scrape {day} "
                                f"({len(result.failed_partitions)} failed)")
        console.print(f"   {len(result.failed_partitions)} raw partitions failed loudly: "
                      f"{result.failed_partitions[0] if result.failed_partitions else '-'} … "
                      f"{result.failed_partitions[-1] if result.failed_partitions else '-'}")
        if after:
            # The nights after the incident succeed one like the other; one catch-up range run does the same work
            # as their nightly runs without ~2 s of run start-up each (README, Performance).
            outcome = materialize_range(defs, instance, PlannedRun(tuple(NIGHTLY), after[0], after[-1]))
            console.print(f"   nights after the incident {after[0]} → {after[-1]}, raw → phase 3 as one range run of "
                          f"{len(after)} partitions: {'ok' if outcome.success else 'FAILED'}")
        outcome = materialize_range(defs, instance, PlannedRun(tuple(FEATURES), config.start, config.end))
        console.print(f"   phases 4–5 over the season (windows with holes are flagged): "
                      f"{'ok' if outcome.success else 'FAILED: ' + '; '.join(outcome.failures)}")

        console.rule("b. the source recovers")
        replay.set_faults({})

        console.rule("c. the gap sensor finds the hole; one backfill repairs it with its downstream closure")
        env = {"NBA_BACKFILL_STATS_URL": replay.base_url, "NBA_BACKFILL_RATE_LIMIT_SECONDS": "0",
               "NBA_BACKFILL_SEASON_START": config.start, "NBA_BACKFILL_SEASON_END": config.end}
        known = {b.backfill_id for b in backfills(instance)}
        with LocalDagster(settings, env=env) as url:
            console.print(f"   Dagster webserver + daemon on {url} (same instance); waiting for a gap_sensor tick")
            result.backfill_id, targets = wait_for_sensor_backfill(instance, (TRIGGER_TAG, "gap_sensor"), known)
            # What the sensor's backfill targets, in the graph's order (the closure from the partition mappings).
            result.plan = {key: targets[key] for key in cascade_plan(ALL_ASSETS, targets) if key in targets}
            _print_plan(console, result.backfill_id, result.plan)
            result.backfill_status = follow_backfill(DagsterGraphQL(url), result.backfill_id, console).status
            console.print(f"   backfill {result.backfill_id}: {result.backfill_status}")
    resources = build_resources(settings)
    result.report = validation_report(resources["warehouse"], resources["object_store"],
                                      dt.date.fromisoformat(config.report_date))
    print_report(console, config.report_date, result.report)
    result.seconds = time.monotonic() - began
    console.print(f"demo finished in {result.seconds:.1f} s; Dagster instance: {settings.dagster_home}")
    return result
