"""The ``playerindex`` payload of the stats.nba.com replay: every player on a roster on one date, and his team.

Wire format as the real endpoint (``GET /stats/playerindex?LeagueID=00&Season=2025-26&Historical=0``): the
stats v2 envelope ``{"resource": "playerindex", "parameters": {...}, "resultSets": [{"name": "PlayerIndex",
"headers": [...], "rowSet": [[...], ...]}]}`` with the 26 headers of :data:`HEADERS` in that order (nba_api's
endpoint analysis of ``playerindex``, last validated 2023-03-10).

**The roster of a date is derived from the bundled real game logs** (the bundle has no roster file; rule also in
``data/PROVENANCE.md``): a player is listed from the day of his first box-score appearance of the season to the
season's last day; his team on D is the team of his next appearance on or after D, and after his last appearance
of the season the team of that appearance. So a player traded between his last game for team A (day a) and his
first game for team B (day b) is on B from a + 1 on: the days between are unknowable from game logs, and this rule
never lists him on a team he will not play for again. Consequence (stated, not hidden): a player waived by A and
signed by B weeks later is listed on B in between, and one waived for good stays on A.

**Deviation from the real endpoint:** stats.nba.com serves the roster of *now* and has no date parameter. The
replay serves the snapshot of the date in the request header ``x-nba-backfill-as-of: YYYY-MM-DD`` (the client
sends the partition's date; the real site has no use for it), else of the fault set's ``as_of``, else of
today, clipped to the season. In production a roster partition is therefore right only when it is scraped on its
own date (the nightly run); a backfill of an older date stores the roster of the day it ran (README).

Not in the bundle, served null: JERSEY_NUMBER, POSITION, HEIGHT, WEIGHT, COLLEGE, COUNTRY, DRAFT_*, FROM_YEAR,
TO_YEAR. PTS/REB/AST are the player's per-game averages of the season's bundled games before D (null before his
first), STATS_TIMEFRAME ``Season``, ROSTER_STATUS 1 (on a roster), IS_DEFUNCT 0. The ``parameters`` echo is typed
like the real stats v2 answers (e.g. ``commonallplayers``: ``"IsOnlyCurrentSeason": 0``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from nba_backfill.logic.player_index import AS_OF_HEADER  # noqa: F401  (re-exported for the server)
from nba_backfill.sources import bundle
from nba_backfill.sources.replay_faults import PLAYER_INDEX
from nba_backfill.sources.replay_payloads import player_slug, team_info

HEADERS = ("PERSON_ID", "PLAYER_LAST_NAME", "PLAYER_FIRST_NAME", "PLAYER_SLUG", "TEAM_ID", "TEAM_SLUG", "IS_DEFUNCT",
           "TEAM_CITY", "TEAM_NAME", "TEAM_ABBREVIATION", "JERSEY_NUMBER", "POSITION", "HEIGHT", "WEIGHT", "COLLEGE",
           "COUNTRY", "DRAFT_YEAR", "DRAFT_ROUND", "DRAFT_NUMBER", "ROSTER_STATUS", "PTS", "REB", "AST",
           "STATS_TIMEFRAME", "FROM_YEAR", "TO_YEAR")
SEASON_PATTERN = re.compile(r"\d{4}-\d{2}")
# The endpoint's parameters (nba_api's analysis), echoed in "parameters" like the real answer does.
PARAMETERS = ("LeagueID", "Season", "Historical", "TeamID", "Country", "College", "DraftYear", "DraftPick",
              "PlayerPosition", "Height", "Weight", "Active", "AllStar")


@functools.lru_cache(maxsize=1)
def _season_spans() -> dict[str, tuple[dt.date, dt.date]]:
    spans = json.loads((bundle.default_data_dir() / "seasons.json").read_text())
    return {label: (dt.date.fromisoformat(v["first_day"]), dt.date.fromisoformat(v["last_day"]))
            for label, v in spans.items()}


def season_span(season: str) -> tuple[dt.date, dt.date] | None:
    """(opening night, last regular-season night) of a bundled season (``data/seasons.json``); None if unknown."""
    return _season_spans().get(season)


def season_of_game(game_id: str) -> str:
    """Season label of a game id: ``0022500626`` → ``2025-26`` (digits 4–5 are the start year)."""
    start = 2000 + int(game_id[3:5])
    return f"{start}-{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Appearance:
    """One box-score appearance of a player: date, team and the counting stats the index averages."""

    day: dt.date
    team_id: int
    team_abbr: str
    pts: int
    reb: int
    ast: int


class RosterIndex:
    """Per season and player, the dated box-score appearances that decide his team on any date.

    Args:
        player_box: bundled player lines of every season (``bundle.load_seasons()[2]``): game_id, game_date,
            team_id, team_abbr, player_id, player_name, pts, reb, ast.
    """

    def __init__(self, player_box: pd.DataFrame):
        rows = player_box.sort_values(["game_date", "game_id"])
        self.names: dict[int, str] = {}
        self._by_season: dict[str, dict[int, list[Appearance]]] = defaultdict(lambda: defaultdict(list))
        for r in rows[["game_id", "game_date", "team_id", "team_abbr", "player_id", "player_name", "pts", "reb",
                       "ast"]].itertuples(index=False):
            self._by_season[season_of_game(r.game_id)][int(r.player_id)].append(
                Appearance(r.game_date, int(r.team_id), str(r.team_abbr), int(r.pts), int(r.reb), int(r.ast)))
            if r.player_name:
                self.names[int(r.player_id)] = str(r.player_name)
        self._days = {season: {p: [a.day for a in apps] for p, apps in players.items()}
                      for season, players in self._by_season.items()}

    @property
    def seasons(self) -> list[str]:
        """Seasons with bundled player lines."""
        return sorted(self._by_season)

    def snapshot(self, season: str, day: dt.date) -> list[dict]:
        """The roster of ``day``: one dict per listed player (see the module docstring for the rule).

        Returns:
            Dicts with player_id, player_name, team_id, team_abbr, games (bundled games before ``day``) and
            pts/reb/ast per game before ``day`` (None before his first game), sorted by player id; ``[]`` for a
            season without bundled lines.
        """
        out = []
        for player_id, apps in sorted(self._by_season.get(season, {}).items()):
            days = self._days[season][player_id]
            if day < days[0]:
                continue  # not listed before his first appearance of the season
            following = bisect.bisect_left(days, day)  # first appearance on or after D
            team = apps[following] if following < len(apps) else apps[-1]
            before = apps[:following]
            n = len(before)
            out.append({"player_id": player_id, "player_name": self.names.get(player_id, ""),
                        "team_id": team.team_id, "team_abbr": team.team_abbr, "games": n,
                        **{k: round(sum(getattr(a, k) for a in before) / n, 1) if n else None
                           for k in ("pts", "reb", "ast")}})
        return out


def _row(player: dict) -> list:
    first, _, last = player["player_name"].partition(" ")
    info = team_info(player["team_abbr"])
    return [player["player_id"], last, first, player_slug(player["player_name"]), player["team_id"], info["teamSlug"],
            0, info["teamCity"],
            info["teamName"], player["team_abbr"], None, None, None, None, None, None, None, None, None, 1,
            player["pts"], player["reb"], player["ast"], "Season", None, None]


def player_index_payload(index: RosterIndex, season: str, day: dt.date, params: dict[str, str]) -> dict:
    """The ``playerindex`` body of ``season`` as of ``day`` (``params``: the request's query, echoed).

    ``TeamID`` (non-zero) keeps one team's players, as the real endpoint does; the other filters are echoed only.
    """
    players = index.snapshot(season, day)
    team = str(params.get("TeamID") or "0")
    if team not in ("", "0"):
        players = [p for p in players if str(p["team_id"]) == team]
    # Echoed like the real stats v2 answers do: typed numbers, the season and league as strings, the rest null.
    echoed = {name: params.get(name) or None for name in PARAMETERS}
    echoed.update({k: int(v) for k, v in params.items() if k in ("Historical", "TeamID") and str(v).isdigit()})
    echoed.update(LeagueID=params.get("LeagueID", "00"), Season=season)
    return {"resource": PLAYER_INDEX, "parameters": echoed,
            "resultSets": [{"name": "PlayerIndex", "headers": list(HEADERS), "rowSet": [_row(p) for p in players]}]}


_shared: RosterIndex | None = None
_lock = threading.Lock()


def shared_roster_index() -> RosterIndex:
    """The bundle's roster index, built once per process (every replay server reads the same immutable data).

    Raises:
        BundledDataError: the bundle is missing or malformed.
    """
    global _shared
    with _lock:
        if _shared is None:
            _shared = RosterIndex(bundle.load_seasons()[2])
        return _shared
