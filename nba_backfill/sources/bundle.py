"""Cached, validated loaders of the real data bundled in ``nba_backfill/data`` (built by ``scripts/build_bundle.py``).

Each loader returns a fresh copy of one Parquet file with ``game_id`` as a 10-character string and
``game_date`` as ``datetime.date`` (the Eastern game date). Files are read once per process and data
directory; a missing or malformed file raises :class:`~nba_backfill.errors.BundledDataError`.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from pathlib import Path

import pandas as pd

from nba_backfill.errors import BundledDataError

BOX_COLUMNS = ("minutes", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk",
               "tov", "pf", "pts", "plus_minus")

# Columns each file must carry, as written by scripts/build_bundle.py.
REQUIRED_COLUMNS = {
    "schedule_2025_26.parquet": ("game_id", "game_date", "stage", "home_team_id", "home_abbr", "away_team_id",
                                 "away_abbr", "home_pts", "away_pts", "status", "season"),
    "team_box_2025_26.parquet": ("game_id", "game_date", "team_id", "team_abbr", "team_name", *BOX_COLUMNS),
    "player_box_2025_26.parquet": ("game_id", "game_date", "team_id", "team_abbr", "player_id", "player_name",
                                   *BOX_COLUMNS),
    "props_player_points_2025_26.parquet": ("game_id", "game_date", "event_id", "player_id", "player_name",
                                            "bookmaker", "points_line", "over_odds", "under_odds", "game_time",
                                            "snapshot_file"),
    "player_box_2024_25.parquet": ("game_id", "game_date", "team_id", "team_abbr", "opponent_abbr", "is_home",
                                   "player_id", "player_name", *BOX_COLUMNS),
    "schedule_2024_25.parquet": ("game_id", "game_date", "stage", "home_team_id", "home_abbr", "away_team_id",
                                 "away_abbr", "home_pts", "away_pts", "status", "season"),
    "team_box_2024_25.parquet": ("game_id", "game_date", "team_id", "team_abbr", "team_name", "is_home",
                                 *BOX_COLUMNS),
    "stat_corrections_2025_26.parquet": ("game_id", "game_date", "team_id", "team_abbr", "player_id",
                                         "player_name", *BOX_COLUMNS),
}

# Per season: (schedule, team lines, player lines) files, all in the 2025-26 columns (2024-25 adds is_home, …).
SEASON_FILES = {
    "2024-25": ("schedule_2024_25.parquet", "team_box_2024_25.parquet", "player_box_2024_25.parquet"),
    "2025-26": ("schedule_2025_26.parquet", "team_box_2025_26.parquet", "player_box_2025_26.parquet"),
}

FIX_HINT = "reinstall nba_backfill or restore the files with `git checkout nba_backfill/data`"


def default_data_dir() -> Path:
    """The package's own ``nba_backfill/data`` folder (works from a source tree and an installed wheel)."""
    return Path(str(resources.files("nba_backfill") / "data"))


@functools.lru_cache(maxsize=16)
def _read(name: str, data_dir: str) -> pd.DataFrame:
    path = Path(data_dir) / name
    if not path.is_file():
        raise BundledDataError(f"bundled data file {path} is missing; {FIX_HINT}")
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a damaged file
        raise BundledDataError(
            f"bundled data file {path} is not readable Parquet ({type(exc).__name__}: {exc}); {FIX_HINT}"
        ) from exc
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in df.columns]
    if missing or df.empty:
        what = f"lacks columns {missing}" if missing else "has no rows"
        raise BundledDataError(f"bundled data file {path} {what}; {FIX_HINT}")
    try:
        df["game_id"] = df["game_id"].astype(str)
        # Parquet keeps dates as date32 (-> datetime.date); accept a timestamp column too.
        if not isinstance(df["game_date"].iloc[0], dt.date) or isinstance(df["game_date"].iloc[0], dt.datetime):
            df["game_date"] = pd.to_datetime(df["game_date"]).dt.date
    except (TypeError, ValueError) as exc:
        raise BundledDataError(
            f"bundled data file {path} has unusable game_id/game_date ({exc}); {FIX_HINT}") from exc
    bad_ids = df.loc[~df["game_id"].str.fullmatch(r"\d{10}"), "game_id"]
    if len(bad_ids):
        raise BundledDataError(f"bundled data file {path} has game ids that are not 10 digits, e.g. "
                               f"{bad_ids.iloc[0]!r} (leading zeros lost?); {FIX_HINT}")
    return df


def _load(name: str, data_dir: Path | str | None) -> pd.DataFrame:
    # Callers get a copy so that one caller's mutation never leaks into the shared cache.
    return _read(name, str(data_dir or default_data_dir())).copy()


