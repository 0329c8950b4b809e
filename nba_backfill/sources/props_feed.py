"""The player points props feed: real sportsbook lines bundled with the project (The Odds API snapshots).

The bundle covers every regular-season game 2025-10-21 → 2025-12-06; other dates have no lines, which
is an empty partition, not an error (predictions then label their line as an estimate).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from nba_backfill.schemas.raw import ODDS_PLAYER_POINTS_PROPS
from nba_backfill.sources import bundle


class BundledPropsFeed(dg.ConfigurableResource):
    """Serves bundled real points lines by Eastern game date."""

    def lines_for(self, dates: list[dt.date]) -> pd.DataFrame:
        """``nba_raw.odds_player_points_props`` rows whose game date is in ``dates`` (possibly none).

        Raises:
            BundledDataError: the bundled props file is missing or malformed.
        """
        props = bundle.load_props()
        return ODDS_PLAYER_POINTS_PROPS.conform(props[props["game_date"].isin(set(dates))])
