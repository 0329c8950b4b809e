"""Schema of the ``nba_precompute`` dataset (phase 4): per-player composite factors for a game date D.

Every value is computed from phase-3 rows dated D−21 … D−1 only (``partitions.feature_window_mapping``) and
from the schedule of D; nothing from D itself. Each factor is stored next to its inputs so a prediction can be
explained and re-derived. Formulas are documented in ``logic/composite_factors.py``.
"""

from __future__ import annotations

from nba_backfill.schemas.table import Column as C
from nba_backfill.schemas.table import Table

PLAYER_COMPOSITE_FACTORS = Table(
    dataset="nba_precompute",
    name="player_composite_factors",
    grain="One row per player expected to play on the game date D (team plays on D, played in the window)",
    columns=(
        C("game_date", "DATE", "D, the Eastern game date being predicted (the partition)"),
        C("game_id", "VARCHAR", "NBA game id of the player's team on D"),
        C("player_id", "BIGINT", "NBA person id"),
        C("player_name", "VARCHAR", "name on the player's most recent box-score row in the window"),
        C("team_id", "BIGINT", "the player's most recent team in the window (it plays on D)"),
        C("team_abbr", "VARCHAR", "team tricode"),
        C("opponent_team_id", "BIGINT", "opponent on D"),
        C("opponent_team_abbr", "VARCHAR", "opponent tricode on D"),
        C("is_home", "BOOLEAN", "team is the home team on D (schedule)"),
        C("window_start_date", "DATE", "first day of the feature window, D − window_days"),
        C("window_end_date", "DATE", "last day of the feature window, D − 1"),
        # Recent scoring
        C("games_played_window", "INTEGER", "games the player played (not DNP) in the window"),
        C("minutes_per_game_window", "DOUBLE", "mean minutes over the games played in the window"),
        C("points_per_game_last_5", "DOUBLE", "mean points over the player's last 5 games played in the window"),
        C("points_per_game_last_10", "DOUBLE", "mean points over the player's last 10 games played in the window"),
        C("points_per_game_window", "DOUBLE", "mean points over every game played in the window"),
        C("points_std_window", "DOUBLE", "sample standard deviation (ddof=1) of points over the window games"),
        # Fatigue
        C("last_game_date", "DATE", "date of the player's last game played in the window"),
        C("days_since_last_game", "INTEGER", "D − last_game_date, in days"),
        C("days_rest", "INTEGER", "days_since_last_game − 1 (0 on a back-to-back)"),
        C("is_back_to_back", "BOOLEAN", "the player played on D − 1"),
        C("games_last_7_days", "INTEGER", "games played on D−7 … D−1"),
        C("minutes_last_7_days", "DOUBLE", "minutes played on D−7 … D−1"),
        # Pace
        C("team_games_window", "INTEGER", "team_offense rows of the player's team in the window"),
        C("opponent_games_window", "INTEGER", "team_offense rows of the opponent in the window"),
        C("team_pace_window_mean", "DOUBLE", "mean pace of the team's games in the window"),
        C("opponent_pace_window_mean", "DOUBLE", "mean pace of the opponent's games in the window"),
        C("pace_differential", "DOUBLE", "team_pace_window_mean − opponent_pace_window_mean"),
        # Opponent defense
        C("opponent_defensive_rating_window_mean", "DOUBLE", "opponent's mean defensive rating in the window"),
        C("league_defensive_rating_window_mean", "DOUBLE", "mean defensive rating of every team-game in the window"),
        C("opponent_defense_differential", "DOUBLE",
          "opponent_defensive_rating_window_mean − league_defensive_rating_window_mean (> 0: a weaker defense)"),
        # Usage trend
        C("usage_rate_last_3_pct", "DOUBLE", "mean usage rate % of the player's last 3 games played"),
        C("usage_rate_window_pct", "DOUBLE", "mean usage rate % over the games played in the window"),
        C("usage_trend_pct", "DOUBLE", "usage_rate_last_3_pct − usage_rate_window_pct (percentage points)"),
        # Game context (logic/game_context.py)
        C("opponent_defense_tier", "INTEGER",
          "tercile of the opponent's mean defensive rating among the window's teams: 1 stingiest … 3 most generous "
          "(NULL: no opponent game in the window)"),
        C("points_similar_context_mean", "DOUBLE",
          "window games weighted by likeness to tonight (venue, rest bucket 0/1/2+, opponent tier; weight 0.5 per "
          "differing variable), Nadaraya–Watson mean of their points"),
        C("similar_context_games", "DOUBLE", "Kish effective number of games behind points_similar_context_mean"),
        # Window honesty
        C("window_expected_dates", "VARCHAR",
          "comma-separated ISO dates on which the team had a final in-scope game in the window (schedule)"),
        C("window_found_dates", "VARCHAR", "the expected dates for which team_offense has the team's row"),
        C("window_missing_dates", "VARCHAR", "expected dates without the team's team_offense row"),
        C("window_expected_games", "INTEGER", "number of window_expected_dates"),
        C("window_found_games", "INTEGER", "number of window_found_dates"),
        C("window_is_complete", "BOOLEAN", "every expected date was found; False means the factors lack games"),
    ),
    primary_key=("game_date", "player_id"),
)

PRECOMPUTE_TABLES = (PLAYER_COMPOSITE_FACTORS,)
