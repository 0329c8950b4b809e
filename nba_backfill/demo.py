"""The main job end to end: the January 2026 team-boxscore incident, replayed on real data and repaired.

a. The season 2025-10-21 → 2026-02-12 is loaded as it ran: schedule and props, then one nightly scrape
   run per date (raw files → box scores → phase 3), while the replay of stats.nba.com answers HTTP 200
   with empty statistics for every game of 2025-12-27 → 2026-01-21; then phases 4–5 over the season.
b. The source recovers (the fault is switched off).
c. The failed raw partitions are read from the Dagster instance, the cascade is planned from the
   partition mappings, printed per asset, and run as range runs.
d. The validation report of 2026-01-21 is printed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass, field

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.cascade import PlannedRun, cascade_plan, group_into_runs
from nba_backfill.definitions import build_defs
from nba_backfill.partitions import date_range
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.resources.object_store import LocalObjectStore
from nba_backfill.runner import materialize_partition, materialize_range, project_instance
from nba_backfill.schemas import asset_key_for
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE, ODDS_PLAYER_POINTS_PROPS
from nba_backfill.settings import Settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer
from nba_backfill.validation import ReportLine, validation_report

NIGHTLY = [BOXSCORE_FILES_KEY, *(asset_key_for(t) for t in (
    NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE, TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY,
    PLAYER_GAME_SUMMARY))]
SOURCES = [asset_key_for(NBAC_SCHEDULE), asset_key_for(ODDS_PLAYER_POINTS_PROPS)]
FEATURES = [asset_key_for(PLAYER_COMPOSITE_FACTORS), asset_key_for(PLAYER_PROP_PREDICTIONS)]


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
    runs: list[PlannedRun] = field(default_factory=list)
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


def _print_plan(console: Console, plan: dict[dg.AssetKey, list[str]], runs: list[PlannedRun]) -> None:
    table = RichTable(title="c. cascade plan (from the partition mappings)")
    for col in ("asset", "partitions", "first", "last"):
        table.add_column(col)
    for key, keys in plan.items():
        table.add_row(key.to_user_string(), str(len(keys)), keys[0], keys[-1])
    console.print(table)
    for i, run in enumerate(runs, 1):
        console.print(f"   run {i}: {run.start} … {run.end} ({run.partition_count} partitions) × "
                      + ", ".join(k.to_user_string() for k in run.assets))


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
        replay.set_faults({"rules": [{"kind": "empty_stats", "date_from": config.gap_start, "date_to": config.gap_end}]})
        console.rule(f"a. season {config.start} → {config.end}; stats.nba.com serves empty stats "
                     f"{config.gap_start} → {config.gap_end}")
        outcome = materialize_range(defs, instance, PlannedRun(tuple(SOURCES), config.start, config.end))
        console.print(f"   schedule + props, one range run of {len(season)} partitions: "
                      f"{'ok' if outcome.success else 'FAILED'}")
        with _progress(console) as progress:
            task = progress.add_task("   nightly scrape runs (raw → phase 3)", total=len(season))
            for day in season:
                outcome = materialize_partition(defs, instance, day, selection=NIGHTLY)
                if not outcome.success:
                    result.failed_partitions.append(day)
                    if len(result.failed_partitions) == 1:
                        first = outcome.failures[0].splitlines()
                        progress.console.print(f"   [red]{day} FAILED[/red] {first[0]}\n   {first[1]}\n   …",
                                               highlight=False)
                progress.update(task, advance=1, description=f"   nightly scrape {day} "
                                f"({len(result.failed_partitions)} failed)")
        console.print(f"   {len(result.failed_partitions)} raw partitions failed loudly: "
                      f"{result.failed_partitions[0] if result.failed_partitions else '-'} … "
                      f"{result.failed_partitions[-1] if result.failed_partitions else '-'}")
        outcome = materialize_range(defs, instance, PlannedRun(tuple(FEATURES), config.start, config.end))
        console.print(f"   phases 4–5 over the season (windows with holes are flagged): "
                      f"{'ok' if outcome.success else 'FAILED: ' + '; '.join(outcome.failures)}")

        console.rule("b. the source recovers")
        replay.set_faults({})

        materialized = instance.get_materialized_partitions(BOXSCORE_FILES_KEY)
        missing = [d for d in season if d not in materialized]
        result.plan = cascade_plan(defs, {BOXSCORE_FILES_KEY: missing})
        result.runs = group_into_runs(result.plan, defs)
        _print_plan(console, result.plan, result.runs)
        with _progress(console) as progress:
            for i, run in enumerate(result.runs, 1):
                task = progress.add_task(f"   backfill run {i}/{len(result.runs)} "
                                         f"({len(run.assets)} assets)", total=run.partition_count)
                outcome = materialize_range(defs, instance, run, tags={"nba_backfill/purpose": "gap-repair"})
                if not outcome.success:
                    raise RuntimeError(f"backfill run {i} failed: " + "; ".join(outcome.failures))
                progress.update(task, completed=run.partition_count)
    warehouse = DuckDBWarehouse(path=str(settings.warehouse_path))
    store = LocalObjectStore(root=str(settings.lake_path))
    result.report = validation_report(warehouse, store, dt.date.fromisoformat(config.report_date))
    print_report(console, config.report_date, result.report)
    result.seconds = time.monotonic() - began
    console.print(f"demo finished in {result.seconds:.1f} s; Dagster instance: {settings.dagster_home}")
    return result
