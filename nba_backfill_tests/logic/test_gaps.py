"""Gap days and failure streaks on real 2025-26 games (pure logic)."""

from __future__ import annotations

import pandas as pd

from nba_backfill.logic.gaps import classify_gap_days, days_to_refetch, failure_streaks


def test_gap_days_name_what_is_missing():
    per_day = pd.DataFrame([
        # 2026-01-21: 7 final games (0022500622 BKN at NYK among them); one team row lost → 13 of 14.
        {"game_date": "2026-01-21", "final_games": 7, "team_rows": 13, "player_games": 7, "raw_materialized": True},
        # 2026-01-20: complete.
        {"game_date": "2026-01-20", "final_games": 4, "team_rows": 8, "player_games": 4, "raw_materialized": True},
        # 2025-12-27 during the incident: 9 final games, the raw partition failed.
        {"game_date": "2025-12-27", "final_games": 9, "team_rows": 0, "player_games": 0, "raw_materialized": False},
        # 2025-12-24: no games, but the empty partition was never materialized: it blocks 21 downstream days.
        {"game_date": "2025-12-24", "final_games": 0, "team_rows": 0, "player_games": 0, "raw_materialized": False},
    ])
    gaps = classify_gap_days(per_day)
    assert list(gaps["game_date"]) == ["2025-12-24", "2025-12-27", "2026-01-21"]
    reasons = dict(zip(gaps["game_date"], gaps["reason"]))
    assert reasons["2026-01-21"] == "13 of 14 team rows"
    assert reasons["2025-12-27"] == "0 of 18 team rows; player rows for 0 of 9 games; raw partition not materialized"
    assert reasons["2025-12-24"] == "raw partition not materialized"


def test_only_days_without_trustworthy_files_are_fetched_again():
    """A range run 2026-01-09 … 2026-01-11 whose files step failed on 2026-01-10 (one empty game): the files of
    01-09 and 01-11 were stored, their tables skipped. 2026-01-12 has a partial game (failed raw check) and
    2026-01-13 a game still pending: both need the source again.
    """
    per_day = pd.DataFrame([
        {"game_date": "2026-01-09", "final_games": 10, "team_rows": 0, "player_games": 0, "raw_materialized": False},
        {"game_date": "2026-01-10", "final_games": 6, "team_rows": 0, "player_games": 0, "raw_materialized": False},
        {"game_date": "2026-01-11", "final_games": 10, "team_rows": 0, "player_games": 0, "raw_materialized": False},
        {"game_date": "2026-01-12", "final_games": 6, "team_rows": 12, "player_games": 6, "raw_materialized": True,
         "failed_checks": "nba_raw/nbac_team_boxscore:complete_and_consistent"},
        {"game_date": "2026-01-13", "final_games": 6, "team_rows": 12, "player_games": 6, "raw_materialized": True,
         "pending_games": 1},
    ])
    gaps = classify_gap_days(per_day.fillna({"failed_checks": "", "pending_games": 0}))
    stored = {"2026-01-09", "2026-01-11", "2026-01-12", "2026-01-13"}
    assert days_to_refetch(gaps, stored) == ["2026-01-10", "2026-01-12", "2026-01-13"]
    assert days_to_refetch(gaps, set()) == ["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12", "2026-01-13"]


def _outcomes(rows):
    return pd.DataFrame(rows, columns=["game_id", "game_date", "outcome", "error"])


def test_failure_streak_counts_consecutive_failed_final_games_across_dates():
    # 2025-12-26 stored (last healthy game 0022500431), then every game of 12-27 (0022500432 … 0022500440)
    # and the first of 12-28 failed: 10 consecutive failures.
    rows = [("0022500431", "2025-12-26", "stored", "")]
    rows += [(f"00225004{n}", "2025-12-27", "failed", "EmptyStatsError") for n in range(32, 41)]
    rows += [("0022500441", "2025-12-28", "failed", "EmptyStatsError")]
    streaks = failure_streaks(_outcomes(rows), threshold=3)
    assert len(streaks) == 1
    assert list(streaks[0]["game_id"]) == [f"00225004{n}" for n in range(32, 42)]
    assert failure_streaks(_outcomes(rows), threshold=11) == []


