"""Real 2025-26 deadline moves through the pipeline (the demo's warehouse: rosters from the replay's playerindex,
phases 4–5 repaired by the gap backfill): after a trade, the first game for the new team is predicted for the new
team and no row predicts a game of the team he left.

The moves are read off the bundled player log and schedule (the same literals as the logic test,
``logic/test_composite_factors.py::DEADLINE_MOVES``): the player's old team, the day after his last game for it,
and his first game for the new team (date, game id, team, opponent).
"""

from __future__ import annotations

import datetime as dt

from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill_tests.logic.test_composite_factors import DEADLINE_MOVES


def test_deadline_moves_are_predicted_for_the_new_team_and_never_for_the_old(demo_run):
    warehouse = DuckDBWarehouse(path=str(demo_run.settings.warehouse_path))
    ids = ", ".join(str(m[0]) for m in DEADLINE_MOVES)
    factors = warehouse.query(f"""SELECT game_date, game_id, player_id, team_abbr, opponent_team_abbr
        FROM nba_precompute.player_composite_factors WHERE player_id IN ({ids}) AND game_date >= '2026-01-31'""")
    predictions = warehouse.query(f"""SELECT game_date, game_id, player_id, team_abbr, opponent_team_abbr,
        count(*) AS systems FROM nba_predictions.player_prop_predictions
        WHERE player_id IN ({ids}) AND game_date >= '2026-01-31' GROUP BY ALL""")
    rosters = warehouse.query(f"""SELECT game_date, player_id, team_abbr FROM nba_raw.nbac_player_list
        WHERE player_id IN ({ids}) AND game_date BETWEEN '2026-01-31' AND '2026-02-12'""")
    for frame in (factors, predictions, rosters):
        frame["game_date"] = frame["game_date"].dt.date
    for player_id, name, old, gone_from, first_day, game_id, team, opponent in DEADLINE_MOVES:
        for rows, what in ((factors, "factors"), (predictions, "predictions")):
            mine = rows[rows["player_id"] == player_id]
            first = mine[mine["game_date"] == first_day]
            assert len(first) == 1, (name, what)
            assert tuple(first.iloc[0][["game_id", "team_abbr", "opponent_team_abbr"]]) == (
                game_id, team, opponent), (name, what)
            after = mine[mine["game_date"] >= gone_from]
            assert not (after["team_abbr"] == old).any(), (name, what, after)
            assert len(after) >= 2  # he is predicted on every later night his new team plays (through 02-12)
        assert int(predictions.loc[(predictions["player_id"] == player_id)
                                   & (predictions["game_date"] == first_day), "systems"].iloc[0]) == 7
        # The rosters stored for each date say the same (the partition of every date 01-31 … 02-12 is there).
        mine = rosters[rosters["player_id"] == player_id]
        assert len(mine) == 13 and set(mine.loc[mine["game_date"] >= gone_from, "team_abbr"]) == {team}, name
    assert dt.date(2026, 2, 4) in set(factors["game_date"])
