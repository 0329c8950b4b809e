"""The 2024-25 season as the pipeline would have seen it: raw-shaped tables, phase 3, phase 4 and outcomes.

Pure pandas, no Dagster. The prediction models (``logic/predictions/models.py``) are trained on these rows,
built by the *same* functions that build 2025-26 serving features (``build_team_offense_game_summary``,
``build_team_defense_game_summary``, ``build_player_game_summary``, ``build_player_composite_factors``), so a
training row and a serving row mean exactly the same thing.

The bundle holds 2024-25 leaguegamelog lines (``team_box_2024_25``, ``player_box_2024_25``, see PROVENANCE); they
are reshaped the way the replay serves 2025-26 games through boxscoretraditionalv3:
    team rows: ``tov`` = the sum of the team's player turnovers (v3 excludes team turnovers, PROVENANCE caveat 1);
        opponent from the other row of the game; minutes 240/265/290 as decimal team minutes;
    player rows: team id from (game_id, team_abbr); every listed player played (no DNP rows in the logs);
        no names (the 2024-25 log has none) — ``player_name`` is ``""``;
    schedule: one final, in-scope regular-season game per game id, home/away from the team rows' ``is_home``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE

SEASON = "2024-25"


def raw_frames(team_box: pd.DataFrame, player_box: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The 2024-25 bundle as ``nba_raw`` tables.

    Args:
        team_box: ``bundle.load_team_box_2024_25()`` (one row per team per game, with ``is_home``).
        player_box: ``bundle.load_player_box_2024_25()`` (one row per player who appeared in a game).

    Returns:
        ``{"schedule": NBAC_SCHEDULE, "team_box": NBAC_TEAM_BOXSCORE, "player_box": NBAC_PLAYER_BOXSCORE}`` frames,
        each conformed to its schema.

    Raises:
        ValueError: a player row's (game_id, team_abbr) has no team row, or a game lacks one home team.
    """
    team = team_box.copy()
    player_tov = player_box.groupby(["game_id", "team_abbr"], as_index=False)["tov"].sum()
    team = team.drop(columns=["tov"]).merge(player_tov, on=["game_id", "team_abbr"], how="left")
    team["tov"] = team["tov"].fillna(0)
    opponent = team[["game_id", "team_id", "team_abbr"]].rename(
        columns={"team_id": "opponent_team_id", "team_abbr": "opponent_team_abbr"})
    team = team.merge(opponent, on="game_id")
    team = team[team["team_id"] != team["opponent_team_id"]].assign(minutes=team["minutes"].astype("float64"))

    ids = team[["game_id", "team_abbr", "team_id"]]
    player = player_box.merge(ids, on=["game_id", "team_abbr"], how="left", validate="many_to_one")
    if player["team_id"].isna().any():
        bad = sorted(set(player.loc[player["team_id"].isna(), "game_id"]))[:5]
        raise ValueError(f"2024-25 player rows without a team row in games {bad}; rebuild the bundle")
    player = player.assign(player_name="", position="", comment="", is_dnp=False,
                           minutes=player["minutes"].astype("float64"))

    home = team[team["is_home"].astype(bool)]
    if home["game_id"].duplicated().any() or home["game_id"].nunique() != team["game_id"].nunique():
        raise ValueError("every 2024-25 game needs exactly one home team row; rebuild the bundle")
    schedule = pd.DataFrame({
        "game_date": home["game_date"], "game_id": home["game_id"], "season": SEASON, "stage": "Regular Season",
        "in_scope": True, "game_status": 3, "game_status_text": "Final",
        "home_team_id": home["team_id"], "home_team_abbr": home["team_abbr"],
        "away_team_id": home["opponent_team_id"], "away_team_abbr": home["opponent_team_abbr"],
        "home_pts": home["pts"], "away_pts": home.merge(
            team[["game_id", "team_id", "pts"]], left_on=["game_id", "opponent_team_id"],
            right_on=["game_id", "team_id"], suffixes=("", "_away"))["pts_away"].to_numpy(),
    })
    return {
        "schedule": NBAC_SCHEDULE.conform(schedule.sort_values(["game_date", "game_id"])),
        "team_box": NBAC_TEAM_BOXSCORE.conform(team.sort_values(["game_date", "game_id", "team_id"])),
        "player_box": NBAC_PLAYER_BOXSCORE.conform(player.sort_values(["game_date", "game_id", "player_id"])),
    }


def training_rows(frames: dict[str, pd.DataFrame], dates: list[dt.date], window_days: int = 21) -> pd.DataFrame:
    """One row per player expected to play on each date D who did play: D's composite factors and D's points.

    Args:
        frames: :func:`raw_frames` output.
        dates: the game dates D to build (e.g. every second 2024-25 game date).
        window_days: the phase-4 window (``partitions.WINDOW_DAYS``).

    Returns:
        ``PLAYER_COMPOSITE_FACTORS`` columns plus ``actual_points`` (points scored on D, the training target).
        Factors come from D − window_days … D − 1 only; the target is D's box score. Players expected but
        absent from D's box score have no outcome and no row.
    """
    team_box, player_box = frames["team_box"], frames["player_box"]
    offense = build_team_offense_game_summary(team_box)
    defense = build_team_defense_game_summary(offense)
    player_games = build_player_game_summary(player_box, team_box)
    factors = build_player_composite_factors(dates, frames["schedule"], player_games, offense, defense,
                                             window_days=window_days)
    outcomes = player_games.loc[~player_games["is_dnp"].astype(bool), ["game_id", "player_id", "points"]]
    outcomes = outcomes.rename(columns={"points": "actual_points"}).astype({"game_id": str, "player_id": "int64"})
    rows = factors.astype({"game_id": str, "player_id": "int64"}).merge(outcomes, on=["game_id", "player_id"])
    return rows.dropna(subset=["actual_points"]).reset_index(drop=True)
