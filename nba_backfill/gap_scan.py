"""What the gap sensor sees: per game date, what the schedule owes vs what landed in the raw tables.

Reads the warehouse (counts per date, one query each) and the Dagster instance (materialized partitions),
then classifies with :func:`nba_backfill.logic.gaps.classify_gap_days`. Only dates whose schedule partition
is materialized are judged: without a schedule nothing is owed yet.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import pandas as pd

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.logic.gaps import classify_gap_days
from nba_backfill.partitions import TIMEZONE, date_range
from nba_backfill.resources.duckdb_warehouse import DuckDBWarehouse
from nba_backfill.schemas import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE

RAW_KEYS = (BOXSCORE_FILES_KEY, asset_key_for(NBAC_TEAM_BOXSCORE), asset_key_for(NBAC_PLAYER_BOXSCORE))

_COUNTS_SQL = """
WITH owed AS (
    SELECT game_date, count(*) FILTER (WHERE in_scope AND game_status = 3) AS final_games
    FROM nba_raw.nbac_schedule WHERE game_date BETWEEN ? AND ? GROUP BY 1
), teams AS (
    SELECT game_date, count(*) AS team_rows FROM nba_raw.nbac_team_boxscore WHERE game_date BETWEEN ? AND ? GROUP BY 1
), players AS (
    SELECT game_date, count(DISTINCT game_id) AS player_games FROM nba_raw.nbac_player_boxscore
    WHERE game_date BETWEEN ? AND ? GROUP BY 1
)
SELECT o.game_date::VARCHAR AS game_date, o.final_games, coalesce(t.team_rows, 0) AS team_rows,
       coalesce(p.player_games, 0) AS player_games
FROM owed o LEFT JOIN teams t USING (game_date) LEFT JOIN players p USING (game_date)
"""


def today_eastern() -> dt.date:
    """Today's NBA game date (the Eastern date)."""
    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


def per_day_counts(warehouse: DuckDBWarehouse, instance: dg.DagsterInstance, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per schedule-materialized date in ``start … end``: final_games, team_rows, player_games,
    raw_materialized (files, team and player partitions all materialized)."""
    scheduled = instance.get_materialized_partitions(asset_key_for(NBAC_SCHEDULE))
    dates = [d for d in date_range(start, end) if d in scheduled]
    columns = ["game_date", "final_games", "team_rows", "player_games", "raw_materialized"]
    if not dates:
        return pd.DataFrame(columns=columns)
    raw_done = set(dates)
    for key in RAW_KEYS:
        raw_done &= instance.get_materialized_partitions(key)
    with warehouse.connect() as con:
        for table in (NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE, NBAC_PLAYER_BOXSCORE):
            warehouse.ensure_table(con, table)
        counts = con.execute(_COUNTS_SQL, [dates[0], dates[-1]] * 3).df()
    frame = pd.DataFrame({"game_date": dates}).merge(counts, on="game_date", how="left").fillna(0)
    for col in ("final_games", "team_rows", "player_games"):
        frame[col] = frame[col].astype(int)
    frame["raw_materialized"] = frame["game_date"].isin(raw_done)
    return frame[columns]


def scan_gaps(warehouse: DuckDBWarehouse, instance: dg.DagsterInstance, season_start: str, season_end: str,
              today: dt.date | None = None) -> pd.DataFrame:
    """Gap days of the watched season up to today: game_date, final_games, team_rows, player_games, reason.

    Raises:
        WarehouseBusyError: the warehouse stayed locked by a writing run.
    """
    end = min(dt.date.fromisoformat(season_end), today or today_eastern())
    return classify_gap_days(per_day_counts(warehouse, instance, dt.date.fromisoformat(season_start), end))
