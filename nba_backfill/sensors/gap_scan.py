"""What the gap sensor sees: per game date, what the schedule owes vs what landed in the raw tables.

Reads the warehouse (counts per date through the storage port) and the Dagster instance (materialized partitions),
then classifies with :func:`nba_backfill.logic.gaps.classify_gap_days`. Only dates whose schedule partition
is materialized are judged: without a schedule nothing is owed yet.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pandas as pd

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.calendar import daily_partitions, date_range, today_eastern
from nba_backfill.checks.raw import PLAYER_BOX, TEAM_BOX
from nba_backfill.dagster_private import recorded_check_results
from nba_backfill.logic.gaps import classify_gap_days
from nba_backfill.logic.schedule import final_in_scope_games, pending_games
from nba_backfill.resources.storage import Warehouse
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_PLAYER_LIST, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE
from nba_backfill.sensors.partition_status import materialized_days

RAW_KEYS = (BOXSCORE_FILES_KEY, asset_key_for(NBAC_TEAM_BOXSCORE), asset_key_for(NBAC_PLAYER_BOXSCORE))
# The rosters of a date (phase 4 reads them): a day without them is a gap of its own, repaired by reading them.
ROSTER_KEY = asset_key_for(NBAC_PLAYER_LIST)
# The blocking raw checks: a date whose latest result failed is a gap even with full counts.
RAW_CHECK_KEYS = (TEAM_BOX.key, PLAYER_BOX.key)


def pending_dates(warehouse: Warehouse, dates: list[str]) -> list[str]:
    """The ``dates`` (ISO) whose stored schedule holds an in-scope game not final yet (``logic.schedule``): a
    re-scrape of them must read their schedule again, or the day stays PENDING after it. Empty without a warehouse.
    """
    if not dates or not warehouse.is_initialized():
        return []
    schedule = warehouse.read_slices(NBAC_SCHEDULE, [dt.date.fromisoformat(d) for d in dates])
    return sorted({pd.Timestamp(d).date().isoformat() for d in pending_games(schedule)["game_date"]})


def per_day_counts(warehouse: Warehouse, instance: dg.DagsterInstance, start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per schedule-materialized date in ``start … end``: final_games, team_rows, player_games,
    raw_materialized (files, team and player partitions all materialized), pending_games (in-scope games not
    final and not postponed), failed_checks (blocking raw checks whose latest result failed) and
    roster_materialized (the date's rosters partition is materialized).
    """
    watched = date_range(start, end)
    scheduled = materialized_days(instance, asset_key_for(NBAC_SCHEDULE), watched)
    dates = [d for d in watched if d in scheduled]
    columns = ["game_date", "final_games", "team_rows", "player_games", "raw_materialized", "pending_games",
               "failed_checks", "roster_materialized"]
    if not dates:
        return pd.DataFrame(columns=columns)
    raw_done = set(dates)
    for key in RAW_KEYS:
        raw_done &= materialized_days(instance, key, dates)
    days = [dt.date.fromisoformat(d) for d in dates]
    # One read of the (small) schedule, judged by the same rules as the raw assets (logic/schedule.py).
    schedule = warehouse.read_slices(NBAC_SCHEDULE, days)
    finals = final_in_scope_games(schedule).groupby("game_date").size().to_dict()
    pending = pending_games(schedule).groupby("game_date").size().to_dict()
    teams = warehouse.count_by_date(NBAC_TEAM_BOXSCORE, days)
    player_games = warehouse.count_by_date(NBAC_PLAYER_BOXSCORE, days, distinct="game_id")
    failed: dict[str, list[str]] = {}
    for record in recorded_check_results(instance, RAW_CHECK_KEYS, dates):
        if record.status == "FAILED":
            failed.setdefault(record.partition, []).append(
                f"{record.key.asset_key.to_user_string()}:{record.key.name}")
    frame = pd.DataFrame({
        "game_date": dates,
        "final_games": [finals.get(d, 0) for d in days],
        "team_rows": [teams.get(d, 0) for d in days],
        "player_games": [player_games.get(d, 0) for d in days],
        "pending_games": [pending.get(d, 0) for d in days],
        "failed_checks": [", ".join(failed.get(d.isoformat(), [])) for d in days],
    })
    frame["raw_materialized"] = frame["game_date"].isin(raw_done)
    frame["roster_materialized"] = frame["game_date"].isin(materialized_days(instance, ROSTER_KEY, dates))
    return frame[columns]


def scan_gaps(warehouse: Warehouse, instance: dg.DagsterInstance, season_start: str, season_end: str,
              today: dt.date | None = None) -> pd.DataFrame:
    """Gap and pending days of the watched dates up to today: game_date, final_games, team_rows, player_games,
    pending_games, reason and kind (``gap`` or ``pending``).

    Only partitions are watched (the off-season is not a partition, hence never a gap); an empty
    ``season_start`` / ``season_end`` means the first / last partition of the configured seasons.

    Raises:
        WarehouseBusyError: the warehouse stayed locked by a writing run.
    """
    first, end = watched_span(season_start, season_end, today)
    return classify_gap_days(per_day_counts(warehouse, instance, first, end))


def watched_span(season_start: str, season_end: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last watched date: ``season_start`` … ``min(season_end, today)``, an empty bound meaning the
    first / last partition of the configured seasons (the gap and refresh sensors watch the same dates).
    """
    first = dt.date.fromisoformat(season_start or daily_partitions.get_first_partition_key())
    last = dt.date.fromisoformat(season_end or daily_partitions.get_last_partition_key())
    return first, min(last, today or today_eastern())
