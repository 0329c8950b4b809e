"""Parse stats.nba.com ``boxscoretraditionalv3`` and ``scoreboardv3`` JSON into ``nba_raw`` rows (pure pandas).

The key structure is the real wire format (samples: ``boxscoretraditionalv3`` of game 0022500165 and
``scoreboardv3`` of 2025-11-05, see PROVENANCE). The validators are shared with the HTTP client so that an
unusable answer fails at fetch time with the same message the parser would give.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from nba_backfill.errors import EmptyStatsError, MalformedResponseError
from nba_backfill.schemas.raw import NBAC_PLAYER_BOXSCORE, NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE
from nba_backfill.settings import STAGES_BY_PREFIX

BOX_ENDPOINT = "boxscoretraditionalv3"
SCOREBOARD_ENDPOINT = "scoreboardv3"
FINAL = 3

# v3 ``statistics`` key -> nba_raw column (stats.nba.com names; schemas/raw.py BOX_STATS).
STAT_COLUMNS = {
    "fieldGoalsMade": "fgm", "fieldGoalsAttempted": "fga", "threePointersMade": "fg3m",
    "threePointersAttempted": "fg3a", "freeThrowsMade": "ftm", "freeThrowsAttempted": "fta",
    "reboundsOffensive": "oreb", "reboundsDefensive": "dreb", "reboundsTotal": "reb", "assists": "ast",
    "steals": "stl", "blocks": "blk", "turnovers": "tov", "foulsPersonal": "pf", "points": "pts",
    "plusMinusPoints": "plus_minus",
}
_ISO_MINUTES = re.compile(r"PT(\d+)M(\d+(?:\.\d+)?)S")


def parse_minutes(value: Any) -> float | None:
    """Decimal minutes from a v3 clock string: ``"30:49"`` -> 30.8167, ``"240:00"`` -> 240.0, ``""`` -> None.

    Also accepts the liveData form ``"PT30M49.00S"`` and plain numbers.

    Raises:
        ValueError: the value is not a minutes clock.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = value.strip()
    iso = _ISO_MINUTES.fullmatch(text)
    if iso:
        return int(iso.group(1)) + float(iso.group(2)) / 60
    minutes, _, seconds = text.partition(":")
    return int(minutes) + (float(seconds) / 60 if seconds else 0.0)


def _day(game_date: dt.date | str) -> str:
    return game_date.isoformat() if isinstance(game_date, dt.date) else str(game_date)


def _malformed(game_id: str | None, game_date: str, detail: str) -> MalformedResponseError:
    return MalformedResponseError(
        f"stats.nba.com {BOX_ENDPOINT} response for game {game_id} on {game_date} is malformed: {detail}; "
        "the wire format may have changed: inspect the stored raw JSON and update logic/boxscore_v3.py",
        endpoint=BOX_ENDPOINT, game_id=game_id, game_date=game_date)


def _has_statistics(team: dict) -> bool:
    """A team line counts only if it has players and some non-zero statistic (zeros = the empty-200 incident)."""
    stats = team.get("statistics") or {}
    counting = [stats.get(k) for k in STAT_COLUMNS if k != "plusMinusPoints"]
    return bool(team.get("players")) and any(v not in (None, 0, 0.0, "") for v in counting)


def validate_boxscore_v3(payload: Any, game_date: dt.date | str, game_id: str | None = None) -> dict:
    """Check a ``boxscoretraditionalv3`` answer of a final game carries both teams' statistics.

    Args:
        payload: the decoded JSON body.
        game_date: Eastern game date, used in messages.
        game_id: the requested game id; when given, the payload's ``gameId`` must equal it.

    Returns:
        The ``boxScoreTraditional`` object.

    Raises:
        MalformedResponseError: keys of the documented shape are missing, or the game id differs.
        EmptyStatsError: HTTP 200 without players or with all-zero statistics for one or both teams
            (the 2025-12-27 incident); the message names game, date, endpoint and what to do.
    """
    day = _day(game_date)
    box = payload.get("boxScoreTraditional") if isinstance(payload, dict) else None
    if not isinstance(box, dict):
        raise _malformed(game_id, day, "no 'boxScoreTraditional' object")
    found_id = box.get("gameId")
    if game_id is not None and found_id != game_id:
        raise _malformed(game_id, day, f"it is for game {found_id!r}")
    game_id = found_id or game_id
    for side in ("homeTeam", "awayTeam"):
        team = box.get(side)
        if not isinstance(team, dict) or "teamId" not in team or not isinstance(team.get("players", []), list):
            raise _malformed(game_id, day, f"'{side}' lacks teamId or a players list")
    empty = [box[s].get("teamTricode") or s for s in ("homeTeam", "awayTeam") if not _has_statistics(box[s])]
    if empty:
        scope = "no team or player statistics" if len(empty) == 2 else f"no statistics for {empty[0]} (one team only)"
        raise EmptyStatsError(
            f"stats.nba.com {BOX_ENDPOINT} answered HTTP 200 with {scope} for final game {game_id} on {day}; "
            "the source is degraded: retry later (backfill the partition) or check the endpoint",
            endpoint=BOX_ENDPOINT, game_id=game_id, game_date=day)
    return box


