"""Consensus prop lines on real bundled sportsbook rows, main lines worked by hand from the American odds."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from nba_backfill.logic.prop_lines import CONSENSUS_COLUMNS, book_main_lines, consensus_prop_lines, implied_probability

GIANNIS, BARNES, SHEPPARD = 203507, 1630567, 1641767


def _p(odds: float) -> float:
    """American odds -> implied probability, written out for the hand checks."""
    return -odds / (-odds + 100) if odds < 0 else 100 / (odds + 100)


def _player_game(props: pd.DataFrame, game_id: str, player_id: int) -> pd.DataFrame:
    return props[(props["game_id"] == game_id) & (props["player_id"] == player_id)]


def test_implied_probability():
    got = implied_probability(pd.Series([-125.0, 114.0, -100.0, 100.0, None]))
    assert got.iloc[:4].tolist() == pytest.approx([125 / 225, 100 / 214, 0.5, 0.5])
    assert pd.isna(got.iloc[4])


def test_consensus_giannis_mil_at_tor_2025_11_04(raw_props):
    rows = _player_game(raw_props, "0022500165", GIANNIS)
    assert len(rows) == 20  # 8 books; betrivers posts 4 lines and bovada 10

    # betrivers: 29.5 (−157/+114), 30.5 (−130/−103), 31.5 (−109/−121), 32.5 (+108/−143):
    # 31.5 has the closest over/under prices.
    gaps = {29.5: abs(_p(-157) - _p(114)), 30.5: abs(_p(-130) - _p(-103)),
            31.5: abs(_p(-109) - _p(-121)), 32.5: abs(_p(108) - _p(-143))}
    assert min(gaps, key=gaps.get) == 31.5  # gap 0.026 vs 0.058 for 30.5
    # bovada: 30.5 (−125/−105) and 31.5 (−105/−125) are mirror prices, a tie: the fair line is between, 31.0.
    assert abs(_p(-125) - _p(-105)) == abs(_p(-105) - _p(-125))
    mains = book_main_lines(rows).set_index("bookmaker")["main_line"].to_dict()
    expected = {"betmgm": 31.5, "betonlineag": 30.5, "betrivers": 31.5, "bovada": (30.5 + 31.5) / 2,
                "draftkings": 30.5, "fanatics": 30.5, "fanduel": 31.5, "williamhill_us": 30.5}
    assert mains == expected

    consensus = consensus_prop_lines(rows)
    assert list(consensus.columns) == CONSENSUS_COLUMNS and len(consensus) == 1
    row = consensus.iloc[0]
    # sorted main lines: 30.5 30.5 30.5 30.5 | 31.0 31.5 31.5 31.5 -> median = (30.5 + 31.0) / 2
    assert row["prop_line"] == statistics.median(expected.values()) == 30.75
    assert row["n_books"] == 8
    assert row["book_lines"].split(",")[3] == "bovada:31"


def test_consensus_ignores_alternates_barnes_2025_11_04(raw_props):
    rows = _player_game(raw_props, "0022500165", BARNES)
    # bovada posts 14.5 … 20.5; its main line is 18.5 (−105/−125, gap 0.043) not 17.5 (−130/+100, gap 0.065).
    assert abs(_p(-105) - _p(-125)) < abs(_p(-130) - _p(100))
    row = consensus_prop_lines(rows).iloc[0]
    # Every one of the 7 books' main lines is 18.5; a plain mean of all 15 posted lines would be 18.03,
    # (2·18.5 [betmgm, betonlineag] + 55.5 [betrivers 17.5/18.5/19.5] + 122.5 [bovada 14.5…20.5] + 3·18.5) / 15.
    assert (row["prop_line"], row["n_books"]) == (18.5, 7)
    assert rows["points_line"].mean() == pytest.approx((2 * 18.5 + 55.5 + 122.5 + 3 * 18.5) / 15)


def test_a_line_without_both_prices_is_ignored(raw_props):
    # Ben Sheppard 2025-11-11: fanatics' only line (7.5, −115 / no under price) cannot be judged.
    rows = _player_game(raw_props, "0022500211", SHEPPARD)
    assert rows.loc[rows["bookmaker"] == "fanatics", "under_odds"].isna().all()
    row = consensus_prop_lines(rows).iloc[0]
    # betmgm 7.5, betonlineag 6.5, draftkings 7.5, fanduel 7.5, williamhill_us 7.5 -> median 7.5 of 5 books.
    assert (row["prop_line"], row["n_books"]) == (statistics.median([7.5, 6.5, 7.5, 7.5, 7.5]), 5)


def test_one_row_per_player_game_over_all_bundled_props(raw_props):
    consensus = consensus_prop_lines(raw_props)
    assert not consensus.duplicated(["game_id", "player_id"]).any()
    pairs = raw_props[["game_id", "player_id"]].drop_duplicates()
    assert len(consensus) == len(pairs)  # every pair has at least one fully priced line
    assert consensus["n_books"].between(1, 8).all()


def test_empty_props_give_an_empty_frame(raw_props):
    out = consensus_prop_lines(raw_props.iloc[0:0])
    assert out.empty and list(out.columns) == CONSENSUS_COLUMNS
