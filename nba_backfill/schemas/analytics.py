"""Schemas of the ``nba_analytics`` dataset (phase 3): per-game team offense, team defense and player summaries.

Every table is built from the same day's raw box scores only (see ``logic/team_summaries.py`` and
``logic/player_summary.py``). Box-score counts keep stats.nba.com abbreviations (fga, fta, oreb, tov);
derived measures use the field's names with units in the name (``_pct``, ``_minutes``).

Formulas (documented once here, implemented in ``logic/``):
    possessions        = FGA + 0.44·FTA − OREB + TOV  (Oliver's simple estimate, Basketball-Reference glossary)
    offensive rating   = 100 · points / possessions   (points per 100 possessions, Oliver)
    pace               = possessions · 48 / (team minutes / 5)  (possessions per 48 minutes, overtime-aware)
    true shooting %    = points / (2 · (FGA + 0.44·FTA))  (Basketball-Reference glossary; a fraction 0–1)
    usage rate %       = 100 · ((FGA + 0.44·FTA + TOV) · (Team MP / 5))
                         / (MP · (Team FGA + 0.44·Team FTA + Team TOV))  (Basketball-Reference; percent 0–100)

TOV is the boxscoretraditionalv3 turnover count, i.e. player-credited turnovers only (team turnovers such as
shot-clock violations are excluded; see data/PROVENANCE.md caveat 1), so possessions are slightly lower than a
leaguegamelog-based estimate.
"""

from __future__ import annotations

from nba_backfill.schemas.table import Column as C
from nba_backfill.schemas.table import Table

_GAME_KEYS = (
    C("game_date", "DATE", "Eastern game date (the partition)"),
    C("game_id", "VARCHAR", "NBA game id"),
)

_TEAM_SIDES = (
    C("team_id", "BIGINT", "team id"),
    C("team_abbr", "VARCHAR", "team tricode"),
    C("opponent_team_id", "BIGINT", "opponent team id"),
    C("opponent_team_abbr", "VARCHAR", "opponent tricode"),
    C("is_home", "BOOLEAN", "team is the home team (from the schedule; neutral sites keep the schedule's label)"),
)

TEAM_OFFENSE_GAME_SUMMARY = Table(
    dataset="nba_analytics",
    name="team_offense_game_summary",
    grain="One row per team per final game (the team's own box line and its offensive measures)",
    columns=(
        *_GAME_KEYS,
        *_TEAM_SIDES,
        C("team_name", "VARCHAR", "team city and name"),
        C("team_minutes", "DOUBLE", "team minutes: 240 regulation, +25 per overtime period"),
        C("overtime_periods", "INTEGER", "(team_minutes − 240) / 25"),
        C("fgm", "INTEGER", "field goals made"),
        C("fga", "INTEGER", "field goals attempted"),
        C("fg3m", "INTEGER", "three-pointers made"),
        C("fg3a", "INTEGER", "three-pointers attempted"),
        C("ftm", "INTEGER", "free throws made"),
        C("fta", "INTEGER", "free throws attempted"),
        C("oreb", "INTEGER", "offensive rebounds"),
        C("dreb", "INTEGER", "defensive rebounds"),
        C("reb", "INTEGER", "total rebounds"),
        C("ast", "INTEGER", "assists"),
        C("stl", "INTEGER", "steals"),
        C("blk", "INTEGER", "blocks"),
        C("tov", "INTEGER", "turnovers (player-credited, boxscoretraditionalv3)"),
        C("pf", "INTEGER", "personal fouls"),
        C("points", "INTEGER", "points scored"),
        C("opponent_points", "INTEGER", "points scored by the opponent"),
        C("margin", "INTEGER", "points − opponent_points"),
        C("is_win", "BOOLEAN", "points > opponent_points"),
        C("possessions", "DOUBLE", "FGA + 0.44·FTA − OREB + TOV (unrounded)"),
        C("offensive_rating", "DOUBLE", "100 · points / possessions (points per 100 possessions)"),
        C("pace", "DOUBLE", "possessions · 48 / (team_minutes / 5) (possessions per 48 minutes)"),
        C("true_shooting_pct", "DOUBLE", "points / (2 · (FGA + 0.44·FTA)), a fraction 0–1"),
    ),
    primary_key=("game_id", "team_id"),
)

