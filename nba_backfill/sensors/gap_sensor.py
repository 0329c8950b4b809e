"""Sensors: the gap sensor (finds missing or short raw partitions and requests them with their downstream
closure as ONE asset backfill) and the failure-streak sensor (alerts on the first day of a broken source).

``sensors.build_sensors`` is what ``definitions.py`` loads; all are on by default.
"""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg

from nba_backfill.assets import ALL_ASSETS
from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import date_range
from nba_backfill.dagster_private import backfill_run_request, backfills
from nba_backfill.errors import WarehouseBusyError
from nba_backfill.logic.gaps import choose_gap_request, days_to_refetch
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_SCHEDULE
from nba_backfill.sensors.cascade_plan import cascade_plan, contiguous_ranges
from nba_backfill.sensors.dead_runs import fail_dead_runs
from nba_backfill.sensors.gap_scan import RAW_KEYS, ROSTER_KEY, scan_gaps
from nba_backfill.sensors.partition_status import materialized_days

SCHEDULE_KEY = asset_key_for(NBAC_SCHEDULE)
TRIGGER_TAG = "nba_backfill/trigger"
GAP_DATES_TAG = "nba_backfill/gap_dates"
GAP_SENSOR_INTERVAL_SECONDS = 30
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED]


def compact_dates(dates: list[str]) -> str:
    """``2025-12-27..2026-01-21,2026-01-30`` for a sorted list of ISO dates (tags and tick messages)."""
    return ",".join(a if a == b else f"{a}..{b}" for a, b in contiguous_ranges(sorted(dates)))


def raw_partitions_in_flight(instance: dg.DagsterInstance) -> tuple[set[str], list[str]]:
    """Raw files or rosters partitions targeted by unfinished backfills or runs, and the ids of our own repair
    backfills.
    """
    busy: set[str] = set()
    ours: list[str] = []
    for backfill in backfills(instance, in_flight_only=True):
        busy |= set(backfill.targets.get(BOXSCORE_FILES_KEY, [])) | set(backfill.targets.get(ROSTER_KEY, []))
        if backfill.tags.get(TRIGGER_TAG) == "gap_sensor":
            ours.append(backfill.backfill_id)
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=IN_PROGRESS)):
        run = record.dagster_run
        if run.asset_selection and {BOXSCORE_FILES_KEY, ROSTER_KEY} & set(run.asset_selection):
            start = run.tags.get("dagster/asset_partition_range_start") or run.tags.get("dagster/partition")
            end = run.tags.get("dagster/asset_partition_range_end") or start
            if start:
                busy.update(date_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end)))
    return busy, ours


def repair_plan(gap_dates: list[str], pending_dates: list[str] = (), refetch_dates: list[str] | None = None,
                roster_dates: list[str] = ()) -> dict[dg.AssetKey, list[str]]:
    """The repair of ``gap_dates``: asset key → partition keys, the raw partitions plus their downstream closure.

    What the gap sensor requests (:func:`gap_request`) and what ``nba-backfill plan`` / ``backfill`` run.

    ``pending_dates`` (a subset: days with games not final when their schedule was stored) also re-read the
    schedule, so the day completes once every game is final. ``refetch_dates`` (default: all) are the days
    whose box-score files are fetched again; the others rebuild their raw tables from the stored files
    (``logic.gaps.days_to_refetch``), so a bad date never drags a good neighbour into its failing run.
    ``roster_dates`` (days whose rosters are missing) read the rosters again, with their closure (phases 4–5 of
    the same days); a roster-only gap day is in ``roster_dates`` and not in ``gap_dates``: its box scores are not
    read again.

    The exact closure, not its union of dates: running every asset over the union would make the daemon start the
    repair as one run instead of three stages (measured 83 s instead of ~3 min), but it recomputes phase 3 on up
    to 21 healthy days after the gap, whose own closure then reaches past the repair (declarative automation ran
    phases 4–5 again beyond it, in the demo on 2026-02-12): every partition is to be processed once.
    """
    roots = {key: list(gap_dates) for key in RAW_KEYS} if gap_dates else {}
    if refetch_dates is not None and gap_dates:
        roots[BOXSCORE_FILES_KEY] = sorted(refetch_dates)
    if pending_dates:
        roots[SCHEDULE_KEY] = sorted(pending_dates)
    if roster_dates:
        roots[ROSTER_KEY] = sorted(roster_dates)
    return cascade_plan(ALL_ASSETS, roots)


