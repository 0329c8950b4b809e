"""Phase 2: team and player box-score tables, parsed once from the stored raw JSON of each final game."""


import dagster as dg
import pandas as pd

from nba_backfill.assets.automation import cascade_condition
from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.assets.common import SINGLE_RUN, WAREHOUSE_IO, table_in
from nba_backfill.calendar import daily_partitions
from nba_backfill.logic.boxscore_v3 import parse_boxscore_v3
from nba_backfill.logic.schedule import boxscore_object_name, final_in_scope_games
from nba_backfill.resources.storage import ObjectStore
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE


def _out(table) -> dg.AssetOut:
    return dg.AssetOut(key=asset_key_for(table), io_manager_key=WAREHOUSE_IO, description=table.grain,
                       kinds={"duckdb", "pandas"}, automation_condition=cascade_condition())


@dg.multi_asset(
    outs={"nbac_team_boxscore": _out(NBAC_TEAM_BOXSCORE), "nbac_player_boxscore": _out(NBAC_PLAYER_BOXSCORE)},
    ins={"nbac_schedule": table_in(NBAC_SCHEDULE)},
    deps=[BOXSCORE_FILES_KEY],
    partitions_def=daily_partitions,
    backfill_policy=SINGLE_RUN,
    group_name="raw",
)
def nbac_boxscores(
    context: dg.AssetExecutionContext, nbac_schedule: pd.DataFrame, object_store: ObjectStore
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse every final in-scope game's stored box score into team rows (2 per game) and player rows.

    Returns:
        (``nba_raw.nbac_team_boxscore`` rows, ``nba_raw.nbac_player_boxscore`` rows) for the run's dates.

    Raises:
        dg.Failure: a final game has no stored raw file (its files partition failed or never ran); names
            the game and date and says to materialize ``nba_raw/nbac_boxscore_files`` for it first.
        EmptyStatsError, MalformedResponseError: a stored file is unusable (from the parser).
    """
    due = final_in_scope_games(nbac_schedule)
    missing = [g for g in due.itertuples() if not object_store.exists(boxscore_object_name(g.game_date, g.game_id))]
    if missing:
        listed = ", ".join(f"{g.game_id} ({g.game_date})" for g in missing[:10])
        raise dg.Failure(
            description=f"{len(missing)} final games have no raw box score file: {listed}. Materialize "
            "nba_raw/nbac_boxscore_files for these dates first; nothing was written.",
            metadata={"missing_games": dg.MetadataValue.json([g.game_id for g in missing])},
        )
    teams, players = [], []
    for game in due.itertuples():
        team_rows, player_rows = parse_boxscore_v3(
            object_store.get_json(boxscore_object_name(game.game_date, game.game_id)), game.game_date
        )
        teams.append(team_rows)
        players.append(player_rows)
    team_df = pd.concat(teams, ignore_index=True) if teams else NBAC_TEAM_BOXSCORE.empty_frame()
    player_df = pd.concat(players, ignore_index=True) if players else NBAC_PLAYER_BOXSCORE.empty_frame()
    context.add_output_metadata({"final_games": len(due), "expected_rows": 2 * len(due)},
                                output_name="nbac_team_boxscore")
    context.add_output_metadata({"final_games": len(due), "dnp_rows": int(player_df["is_dnp"].sum())},
                                output_name="nbac_player_boxscore")
    return team_df, player_df
