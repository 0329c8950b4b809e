"""Assets, one module per phase. Bodies are thin: they read inputs, call ``logic/``, return frames.

``ALL_ASSETS`` is the registry ``definitions.py`` loads; a new asset module adds its assets here.
"""

import dagster as dg

from nba_backfill.assets.analytics import nba_analytics
from nba_backfill.assets.boxscore_files import nbac_boxscore_files
from nba_backfill.assets.boxscores import nbac_boxscores
from nba_backfill.assets.grading import prediction_accuracy
from nba_backfill.assets.precompute import player_composite_factors
from nba_backfill.assets.predictions import player_prop_predictions
from nba_backfill.assets.props import odds_player_points_props
from nba_backfill.assets.rosters import nbac_player_list
from nba_backfill.assets.schedule import nbac_schedule

ALL_ASSETS: list[dg.AssetsDefinition] = [
    nbac_schedule,
    nbac_boxscore_files,
    nbac_boxscores,
    odds_player_points_props,
    nbac_player_list,
    nba_analytics,
    player_composite_factors,
    player_prop_predictions,
    prediction_accuracy,
]