def load_schedule(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The 2025-26 schedule: one row per game of every stage (1,400 games, all final).

    Columns: game_id, game_date, stage (e.g. ``Regular Season``), home_team_id, home_abbr, away_team_id,
    away_abbr, home_pts, away_pts, status (3 = final), season (``2025-26``). Source: NBA.com schedule CSV
    (``schedule_2025-26.csv``, see PROVENANCE).

    Args:
        data_dir: folder holding the Parquet files; default the package's ``nba_backfill/data``.

    Raises:
        BundledDataError: the file is missing, unreadable or lacks a column; the message names the file.
    """
    return _load("schedule_2025_26.parquet", data_dir)


def load_team_box(data_dir: Path | str | None = None) -> pd.DataFrame:
    """2025-26 regular-season team box lines: one row per team per game (2 per game, 1,230 games).

    Columns: game_id, game_date, team_id, team_abbr, team_name (``Toronto Raptors``), minutes (integer team
    minutes: 240, 265, ...), fgm … pts, plus_minus (integers). ``tov`` includes team turnovers, unlike
    boxscoretraditionalv3 (PROVENANCE caveat 1). Source: stats.nba.com ``leaguegamelog``.

    Raises:
        BundledDataError: the file is missing, unreadable or lacks a column.
    """
    return _load("team_box_2025_26.parquet", data_dir)


def load_player_box(data_dir: Path | str | None = None) -> pd.DataFrame:
    """2025-26 player box lines through 2026-02-12: one row per player who appeared in a game (no DNPs).

    Columns: game_id, game_date, team_id, team_abbr, player_id, player_name, minutes (integer, rounded),
    fgm … pts, plus_minus (integers). No starter flag. Source: stats.nba.com player game logs.

    Raises:
        BundledDataError: the file is missing, unreadable or lacks a column.
    """
    return _load("player_box_2025_26.parquet", data_dir)


def load_props(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Player points prop lines 2025-10-21 → 2025-12-06: one row per player × game × book × line.

    Columns: game_id, game_date, event_id, player_id, player_name (as the book spells it), bookmaker,
    points_line, over_odds, under_odds (American), game_time (tip time, UTC ISO string), snapshot_file.
    Source: The Odds API daily snapshots (PROVENANCE section E).

    Raises:
        BundledDataError: the file is missing, unreadable or lacks a column.
    """
    return _load("props_player_points_2025_26.parquet", data_dir)


def load_player_box_2024_25(data_dir: Path | str | None = None) -> pd.DataFrame:
    """2024-25 player box lines through 2025-04-01: one row per player who appeared in a game.

    Columns: game_id, game_date, team_id, team_abbr, opponent_abbr, is_home (from MATCHUP), player_id,
    player_name (from the 2025-26 named log; "" for the ~10% of rows whose player did not play in 2025-26),
    minutes, fgm … pts, plus_minus. Source: stats.nba.com player game logs.

    Raises:
        BundledDataError: the file is missing, unreadable or lacks a column.
    """
    return _load("player_box_2024_25.parquet", data_dir)


def load_team_box_2024_25(data_dir: Path | str | None = None) -> pd.DataFrame:
    """2024-25 regular-season team box lines: one row per team per game (1,230 games through 2025-04-13).

    Columns: game_id, game_date, team_id, team_abbr, team_name, is_home (from MATCHUP; in the five neutral-site
    games the lower team id is labelled home), minutes (240, 265, 290), fgm … pts, plus_minus. ``tov`` includes
    team turnovers (leaguegamelog, PROVENANCE caveat 1). Source: stats.nba.com ``leaguegamelog``.

    Raises:
        BundledDataError: the file is missing, unreadable or lacks a column.
    """
    return _load("team_box_2024_25.parquet", data_dir)


def load_stat_corrections(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The league's later stat corrections: one row per corrected player line, in the player-box columns.

    2025-26 has one: game 0022500788 (SAS @ GSW, 2026-02-11), Harrison Barnes 10 → 8 points and Stephon Castle
    8 → 10 (a made 2 and an offensive rebound change hands; the team line stands). The player-box file keeps the
    lines as first published; the replay serves these instead when asked (fault kind ``stat_correction``).
    Source and what is derived: PROVENANCE.

    Raises:
        BundledDataError: the file is missing, unreadable or lacks a column.
    """
    return _load("stat_corrections_2025_26.parquet", data_dir)


def load_season_schedule(season: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """One season's schedule in the :func:`load_schedule` columns (2024-25: derived from leaguegamelog, final
    regular-season games only; see PROVENANCE).

    Raises:
        BundledDataError: unknown season, or a file is missing or malformed.
    """
    return _load(_season_file(season, 0), data_dir)


def load_seasons(seasons: tuple[str, ...] | None = None,
                 data_dir: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(schedule, team lines, player lines) of several seasons (default every bundled one), concatenated.

    Raises:
        BundledDataError: unknown season, or a file is missing or malformed.
    """
    frames = [[_load(_season_file(s, i), data_dir) for s in (seasons or tuple(SEASON_FILES))] for i in range(3)]
    return tuple(pd.concat(parts, ignore_index=True) for parts in frames)


def _season_file(season: str, index: int) -> str:
    if season not in SEASON_FILES:
        raise BundledDataError(f"no bundled data for season {season!r}; bundled: {', '.join(SEASON_FILES)}")
    return SEASON_FILES[season][index]


def clear_cache() -> None:
    """Forget every file read so far (tests that swap files in place)."""
    _read.cache_clear()
