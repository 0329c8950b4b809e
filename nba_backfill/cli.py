"""The ``nba-backfill`` command: demo, replay-server, plan and validate.

Every error the project raises on purpose is printed as one line naming what is wrong and what to do,
with exit code 2; tracebacks are kept for real bugs.
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings

import typer
from rich.console import Console

from nba_backfill.errors import NbaBackfillError

# Dagster flags beta parameters (backfill_policy, allow_nonexistent_upstream_partitions) at import time;
# the versions are pinned and tested, so operators need not see it on every command.
warnings.filterwarnings("ignore", message=".*is currently in beta.*")
warnings.filterwarnings("ignore", message=".*is currently in preview.*")

app = typer.Typer(help="NBA player-prop pipeline as a Dagster asset graph: find, fill and cascade gaps.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
# Piped output (CI logs, `| tee`) gets a fixed width wide enough for the report tables.
console = Console(width=None if sys.stdout.isatty() else 120)


def _fail(exc: Exception) -> None:
    console.print(f"[red]error:[/red] {exc}", highlight=False)
    raise typer.Exit(code=2)


@app.command()
def demo(keep: bool = typer.Option(False, help="Keep the existing warehouse and instance instead of starting fresh.")) -> None:
    """Replay the January 2026 incident on real data and repair it through Dagster (about 3 minutes)."""
    from nba_backfill.demo import run_demo
    from nba_backfill.settings import load_settings

    try:
        result = run_demo(load_settings(), console=console, fresh=not keep)
    except NbaBackfillError as exc:
        _fail(exc)
    bad = [line for line in result.report if line.status not in ("COMPLETE", "NO_GAMES")]
    raise typer.Exit(code=1 if bad else 0)


@app.command("replay-server")
def replay_server(
    host: str = typer.Option("127.0.0.1", help="Interface to bind (loopback by default)."),
    port: int = typer.Option(8765, help="Port; 0 picks a free one."),
    faults: str = typer.Option(None, help="Fault plan as JSON (see README, Replay faults)."),
) -> None:
    """Serve the replay of stats.nba.com from the bundled 2025-26 data until interrupted."""
    from nba_backfill.sources.replay_server import serve_replay

    try:
        serve_replay(host, port, faults)
    except NbaBackfillError as exc:
        _fail(exc)


@app.command()
def plan(start: str = typer.Argument(..., help="First changed raw date, YYYY-MM-DD."),
         end: str = typer.Argument(None, help="Last changed raw date (default: start).")) -> None:
    """Print, per asset, the partitions a re-scrape of START … END would re-run (from the partition mappings)."""
    from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
    from nba_backfill.cascade import cascade_plan, group_into_runs
    from nba_backfill.definitions import build_defs
    from nba_backfill.partitions import date_range, parse_game_date

    try:
        first = parse_game_date(start)
        last = parse_game_date(end or start)
    except NbaBackfillError as exc:
        _fail(exc)
    defs = build_defs()
    result = cascade_plan(defs, {BOXSCORE_FILES_KEY: date_range(first, last)})
    for key, keys in result.items():
        console.print(f"{key.to_user_string():45s} {len(keys):4d} partitions  {keys[0]} … {keys[-1]}")
    for i, run in enumerate(group_into_runs(result, defs), 1):
        console.print(f"run {i}: {run.start} … {run.end} × {len(run.assets)} assets")


@app.command()
def validate(date: str = typer.Argument(..., help="Game date, YYYY-MM-DD.")) -> None:
    """Print expected vs found rows per phase for one game date; exit 0 only when complete."""
    from nba_backfill.demo import print_report
    from nba_backfill.partitions import parse_game_date
    from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
    from nba_backfill.resources.object_store import LocalObjectStore
    from nba_backfill.settings import load_settings
    from nba_backfill.validation import validation_report

    try:
        day: dt.date = parse_game_date(date)
    except NbaBackfillError as exc:
        _fail(exc)
    settings = load_settings()
    if not settings.warehouse_path.exists():
        _fail(NbaBackfillError(f"no warehouse at {settings.warehouse_path}; run `make demo` or a backfill first"))
    lines = validation_report(DuckDBWarehouse(path=str(settings.warehouse_path)),
                              LocalObjectStore(root=str(settings.lake_path)), day)
    print_report(console, date, lines)
    raise typer.Exit(code=0 if all(x.status in ("COMPLETE", "NO_GAMES") for x in lines) else 1)


def main() -> None:
    """Console-script entry point."""
    app(sys.argv[1:])


if __name__ == "__main__":
    main()
