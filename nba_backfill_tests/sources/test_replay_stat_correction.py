"""The league's stat correction of 0022500788 (SAS @ GSW, 2026-02-11), served by the replay when switched on.

Expected numbers, by hand from the two shared CSVs (PROVENANCE caveat 4):
    first published (carl2727, player_game_logs_2025-26_thru_2026-02-12.csv):
        Harrison Barnes  FG 4/8, 3P 0/4, FT 2/2, OREB 4, DREB 1, REB 5, 10 PTS
        Stephon Castle   FG 3/11, 3P 0/1, FT 2/3, OREB 3, DREB 1, REB 4, 8 PTS
    corrected (meharpalbasi named log: PTS, REB and percentages only):
        Barnes  8 PTS, 4 REB, FG% .429, 3P% .000, FT% 1.000  ->  FG 3/7 (3·2 + 0 + 2 = 8), OREB 3 (assumed)
        Castle 10 PTS, 5 REB, FG% .333, 3P% .000, FT% .667   ->  FG 4/12 (4·2 + 0 + 2 = 10), OREB 4 (assumed)
    SAS team line (leaguegamelog): 126 PTS, FG 46/93, 3P 10/39, FT 24/28, OREB 14, DREB 30 — the same in both.
"""

from __future__ import annotations

import datetime as dt

import requests

from nba_backfill.logic.boxscore_v3 import parse_boxscore_v3
from nba_backfill.logic.checks.tables import check_player_sums, check_team_arithmetic
from nba_backfill.sources import bundle

GAME, DAY = "0022500788", dt.date(2026, 2, 11)
BARNES, CASTLE = 203084, 1642264
FIRST = {BARNES: dict(pts=10, fgm=4, fga=8, oreb=4, reb=5), CASTLE: dict(pts=8, fgm=3, fga=11, oreb=3, reb=4)}
CORRECTED = {BARNES: dict(pts=8, fgm=3, fga=7, oreb=3, reb=4), CASTLE: dict(pts=10, fgm=4, fga=12, oreb=4, reb=5)}
SAS_TEAM = dict(pts=126, fgm=46, fga=93, fg3m=10, fg3a=39, ftm=24, fta=28, oreb=14, dreb=30, reb=44)


def _lines(frame, players=(BARNES, CASTLE)) -> dict:
    rows = frame.set_index("player_id")
    return {p: {c: int(rows.loc[p, c]) for c in ("pts", "fgm", "fga", "oreb", "reb")} for p in players}


def test_the_bundle_keeps_the_first_lines_and_carries_the_corrected_ones():
    published = bundle.load_player_box()
    assert _lines(published[published["game_id"] == GAME]) == FIRST
    corrections = bundle.load_stat_corrections()
    assert list(corrections["game_id"].unique()) == [GAME]
    assert _lines(corrections) == CORRECTED
    assert set(corrections["team_abbr"]) == {"SAS"} and set(corrections["game_date"]) == {DAY}


def test_the_replay_serves_the_correction_from_the_moment_it_is_switched_on(replay, client):
    before = client.fetch_boxscore(GAME, DAY.isoformat())
    # Switched on the way faults are set: a PUT to the replay's admin URL (what `replay-server --faults` takes).
    answer = requests.put(replay.root_url + "/_replay/faults", timeout=5,
                          json={"rules": [{"kind": "stat_correction", "game_ids": [GAME]}]})
    assert answer.status_code == 200
    after = client.fetch_boxscore(GAME, DAY.isoformat())

    (teams_before, players_before), (teams_after, players_after) = (parse_boxscore_v3(p, DAY, GAME)
                                                                     for p in (before, after))
    assert _lines(players_before) == FIRST and _lines(players_after) == CORRECTED
    # Nobody else's line and no team line changed; the SAS line is the leaguegamelog's.
    assert players_before[~players_before["player_id"].isin(FIRST)].equals(
        players_after[~players_after["player_id"].isin(FIRST)])
    assert teams_before.equals(teams_after)
    sas = teams_after.set_index("team_abbr").loc["SAS"]
    assert {c: int(sas[c]) for c in SAS_TEAM} == SAS_TEAM
    # Both versions pass the raw checks phase 2 runs: player sums = team line, team arithmetic holds …
    for teams, players in ((teams_before, players_before), (teams_after, players_after)):
        assert check_player_sums(players, teams, [DAY])[DAY].passed
        assert check_team_arithmetic(teams, [DAY])[DAY].passed
        # … and every counting stat the correction touches sums to the team line too.
        sums = players[players["team_abbr"] == "SAS"][list(SAS_TEAM)].sum()
        assert {c: int(sums[c]) for c in SAS_TEAM} == SAS_TEAM

    # Other games are served as first published; switching it off serves the first lines again.
    other = "0022500789"
    while_on = client.fetch_boxscore(other, "2026-02-12")["boxScoreTraditional"]
    replay.set_faults(None)
    assert client.fetch_boxscore(other, "2026-02-12")["boxScoreTraditional"] == while_on
    assert _lines(parse_boxscore_v3(client.fetch_boxscore(GAME, DAY.isoformat()), DAY)[1]) == FIRST


def test_a_correction_the_bundle_does_not_have_is_refused_with_what_it_has(replay):
    answer = requests.put(replay.root_url + "/_replay/faults", timeout=5,
                          json={"rules": [{"kind": "stat_correction", "game_ids": ["0022500165"]}]})
    assert answer.status_code == 400
    assert answer.json()["message"] == (
        "stat_correction names games ['0022500165'] without a bundled correction; the bundle corrects "
        "['0022500788'] (data/stat_corrections_2025_26.parquet)")
