"""The one confidence scale (0–1) every prediction system reports: how much evidence stands behind a row.

confidence = sample · stability · completeness, each in [0, 1] (a heuristic score, not a calibrated probability):
    sample       = min(n / 10, 1), n = the games the system's estimate rests on (games played in the window for
                   most systems; Kish's effective number of games for ``similarity``); 10 games saturate it;
    stability    = 1 / (1 + CV), CV = points_std_window / points_per_game_window, the player's game-to-game
                   coefficient of variation (0.5 when unknown, e.g. one game): an erratic scorer is less predictable;
    completeness = window_found_games / window_expected_games (1 when nothing was expected): a prediction made on
                   a window that misses team games is trusted less.
A system may multiply by one more factor in [0, 1] for an input only it uses (``opponent_matchup``: the opponent's
sample); ensembles report the (weighted) mean of their members' confidences. The same inputs therefore give the
same confidence in every system, and ``MIN_CONFIDENCE_TO_BET`` means the same thing for all of them.
"""

from __future__ import annotations

import pandas as pd

FULL_SAMPLE_GAMES = 10  # games at which the sample part saturates


def sample_part(games: pd.Series) -> pd.Series:
    """min(games / 10, 1); NaN games count as 0."""
    return (games.astype("float64").fillna(0.0) / FULL_SAMPLE_GAMES).clip(upper=1.0)


def evidence(factors: pd.DataFrame, games: pd.Series | None = None) -> pd.Series:
    """Confidence 0–1 = sample · stability · completeness of ``PLAYER_COMPOSITE_FACTORS`` rows (module docstring).

    Args:
        factors: composite factor rows.
        games: the n of the sample part per row (default ``games_played_window``).

    Returns:
        A float series in [0, 1] aligned to ``factors.index``.
    """
    games = factors["games_played_window"] if games is None else games
    mean = factors["points_per_game_window"].astype("float64")
    spread = factors["points_std_window"].astype("float64") / mean.where(mean > 0)
    expected = factors["window_expected_games"].astype("float64")
    found = factors["window_found_games"].astype("float64")
    stability = 1.0 / (1.0 + spread.fillna(1.0))
    completeness = (found / expected.where(expected > 0)).fillna(1.0)
    return (sample_part(games) * stability * completeness).clip(0.0, 1.0)
