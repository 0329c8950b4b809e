"""Table schemas of every warehouse table, keyed by Dagster asset key (prefix = dataset)."""

from __future__ import annotations

from nba_backfill.schemas.analytics import (
    PLAYER_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    TEAM_OFFENSE_GAME_SUMMARY,
)
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY
from nba_backfill.schemas.raw import RAW_TABLES
from nba_backfill.schemas.table import Table

ALL_TABLES: tuple[Table, ...] = (
    *RAW_TABLES,
    TEAM_OFFENSE_GAME_SUMMARY,
    TEAM_DEFENSE_GAME_SUMMARY,
    PLAYER_GAME_SUMMARY,
    PLAYER_COMPOSITE_FACTORS,
    PLAYER_PROP_PREDICTIONS,
    PREDICTION_ACCURACY,
)
