"""Phase 1: raw ``boxscoretraditionalv3`` JSON per final game, kept verbatim in the object store.

A final game the source answers with empty statistics fails the partition loudly (never an empty
success); a game not yet final is pending: skipped now, fetched when the partition runs again.

Failure isolation in range runs: every good game is stored whatever happens to the others, and when some
dates fail, each date whose final games were all stored is materialized on its own (one
``AssetMaterialization`` per partition) before the step fails naming only the bad dates and games. Dagster then
shows the good dates MATERIALIZED and the bad ones FAILED (``operate/isolation.py`` runs the rest of the
graph for the good dates).

Deadline per date: each date's fetch gets ``nba_stats.partition_deadline_seconds`` from its first game on; the
client cuts timeouts and retries to it, and games left when it passes are not requested. A night on which the
source hangs fails in about that time, with one message naming the date and the games not fetched.
"""

import datetime as dt
import time
from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE1, SINGLE_RUN, table_in
from nba_backfill.assets.day_metadata import games, split_by_day
from nba_backfill.assets.quarantine import quarantine
from nba_backfill.assets.scrape_ledger import record_outcome
from nba_backfill.calendar import daily_partitions
from nba_backfill.errors import SourceDeadlineError, SourceError
from nba_backfill.logic.schedule import boxscore_object_name, day_statuses, final_in_scope_games, pending_games
from nba_backfill.resources.storage import ObjectStore
from nba_backfill.schemas.raw import NBAC_SCHEDULE
from nba_backfill.sources.nba_stats_client import NbaStatsClient

BOXSCORE_FILES_KEY = dg.AssetKey(["nba_raw", "nbac_boxscore_files"])


def _deadline_lines(failures: list[SourceError], deadline_seconds: float) -> list[str]:
    """One line per date whose deadline passed: the date, the games not fetched and what to do."""
    lines = []
    for day in sorted({f.game_date for f in failures if isinstance(f, SourceDeadlineError)}):
        games_not_fetched = [f.game_id for f in failures if f.game_date == day]
        lines.append(
            f"{day}: the {deadline_seconds:g} s deadline per date passed (the source hangs or is too slow); "
            f"{len(games_not_fetched)} games not fetched: {', '.join(games_not_fetched)}. What to do: check that "
            f"stats.nba.com answers, then re-materialize {day} (nba-backfill backfill {day}); raise "
            "NBA_BACKFILL_PARTITION_DEADLINE_SECONDS only if the source is slow but working.")
    return lines


def _failure_message(failures: list[SourceError], attempted: int, good_dates: list[str],
                     deadline_seconds: float) -> str:
    """First line = the whole story (the UI and the CLI show it first): games, dates, cause, what to do."""
    dates = sorted({f.game_date for f in failures})
    shown = ", ".join(dates) if len(dates) <= 3 else f"{dates[0]} … {dates[-1]} ({len(dates)} dates)"
    first = failures[0]
    deadlines = _deadline_lines(failures, deadline_seconds)
    lines = deadlines[:1] + [
        f"{len(failures)} of {attempted} final games failed to scrape on {shown} ({type(first).__name__}); "
        f"first: {str(first).rstrip('.')}. Nothing was stored for these dates: re-materialize them once the "
        "source serves statistics again (nba-backfill backfill, or the UI's partition picker); downstream follows.",
        *deadlines[1:],
        (f"Those partitions are NOT materialized; the other {len(good_dates)} date"
         f"{'s' if len(good_dates) > 1 else ''} of this run {'were' if len(good_dates) > 1 else 'was'} stored and "
         "materialized." if good_dates else "Those partitions are NOT materialized."),
    ]
    lines += [f"  - {f}" for f in failures]
    lines.append("What to do: when the source serves statistics again, re-materialize these partitions "
                 "(nba-backfill backfill, or the partition picker in the UI); downstream follows.")
    return "\n".join(lines)


@dg.asset(
    key=BOXSCORE_FILES_KEY,
    ins={"nbac_schedule": table_in(NBAC_SCHEDULE)},
    partitions_def=daily_partitions,
    backfill_policy=SINGLE_RUN,
    group_name=PHASE1.group,
    tags=PHASE1.tags,
    description=PHASE1.describe("one raw boxscoretraditionalv3 JSON object per final in-scope game, in the object "
                                "store at nba-com/boxscore/{YYYYMMDD}/{game_id}.json"),
    kinds={"json", "python"},
)
def nbac_boxscore_files(
    context: dg.AssetExecutionContext,
    nbac_schedule: pd.DataFrame,
    nba_stats: NbaStatsClient,
    object_store: ObjectStore,
) -> Iterator[dg.MaterializeResult | dg.AssetMaterialization]:
    """Fetch and store the box score of every final in-scope game of the run's dates.

    Raises:
        dg.Failure: one or more final games failed (empty statistics, 404, unreachable); the description
            names each game, its date, the endpoint error and what to do.
    """
    due = final_in_scope_games(nbac_schedule)
    failures: list[SourceError] = []
    stored: dict[str, list[str]] = {}
    deadlines: dict[str, float] = {}  # per date, from its first game on
    for game in due.itertuples():
        day = game.game_date.isoformat()
        deadline = deadlines.setdefault(day, time.monotonic() + nba_stats.partition_deadline_seconds)
        try:
            payload = nba_stats.fetch_boxscore(game.game_id, day, deadline=deadline)
        except SourceError as exc:
            exc = quarantine(object_store, exc)
            failures.append(exc)
            record_outcome(object_store, game.game_id, day, exc)
            context.log.error(str(exc))
            continue
        object_store.put_json(boxscore_object_name(game.game_date, game.game_id), payload)
        record_outcome(object_store, game.game_id, day, None)
        stored.setdefault(day, []).append(game.game_id)
    pending = pending_games(nbac_schedule)
    status = day_statuses(context.partition_keys, due, pending, failures)
    if failures:
        good = [d for d, s in status.items() if s != "failed"]
        for day in good:  # isolation: each fully stored date is materialized on its own
            yield dg.AssetMaterialization(asset_key=BOXSCORE_FILES_KEY, partition=day, metadata={
                "games_stored": len(stored.get(day, [])), "day_status": status[day]})
        raise dg.Failure(
            description=_failure_message(failures, len(due), good, nba_stats.partition_deadline_seconds),
            metadata={
                "failed_dates": dg.MetadataValue.json(sorted({f.game_date for f in failures})),
                "failed_games": dg.MetadataValue.json(
                    [{"game_id": f.game_id, "game_date": f.game_date, "endpoint": f.endpoint,
                      "error": type(f).__name__} for f in failures]),
                "stored_games": len(due) - len(failures),
            },
        )
    due_by_day, pending_by_day = split_by_day(due), split_by_day(pending)
    for key in context.partition_keys:  # each day's own numbers, also inside a range run (assets/day_metadata.py)
        folder = boxscore_object_name(dt.date.fromisoformat(key), "x").rsplit("/", 1)[0] + "/"
        day_pending = pending_by_day.get(key, due.iloc[0:0])
        context.add_asset_metadata({
            "dagster/row_count": len(stored.get(key, [])), "final_games": games(due_by_day.get(key, due.iloc[0:0])),
            "games_stored": len(stored.get(key, [])), "games_pending": dg.MetadataValue.json(
                sorted(day_pending["game_id"].astype(str).tolist())),
            "day_status": status.get(key, "complete"),
            "dagster/uri": dg.MetadataValue.url(object_store.uri(folder)),
        }, partition_key=key)
    yield dg.MaterializeResult()
