"""Game-context factors on real data: opponent tiers and the context-weighted points average, worked by hand."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.game_context import context_features, defensive_tiers

D = dt.date(2026, 1, 21)
BARNES = 1630567


@pytest.fixture(scope="module")
def factors_d(raw_schedule, team_offense_season, team_defense_season, player_games_season,
              rosters_season) -> pd.DataFrame:
    return build_player_composite_factors([D], raw_schedule, player_games_season, team_offense_season,
                                          team_defense_season, rosters_season)


def _window_tiers(raw_team_box) -> dict[str, int]:
    """Tier per team from the raw box lines of 2025-12-31 … 2026-01-20, computed here independently."""
    w = raw_team_box[(raw_team_box["game_date"] >= dt.date(2025, 12, 31))
                     & (raw_team_box["game_date"] <= dt.date(2026, 1, 20))]
    ratings: dict[str, list[float]] = {}
    for row in w.itertuples():
        # The defender is the opponent: its defensive rating is this team's 100·points/possessions.
        possessions = row.fga + 0.44 * row.fta - row.oreb + row.tov
        ratings.setdefault(row.opponent_team_abbr, []).append(100 * row.pts / possessions)
    ranked = sorted(ratings, key=lambda team: sum(ratings[team]) / len(ratings[team]))
    assert len(ranked) == 30  # every team played in the window: 10 teams per tercile
    return {team: 1 + i // 10 for i, team in enumerate(ranked)}


def test_barnes_similarity_2026_01_21_hand_worked(factors_d, raw_team_box):
    tiers = _window_tiers(raw_team_box)
    row = factors_d[factors_d["player_id"] == BARNES].iloc[0]
    # Tonight: TOR @ SAC, away, back-to-back (rest bucket 0); SAC allowed the 22nd-best rating -> tier 3.
    assert tiers["SAC"] == 3 and row["opponent_defense_tier"] == 3
    # Barnes' window games (bundle): date, opponent, home?, points; rest = days between games − 1.
    games = [("2025-12-31", "DEN", True, 20), ("2026-01-03", "ATL", True, 20), ("2026-01-05", "ATL", True, 18),
             ("2026-01-07", "CHA", False, 17), ("2026-01-11", "PHI", True, 31), ("2026-01-12", "PHI", True, 15),
             ("2026-01-14", "IND", False, 26), ("2026-01-16", "LAC", True, 24), ("2026-01-18", "LAL", False, 22),
             ("2026-01-20", "GSW", False, 26)]
    weights, previous = [], None
    for day, opponent, home, _ in games:
        rest = None if previous is None else min((dt.date.fromisoformat(day) - previous).days - 1, 2)
        previous = dt.date.fromisoformat(day)
        venue_w = 1.0 if home is False else 0.5
        rest_w = math.sqrt(0.5) if rest is None else (1.0 if rest == 0 else 0.5)
        tier_w = 1.0 if tiers[opponent] == 3 else 0.5
        weights.append(venue_w * rest_w * tier_w)
    # 12-31 (DEN, tier 3) is the only tier match; 01-12 the only back-to-back; away games match the venue.
    assert weights == pytest.approx([0.5 * math.sqrt(0.5), 0.125, 0.125, 0.25, 0.125, 0.25, 0.25, 0.125, 0.25,
                                     0.25])
    points = [g[3] for g in games]
    expected = sum(w * p for w, p in zip(weights, points)) / sum(weights)  # 45.196 / 2.1036 = 21.486
    assert row["points_similar_context_mean"] == pytest.approx(expected)
    assert row["points_similar_context_mean"] == pytest.approx(21.4856, abs=1e-3)
    assert row["similar_context_games"] == pytest.approx(sum(weights) ** 2 / sum(w * w for w in weights))


def test_tiers_are_terciles_of_the_window_defensive_ratings(team_defense_season, raw_team_box):
    window = team_defense_season[(team_defense_season["game_date"] >= dt.date(2025, 12, 31))
                                 & (team_defense_season["game_date"] <= dt.date(2026, 1, 20))]
    tiers = defensive_tiers(window)
    abbr = window.drop_duplicates("team_id").set_index("team_id")["team_abbr"]
    assert {abbr[t]: int(v) for t, v in tiers.items()} == _window_tiers(raw_team_box)
    assert tiers.value_counts().to_dict() == {1.0: 10, 2.0: 10, 3.0: 10}


def test_hand_built_context_unknowns_and_no_games():
    played = pd.DataFrame({
        "player_id": [1, 1, 1], "points": [10.0, 20.0, 30.0], "is_home": [1.0, 0.0, 1.0],
        "game_date": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-05"]),
        "opponent_team_id": [100, 200, 300],
    })
    defense = pd.DataFrame({"team_id": [100, 200, 300], "defensive_rating": [100.0, 110.0, 120.0]})
    tonight = pd.DataFrame({"player_id": [1, 2], "is_home": [True, False], "opponent_team_id": [300, 999],
                            "days_rest": [1, 0]})
    out = context_features(played, tonight, defense)
    # Tiers with 3 teams: 100 -> 1, 110 -> 2, 120 -> 3. Tonight: home, rest 1, tier 3.
    # Game 1: home ✓, rest unknown (√0.5), tier 1 ✗ (0.5); game 2: away ✗, rest 0 ✗, tier 2 ✗; game 3: home ✓,
    # rest 2 (01-02 → 01-05) ✗, tier 3 ✓.
    w = [math.sqrt(0.5) * 0.5, 0.125, 0.5]
    assert out.loc[1, "opponent_defense_tier"] == 3
    assert out.loc[1, "points_similar_context_mean"] == pytest.approx((10 * w[0] + 20 * w[1] + 30 * w[2]) / sum(w))
    # Player 2 played no window game and faces a team without a window game: everything unknown.
    assert out.loc[2, ["opponent_defense_tier", "points_similar_context_mean", "similar_context_games"]].isna().all()