def test_a_stored_game_between_failures_breaks_the_streak():
    rows = [("0022500432", "2025-12-27", "failed", "x"), ("0022500433", "2025-12-27", "failed", "x"),
            ("0022500434", "2025-12-27", "stored", ""), ("0022500435", "2025-12-27", "failed", "x")]
    assert failure_streaks(_outcomes(rows), threshold=3) == []
    assert [len(s) for s in failure_streaks(_outcomes(rows), threshold=2)] == [2]


def test_a_second_gap_found_during_a_repair_is_merged_into_one_next_request():
    import datetime as dt

    from nba_backfill.calendar import date_range
    from nba_backfill.logic.gaps import choose_gap_request

    first = date_range(dt.date(2025, 12, 27), dt.date(2026, 1, 21))
    second = date_range(dt.date(2026, 1, 30), dt.date(2026, 2, 2))
    # tick while the first repair (backfill "abc") runs: its days are in flight, the second gap waits
    dates, reason = choose_gap_request(first + second, set(first), ["abc"], set())
    assert dates == [] and "merged into one next request" in reason
    # the same tick again: still nothing, and no day of the first gap is requested a second time
    assert choose_gap_request(first + second, set(first), ["abc"], set())[0] == []
    # the repair ended and filled the first gap: one request with exactly the second gap's 4 days
    expected = (second, "requesting 4 gap days with their downstream closure")
    assert choose_gap_request(second, set(), [], set()) == expected
    # requested a minute ago and still failing (source broken): not hammered
    assert choose_gap_request(second, set(), [], set(second))[0] == []


def test_the_second_gap_request_targets_its_own_closure():
    import datetime as dt

    from nba_backfill.calendar import date_range
    from nba_backfill.sensors.gap_sensor import gap_request

    plan, request = gap_request(date_range(dt.date(2026, 1, 30), dt.date(2026, 2, 2)))
    by_name = {k.to_user_string(): v for k, v in plan.items()}
    assert by_name["nba_raw/nbac_team_boxscore"] == ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]
    # 2026-01-30 + 1 = 01-31 … 2026-02-02 + 21 = 02-23
    assert by_name["nba_precompute/player_composite_factors"] == date_range(dt.date(2026, 1, 31), dt.date(2026, 2, 23))
    assert request.tags["nba_backfill/gap_dates"] == "2026-01-30..2026-02-02"


def test_a_day_without_rosters_is_a_roster_gap_repaired_by_reading_the_rosters_only():
    import datetime as dt

    from nba_backfill.calendar import date_range
    from nba_backfill.sensors.gap_sensor import gap_request

    per_day = pd.DataFrame([
        # 2026-02-04: 7 final games stored, but its rosters never landed: phase 4 cannot say who plays for whom.
        {"game_date": "2026-02-04", "final_games": 7, "team_rows": 14, "player_games": 7, "raw_materialized": True,
         "roster_materialized": False},
        # 2026-02-05: box scores missing, rosters there.
        {"game_date": "2026-02-05", "final_games": 8, "team_rows": 0, "player_games": 0, "raw_materialized": False,
         "roster_materialized": True},
    ])
    gaps = classify_gap_days(per_day)
    assert list(gaps["reason"]) == ["rosters (nbac_player_list) not materialized",
                                    "0 of 16 team rows; player rows for 0 of 8 games; raw partition not materialized"]
    assert list(gaps["box_gap"]) == [False, True] and list(gaps["roster_gap"]) == [True, False]
    plan, request = gap_request(["2026-02-05"], roster_dates=["2026-02-04"])
    by_name = {k.to_user_string(): v for k, v in plan.items()}
    assert by_name["nba_raw/nbac_player_list"] == ["2026-02-04"]
    assert by_name["nba_raw/nbac_team_boxscore"] == ["2026-02-05"]  # 02-04's box scores are not read again
    # The rosters of 02-04 reach phases 4–5 of 02-04 only (same day); the box scores of 02-05, 02-06 … 02-26.
    assert by_name["nba_precompute/player_composite_factors"] == ["2026-02-04", *date_range(
        dt.date(2026, 2, 6), dt.date(2026, 2, 26))]
    assert request.tags["nba_backfill/gap_dates"] == "2026-02-04..2026-02-05"
