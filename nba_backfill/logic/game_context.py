"""Tonight's game context (venue, rest, opponent defensive tier) and the player's window games most like it.

Pure pandas, no Dagster. Used by ``composite_factors`` for the phase-4 columns ``opponent_defense_tier``,
``points_similar_context_mean`` and ``similar_context_games``; everything is read from D's window
(D − window_days … D − 1) and D's schedule, like every other factor.

Method (a kernel-weighted "analog" average):
    Each game g the player played in the window is described by the same three context variables as tonight:
        venue  = home / away;
        rest   = bucket of the days of rest before the game: 0 (back-to-back), 1, 2+ (rest before the player's
                 first window game is unknown: the day before the window is outside it);
        tier   = the opponent's defensive tier: the tercile of the team's mean defensive rating over D's window
                 among the teams that played in it (1 = stingiest third, 3 = most generous third). Past opponents
                 are ranked with the same window as tonight's, so every game is compared on one scale.
    Weight w_g = Π over the three variables of 1 if g matches tonight, λ = 0.5 if it does not, √λ if either side is
    unknown: the unordered discrete kernel of Li & Racine (Nonparametric Econometrics, 2007, §4.1) in a product
    kernel. The prediction is the Nadaraya–Watson estimate Σ w_g·points_g / Σ w_g (Nadaraya 1964, Watson 1964):
    every window game counts (weight ≥ 1/8), the games most like tonight count most. Its sample size is Kish's
    effective number of games (Σ w_g)² / Σ w_g² (Kish, Survey Sampling, 1965).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MISMATCH_WEIGHT = 0.5  # λ: a game differing from tonight in one variable counts half
TIERS = 3  # terciles of the window's team defensive ratings
CONTEXT_COLUMNS = ["opponent_defense_tier", "points_similar_context_mean", "similar_context_games"]


def rest_bucket(days_rest: pd.Series) -> pd.Series:
    """Days of rest (0 = back-to-back) → bucket 0, 1 or 2 (2 means two or more days); NaN stays NaN."""
    return days_rest.astype("float64").clip(upper=2.0)


def defensive_tiers(defense_window: pd.DataFrame) -> pd.Series:
    """Per team with a game in the window: its defensive tier 1 … 3 (terciles of mean defensive rating).

    Args:
        defense_window: ``TEAM_DEFENSE_GAME_SUMMARY`` rows of the window (team_id, defensive_rating).

    Returns:
        Float tier indexed by team_id: 1 + floor(3·(rank − 1)/n), rank 1 = the lowest mean defensive rating (the
        best defense), n = teams in the window; ties share the lower rank. Empty when the window has no games.
    """
    ratings = defense_window.groupby("team_id")["defensive_rating"].mean().dropna()
    if ratings.empty:
        return pd.Series(dtype="float64", name="tier")
    rank = ratings.rank(method="min")
    return (1.0 + np.floor(TIERS * (rank - 1.0) / len(ratings))).rename("tier")


def _kernel(past: pd.Series, tonight: pd.Series) -> np.ndarray:
    """Per-variable weight: 1 if equal, λ if different, √λ if either is unknown."""
    unknown = past.isna().to_numpy() | tonight.isna().to_numpy()
    equal = past.to_numpy() == tonight.to_numpy()
    return np.where(unknown, np.sqrt(MISMATCH_WEIGHT), np.where(equal, 1.0, MISMATCH_WEIGHT))


def context_features(played_window: pd.DataFrame, tonight: pd.DataFrame, defense_window: pd.DataFrame) -> pd.DataFrame:
    """One row per player in ``tonight``: the opponent's tier and the context-weighted points average.

    Args:
        played_window: the window's played (not DNP) player-game rows: player_id, game_date (timestamps),
            points, is_home, opponent_team_id.
        tonight: one row per player on D: player_id, is_home, opponent_team_id, days_rest.
        defense_window: ``TEAM_DEFENSE_GAME_SUMMARY`` rows of the window.

    Returns:
        Indexed by player_id, columns ``CONTEXT_COLUMNS``: opponent_defense_tier (1–3, NaN when tonight's opponent
        has no window game), points_similar_context_mean (points) and similar_context_games (Kish effective
        number of games); both NaN for a player without played window games.
    """
    tiers = defensive_tiers(defense_window)
    now = tonight[["player_id", "is_home", "opponent_team_id", "days_rest"]].assign(
        tier=tonight["opponent_team_id"].map(tiers), rest=rest_bucket(tonight["days_rest"]))
    out = now.set_index("player_id")[["tier"]].rename(columns={"tier": "opponent_defense_tier"})
    games = played_window.sort_values(["player_id", "game_date"])
    games = games.assign(
        rest=rest_bucket(games.groupby("player_id")["game_date"].diff().dt.days - 1.0),
        tier=games["opponent_team_id"].map(tiers),
    ).merge(now[["player_id", "is_home", "rest", "tier"]], on="player_id", suffixes=("", "_tonight"))
    if games.empty:
        return out.assign(points_similar_context_mean=np.nan, similar_context_games=np.nan)
    weight = (_kernel(games["is_home"].astype("float64"), games["is_home_tonight"].astype("float64"))
              * _kernel(games["rest"], games["rest_tonight"])
              * _kernel(games["tier"], games["tier_tonight"]))
    sums = pd.DataFrame({"player_id": games["player_id"], "w": weight, "w2": weight ** 2,
                         "wp": weight * games["points"].astype("float64")}).groupby("player_id").sum()
    out["points_similar_context_mean"] = sums["wp"] / sums["w"]
    out["similar_context_games"] = sums["w"] ** 2 / sums["w2"]
    return out
