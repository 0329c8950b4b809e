"""Fault JSON: parsing, validation messages and which games/dates a rule selects."""

from __future__ import annotations

import datetime as dt

import pytest

from nba_backfill.sources.replay_faults import BOX, SCOREBOARD, Faults

NOV4, NOV5 = dt.date(2025, 11, 4), dt.date(2025, 11, 5)


def test_round_trip_through_json():
    text = ('{"as_of": "2026-01-10", "rules": [{"kind": "http_status", "status": 429, "first_n": 2, '
            '"game_ids": ["0022500165"]}, '
            '{"kind": "empty_stats", "date_from": "2025-12-27", "date_to": "2026-01-21"}]}')
    faults = Faults.parse(text)
    assert faults.as_of == dt.date(2026, 1, 10)
    assert faults.to_dict() == {"as_of": "2026-01-10", "rules": [
        {"kind": "http_status", "game_ids": ["0022500165"], "status": 429, "first_n": 2},
        {"kind": "empty_stats", "date_from": "2025-12-27", "date_to": "2026-01-21"}]}
    assert Faults.parse(faults.to_dict()) == faults


@pytest.mark.parametrize(("raw", "message"), [
    ('{"rules": [{"kind": "meteor"}]}', "kind 'meteor' is not one of"),
    ('{"rules": [{"kind": "hang", "secs": 3}]}', "unknown fields ['secs']"),
    ('{"rules": [{"kind": "http_status", "status": 200}]}', "not an HTTP error status"),
    ('{"rules": [{"kind": "http_status", "status": 429, "retry_after": -1}]}', "retry_after must be >= 0"),
    ('{"rules": [{"kind": "empty_stats", "dates": ["2025-11-31"]}]}', "not a YYYY-MM-DD date"),
    ('{"rules": [{"kind": "empty_stats", "game_ids": ["22500165"]}]}', "is not 10 digits"),
    ('{"rule": []}', "must be an object with 'rules'"),
    ("{not json", "not valid JSON"),
])
def test_invalid_faults_say_what_is_wrong(raw, message):
    with pytest.raises(ValueError) as err:
        Faults.parse(raw)
    assert message in str(err.value)


def test_date_range_is_inclusive_and_selectors_are_ored():
    faults = Faults.parse({"rules": [{"kind": "empty_stats", "date_from": "2025-12-27", "date_to": "2026-01-21",
                                      "game_ids": "0022500165"}]})

    def state(game_id: str, day: dt.date) -> str:
        return faults.game_state(BOX, game_id, day)[0]

    assert state("0022500450", dt.date(2025, 12, 27)) == "empty_stats"
    assert state("0022500622", dt.date(2026, 1, 21)) == "empty_stats"
    assert state("0022500440", dt.date(2025, 12, 26)) == "final"
    assert state("0022500165", NOV4) == "empty_stats"  # by id, outside the range


def test_game_id_rules_never_break_a_whole_scoreboard_request():
    faults = Faults.parse({"rules": [{"kind": "http_status", "game_ids": ["0022500165"]},
                                     {"kind": "hang", "seconds": 1, "dates": ["2025-11-05"]}]})
    assert [r.kind for _, r in faults.request_rules(SCOREBOARD, None, NOV4)] == []
    assert [r.kind for _, r in faults.request_rules(SCOREBOARD, None, NOV5)] == ["hang"]
    assert [r.kind for _, r in faults.request_rules(BOX, "0022500165", NOV4)] == ["http_status"]


def test_endpoints_restrict_a_rule_and_as_of_schedules_later_games():
    faults = Faults.parse({"as_of": "2025-11-04", "rules": [{"kind": "hang", "endpoints": ["scoreboardv3"]}]})
    assert faults.request_rules(BOX, "0022500165", NOV4) == []
    assert len(faults.request_rules(SCOREBOARD, None, NOV4)) == 1
    assert faults.game_state(SCOREBOARD, "0022500171", NOV5)[0] == "scheduled"
    assert faults.game_state(SCOREBOARD, "0022500165", NOV4)[0] == "final"


def test_retry_after_and_reset_round_trip_and_act_on_the_whole_request():
    faults = Faults.parse({"rules": [{"kind": "http_status", "status": 429, "retry_after": 1, "first_n": 1},
                                     {"kind": "reset", "game_ids": ["0022500165"]}]})
    assert faults.to_dict()["rules"] == [{"kind": "http_status", "status": 429, "first_n": 1, "retry_after": 1},
                                         {"kind": "reset", "game_ids": ["0022500165"]}]
    assert Faults.parse(faults.to_dict()) == faults
    assert [r.kind for _, r in faults.request_rules(BOX, "0022500165", NOV4)] == ["http_status", "reset"]
