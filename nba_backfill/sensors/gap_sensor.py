"""Sensors: the gap sensor (finds missing or short raw partitions and requests them with their downstream
closure as ONE asset backfill) and the failure-streak sensor (alerts on the first day of a broken source).

``ALL_SENSORS`` is what ``definitions.py`` loads; all are on by default.
"""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg

from nba_backfill.assets import ALL_ASSETS
from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.dagster_private import backfill_run_request, backfills
from nba_backfill.errors import WarehouseBusyError
from nba_backfill.logic.gaps import choose_gap_request
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.storage import Warehouse
from nba_backfill.sensors.cascade_plan import cascade_plan, contiguous_ranges
from nba_backfill.sensors.gap_scan import RAW_KEYS, scan_gaps

TRIGGER_TAG = "nba_backfill/trigger"
GAP_DATES_TAG = "nba_backfill/gap_dates"
GAP_SENSOR_INTERVAL_SECONDS = 30
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED]


def compact_dates(dates: list[str]) -> str:
    """``2025-12-27..2026-01-21,2026-01-30`` for a sorted list of ISO dates (tags and tick messages)."""
    return ",".join(a if a == b else f"{a}..{b}" for a, b in contiguous_ranges(sorted(dates)))


def raw_partitions_in_flight(instance: dg.DagsterInstance) -> tuple[set[str], list[str]]:
    """Raw files partitions targeted by unfinished backfills or runs, and the ids of our own repair backfills."""
    busy: set[str] = set()
    ours: list[str] = []
    for backfill in backfills(instance, in_flight_only=True):
        busy |= set(backfill.targets.get(BOXSCORE_FILES_KEY, []))
        if backfill.tags.get(TRIGGER_TAG) == "gap_sensor":
            ours.append(backfill.backfill_id)
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=IN_PROGRESS)):
        run = record.dagster_run
        if run.asset_selection and BOXSCORE_FILES_KEY in run.asset_selection:
            start = run.tags.get("dagster/asset_partition_range_start") or run.tags.get("dagster/partition")
            end = run.tags.get("dagster/asset_partition_range_end") or start
            if start:
                day = dt.date.fromisoformat(start)
                while day <= dt.date.fromisoformat(end):
                    busy.add(day.isoformat())
                    day += dt.timedelta(days=1)
    return busy, ours


def gap_request(gap_dates: list[str]) -> tuple[dict[dg.AssetKey, list[str]], dg.RunRequest]:
    """The repair of ``gap_dates``: every asset of their downstream closure over the closure's union of dates, as
    one backfill request.

    Why the union: Dagster 1.13's backfill daemon puts assets in one run only when they target the same
    partitions, and starts each further stage on a later 30 s tick. The exact closure (raw + phase 3 on the gap,
    phases 4–5 on the 21 days after) runs as three stages, ~3 min for the seed scope; the union runs as one range
    run per contiguous span, launched on the first tick. The price: raw and phase 3 of the up-to-21 healthy days
    after a gap are fetched and recomputed again (identical rows; with the polite rate limit, ~0.6 s per game).
    """
    closure = cascade_plan(ALL_ASSETS, {key: gap_dates for key in RAW_KEYS})
    union = sorted(set().union(*closure.values()))
    plan = {key: union for key in closure}
    tags = {TRIGGER_TAG: "gap_sensor", GAP_DATES_TAG: compact_dates(gap_dates)}
    return plan, backfill_run_request(plan, tags)


@dg.sensor(
    name="gap_sensor",
    minimum_interval_seconds=GAP_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    # A sensor may request an asset backfill only for assets it targets: the raw tables and everything below.
    asset_selection=dg.AssetSelection.assets(*RAW_KEYS).downstream(),
    description="Compares the schedule's final in-scope games with the raw tables for every watched date "
    "up to today; requests missing or short partitions with their downstream closure as one backfill.",
)
def gap_sensor(context: dg.SensorEvaluationContext, warehouse: Warehouse, scope: PipelineScope):
    """One tick: scan, drop what is in flight or recently requested, request the rest with its closure."""
    cursor = json.loads(context.cursor) if context.cursor else {"requested": {}}
    now = dt.datetime.now(dt.timezone.utc)
    try:
        gaps = scan_gaps(warehouse.for_sensor(), context.instance,
                         scope.season_start, scope.season_end)
    except WarehouseBusyError:
        return dg.SkipReason("warehouse busy (a run is writing); looking again next tick")
    busy, ours = raw_partitions_in_flight(context.instance) if len(gaps) else (set(), [])
    retry_after = dt.timedelta(minutes=scope.gap_retry_minutes)
    recent = {d for d, at in cursor["requested"].items() if now - dt.datetime.fromisoformat(at) < retry_after}
    gap_dates = list(gaps["game_date"])
    new, reason = choose_gap_request(gap_dates, busy, ours, recent)
    found = f"{len(gap_dates)} gap days ({compact_dates(gap_dates)})" if gap_dates else ""
    if not new:
        if not gap_dates:
            return dg.SensorResult(skip_reason=reason, cursor=json.dumps({"requested": {}}))
        return dg.SkipReason(f"{found}: {reason}")
    plan, request = gap_request(new)
    context.log.info(f"{found}; {reason} ({compact_dates(new)}): " + "; ".join(
        f"{k.to_user_string()} {len(v)}" for k, v in plan.items()))
    cursor["requested"].update({d: now.isoformat() for d in new})
    return dg.SensorResult(run_requests=[request], cursor=json.dumps(cursor))