TEAM_DEFENSE_GAME_SUMMARY = Table(
    dataset="nba_analytics",
    name="team_defense_game_summary",
    grain="One row per defending team per final game (the opponent's offense row, flipped)",
    columns=(
        *_GAME_KEYS,
        *_TEAM_SIDES,
        C("team_minutes", "DOUBLE", "team minutes: 240 regulation, +25 per overtime period"),
        C("points_allowed", "INTEGER", "points scored by the opponent"),
        C("opponent_fgm", "INTEGER", "opponent field goals made"),
        C("opponent_fga", "INTEGER", "opponent field goals attempted"),
        C("opponent_fg3m", "INTEGER", "opponent three-pointers made"),
        C("opponent_fg3a", "INTEGER", "opponent three-pointers attempted"),
        C("opponent_ftm", "INTEGER", "opponent free throws made"),
        C("opponent_fta", "INTEGER", "opponent free throws attempted"),
        C("opponent_oreb", "INTEGER", "opponent offensive rebounds"),
        C("opponent_dreb", "INTEGER", "opponent defensive rebounds"),
        C("opponent_reb", "INTEGER", "opponent total rebounds"),
        C("opponent_ast", "INTEGER", "opponent assists"),
        C("turnovers_forced", "INTEGER", "opponent turnovers (player-credited, boxscoretraditionalv3)"),
        C("possessions", "DOUBLE", "the opponent's possessions: the same value as the opponent's offense row"),
        C("defensive_rating", "DOUBLE", "100 · points_allowed / possessions = the opponent's offensive_rating"),
        C("opponent_pace", "DOUBLE", "the opponent's pace (possessions per 48 minutes)"),
        C("opponent_true_shooting_pct", "DOUBLE", "the opponent's true shooting %, a fraction 0–1"),
    ),
    primary_key=("game_id", "team_id"),
)

PLAYER_GAME_SUMMARY = Table(
    dataset="nba_analytics",
    name="player_game_summary",
    grain="One row per player listed in a final game's box score (DNPs kept with NULL minutes and stats)",
    columns=(
        *_GAME_KEYS,
        C("player_id", "BIGINT", "NBA person id"),
        C("player_name", "VARCHAR", "first and family name"),
        *_TEAM_SIDES,
        C("is_dnp", "BOOLEAN", "did not play; minutes, counts and rates are then NULL, never 0"),
        C("dnp_reason", "VARCHAR", "the box score comment for a DNP (e.g. DNP - Coach's Decision), else NULL"),
        C("minutes", "DOUBLE", "decimal minutes played (NULL for a DNP)"),
        C("points", "INTEGER", "points (NULL for a DNP)"),
        C("fgm", "INTEGER", "field goals made"),
        C("fga", "INTEGER", "field goals attempted"),
        C("fg3m", "INTEGER", "three-pointers made"),
        C("fg3a", "INTEGER", "three-pointers attempted"),
        C("ftm", "INTEGER", "free throws made"),
        C("fta", "INTEGER", "free throws attempted"),
        C("oreb", "INTEGER", "offensive rebounds"),
        C("dreb", "INTEGER", "defensive rebounds"),
        C("reb", "INTEGER", "total rebounds"),
        C("ast", "INTEGER", "assists"),
        C("stl", "INTEGER", "steals"),
        C("blk", "INTEGER", "blocks"),
        C("tov", "INTEGER", "turnovers"),
        C("pf", "INTEGER", "personal fouls"),
        C("plus_minus", "DOUBLE", "plus-minus points"),
        C("team_minutes", "DOUBLE", "usage input: the team's minutes (240 + 25 per overtime)"),
        C("team_fga", "INTEGER", "usage input: the team's field goals attempted"),
        C("team_fta", "INTEGER", "usage input: the team's free throws attempted"),
        C("team_tov", "INTEGER", "usage input: the team's turnovers (player-credited)"),
        C("usage_rate_pct", "DOUBLE", "Basketball-Reference usage rate, percent 0–100 (NULL for a DNP or 0 minutes)"),
        C("true_shooting_pct", "DOUBLE", "points / (2 · (FGA + 0.44·FTA)), a fraction 0–1 (NULL with no attempts)"),
    ),
    primary_key=("game_id", "player_id"),
)

ANALYTICS_TABLES = (TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, PLAYER_GAME_SUMMARY)