def _stats(stats: dict, played: bool) -> dict:
    if not played:  # a DNP has no line: NULL, never zeros that would drag averages down
        return {col: None for col in STAT_COLUMNS.values()}
    out = {col: stats[key] for key, col in STAT_COLUMNS.items() if col != "plus_minus"}
    out = {col: int(v) for col, v in out.items()}
    out["plus_minus"] = float(stats.get("plusMinusPoints") or 0.0)
    return out


def box_rows(payload: dict, game_date: dt.date, game_id: str | None = None) -> tuple[list[dict], list[dict]]:
    """The team and player rows of one final game's answer as dicts (see :func:`parse_boxscore_v3`)."""
    box = validate_boxscore_v3(payload, game_date, game_id)
    game_id, day = box["gameId"], _day(game_date)
    teams, players = [], []
    try:
        sides = {"homeTeam": box["homeTeam"], "awayTeam": box["awayTeam"]}
        if {box["homeTeamId"], box["awayTeamId"]} != {t["teamId"] for t in sides.values()}:
            raise _malformed(game_id, day, "homeTeamId/awayTeamId do not match the team objects")
        for side, team in sides.items():
            opponent = sides["awayTeam" if side == "homeTeam" else "homeTeam"]
            stats = team["statistics"]
            teams.append({
                "game_date": game_date, "game_id": game_id, "team_id": int(team["teamId"]),
                "team_abbr": team["teamTricode"], "team_name": f"{team['teamCity']} {team['teamName']}".strip(),
                "opponent_team_id": int(opponent["teamId"]), "opponent_team_abbr": opponent["teamTricode"],
                "is_home": team["teamId"] == box["homeTeamId"], "minutes": parse_minutes(stats["minutes"]),
                **_stats(stats, played=True),
            })
            for player in team["players"]:
                pstats = player["statistics"]
                minutes = parse_minutes(pstats.get("minutes"))
                players.append({
                    "game_date": game_date, "game_id": game_id, "team_id": int(team["teamId"]),
                    "team_abbr": team["teamTricode"], "player_id": int(player["personId"]),
                    "player_name": f"{player['firstName']} {player['familyName']}".strip(),
                    "position": player.get("position") or "", "comment": (player.get("comment") or "").strip(),
                    "is_dnp": minutes is None, "minutes": minutes, **_stats(pstats, played=minutes is not None),
                })
    except MalformedResponseError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise _malformed(game_id, day, f"{type(exc).__name__}: {exc}") from exc
    return teams, players


