"""Phase 0: the NBA.com schedule of each game date (scoreboardv3), the source of what every day owes."""


from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE0, checked_asset_kwargs, partition_dates, selected_tables
from nba_backfill.assets.day_metadata import add_day_metadata, slate_preview
from nba_backfill.assets.quarantine import quarantine
from nba_backfill.checks.evaluation import specs
from nba_backfill.checks.raw import SCHEDULE_CHECKS, evaluate_schedule
from nba_backfill.errors import SourceError
from nba_backfill.logic.boxscore_v3 import parse_scoreboard_v3
from nba_backfill.logic.schedule import final_in_scope_games, pending_games
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.storage import ObjectStore, Warehouse
from nba_backfill.schemas.raw import NBAC_SCHEDULE
from nba_backfill.sources.nba_stats_client import NbaStatsClient


@dg.multi_asset(**checked_asset_kwargs([NBAC_SCHEDULE], PHASE0, specs(SCHEDULE_CHECKS), automated=False,
                                        what="Read from stats.nba.com scoreboardv3; not automated (a source)."))
def nbac_schedule(context: dg.AssetExecutionContext, nba_stats: NbaStatsClient, scope: PipelineScope,
                  object_store: ObjectStore, warehouse: Warehouse) -> Iterator:
    """One row per game scheduled on the Eastern game date, every stage, from stats.nba.com ``scoreboardv3``.

    Yields:
        ``nba_raw.nbac_schedule`` rows for the run's dates (0 rows on a day without games), then the
        ``one_row_per_game`` check's result per date (``checks/raw.py``).

    Raises:
        SourceError: the scoreboard could not be fetched or parsed for a date (named in the message); a body
            that is not JSON is kept under ``quarantine/`` in the object store and the message names the path.
    """
    if not selected_tables(context, [NBAC_SCHEDULE]):  # the checks alone
        yield from evaluate_schedule(context, warehouse)
        return
    frames = []
    for day in partition_dates(context):
        try:
            payload = nba_stats.fetch_scoreboard(day.isoformat())
        except SourceError as exc:
            raise quarantine(object_store, exc) from exc
        frames.append(parse_scoreboard_v3(payload, tuple(scope.stages)))
    schedule = pd.concat(frames, ignore_index=True) if frames else NBAC_SCHEDULE.empty_frame()
    add_day_metadata(context, schedule, lambda day, rows: {
        "final_in_scope_games": len(final_in_scope_games(rows)) if len(rows) else 0,
        "pending_games": len(pending_games(rows)) if len(rows) else 0,
        "games_all_stages": len(rows),
        "slate": slate_preview(rows),
    })
    yield dg.Output(schedule, output_name=NBAC_SCHEDULE.name)
    yield from evaluate_schedule(context, warehouse)
