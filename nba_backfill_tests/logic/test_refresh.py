"""Content hash of a box score and which dates a refresh re-materializes, on the real v3 sample (0022500165).

The sample (MIL @ TOR, 2025-11-04, verbatim stats.nba.com, PROVENANCE D): Giannis Antetokounmpo (203507) 22 points
on 9/14 FG, Kyle Kuzma (1628398) 18 on 7/14; a correction moving one of Giannis' made 2s to Kuzma is applied by
hand below.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from nba_backfill.errors import EmptyStatsError
from nba_backfill.logic.refresh import (
    GameCheck,
    boxscore_content_hash,
    changed_lines,
    dates_to_refresh,
    resume_order,
)

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "boxscoretraditionalv3_0022500165.json"
DAY, GAME = dt.date(2025, 11, 4), "0022500165"


@pytest.fixture()
def box() -> dict:
    return json.loads(SAMPLE.read_text())


def _player(payload: dict, person_id: int) -> dict:
    team = payload["boxScoreTraditional"]["awayTeam"]
    return next(p for p in team["players"] if p["personId"] == person_id)


def test_the_hash_ignores_meta_time_and_key_order(box):
    later = copy.deepcopy(box)
    later["meta"]["time"] = "2025-11-09T08:00:00.000Z"
    later["boxScoreTraditional"] = dict(reversed(list(later["boxScoreTraditional"].items())))
    later["boxScoreTraditional"]["awayTeam"]["players"].reverse()
    assert boxscore_content_hash(later, DAY, GAME) == boxscore_content_hash(box, DAY, GAME)


def test_a_correction_between_two_players_changes_the_hash_and_is_described(box):
    giannis, kuzma = _player(box, 203507)["statistics"], _player(box, 1628398)["statistics"]
    assert (giannis["points"], giannis["fieldGoalsMade"], kuzma["points"], kuzma["fieldGoalsMade"]) == (22, 9, 18, 7)
    fixed = copy.deepcopy(box)
    for person, sign in ((203507, -1), (1628398, +1)):
        stats = _player(fixed, person)["statistics"]
        stats["points"] += 2 * sign
        stats["fieldGoalsMade"] += sign
        stats["fieldGoalsAttempted"] += sign
    assert boxscore_content_hash(fixed, DAY, GAME) != boxscore_content_hash(box, DAY, GAME)
    assert changed_lines(box, fixed, DAY) == [
        "MIL Giannis Antetokounmpo pts 22→20, fgm 9→8, fga 14→13",
        "MIL Kyle Kuzma pts 18→20, fgm 7→8, fga 14→15",
    ]


def test_an_empty_answer_has_no_hash_it_is_a_source_failure(box):
    empty = copy.deepcopy(box)
    for side in ("homeTeam", "awayTeam"):
        empty["boxScoreTraditional"][side]["players"] = []
    with pytest.raises(EmptyStatsError):
        boxscore_content_hash(empty, DAY, GAME)


def test_a_changed_date_is_refreshed_only_when_every_game_was_refetched():
    checks = [GameCheck("1", "2026-02-10", "unchanged"), GameCheck("2", "2026-02-11", "changed"),
              GameCheck("3", "2026-02-11", "unchanged"), GameCheck("4", "2026-02-12", "changed"),
              GameCheck("5", "2026-02-12", "fetch_failed"), GameCheck("6", "2026-02-13", "fetch_failed"),
              GameCheck("7", "2026-02-14", "not_stored")]
    assert dates_to_refresh(checks) == (["2026-02-11"], ["2026-02-12"])
    assert dates_to_refresh([]) == ([], [])


def test_a_tick_resumes_after_the_last_game_checked_and_wraps_around():
    games = [("2026-02-11", "0022500776"), ("2026-02-11", "0022500788"), ("2026-02-12", "0022500789")]
    assert resume_order(games, None) == games
    assert resume_order(games, ["2026-02-11", "0022500788"]) == [games[2], games[0], games[1]]
    assert resume_order(games, ["2026-02-12", "0022500789"]) == games  # the last one: start over
