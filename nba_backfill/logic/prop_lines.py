"""Consensus player-points prop lines from sportsbook rows (one row per player per game).

Books post a *main* line priced near even money plus *alternate* lines priced far from it (bovada posts up to
ten per player). Averaging every posted line would drag the consensus toward whichever book posts the most
alternates, so each book contributes exactly one line, its main line, and the consensus is their median.

Method:
    1. American odds -> implied probability (vig included): odds < 0: −odds/(−odds + 100);
       odds ≥ 0: 100/(odds + 100).
    2. Per (game, player, book), the main line is the line whose over and under implied probabilities are
       closest (|p_over − p_under| smallest), i.e. the "over/under odds closest to each other". Comparing
       probabilities rather than raw American numbers matters: −105/+105 are nearly equal prices but 210
       apart as numbers. A tie (e.g. 30.5 at −125/−105 and 31.5 at −105/−125) means the fair line lies
       between the tied lines, so the book's main line is their mean.
    3. Consensus = median of the books' main lines (robust to one stale or outlying book); n_books = books
       that contributed. With an even number of books the median is the mean of the middle two.
    Rows missing either price cannot be judged and are ignored.
"""

from __future__ import annotations

import pandas as pd

_TIE_TOLERANCE = 1e-9  # probability gaps equal up to float noise are a tie

CONSENSUS_COLUMNS = ["game_date", "game_id", "player_id", "player_name", "prop_line", "n_books", "book_lines"]


def implied_probability(american_odds: pd.Series) -> pd.Series:
    """American odds -> implied probability 0–1 (including the book's margin). NaN stays NaN."""
    odds = american_odds.astype("float64")
    return (-odds / (-odds + 100.0)).where(odds < 0, 100.0 / (odds + 100.0)).where(odds.notna())


def book_main_lines(props: pd.DataFrame) -> pd.DataFrame:
    """One row per (game_id, player_id, bookmaker): the book's main line (see the module docstring).

    Args:
        props: ``nba_raw.odds_player_points_props`` rows (``points_line``, American ``over_odds``/``under_odds``).

    Returns:
        Columns game_date, game_id, player_id, player_name, bookmaker, main_line (float points).
    """
    priced = props.dropna(subset=["points_line", "over_odds", "under_odds"]).copy()
    priced["points_line"] = priced["points_line"].astype("float64")
    priced["price_gap"] = (implied_probability(priced["over_odds"]) - implied_probability(priced["under_odds"])).abs()
    keys = ["game_id", "player_id", "bookmaker"]
    best_gap = priced.groupby(keys)["price_gap"].transform("min")
    tied = priced[priced["price_gap"] <= best_gap + _TIE_TOLERANCE]
    return (
        tied.groupby(keys, as_index=False)
        .agg(game_date=("game_date", "first"), player_name=("player_name", "first"), main_line=("points_line", "mean"))
        [["game_date", "game_id", "player_id", "player_name", "bookmaker", "main_line"]]
    )


def consensus_prop_lines(props: pd.DataFrame) -> pd.DataFrame:
    """One row per (game_id, player_id): the median of the books' main lines and the number of books.

    Args:
        props: ``nba_raw.odds_player_points_props`` rows, one per player per game per book line (alternates
            included); odds are American.

    Returns:
        Columns ``CONSENSUS_COLUMNS``: game_date, game_id, player_id, player_name (the book's spelling),
        prop_line (consensus points line), n_books (books contributing a main line), book_lines
        (``book:line`` pairs, comma-separated, for audit). Empty input gives an empty frame.
    """
    if props.empty:
        dtypes = {"player_id": "int64", "prop_line": "float64", "n_books": "int64"}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in CONSENSUS_COLUMNS})
    mains = book_main_lines(props).sort_values(["game_id", "player_id", "bookmaker"])
    mains["book_line"] = mains["bookmaker"].astype(str) + ":" + mains["main_line"].map("{:g}".format)
    out = mains.groupby(["game_id", "player_id"], as_index=False).agg(
        game_date=("game_date", "first"),
        player_name=("player_name", "first"),
        prop_line=("main_line", "median"),
        n_books=("bookmaker", "nunique"),
        book_lines=("book_line", ",".join),
    )
    return out[CONSENSUS_COLUMNS].reset_index(drop=True)
