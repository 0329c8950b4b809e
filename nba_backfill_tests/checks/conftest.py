"""Fixtures of the check tests: the real-data raw and phase-3 frames of the logic tests (same builders, reused),
and a short real pipeline run (replay server + DuckDB + a Dagster instance) for the Dagster-level tests.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill_tests.logic.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    bundle_player_box,
    player_games_season,
    raw_player_box,
    raw_props,
    raw_schedule,
    raw_team_box,
    rosters_season,
    team_defense_season,
    team_offense_season,
)

JAN_21 = dt.date(2026, 1, 21)


def on(frame: pd.DataFrame, *days: dt.date) -> pd.DataFrame:
    """Rows of ``frame`` on the given game dates."""
    return frame[pd.to_datetime(frame["game_date"]).dt.date.isin(set(days))].reset_index(drop=True)


@pytest.fixture(scope="session")
def factors_gap_span(raw_schedule, player_games_season, team_offense_season, team_defense_season,
                     rosters_season) -> pd.DataFrame:
    """Composite factors of 2025-12-27, 2025-12-28 and 2026-01-21, built on the complete season (the code under
    test in its own module; here it only supplies real rows for the checks).
    """
    days = [dt.date(2025, 12, 27), dt.date(2025, 12, 28), JAN_21]
    return build_player_composite_factors(days, raw_schedule, player_games_season, team_offense_season,
                                          team_defense_season, rosters_season, window_days=21)
