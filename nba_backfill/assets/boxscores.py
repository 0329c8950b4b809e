"""Phase 2: team and player box-score tables, parsed once from the stored raw JSON of each final game."""


from collections.abc import Iterator

import dagster as dg
import pandas as pd

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.assets.common import PHASE2, checked_asset_kwargs, selected_tables, table_in
from nba_backfill.assets.day_metadata import add_day_metadata, games, slate_preview, split_by_day
from nba_backfill.checks.evaluation import specs
from nba_backfill.checks.raw import BOX_CHECKS, evaluate_boxscores
from nba_backfill.logic.boxscore_v3 import parse_boxscores_v3
from nba_backfill.logic.schedule import boxscore_object_name, final_in_scope_games
from nba_backfill.resources.storage import ObjectStore, Warehouse
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE


@dg.multi_asset(**checked_asset_kwargs([NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE], PHASE2, specs(BOX_CHECKS),
                                        ins={"nbac_schedule": table_in(NBAC_SCHEDULE)}), deps=[BOXSCORE_FILES_KEY])
def nbac_boxscores(
    context: dg.AssetExecutionContext, nbac_schedule: pd.DataFrame, object_store: ObjectStore, warehouse: Warehouse
) -> Iterator:
    """Parse every final in-scope game's stored box score into team rows (2 per game) and player rows.

    Yields:
        ``nba_raw.nbac_team_boxscore`` rows and ``nba_raw.nbac_player_boxscore`` rows for the run's dates, then
        the box-score checks' results per date (``checks/raw.py``).

    Raises:
        dg.Failure: a final game has no stored raw file (its files partition failed or never ran); names
            the game and date and says to materialize ``nba_raw/nbac_boxscore_files`` for it first.
        EmptyStatsError, MalformedResponseError: a stored file is unusable (from the parser).
    """
    tables = selected_tables(context, [NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE])
    if not tables:  # the checks alone
        yield from evaluate_boxscores(context, warehouse)
        return
    due = final_in_scope_games(nbac_schedule)
    missing = [g for g in due.itertuples() if not object_store.exists(boxscore_object_name(g.game_date, g.game_id))]
    if missing:
        listed = ", ".join(f"{g.game_id} ({g.game_date})" for g in missing[:10])
        raise dg.Failure(
            description=f"{len(missing)} final games have no raw box score file: {listed}. Materialize "
            "nba_raw/nbac_boxscore_files for these dates first; nothing was written.",
            metadata={"missing_games": dg.MetadataValue.json([g.game_id for g in missing])},
        )
    # One pass over the range: rows per game, one conform per table (396 conform calls → 2 for the 198-game repair).
    team_df, player_df = parse_boxscores_v3(
        (object_store.get_json(boxscore_object_name(g.game_date, g.game_id)), g.game_date) for g in due.itertuples())
    schedule_by_day, due_by_day = split_by_day(nbac_schedule), split_by_day(due)
    none = nbac_schedule.iloc[0:0]
    per_day = {
        NBAC_TEAM_BOXSCORE: lambda day, rows: {
            "final_games": games(due_by_day.get(day, none)), "games_found": games(rows),
            "expected_rows": 2 * games(due_by_day.get(day, none)),
            "slate": slate_preview(schedule_by_day.get(day, none), set(rows["game_id"].astype(str)))},
        NBAC_PLAYER_BOXSCORE: lambda day, rows: {
            "final_games": games(due_by_day.get(day, none)), "games_found": games(rows),
            "dnp_rows": int(rows["is_dnp"].astype(bool).sum()) if len(rows) else 0},
    }
    frames = {NBAC_TEAM_BOXSCORE: team_df, NBAC_PLAYER_BOXSCORE: player_df}
    for table in tables:  # a subset (e.g. the UI's "Materialize" of one table with its upstream) yields only it
        add_day_metadata(context, frames[table], per_day[table], asset_key=asset_key_for(table))
        yield dg.Output(frames[table], output_name=table.name)
    yield from evaluate_boxscores(context, warehouse)
