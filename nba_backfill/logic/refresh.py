"""Stat corrections, pure pandas: does a re-fetched box score say something else than the stored one?

The league corrects box scores days after a game (2025-26: 0022500788, a made 2 and a rebound moved between two
SAS players). A box score's **content hash** is the SHA-256 of the rows the raw tables would hold for it
(:func:`~nba_backfill.logic.boxscore_v3.parse_boxscore_v3`: every team and player line, names and DNP flags
included), not of the JSON text: ``meta.time``, key order and number formatting change on every answer and mean
nothing. Equal hashes = the tables would not change; a date is re-materialized only when one of its games' hashes
differs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from nba_backfill.logic.boxscore_v3 import parse_boxscore_v3

STATS = ("minutes", "pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk",
         "tov", "pf", "plus_minus")


def _canonical(frame: pd.DataFrame, keys: list[str]) -> list[dict]:
    """Rows sorted by ``keys`` with missing values as None (NaN and pd.NA must hash alike on both sides)."""
    rows = frame.sort_values(keys).astype(object)
    return rows.where(rows.notna(), None).to_dict("records")


def boxscore_content_hash(payload: dict, game_date: dt.date, game_id: str | None = None) -> str:
    """SHA-256 (hex) of the team and player rows one ``boxscoretraditionalv3`` answer parses into.

    Args:
        payload: the decoded JSON (stored raw object or a fresh answer).
        game_date: the game's Eastern date (part of every row).
        game_id: expected game id (checked by the parser).

    Raises:
        EmptyStatsError, MalformedResponseError: the payload does not parse (as for phase 2).
    """
    teams, players = parse_boxscore_v3(payload, game_date, game_id)
    body = {"teams": _canonical(teams, ["team_id"]), "players": _canonical(players, ["team_id", "player_id"])}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def changed_lines(stored: dict, fetched: dict, game_date: dt.date) -> list[str]:
    """What a correction changed, one item per player or team line: ``SAS Harrison Barnes pts 10→8, reb 5→4``.

    Lines present on one side only are named as added or removed. Counting stats only (:data:`STATS`).
    """
    out = []
    for old, new in zip(parse_boxscore_v3(stored, game_date), parse_boxscore_v3(fetched, game_date)):
        key = ["team_id", "player_id"] if "player_id" in old.columns else ["team_id"]
        merged = old.merge(new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
        for row in merged.to_dict("records"):
            who = f"{row.get('team_abbr_old') or row.get('team_abbr_new')}" + (
                f" {row.get('player_name_old') or row.get('player_name_new')}" if "player_id" in key else " team")
            if row["_merge"] != "both":
                out.append(f"{who} {'removed' if row['_merge'] == 'left_only' else 'added'}")
                continue
            diffs = [f"{c} {_num(row[f'{c}_old'])}→{_num(row[f'{c}_new'])}" for c in STATS
                     if not _same(row[f"{c}_old"], row[f"{c}_new"])]
            if diffs:
                out.append(f"{who} {', '.join(diffs)}")
    return out


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def _num(value) -> str:
    return "NULL" if pd.isna(value) else f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class GameCheck:
    """One final game of the refresh window: ``outcome`` is ``unchanged``, ``changed``, ``fetch_failed`` (the
    source did not serve a usable box score now) or ``not_stored`` (no raw object yet: the gap sensor's job).
    ``detail``: the changed lines, or the error.
    """

    game_id: str
    game_date: str
    outcome: str
    detail: str = ""


def dates_to_refresh(checks: Iterable[GameCheck]) -> tuple[list[str], list[str]]:
    """(dates to re-materialize, dates deferred): a date with a changed game is re-materialized only when every
    one of its stored games was re-fetched; otherwise the run would fail on the game the source cannot serve
    now, so the date waits for the next tick.
    """
    by_date: dict[str, set[str]] = {}
    for check in checks:
        by_date.setdefault(check.game_date, set()).add(check.outcome)
    changed = sorted(d for d, seen in by_date.items() if "changed" in seen)
    deferred = [d for d in changed if "fetch_failed" in by_date[d]]
    return [d for d in changed if d not in deferred], deferred


def resume_order(games: list[tuple[str, str]], resume_after: list[str] | None) -> list[tuple[str, str]]:
    """``games`` ((date, game id), sorted) starting after ``resume_after``, where the previous tick ran out of time,
    wrapping around: the games left unchecked come first. None or empty: from the start.
    """
    if not resume_after:
        return list(games)
    cut = sum(1 for g in games if g <= tuple(resume_after))
    return [*games[cut:], *games[:cut]]
