"""Phase 2: player points prop lines per game date, from the props feed (bundled real lines)."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.common import partition_dates, table_asset_kwargs
from nba_backfill.schemas.raw import ODDS_PLAYER_POINTS_PROPS
from nba_backfill.sources.props_feed import BundledPropsFeed


@dg.asset(**table_asset_kwargs(ODDS_PLAYER_POINTS_PROPS, "raw", automated=False))
def odds_player_points_props(context: dg.AssetExecutionContext, props_feed: BundledPropsFeed) -> pd.DataFrame:
    """One row per player × game × sportsbook line on the run's dates; a date without lines is empty."""
    lines = props_feed.lines_for(partition_dates(context))
    context.add_output_metadata({"games_with_lines": int(lines["game_id"].nunique()),
                                 "players_with_lines": int(lines["player_id"].nunique())})
    return lines
