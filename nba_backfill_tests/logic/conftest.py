"""Fixtures for the logic tests: raw-shaped frames built from the bundled real 2025-26 data.

The bundle (``nba_backfill/data/*.parquet``, see ``scripts/build_bundle.py``) holds leaguegamelog lines;
the phase-3 code consumes ``nba_raw`` tables shaped like boxscoretraditionalv3. The builders below bridge
the two the way the real parser would see the data:
    team rows: team_box with ``tov`` replaced by the sum of the team's player turnovers (v3 excludes team
        turnovers; PROVENANCE caveat 1), opponent and is_home from the schedule's home/away ids, decimal
        team minutes 240/265/290;
    player rows: player_box with is_dnp False, position "" and comment "" (the bundle has no DNP rows);
    rosters: the replay's ``playerindex`` answer of each date (derived from the bundled game logs,
        ``sources/replay_roster.py``), parsed by the pipeline's parser.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import nba_backfill
from nba_backfill.logic.player_index import parse_player_index
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.raw import (
    NBAC_PLAYER_BOXSCORE,
    NBAC_SCHEDULE,
    NBAC_TEAM_BOXSCORE,
    ODDS_PLAYER_POINTS_PROPS,
)
from nba_backfill.sources.replay_roster import RosterIndex, player_index_payload

DATA = Path(nba_backfill.__file__).resolve().parent / "data"


def _read(name: str) -> pd.DataFrame:
    return pd.read_parquet(DATA / f"{name}.parquet")


@pytest.fixture(scope="session")
def raw_schedule() -> pd.DataFrame:
    """``nbac_schedule`` rows for every 2025-26 game; regular season (prefix 002) in scope, all final."""
    sched = _read("schedule_2025_26")
    out = pd.DataFrame({
        "game_date": sched["game_date"],
        "game_id": sched["game_id"],
        "season": sched["season"],
        "stage": sched["stage"],
        "in_scope": sched["game_id"].str.startswith("002"),
        "game_status": sched["status"],
        "game_status_text": "Final",
        "home_team_id": sched["home_team_id"],
        "home_team_abbr": sched["home_abbr"],
        "away_team_id": sched["away_team_id"],
        "away_team_abbr": sched["away_abbr"],
        "home_pts": sched["home_pts"],
        "away_pts": sched["away_pts"],
    })
    return NBAC_SCHEDULE.conform(out)


@pytest.fixture(scope="session")
def bundle_player_box() -> pd.DataFrame:
    return _read("player_box_2025_26")


@pytest.fixture(scope="session")
def raw_team_box(raw_schedule, bundle_player_box) -> pd.DataFrame:
    """``nbac_team_boxscore`` rows for every game with player lines (2025-10-21 … 2026-02-12)."""
    team = _read("team_box_2025_26")
    player_tov = bundle_player_box.groupby(["game_id", "team_id"], as_index=False)["tov"].sum()
    team = team.drop(columns=["tov"]).merge(player_tov, on=["game_id", "team_id"], how="inner")
    sides = raw_schedule[["game_id", "home_team_id", "away_team_id"]].astype({"home_team_id": "int64",
                                                                              "away_team_id": "int64"})
    team = team.merge(sides, on="game_id", how="inner", validate="many_to_one")
    team["is_home"] = team["team_id"] == team["home_team_id"]
    team["opponent_team_id"] = team["away_team_id"].where(team["is_home"], team["home_team_id"])
    abbr = team[["game_id", "team_id", "team_abbr"]].rename(
        columns={"team_id": "opponent_team_id", "team_abbr": "opponent_team_abbr"})
    team = team.merge(abbr, on=["game_id", "opponent_team_id"], how="inner")
    team["minutes"] = team["minutes"].astype("float64")
    return NBAC_TEAM_BOXSCORE.conform(team.sort_values(["game_date", "game_id", "team_id"]))


@pytest.fixture(scope="session")
def raw_player_box(bundle_player_box) -> pd.DataFrame:
    """``nbac_player_boxscore`` rows for every bundled player line (all played: is_dnp False)."""
    player = bundle_player_box.assign(
        is_dnp=False, position="", comment="", minutes=bundle_player_box["minutes"].astype("float64"))
    return NBAC_PLAYER_BOXSCORE.conform(player)


@pytest.fixture(scope="session")
def rosters_season(bundle_player_box) -> pd.DataFrame:
    """``nbac_player_list`` rows of every date 2025-10-21 … 2026-02-13: the replay's ``playerindex`` answer of the
    date (the roster rule of ``sources/replay_roster.py`` over the bundled game logs), parsed by the pipeline.
    """
    index = RosterIndex(bundle_player_box)
    days = pd.date_range("2025-10-21", "2026-02-13").date
    return pd.concat([parse_player_index(player_index_payload(index, "2025-26", day, {}), day, "2025-26")
                      for day in days], ignore_index=True)


@pytest.fixture(scope="session")
def raw_props() -> pd.DataFrame:
    """``odds_player_points_props`` rows: every bundled line 2025-10-21 … 2025-12-06."""
    return ODDS_PLAYER_POINTS_PROPS.conform(_read("props_player_points_2025_26"))


@pytest.fixture(scope="session")
def team_offense_season(raw_team_box) -> pd.DataFrame:
    """Phase-3 team offense for every bundled game (built by the code under test, checked in its own tests)."""
    return build_team_offense_game_summary(raw_team_box)


@pytest.fixture(scope="session")
def team_defense_season(team_offense_season) -> pd.DataFrame:
    return build_team_defense_game_summary(team_offense_season)


@pytest.fixture(scope="session")
def player_games_season(raw_player_box, raw_team_box) -> pd.DataFrame:
    return build_player_game_summary(raw_player_box, raw_team_box)


@pytest.fixture(scope="session")
def barnes_window() -> dict:
    """Box numbers typed from the bundle for Scottie Barnes (TOR) before TOR @ SAC on 2026-01-21.

    Window 2025-12-31 … 2026-01-20. ``tov`` is the sum of the team's player turnovers (the v3 value).
    Tests do the arithmetic on these literals; nothing here is computed by the code under test.
    """
    return {
        # Barnes' played games: (date, minutes, fga, fta, tov, points, team fga, team fta, team tov, team minutes).
        # He has no line on 2026-01-09 (did not play).
        "barnes": [
            ("2025-12-31", 33, 14, 4, 0, 20, 100, 21, 8, 240),
            ("2026-01-03", 32, 14, 5, 2, 20, 92, 26, 14, 240),
            ("2026-01-05", 37, 16, 2, 3, 18, 90, 19, 13, 240),
            ("2026-01-07", 29, 14, 6, 2, 17, 92, 19, 5, 240),
            ("2026-01-11", 43, 19, 12, 4, 31, 103, 39, 15, 265),
            ("2026-01-12", 35, 16, 5, 2, 15, 92, 25, 9, 240),
            ("2026-01-14", 38, 16, 9, 3, 26, 89, 26, 11, 240),
            ("2026-01-16", 41, 21, 7, 3, 24, 87, 26, 18, 265),
            ("2026-01-18", 35, 21, 4, 2, 22, 91, 15, 9, 240),
            ("2026-01-20", 39, 18, 2, 4, 26, 86, 22, 15, 240),
        ],
        # TOR team games: (date, fga, fta, oreb, tov, team minutes); two overtime games (265).
        "tor": [
            ("2025-12-31", 100, 21, 17, 8, 240), ("2026-01-03", 92, 26, 10, 14, 240),
            ("2026-01-05", 90, 19, 7, 13, 240), ("2026-01-07", 92, 19, 15, 5, 240),
            ("2026-01-09", 92, 10, 9, 6, 240), ("2026-01-11", 103, 39, 18, 15, 265),
            ("2026-01-12", 92, 25, 15, 9, 240), ("2026-01-14", 89, 26, 11, 11, 240),
            ("2026-01-16", 87, 26, 12, 18, 265), ("2026-01-18", 91, 15, 10, 9, 240),
            ("2026-01-20", 86, 22, 9, 15, 240),
        ],
        # SAC team games: (date, fga, fta, oreb, tov, team minutes).
        "sac": [
            ("2026-01-01", 85, 15, 8, 9, 240), ("2026-01-02", 85, 32, 14, 21, 240),
            ("2026-01-04", 80, 32, 6, 10, 240), ("2026-01-06", 92, 17, 8, 12, 240),
            ("2026-01-09", 86, 13, 10, 12, 240), ("2026-01-11", 91, 20, 18, 9, 240),
            ("2026-01-12", 82, 14, 6, 12, 240), ("2026-01-14", 74, 38, 9, 15, 240),
            ("2026-01-16", 81, 30, 12, 18, 240), ("2026-01-18", 86, 18, 10, 16, 240),
            ("2026-01-20", 87, 21, 8, 15, 240),
        ],
        # SAC's opponents in those games: (date, opponent, points, fga, fta, oreb, tov).
        "sac_opponents": [
            ("2026-01-01", "BOS", 120, 87, 18, 5, 12), ("2026-01-02", "PHX", 129, 87, 28, 7, 12),
            ("2026-01-04", "MIL", 115, 87, 30, 12, 13), ("2026-01-06", "DAL", 100, 96, 21, 15, 16),
            ("2026-01-09", "GSW", 137, 95, 14, 14, 10), ("2026-01-11", "HOU", 98, 84, 29, 19, 11),
            ("2026-01-12", "LAL", 112, 84, 28, 12, 10), ("2026-01-14", "NYK", 101, 100, 23, 16, 9),
            ("2026-01-16", "WAS", 115, 90, 21, 7, 11), ("2026-01-18", "POR", 117, 83, 33, 11, 14),
            ("2026-01-20", "MIA", 130, 98, 24, 12, 10),
        ],
    }


@pytest.fixture(scope="session")
def models(raw_schedule, player_games_season, team_offense_season, team_defense_season, rosters_season):
    """The learned systems' models, trained once for the session on the 2025-26 history before 2025-11-01 (the
    season's first 11 nights, what the monthly cutoff gives November), so the tests may predict any date from
    2025-11-01 on without leakage.
    """
    import datetime as dt

    from nba_backfill.logic.composite_factors import build_player_composite_factors
    from nba_backfill.logic.predictions.models import TrainedModels, fit_models, training_rows

    cutoff = dt.date(2025, 11, 1)
    dates = sorted({d for d in raw_schedule["game_date"] if dt.date(2025, 10, 21) <= d < cutoff})
    factors = build_player_composite_factors(dates, raw_schedule, player_games_season, team_offense_season,
                                             team_defense_season, rosters_season, window_days=21)
    fitted = fit_models(training_rows(factors, player_games_season, cutoff))
    return TrainedModels(fitted.gradient_boosting, fitted.linear, fitted.trained_from, fitted.trained_through,
                         fitted.training_rows, cutoff)
