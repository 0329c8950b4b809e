"""Phase 2: the rosters of each game date (stats.nba.com ``playerindex``): who plays for whom on D.

Phase 4 takes a player's team on D from here, not from his last game, so after a trade his first game for the new
team is predicted for the new team and no row predicts a game of the team he left.
"""


from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE2, checked_asset_kwargs, partition_dates, selected_tables
from nba_backfill.assets.day_metadata import add_day_metadata
from nba_backfill.assets.quarantine import quarantine
from nba_backfill.calendar import season_of
from nba_backfill.checks.evaluation import specs
from nba_backfill.checks.raw import ROSTER_CHECKS, evaluate_rosters
from nba_backfill.errors import SourceError, UnknownDateError
from nba_backfill.logic.player_index import parse_player_index
from nba_backfill.resources.storage import ObjectStore, Warehouse
from nba_backfill.schemas.raw import NBAC_PLAYER_LIST
from nba_backfill.sources.nba_stats_client import NbaStatsClient


@dg.multi_asset(**checked_asset_kwargs(
    [NBAC_PLAYER_LIST], PHASE2, specs(ROSTER_CHECKS), automated=False,
    what="Read from stats.nba.com playerindex (the rosters of the day); not automated (a source). Phase 4 takes "
         "each player's team on D from it."))
def nbac_player_list(context: dg.AssetExecutionContext, nba_stats: NbaStatsClient,
                     object_store: ObjectStore, warehouse: Warehouse) -> Iterator:
    """One row per player on an NBA roster on the game date, with his team, from stats.nba.com ``playerindex``.

    The real endpoint serves the rosters of *now*; the request names the partition's date (the replay serves that
    day's rosters, see ``sources/replay_roster.py``). Off days are materialized too: the roster exists every day.

    Yields:
        ``nba_raw.nbac_player_list`` rows for the run's dates (about 450–530 per date), then the roster check's
        result per date (``checks/raw.py``).

    Raises:
        SourceError: the rosters could not be fetched or parsed for a date (named in the message); a body that is
            not JSON is kept under ``quarantine/`` in the object store and the message names the path.
        UnknownDateError: a date outside every configured season (no season to ask for).
    """
    if not selected_tables(context, [NBAC_PLAYER_LIST]):  # the checks alone
        yield from evaluate_rosters(context, warehouse)
        return
    frames = []
    for day in partition_dates(context):
        season = season_of(day)
        if season is None:
            raise UnknownDateError(f"{day} is in no configured season: no roster to ask stats.nba.com for")
        try:
            payload = nba_stats.fetch_player_index(season.label, day.isoformat())
        except SourceError as exc:
            raise quarantine(object_store, exc) from exc
        frames.append(parse_player_index(payload, day, season.label))
    rosters = pd.concat(frames, ignore_index=True) if frames else NBAC_PLAYER_LIST.empty_frame()
    add_day_metadata(context, rosters, lambda day, rows: {
        "players_on_rosters": len(rows),
        "teams": int(rows["team_id"].nunique()) if len(rows) else 0,
        "season": str(rows["season"].iloc[0]) if len(rows) else "",
    })
    yield dg.Output(rosters, output_name=NBAC_PLAYER_LIST.name)
    yield from evaluate_rosters(context, warehouse)
