"""Phase 2: player points prop lines per game date, from the props feed (bundled real lines)."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import PHASE2, partition_dates, table_asset_kwargs
from nba_backfill.assets.day_metadata import add_day_metadata, games
from nba_backfill.schemas.raw import ODDS_PLAYER_POINTS_PROPS
from nba_backfill.sources.props_feed import BundledPropsFeed


@dg.asset(**table_asset_kwargs(ODDS_PLAYER_POINTS_PROPS, PHASE2, automated=False,
                              what="Bundled real lines 2025-10-21 … 2025-12-06; other days are empty."))
def odds_player_points_props(context: dg.AssetExecutionContext, props_feed: BundledPropsFeed) -> pd.DataFrame:
    """One row per player × game × sportsbook line on the run's dates; a date without lines is empty."""
    lines = props_feed.lines_for(partition_dates(context))
    add_day_metadata(context, lines, lambda day, rows: {
        "games_with_lines": games(rows), "players_with_lines": int(rows["player_id"].nunique()) if len(rows) else 0})
    return lines
