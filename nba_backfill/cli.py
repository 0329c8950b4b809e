"""The ``nba-backfill`` command: demo, gaps, plan, backfill, validate, grade, replay-server and build-season.

Every error the project raises on purpose is printed as one line naming what is wrong and what to do,
with exit code 2; tracebacks are kept for real bugs.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import warnings

import click
from rich.console import Console

from nba_backfill.errors import NbaBackfillError

# Dagster flags beta parameters (backfill_policy, allow_nonexistent_upstream_partitions) at import time;
# the versions are pinned and tested, so operators need not see it on every command.
warnings.filterwarnings("ignore", message=".*is currently in beta.*")
warnings.filterwarnings("ignore", message=".*is currently in preview.*")

class _Commands(click.Group):
    """The command group: an ``NbaBackfillError`` raised by any command (a bad date or setting, a missing
    warehouse, an unreachable webserver…) is printed as one ``error:`` line with exit 2; Ctrl-C anywhere exits
    130 (click's own "Aborted!" exits 1, the code of a failed backfill).
    """

    def invoke(self, ctx: click.Context):
        """Run the command, turning the project's own errors into one line."""
        try:
            return super().invoke(ctx)
        except NbaBackfillError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            console.print("interrupted", highlight=False)
            raise SystemExit(130) from None


@click.group(cls=_Commands, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
def app() -> None:
    """NBA player-prop pipeline as a Dagster asset graph: find, fill and cascade gaps."""
# Piped output (CI logs, `| tee`) gets a fixed width wide enough for the report tables.
console = Console(width=None if sys.stdout.isatty() else 120)


def _fail(exc: Exception) -> None:
    console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)  # one line, however long
    raise SystemExit(2)


def _require_warehouse(warehouse) -> None:
    """Raise unless the warehouse was ever written (nothing to report on, which is not "all clear")."""
    if not warehouse.is_initialized():
        raise NbaBackfillError(f"no warehouse at {warehouse.location()}; run `make demo` or a backfill first")


@app.command(short_help="Replay the January 2026 incident and repair it through Dagster.")
@click.option("--keep", is_flag=True, help="Keep the existing warehouse and instance instead of starting fresh.")
def demo(keep: bool) -> None:
    """Replay the January 2026 incident on real data and repair it through Dagster (about 2 minutes)."""
    from nba_backfill.operate.demo import run_demo
    from nba_backfill.settings import load_settings

    result = run_demo(load_settings(), console=console, fresh=not keep)
    bad = [line for line in result.report if line.status not in ("COMPLETE", "NO_GAMES")]
    raise SystemExit(1 if bad else 0)


@app.command("build-season", short_help="Build a season from scratch against the local replay.")
@click.argument("season")
@click.option("--through", default=None, help="Last date to build (default: the season's last night).")
@click.option("--fresh", is_flag=True, help="Start from an empty warehouse and instance.")
def build_season_cmd(season: str, through: str | None, fresh: bool) -> None:
    """Build SEASON (a label, e.g. 2024-25: see calendar, the bundled schedules) from scratch against the local
    replay: every asset over its partitions, rows per table.
    """
    from nba_backfill.operate.season_build import build_season
    from nba_backfill.settings import load_settings

    result = build_season(load_settings(), season, through, fresh=fresh, console=console)
    console.print(f"season {season} {result.start} … {result.end} ({result.partitions} partitions) built in "
                  f"{result.seconds['total']:.1f} s")
    for table, rows in result.rows.items():
        console.print(f"   {table:45s} {rows:8d} rows")


@app.command("replay-server", short_help="Serve the replay of stats.nba.com until interrupted.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option("--port", default=8765, type=click.IntRange(0, 65535), show_default=True,
              help="Port; 0 picks a free one.")
@click.option("--faults", default=None, help="Fault plan: JSON, or the path of a .json file (README, Replay "
              "faults).")
def replay_server(host: str, port: int, faults: str | None) -> None:
    """Serve the replay of stats.nba.com from the bundled data (every bundled season) until interrupted."""
    from nba_backfill.sources.replay_server import serve_replay

    try:
        serve_replay(host, port, faults)
    except (ValueError, OSError) as exc:  # bad fault JSON, unreadable file, port taken
        _fail(exc)


def _dates(start: str, end: str | None) -> list[str]:
    from nba_backfill.calendar import date_range, parse_game_date

    first, last = parse_game_date(start), parse_game_date(end or start)
    if last < first:
        raise NbaBackfillError(f"END {last} is before START {first}; write the earlier date first")
    return date_range(first, last)


def _raw_plan(days: list[str]):
    """The re-scrape of ``days`` with its closure, as the gap sensor would request it: a day whose stored schedule
    still has a game in progress reads its schedule again too (else it would stay PENDING after the backfill).
    """
    from nba_backfill.definitions import build_resources
    from nba_backfill.sensors.gap_scan import pending_dates
    from nba_backfill.sensors.gap_sensor import repair_plan
    from nba_backfill.settings import load_settings

    return repair_plan(days, pending_dates(build_resources(load_settings())["warehouse"], days))


@app.command(short_help="Per asset, the partitions a re-scrape of START … END runs, and why.")
@click.argument("start")
@click.argument("end", required=False)
def plan(start: str, end: str | None) -> None:
    """Per asset, the partitions a re-scrape of START … END (YYYY-MM-DD; END defaults to START) would run, and
    why (from the partition mappings).
    """
    from rich.table import Table

    from nba_backfill.assets import ALL_ASSETS
    from nba_backfill.sensors.cascade_plan import explain_plan, group_into_runs

    result = _raw_plan(_dates(start, end))
    table = Table(title=f"cascade of a re-scrape of {start} … {end or start}")
    # Whole asset names need ~110 columns beside the dates; a narrower terminal folds them instead.
    longest = max(len(key.to_user_string()) for key in result) if console.width >= 110 else None
    for col in ("asset", "partitions", "first", "last", "why"):
        # Asset names whole while the terminal allows, else folded onto a second line; never cut with "…".
        table.add_column(col, overflow="fold", min_width=longest if col == "asset" else None,
                         no_wrap=col in ("partitions", "first", "last"))
    why = explain_plan(ALL_ASSETS, result)
    for key, keys in result.items():
        table.add_row(key.to_user_string(), str(len(keys)), keys[0], keys[-1], why[key])
    console.print(table)
    for i, run in enumerate(group_into_runs(result), 1):
        console.print(f"range run {i}: {run.start} … {run.end} × {len(run.assets)} asset{'s' * (len(run.assets) > 1)}")


@app.command(short_help="Dates whose raw tables lack what the schedule owes; repairs in flight.")
def gaps() -> None:
    """What the gap sensor sees: game dates whose raw tables lack what the schedule owes, and in-flight repairs."""
    from rich.table import Table

    from nba_backfill.definitions import build_resources
    from nba_backfill.operate.runner import project_instance
    from nba_backfill.sensors.gap_scan import scan_gaps
    from nba_backfill.sensors.gap_sensor import raw_partitions_in_flight
    from nba_backfill.settings import load_settings

    settings = load_settings()
    warehouse = build_resources(settings)["warehouse"]
    _require_warehouse(warehouse)
    instance = project_instance(settings)
    found = scan_gaps(warehouse, instance, settings.season_start, settings.season_end)
    busy, _ = raw_partitions_in_flight(instance)
    from nba_backfill.calendar import span_text

    watched = (f"{settings.season_start} … {settings.season_end}" if settings.season_start or settings.season_end
               else span_text())
    table = Table(title=f"gaps {watched} (up to today; the off-season is not a partition)")
    for col in ("game date", "status", "final games", "team rows", "games with players", "in flight", "reason"):
        table.add_column(col)
    for row in found.itertuples():
        table.add_row(row.game_date, "PENDING" if row.kind == "pending" else "GAP", str(row.final_games),
                      str(row.team_rows), str(row.player_games), "yes" if row.game_date in busy else "", row.reason)
    console.print(table if len(found) else "no gaps: every watched date holds what its schedule owes")
    raise SystemExit(1 if len(found) else 0)


@app.command(short_help="Launch the plan of START … END as one Dagster backfill and follow it.")
@click.argument("start")
@click.argument("end", required=False)
@click.option("--url", default=None, help="Running Dagster webserver, e.g. http://127.0.0.1:3000; default: start "
              "one (with its daemon) for this backfill.")
def backfill(start: str, end: str | None, url: str | None) -> None:
    """Launch a real Dagster asset backfill of the plan (raw START … END + downstream) and follow it to the end.

    START and END are game dates (YYYY-MM-DD); END defaults to START.
    """
    from nba_backfill.operate.follow import follow_backfill
    from nba_backfill.operate.graphql_client import DagsterGraphQL
    from nba_backfill.operate.local_dagster import LocalDagster
    from nba_backfill.settings import load_settings

    days = _dates(start, end)
    result = _raw_plan(days)
    title = f"re-scrape {days[0]} … {days[-1]} with cascade"
    tags = {"nba_backfill/trigger": "cli"}

    def launch_and_follow(client: DagsterGraphQL):
        backfill_id = client.launch_backfill(result, tags=tags, title=title)
        try:
            state = follow_backfill(client, backfill_id, console)
        except KeyboardInterrupt:
            _interrupted(client, backfill_id, url)
        for asset, (targeted, done, failed) in state.per_asset.items():
            console.print(f"{asset:45s} {done:4d}/{targeted} materialized" + (f", {failed} failed" if failed else ""))
        console.print(f"backfill {backfill_id}: {state.status}")
        if state.failed or state.status not in ("COMPLETED", "COMPLETED_SUCCESS"):
            _print_step_failures(client, backfill_id)  # while the webserver still answers (a local one stops next)
        return state

    if url:
        state = launch_and_follow(DagsterGraphQL(url))
    else:
        # This Dagster exists for the one backfill and stops with it: its sensors would race the launch below for
        # the same dates (seen 1 in 3 for the gap sensor, 7 in 10 for the cascade automation) or start other work
        # that stopping would cut off.
        with LocalDagster(load_settings(), env={"NBA_BACKFILL_SENSORS": "stopped"}) as local_url:
            state = launch_and_follow(DagsterGraphQL(local_url))
    raise SystemExit(0 if state.status in ("COMPLETED", "COMPLETED_SUCCESS") else 1)


def _interrupted(client, backfill_id: str, url: str | None) -> None:
    """Ctrl-C while following a backfill; exits 130.

    A backfill on a webserver given by ``--url`` belongs to that deployment and keeps running. One whose
    webserver and daemon this command started is cancelled before they stop: left REQUESTED in the instance,
    it would hold its dates "in flight" for the gap sensor until someone started a daemon again.
    """
    from nba_backfill.operate.follow import follow_backfill

    if url:
        console.print(f"interrupted: no longer following; backfill {backfill_id} keeps running on {url} "
                      "(Runs → Backfills, where it can be cancelled)", highlight=False)
        raise SystemExit(130)
    # Dagster sets CANCELING whatever the status: a backfill that ended meanwhile must keep its own.
    if not client.backfill_progress(backfill_id).finished:
        console.print(f"interrupted: cancelling backfill {backfill_id} and its runs in progress", highlight=False)
        client.cancel_backfill(backfill_id)
    try:
        state = follow_backfill(client, backfill_id, console, timeout_seconds=120)
    except KeyboardInterrupt:
        console.print(f"interrupted again: backfill {backfill_id} is left CANCELING; the next Dagster daemon on this "
                      "instance (`make ui`, or another `nba-backfill backfill`) finishes cancelling it",
                      highlight=False)
        raise SystemExit(130) from None
    console.print(f"backfill {backfill_id}: {state.status}; the partitions it materialized are kept; "
                  "`nba-backfill gaps` lists the dates still missing", highlight=False)
    raise SystemExit(130)


def _print_step_failures(client, backfill_id: str) -> None:
    """Print each failed step's own error (game, date, cause, what to do), not only counts per asset."""
    try:
        failures = client.step_failures(backfill_id)
    except NbaBackfillError as exc:  # the counts above are printed already; say why the causes are missing
        console.print(f"could not read the failed runs' errors: {exc}")
        return
    for failure in failures:
        console.print(f"FAILED step {failure.step_key} (run {failure.run_id[:8]}):", markup=False)
        console.print("  " + failure.message.replace("\n", "\n  "), markup=False, highlight=False)
    console.print("then: `nba-backfill gaps` lists the dates still missing; the good dates were stored.")


@app.command(short_help="Expected vs found per phase and table, checks, overall status.")
@click.argument("date")
@click.argument("end", required=False)
@click.option("--format", "output", default="table", show_default=True,
              help="table (one date: full report; a range: one line per date) or json.")
def validate(date: str, end: str | None, output: str) -> None:
    """Expected vs found per phase and table on DATE (YYYY-MM-DD) or DATE … END, failed checks and an overall
    status; exit 0 only when every line is COMPLETE or legitimately empty (NO_GAMES, BOOTSTRAP).
    """
    import json

    # Only Dagster-free modules on the local deployment: importing Dagster alone would take ~1 s.
    from nba_backfill.resources.readers import local_readers
    from nba_backfill.seasons import date_range, parse_game_date
    from nba_backfill.settings import load_settings
    from nba_backfill.validation.recorded import open_records
    from nba_backfill.validation.render import as_json, print_day, print_range
    from nba_backfill.validation.report import validate_days

    # A short-lived command: what its imports created lives until exit. Frozen, the collector skips it during
    # the report and at exit (~0.1 s of a ~0.9 s command: pandas, DuckDB and rich make many objects).
    gc.freeze()
    first, last = parse_game_date(date), parse_game_date(end or date)
    if output not in ("table", "json"):
        raise NbaBackfillError(f"--format {output!r} is not one of table, json")
    if last < first:
        raise NbaBackfillError(f"END {last} is before DATE {first}; write the earlier date first")
    settings = load_settings()
    storage = local_readers(settings)
    if storage is None:  # another deployment: its Dagster resources (BigQuery + GCS)
        from nba_backfill.definitions import build_storage

        storage = build_storage(settings)
    warehouse, store = storage
    _require_warehouse(warehouse)
    # The instance adds recorded check results; without one (a bare warehouse) the report is data-only.
    records = open_records(settings.dagster_home)
    days = [dt.date.fromisoformat(d) for d in date_range(first, last)]
    try:
        reports = validate_days(warehouse, store, days, records)
    finally:
        if records is not None:
            records.close()
    if output == "json":
        click.echo(json.dumps(as_json(reports), indent=1))
    elif len(reports) == 1:
        print_day(console, reports[0])
    else:
        print_range(console, reports)
    raise SystemExit(0 if all(r.ok for r in reports) else 1)


@app.command(short_help="Per system: MAE, bias, hit rate against real prop lines.")
@click.argument("start")
@click.argument("end", required=False)
def grade(start: str, end: str | None) -> None:
    """Print per system over START … END (YYYY-MM-DD; END defaults to START): MAE, bias, and against real
    sportsbook lines the hit rate and the line's own MAE.
    """
    from rich.table import Table as RichTable

    from nba_backfill.definitions import build_resources
    from nba_backfill.logic.grading import summarize
    from nba_backfill.schemas.predictions import PREDICTION_ACCURACY
    from nba_backfill.settings import load_settings

    days = _dates(start, end)
    first, last = days[0], days[-1]
    warehouse = build_resources(load_settings())["warehouse"]
    _require_warehouse(warehouse)
    rows = warehouse.read_slices(PREDICTION_ACCURACY, [dt.date.fromisoformat(d) for d in days])
    if rows.empty:
        raise NbaBackfillError(f"no graded predictions {first} … {last}; materialize "
                               "nba_predictions/prediction_accuracy for those dates first")

    def num(value: float, fmt: str = "{:.3f}") -> str:
        return "-" if value != value else fmt.format(value)  # NaN (nothing to divide by) → "-"

    span = summarize(rows)
    table = RichTable(title=f"grading {first} … {last} ({rows['game_date'].nunique()} dates)")
    for col in ("system", "graded", "MAE", "bias", "with line", "MAE on them", "line MAE", "calls", "hit rate"):
        table.add_column(col, justify="left" if col == "system" else "right", no_wrap=True)
    for r in span.itertuples():
        table.add_row(str(r.system_id), str(int(r.graded)), num(float(r.mae_points)),
                      num(float(r.bias_points), "{:+.3f}"),
                      str(int(r.graded_with_line)), num(float(r.mae_with_line_points)),
                      num(float(r.line_mae_points)), str(int(r.calls)),
                      num(float(r.hit_rate), "{:.1%}") + (f" ({int(r.hits)}/{int(r.calls - r.pushes)})"
                                                           if r.calls - r.pushes else ""))
    console.print(table)
    console.print("MAE and bias (predicted − actual) in points over players who played; 'with line': those with a "
                  "real sportsbook line, the system's MAE on them and the line's own MAE; hit rate = winning "
                  "OVER/UNDER calls / decided calls (pushes excluded).")


def main() -> None:
    """Console-script entry point."""
    app.main(sys.argv[1:], prog_name="nba-backfill")


if __name__ == "__main__":
    main()