def parse_boxscores_v3(games: Iterable[tuple[dict, dt.date]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Team and player rows of many final games' ``boxscoretraditionalv3`` answers, in the order given.

    Args:
        games: (decoded JSON, Eastern game date) per game.

    Returns:
        (team rows, player rows) as :func:`parse_boxscore_v3` returns them for one game, concatenated: the rows
        are built per game and conformed to the table schemas once (conforming per game cost ~40 ms a game).

    Raises:
        EmptyStatsError, MalformedResponseError: as :func:`parse_boxscore_v3`, for the first bad game.
    """
    teams, players = [], []
    for payload, game_date in games:
        team_rows, player_rows = box_rows(payload, game_date)
        teams += team_rows
        players += player_rows
    return (NBAC_TEAM_BOXSCORE.conform(pd.DataFrame(teams, columns=NBAC_TEAM_BOXSCORE.column_names)),
            NBAC_PLAYER_BOXSCORE.conform(pd.DataFrame(players, columns=NBAC_PLAYER_BOXSCORE.column_names)))


def parse_boxscore_v3(
    payload: dict, game_date: dt.date, game_id: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Team and player rows of one final game's ``boxscoretraditionalv3`` answer.

    Args:
        payload: decoded JSON of ``/stats/boxscoretraditionalv3?GameID=...``.
        game_date: the game's Eastern date (the box score does not carry it).
        game_id: optional expected game id (checked against the payload).

    Returns:
        (team rows, player rows): exactly ``NBAC_TEAM_BOXSCORE.column_names`` (one row per team, 2) and
        ``NBAC_PLAYER_BOXSCORE.column_names`` (one row per listed player, DNPs kept with ``is_dnp`` and
        NULL minutes/stats). Minutes are decimal (``"30:49"`` -> 30.8167); team ``tov`` is as served
        (player-credited turnovers only, PROVENANCE caveat 1).

    Raises:
        EmptyStatsError: no players or all-zero statistics for a team.
        MalformedResponseError: a documented key is missing or a value has the wrong type.
    """
    teams, players = box_rows(payload, game_date, game_id)
    team_df = NBAC_TEAM_BOXSCORE.conform(pd.DataFrame(teams, columns=NBAC_TEAM_BOXSCORE.column_names))
    player_df = NBAC_PLAYER_BOXSCORE.conform(pd.DataFrame(players, columns=NBAC_PLAYER_BOXSCORE.column_names))
    return team_df, player_df


def season_of(game_id: str) -> str:
    """Season label from a game id: digits 4-5 are the starting year (``0022500165`` -> ``2025-26``)."""
    start = int(game_id[3:5])
    return f"20{start:02d}-{(start + 1) % 100:02d}"


def validate_scoreboard_v3(payload: Any, game_date: str | None = None) -> dict:
    """Check a ``scoreboardv3`` answer has a ``scoreboard.games`` list (possibly empty: a day without games).

    Args:
        payload: the decoded JSON body.
        game_date: the requested ``YYYY-MM-DD``; when given, ``scoreboard.gameDate`` must equal it.

    Returns:
        The ``scoreboard`` object.

    Raises:
        MalformedResponseError: the shape differs or the answer is for another date.
    """
    board = payload.get("scoreboard") if isinstance(payload, dict) else None
    day = game_date or (board or {}).get("gameDate") or "an unknown date"
    problem = None
    if not isinstance(board, dict) or not isinstance(board.get("games"), list):
        problem = "no 'scoreboard.games' list"
    elif not isinstance(board.get("gameDate"), str):
        problem = "no 'scoreboard.gameDate'"
    elif game_date is not None and board.get("gameDate") != game_date:
        problem = f"it is for date {board.get('gameDate')!r}"
    if problem:
        raise MalformedResponseError(
            f"stats.nba.com {SCOREBOARD_ENDPOINT} response for {day} is malformed: {problem}; the wire format may "
            "have changed: check the endpoint and update logic/boxscore_v3.py",
            endpoint=SCOREBOARD_ENDPOINT, game_date=day)
    return board


def parse_scoreboard_v3(payload: dict, stages: tuple[str, ...]) -> pd.DataFrame:
    """Schedule rows of one date's ``scoreboardv3`` answer (every stage, as the real scoreboard serves).

    Args:
        payload: decoded JSON of ``/stats/scoreboardv3?GameDate=YYYY-MM-DD&LeagueID=00``.
        stages: game-id prefixes in scope, e.g. ``("002",)`` (``settings.STAGES_BY_PREFIX``).

    Returns:
        Exactly ``NBAC_SCHEDULE.column_names``, one row per game (0 rows on a day without games). Scores are
        NULL unless ``gameStatus`` is 3 (final); a postponed game keeps status 1 and text ``PPD``.

    Raises:
        MalformedResponseError: the shape differs or a game lacks an id, status or team; names the date.
    """
    board = validate_scoreboard_v3(payload)
    day = board.get("gameDate")
    rows = []
    for game in board["games"]:
        try:
            game_id, status = str(game["gameId"]), int(game["gameStatus"])
            if not re.fullmatch(r"\d{10}", game_id):
                raise ValueError(f"game id {game_id!r} is not 10 digits")
            home, away = game["homeTeam"], game["awayTeam"]
            final = status == FINAL
            rows.append({
                "game_date": dt.date.fromisoformat(day), "game_id": game_id, "season": season_of(game_id),
                "stage": STAGES_BY_PREFIX.get(game_id[:3], "Unknown"), "in_scope": game_id[:3] in stages,
                "game_status": status, "game_status_text": str(game.get("gameStatusText") or "").strip(),
                "home_team_id": int(home["teamId"]), "home_team_abbr": home["teamTricode"],
                "away_team_id": int(away["teamId"]), "away_team_abbr": away["teamTricode"],
                "home_pts": int(home["score"]) if final else None, "away_pts": int(away["score"]) if final else None,
            })
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedResponseError(
                f"stats.nba.com {SCOREBOARD_ENDPOINT} response for {day} has an unusable game "
                f"({type(exc).__name__}: {exc}); check the endpoint and update logic/boxscore_v3.py",
                endpoint=SCOREBOARD_ENDPOINT, game_date=str(day), game_id=game.get("gameId") if isinstance(
                    game, dict) else None) from exc
    if not rows:
        return NBAC_SCHEDULE.empty_frame()
    return NBAC_SCHEDULE.conform(pd.DataFrame(rows, columns=NBAC_SCHEDULE.column_names))