def gap_request(gap_dates: list[str], pending_dates: list[str] = (), refetch_dates: list[str] | None = None,
                roster_dates: list[str] = ()) -> tuple[dict[dg.AssetKey, list[str]], dg.RunRequest]:
    """The :func:`repair_plan` of the arguments and the gap sensor's one backfill request of it (tagged with
    the trigger and the gap dates).
    """
    plan = repair_plan(gap_dates, pending_dates, refetch_dates, roster_dates)
    tags = {TRIGGER_TAG: "gap_sensor", GAP_DATES_TAG: compact_dates(sorted({*gap_dates, *roster_dates}))}
    return plan, backfill_run_request(plan, tags)


def _gap_tick(context: dg.SensorEvaluationContext, warehouse: Warehouse, scope: PipelineScope):
    """One tick: mark dead runs failed, scan, drop what is in flight or recently requested, request the rest
    with its closure.
    """
    cursor = json.loads(context.cursor) if context.cursor else {"requested": {}}
    now = dt.datetime.now(dt.timezone.utc)
    if scope.local_run_workers:  # a STARTED run whose process is gone must not hold its dates in flight forever
        for line in fail_dead_runs(context.instance):
            context.log.warning(line)
    try:
        gaps = scan_gaps(warehouse.for_sensor(), context.instance,
                         scope.season_start, scope.season_end)
    except WarehouseBusyError:
        context.log.info("warehouse busy (a run is writing); looking again next tick")
        return dg.SkipReason("warehouse busy (a run is writing); looking again next tick")
    busy, ours = raw_partitions_in_flight(context.instance) if len(gaps) else (set(), [])
    retry_after = dt.timedelta(minutes=scope.gap_retry_minutes)
    recent = {d for d, at in cursor["requested"].items() if now - dt.datetime.fromisoformat(at) < retry_after}
    gap_dates = list(gaps["game_date"])
    new, reason = choose_gap_request(gap_dates, busy, ours, recent)
    found = f"{len(gap_dates)} gap days ({compact_dates(gap_dates)})" if gap_dates else ""
    # Every decision is logged too: the tick's "View logs" shows it (a skip reason is only a tooltip in the UI).
    if not new:
        if not gap_dates:
            context.log.info(reason)
            return dg.SensorResult(skip_reason=reason, cursor=json.dumps({"requested": {}}))
        context.log.info(f"{found}: {reason}")
        return dg.SkipReason(f"{found}: {reason}")
    # A day with games not final re-reads its schedule, also when it is a gap as well (e.g. its run was killed).
    pending = set(gaps.loc[gaps["pending_games"] > 0, "game_date"]) if "pending_games" in gaps else set()
    # A day whose only gap is its rosters reads the rosters again, not its box scores (nor phase 3 and 21 days).
    box_days, roster_days = set(gaps.loc[gaps["box_gap"], "game_date"]), set(gaps.loc[gaps["roster_gap"], "game_date"])
    box = [d for d in new if d in box_days]
    rosters = [d for d in new if d in roster_days]
    box_gaps = gaps[gaps["game_date"].isin(box)]
    refetch = days_to_refetch(box_gaps, materialized_days(context.instance, BOXSCORE_FILES_KEY, box))
    plan, request = gap_request(box, [d for d in new if d in pending], refetch, rosters)
    context.log.info(f"{found}; {reason} ({compact_dates(new)}): " + "; ".join(
        f"{k.to_user_string()} {len(v)}" for k, v in plan.items()))
    cursor["requested"].update({d: now.isoformat() for d in new})
    return dg.SensorResult(run_requests=[request], cursor=json.dumps(cursor))


def build_gap_sensor(default_status: dg.DefaultSensorStatus = dg.DefaultSensorStatus.RUNNING) -> dg.SensorDefinition:
    """The gap sensor (one tick: ``_gap_tick``), ticking every ``GAP_SENSOR_INTERVAL_SECONDS``."""
    return dg.sensor(
        name="gap_sensor",
        minimum_interval_seconds=GAP_SENSOR_INTERVAL_SECONDS,
        default_status=default_status,
        # A sensor may request an asset backfill only for assets it targets: the raw tables and everything below.
        asset_selection=dg.AssetSelection.assets(SCHEDULE_KEY, ROSTER_KEY, *RAW_KEYS).downstream(),
        description="Compares the schedule's final in-scope games with the raw tables for every watched date "
        "up to today; requests missing or short partitions (and days with games not final yet, schedule "
        "included; days without rosters, rosters only) with their downstream closure as one backfill.",
    )(_gap_tick)


gap_sensor = build_gap_sensor()
