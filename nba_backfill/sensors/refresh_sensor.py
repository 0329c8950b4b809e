"""The refresh sensor: picks up the league's stat corrections without a person.

Every ``NBA_BACKFILL_REFRESH_INTERVAL_SECONDS`` (default 6 h) it re-fetches, with the project's client (retries,
rate limit), the box score of every stored final game of the last ``NBA_BACKFILL_REFRESH_DAYS`` (default 7) watched
dates up to today, and compares each answer's content hash with the stored raw object's
(:func:`~nba_backfill.logic.refresh.boxscore_content_hash`: the parsed rows, never the volatile ``meta.time``).
Dates with a changed game are requested with their downstream closure as ONE asset backfill, exactly like the gap
sensor's repair (the same :func:`~nba_backfill.sensors.cascade_plan.cascade_plan` over the partition mappings);
unchanged dates cost one request per game and no run.

Not judged here (the gap sensor's): dates whose raw files partition is not materialized and games without a stored
object. A game the source cannot serve now (HTTP error, empty statistics) is never a correction: its date waits.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import dagster as dg
import pandas as pd

from nba_backfill.assets import ALL_ASSETS
from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.dagster_private import backfill_run_request
from nba_backfill.errors import SourceError, WarehouseBusyError
from nba_backfill.logic.refresh import (
    GameCheck,
    boxscore_content_hash,
    changed_lines,
    dates_to_refresh,
    resume_order,
)
from nba_backfill.logic.schedule import boxscore_object_name, final_in_scope_games
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.storage import ObjectStore, Warehouse
from nba_backfill.schemas.raw import NBAC_SCHEDULE
from nba_backfill.sensors.cascade_plan import cascade_plan
from nba_backfill.sensors.gap_scan import RAW_KEYS, watched_span
from nba_backfill.sensors.gap_sensor import TRIGGER_TAG, compact_dates, raw_partitions_in_flight
from nba_backfill.sensors.partition_status import materialized_days
from nba_backfill.sources.nba_stats_client import NbaStatsClient

REFRESH_DATES_TAG = "nba_backfill/refresh_dates"
REFRESH_GAMES_TAG = "nba_backfill/refresh_games"
# Dagster cancels a sensor tick after 60 s (DAGSTER_SENSOR_GRPC_TIMEOUT_SECONDS): a tick stops re-fetching after
# this long (~65 games at the real site's 0.6 s rate limit) and the next tick resumes after the last game checked
# (the cursor's ``resume_after``).
TICK_BUDGET_SECONDS = 40.0


def refresh_window(scope: PipelineScope, today: dt.date | None = None) -> list[str]:
    """The last ``scope.refresh_days`` watched dates up to today (partition keys, oldest first).

    Watched = ``scope.season_start`` … ``scope.season_end`` (empty: the configured seasons' partitions), as for the
    gap sensor; off-season days are not partitions, hence never in the window.
    """
    first, last = watched_span(scope.season_start, scope.season_end, today)
    start = max(first, last - dt.timedelta(days=scope.refresh_days - 1))
    return date_range(start, last) if start <= last else []


def _games_due(warehouse: Warehouse, instance: dg.DagsterInstance, window: list[str]) -> list[tuple[str, str]]:
    """(date, game id) of the final in-scope games of the window's dates whose raw files partition is materialized."""
    stored_days = sorted(materialized_days(instance, BOXSCORE_FILES_KEY, window))
    if not stored_days:
        return []
    schedule = warehouse.read_slices(NBAC_SCHEDULE, [dt.date.fromisoformat(d) for d in stored_days])
    due = final_in_scope_games(schedule)
    return [(pd.Timestamp(g.game_date).date().isoformat(), str(g.game_id)) for g in due.itertuples()]


def check_game(nba_stats: NbaStatsClient, store: ObjectStore, day: str, game_id: str) -> GameCheck:
    """Re-fetch one stored final game (one request, through the client's rate limit) and compare contents."""
    name = boxscore_object_name(dt.date.fromisoformat(day), game_id)
    if not store.exists(name):
        return GameCheck(game_id, day, "not_stored", "no raw object (the gap sensor repairs it)")
    try:
        fetched = nba_stats.fetch_boxscore(game_id, day)
    except SourceError as exc:
        return GameCheck(game_id, day, "fetch_failed", f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    stored = store.get_json(name)
    date = dt.date.fromisoformat(day)
    try:
        same = boxscore_content_hash(stored, date, game_id) == boxscore_content_hash(fetched, date, game_id)
    except SourceError as exc:  # the stored object itself no longer parses: a gap (failed raw check), not ours
        return GameCheck(game_id, day, "not_stored", f"stored object unusable ({type(exc).__name__})")
    if same:
        return GameCheck(game_id, day, "unchanged")
    return GameCheck(game_id, day, "changed", "; ".join(changed_lines(stored, fetched, date)) or "lines reordered")


def refresh_request(dates: list[str], games: list[str]) -> tuple[dict[dg.AssetKey, list[str]], dg.RunRequest]:
    """The raw partitions of ``dates`` plus their downstream closure, as one backfill request (as the gap repair)."""
    plan = cascade_plan(ALL_ASSETS, {key: dates for key in RAW_KEYS})
    tags = {TRIGGER_TAG: "refresh_sensor", REFRESH_DATES_TAG: compact_dates(dates),
            REFRESH_GAMES_TAG: ",".join(sorted(games))}
    return plan, backfill_run_request(plan, tags)


def _summary(window: list[str], checks: list[GameCheck], total: int, skipped: list[str]) -> str:
    """The tick's first line: window, games re-fetched, changed / failed / skipped counts."""
    span = compact_dates(window) or "no watched dates"
    fetched = [c for c in checks if c.outcome in ("unchanged", "changed")]
    changed = [c for c in checks if c.outcome == "changed"]
    failed = [c for c in checks if c.outcome == "fetch_failed"]
    text = f"refresh {span}: {len(fetched)} final games re-fetched"
    text += f", {len(changed)} changed" if changed else ", none changed"
    if len(checks) < total:
        text += f" ({total - len(checks)} left for the next tick: time budget)"
    if failed:
        text += f"; {len(failed)} could not be re-fetched (first: {failed[0].game_id} {failed[0].detail})"
    not_stored = [c for c in checks if c.outcome == "not_stored"]
    if not_stored:
        text += f"; {len(not_stored)} without a usable stored object, left to the gap sensor"
    if skipped:
        text += f"; in flight, not re-checked: {compact_dates(skipped)}"
    return text


def build_refresh_sensor(minimum_interval_seconds: int, tick_budget_seconds: float = TICK_BUDGET_SECONDS,
                         default_status: dg.DefaultSensorStatus = dg.DefaultSensorStatus.RUNNING,
                         ) -> dg.SensorDefinition:
    """The refresh sensor ticking every ``minimum_interval_seconds`` (``NBA_BACKFILL_REFRESH_INTERVAL_SECONDS``).

    ``tick_budget_seconds``: a tick stops re-fetching after this long (at least one game per tick); the rest of
    the window is re-checked by the next tick, first.
    """

    @dg.sensor(
        name="refresh_sensor",
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=default_status,
        asset_selection=dg.AssetSelection.assets(*RAW_KEYS).downstream(),
        description="Re-fetches the final games of the last NBA_BACKFILL_REFRESH_DAYS days and compares each with "
        "the stored raw object (content hash); dates whose box scores changed (league stat corrections) are "
        "requested with their downstream closure as one backfill. Unchanged dates: one request per game, no run.",
    )
    def refresh_sensor(context: dg.SensorEvaluationContext, nba_stats: NbaStatsClient, object_store: ObjectStore,
                       warehouse: Warehouse, scope: PipelineScope):
        """One tick: re-fetch the window's stored final games, request the dates whose content changed."""
        began = time.monotonic()
        now = dt.datetime.now(dt.timezone.utc)
        cursor = json.loads(context.cursor) if context.cursor else {}
        window = refresh_window(scope)
        try:
            games = _games_due(warehouse.for_sensor(), context.instance, window)
        except WarehouseBusyError:
            context.log.info("warehouse busy (a run is writing); looking again next tick")
            return dg.SkipReason("warehouse busy (a run is writing); looking again next tick")
        busy, _ = raw_partitions_in_flight(context.instance) if games else (set(), [])
        skipped = sorted({d for d, _ in games if d in busy})
        games = resume_order([g for g in games if g[0] not in busy], cursor.get("resume_after"))
        checks: list[GameCheck] = []
        for day, game_id in games:
            if checks and time.monotonic() - began > tick_budget_seconds:
                break
            checks.append(check_game(nba_stats, object_store, day, game_id))
        for check in checks:
            if check.outcome == "changed":
                context.log.info(f"{check.game_id} ({check.game_date}) changed: {check.detail}")
        # A date requested within the gap sensor's retry window is not requested again (its run may be queued).
        retry_after = dt.timedelta(minutes=scope.gap_retry_minutes)
        requested = {d: at for d, at in cursor.get("requested", {}).items()
                     if now - dt.datetime.fromisoformat(at) < retry_after}
        refresh, deferred = dates_to_refresh(checks)
        waiting = [d for d in refresh if d in requested]
        refresh = [d for d in refresh if d not in requested]
        unfinished = checks and len(checks) < len(games)
        new_cursor = {"requested": requested, "checked_at": now.isoformat(),
                      "resume_after": [checks[-1].game_date, checks[-1].game_id] if unfinished else None}
        message = _summary(window, checks, len(games), skipped)
        if deferred:
            message += f"; changed but not every game re-fetched, waiting: {compact_dates(deferred)}"
        if waiting:
            message += f"; requested within the retry window, waiting: {compact_dates(waiting)}"
        if not refresh:
            context.log.info(message)
            return dg.SensorResult(skip_reason=message, cursor=json.dumps(new_cursor))
        games_changed = [c.game_id for c in checks if c.outcome == "changed" and c.game_date in refresh]
        plan, request = refresh_request(refresh, games_changed)
        message += f"; requesting {compact_dates(refresh)} with its downstream closure: " + "; ".join(
            f"{k.to_user_string()} {len(v)}" for k, v in plan.items())
        context.log.info(message)
        new_cursor["requested"].update({d: now.isoformat() for d in refresh})
        return dg.SensorResult(run_requests=[request], cursor=json.dumps(new_cursor))

    return refresh_sensor
