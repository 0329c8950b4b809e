"""Parse stats.nba.com ``playerindex`` JSON into ``nba_raw.nbac_player_list`` rows: the rosters of one date (pure).

The wire format is the stats v2 envelope: ``resultSets`` holds a set named ``PlayerIndex`` whose ``headers`` name
the columns of every ``rowSet`` row (PERSON_ID, PLAYER_LAST_NAME, PLAYER_FIRST_NAME, …, TEAM_ID, …,
TEAM_ABBREVIATION, …, ROSTER_STATUS, …; nba_api's endpoint analysis lists the 26). Columns are looked up by header
name, never by position. Only players on a roster are kept: ``ROSTER_STATUS`` 1 and a non-zero ``TEAM_ID``
(the endpoint also lists unsigned players with team 0). The validator is shared with the HTTP client, so an
unusable answer fails at fetch time with the message the parser would give.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from nba_backfill.errors import EmptyStatsError, MalformedResponseError
from nba_backfill.schemas.raw import NBAC_PLAYER_LIST

PLAYER_INDEX_ENDPOINT = "playerindex"
# The date a roster is asked for. stats.nba.com's playerindex has no date parameter (it serves today's rosters) and
# has no use for this header (assumed ignored; not verified live); the replay serves the roster of this date.
AS_OF_HEADER = "x-nba-backfill-as-of"
RESULT_SET = "PlayerIndex"
REQUIRED_HEADERS = ("PERSON_ID", "PLAYER_FIRST_NAME", "PLAYER_LAST_NAME", "TEAM_ID", "TEAM_ABBREVIATION",
                    "ROSTER_STATUS")


def _malformed(day: str, detail: str) -> MalformedResponseError:
    return MalformedResponseError(
        f"stats.nba.com {PLAYER_INDEX_ENDPOINT} response for {day} is malformed: {detail}; the wire format may have "
        "changed: check the endpoint and update logic/player_index.py", endpoint=PLAYER_INDEX_ENDPOINT, game_date=day)


def validate_player_index(payload: Any, game_date: dt.date | str) -> dict:
    """Check a ``playerindex`` answer has a ``PlayerIndex`` result set with the needed headers and some players.

    Args:
        payload: the decoded JSON body.
        game_date: the date the roster is asked for (``YYYY-MM-DD``), used in messages.

    Returns:
        The ``PlayerIndex`` result set (``name``, ``headers``, ``rowSet``).

    Raises:
        MalformedResponseError: no such result set, a needed header missing, or rows of the wrong width.
        EmptyStatsError: HTTP 200 with no player on any roster (an empty roster never means "nobody plays").
    """
    day = game_date.isoformat() if isinstance(game_date, dt.date) else str(game_date)
    sets = payload.get("resultSets") if isinstance(payload, dict) else None
    found = [s for s in sets if isinstance(s, dict) and s.get("name") == RESULT_SET] if isinstance(sets, list) else []
    if not found:
        raise _malformed(day, f"no '{RESULT_SET}' result set")
    result = found[0]
    headers, rows = result.get("headers"), result.get("rowSet")
    if not isinstance(headers, list) or not isinstance(rows, list):
        raise _malformed(day, "the result set lacks a headers or rowSet list")
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    if missing:
        raise _malformed(day, f"headers {missing} are missing")
    if any(not isinstance(r, list) or len(r) != len(headers) for r in rows):
        raise _malformed(day, f"a row does not have the {len(headers)} columns its headers name")
    index = {h: i for i, h in enumerate(headers)}
    if not any(r[index["ROSTER_STATUS"]] and r[index["TEAM_ID"]] for r in rows):
        raise EmptyStatsError(
            f"stats.nba.com {PLAYER_INDEX_ENDPOINT} answered HTTP 200 with no player on a roster for {day}; the "
            "source is degraded: retry later (materialize nba_raw/nbac_player_list for the date again)",
            endpoint=PLAYER_INDEX_ENDPOINT, game_date=day)
    return result


def parse_player_index(payload: dict, game_date: dt.date, season: str) -> pd.DataFrame:
    """The ``nbac_player_list`` rows of one date: one row per player on a roster, with his team.

    Args:
        payload: decoded JSON of ``/stats/playerindex?LeagueID=00&Season=…&Historical=0``.
        game_date: the date the roster is of (the partition).
        season: the season asked for, e.g. ``2025-26``.

    Returns:
        Exactly ``NBAC_PLAYER_LIST.column_names``; players with ``ROSTER_STATUS`` other than 1 or ``TEAM_ID`` 0
        are dropped (not on a roster). Duplicates are kept: the raw check reports them.

    Raises:
        MalformedResponseError: see :func:`validate_player_index`, or a value of the wrong type.
        EmptyStatsError: no player on a roster.
    """
    result = validate_player_index(payload, game_date)
    index = {h: i for i, h in enumerate(result["headers"])}
    rows = []
    try:
        for r in result["rowSet"]:
            status = r[index["ROSTER_STATUS"]]
            team_id = int(r[index["TEAM_ID"]] or 0)
            if not status or int(float(status)) != 1 or not team_id:
                continue
            name = f"{r[index['PLAYER_FIRST_NAME']] or ''} {r[index['PLAYER_LAST_NAME']] or ''}".strip()
            rows.append({"game_date": game_date, "season": season, "player_id": int(r[index["PERSON_ID"]]),
                         "player_name": name, "team_id": team_id, "team_abbr": str(r[index["TEAM_ABBREVIATION"]]),
                         "roster_status": 1})
    except (TypeError, ValueError) as exc:
        raise _malformed(game_date.isoformat(), f"{type(exc).__name__}: {exc}") from exc
    return NBAC_PLAYER_LIST.conform(pd.DataFrame(rows, columns=NBAC_PLAYER_LIST.column_names))
