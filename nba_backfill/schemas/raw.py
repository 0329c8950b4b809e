"""Schemas of the ``nba_raw`` dataset: the schedule, the parsed box scores, the props feed and the rosters.

Column names follow stats.nba.com box-score abbreviations in snake case (fgm, fga, fg3m, ...). Counts are
integers per game; minutes are decimal minutes (``30:49`` -> 30.8167).
"""

from __future__ import annotations

from nba_backfill.schemas.table import Column as C
from nba_backfill.schemas.table import Table

BOX_STATS = (
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
    C("tov", "INTEGER", "turnovers as served by boxscoretraditionalv3 (player-credited only, see PROVENANCE)"),
    C("pf", "INTEGER", "personal fouls"),
    C("pts", "INTEGER", "points"),
    C("plus_minus", "DOUBLE", "plus-minus points"),
)

NBAC_SCHEDULE = Table(
    dataset="nba_raw",
    name="nbac_schedule",
    grain="One row per game scheduled on the Eastern game date (every stage; in_scope marks the configured ones)",
    columns=(
        C("game_date", "DATE", "Eastern (America/New_York) game date"),
        C("game_id", "VARCHAR", "10-character NBA game id, e.g. 0022500622"),
        C("season", "VARCHAR", "season label, e.g. 2025-26"),
        C("stage", "VARCHAR", "stage from the game id prefix: Preseason, Regular Season, All-Star, Playoffs, ..."),
        C("in_scope", "BOOLEAN", "stage is one of the configured stages (default: regular season, prefix 002)"),
        C("game_status", "INTEGER", "1 scheduled, 2 in progress, 3 final"),
        C("game_status_text", "VARCHAR", "status text as served, e.g. Final, PPD"),
        C("home_team_id", "BIGINT", "home team id"),
        C("home_team_abbr", "VARCHAR", "home team tricode"),
        C("away_team_id", "BIGINT", "away team id"),
        C("away_team_abbr", "VARCHAR", "away team tricode"),
        C("home_pts", "INTEGER", "home final score (null until final)"),
        C("away_pts", "INTEGER", "away final score (null until final)"),
    ),
    primary_key=("game_id",),
)

NBAC_TEAM_BOXSCORE = Table(
    dataset="nba_raw",
    name="nbac_team_boxscore",
    grain="One row per team per final game (exactly 2 per game)",
    columns=(
        C("game_date", "DATE", "Eastern game date"),
        C("game_id", "VARCHAR", "NBA game id"),
        C("team_id", "BIGINT", "team id"),
        C("team_abbr", "VARCHAR", "team tricode"),
        C("team_name", "VARCHAR", "team city and name"),
        C("opponent_team_id", "BIGINT", "opponent team id"),
        C("opponent_team_abbr", "VARCHAR", "opponent tricode"),
        C("is_home", "BOOLEAN", "team is the home team in the box score"),
        C("minutes", "DOUBLE", "team minutes: 240 regulation, +25 per overtime"),
        *BOX_STATS,
    ),
    primary_key=("game_id", "team_id"),
)

NBAC_PLAYER_BOXSCORE = Table(
    dataset="nba_raw",
    name="nbac_player_boxscore",
    grain="One row per player listed in a final game's box score (DNPs kept, flagged)",
    columns=(
        C("game_date", "DATE", "Eastern game date"),
        C("game_id", "VARCHAR", "NBA game id"),
        C("team_id", "BIGINT", "team id"),
        C("team_abbr", "VARCHAR", "team tricode"),
        C("player_id", "BIGINT", "NBA person id"),
        C("player_name", "VARCHAR", "first and family name"),
        C("position", "VARCHAR", "position as served; non-empty marks a starter in boxscoretraditionalv3"),
        C("comment", "VARCHAR", "comment as served, e.g. DNP - Coach's Decision"),
        C("is_dnp", "BOOLEAN", "did not play: no minutes served (stats are then not zeros, they are absent)"),
        C("minutes", "DOUBLE", "decimal minutes played (null for a DNP)"),
        *BOX_STATS,
    ),
    primary_key=("game_id", "player_id"),
)

ODDS_PLAYER_POINTS_PROPS = Table(
    dataset="nba_raw",
    name="odds_player_points_props",
    grain="One row per player per game per sportsbook line (a book may post several alternate lines)",
    columns=(
        C("game_date", "DATE", "Eastern game date"),
        C("game_id", "VARCHAR", "NBA game id"),
        C("player_id", "BIGINT", "NBA person id"),
        C("player_name", "VARCHAR", "player name as the sportsbook spells it"),
        C("bookmaker", "VARCHAR", "sportsbook key, e.g. draftkings"),
        C("points_line", "DOUBLE", "player points prop line"),
        C("over_odds", "DOUBLE", "American odds for the over"),
        C("under_odds", "DOUBLE", "American odds for the under"),
        C("snapshot_file", "VARCHAR", "source snapshot the line was read from"),
    ),
    primary_key=("game_id", "player_id", "bookmaker", "points_line"),
)

NBAC_PLAYER_LIST = Table(
    dataset="nba_raw",
    name="nbac_player_list",
    grain="One row per player on an NBA roster on the Eastern game date (the roster of the day, before its games)",
    columns=(
        C("game_date", "DATE", "the date the roster is of (Eastern); the source serves the roster of that day"),
        C("season", "VARCHAR", "season label asked for, e.g. 2025-26"),
        C("player_id", "BIGINT", "NBA person id (PERSON_ID)"),
        C("player_name", "VARCHAR", "first and last name as served (PLAYER_FIRST_NAME PLAYER_LAST_NAME)"),
        C("team_id", "BIGINT", "team whose roster lists the player on that date (TEAM_ID)"),
        C("team_abbr", "VARCHAR", "team tricode (TEAM_ABBREVIATION)"),
        C("roster_status", "INTEGER", "ROSTER_STATUS as served: 1 = on a roster (only those rows are kept)"),
    ),
    primary_key=("game_date", "player_id"),
)

RAW_TABLES = (NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE, ODDS_PLAYER_POINTS_PROPS, NBAC_PLAYER_LIST)
