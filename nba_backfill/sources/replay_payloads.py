"""The bundle indexed for the stats.nba.com replay, and the replay's ``boxscoretraditionalv3`` payload.

The box score keeps the key structure of the real 0022500165 sample (PROVENANCE D); the scoreboard is in
``replay_scoreboard``. What the bundle cannot carry, and what the replay serves instead:

* player ``minutes`` are whole minutes (``"31:00"``): the bundled player log rounds them;
* ``position`` is ``""`` for every player (no starter flag in the bundle), hence the ``starters`` block sums
  nobody (all zeros, ``"0:00"``) and ``bench`` sums every player; ``jerseyNum`` is ``""``;
* no DNP rows: the player log lists only players who appeared;
* team ``statistics`` come from ``leaguegamelog`` except ``turnovers``, served as the sum of player turnovers
  as real v3 does (team turnovers excluded, PROVENANCE caveat 1);
* box scores exist only for regular-season games whose player lines are bundled: 2024-25 through 2025-04-01,
  2025-26 through 2026-02-12 (other games: HTTP 404); 2024-25 players absent from the named 2025-26 log have
  no name (``firstName``/``familyName`` ``""``);
* every bundled season is served (2024-25's schedule is derived from leaguegamelog, regular season only);
* box scores are served as first published; the league's later stat corrections (``stat_corrections_2025_26``:
  0022500788) only while a ``stat_correction`` fault selects the game (the real site changes without notice).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import threading
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from nba_backfill.errors import BundledDataError
from nba_backfill.sources import bundle
from nba_backfill.sources.replay_faults import FaultRule

PARTIAL = 0.75  # a not-final game is served as if three quarters had been played
COUNTING = ("fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf",
            "pts")
# tricode -> (teamCity, teamName, teamSlug) as NBA.com spells them (e.g. "LA" Clippers, "sixers").
TEAMS = {
    "ATL": ("Atlanta", "Hawks", "hawks"), "BOS": ("Boston", "Celtics", "celtics"),
    "BKN": ("Brooklyn", "Nets", "nets"), "CHA": ("Charlotte", "Hornets", "hornets"),
    "CHI": ("Chicago", "Bulls", "bulls"), "CLE": ("Cleveland", "Cavaliers", "cavaliers"),
    "DAL": ("Dallas", "Mavericks", "mavericks"), "DEN": ("Denver", "Nuggets", "nuggets"),
    "DET": ("Detroit", "Pistons", "pistons"), "GSW": ("Golden State", "Warriors", "warriors"),
    "HOU": ("Houston", "Rockets", "rockets"), "IND": ("Indiana", "Pacers", "pacers"),
    "LAC": ("LA", "Clippers", "clippers"), "LAL": ("Los Angeles", "Lakers", "lakers"),
    "MEM": ("Memphis", "Grizzlies", "grizzlies"), "MIA": ("Miami", "Heat", "heat"),
    "MIL": ("Milwaukee", "Bucks", "bucks"), "MIN": ("Minnesota", "Timberwolves", "timberwolves"),
    "NOP": ("New Orleans", "Pelicans", "pelicans"), "NYK": ("New York", "Knicks", "knicks"),
    "OKC": ("Oklahoma City", "Thunder", "thunder"), "ORL": ("Orlando", "Magic", "magic"),
    "PHI": ("Philadelphia", "76ers", "sixers"), "PHX": ("Phoenix", "Suns", "suns"),
    "POR": ("Portland", "Trail Blazers", "blazers"), "SAC": ("Sacramento", "Kings", "kings"),
    "SAS": ("San Antonio", "Spurs", "spurs"), "TOR": ("Toronto", "Raptors", "raptors"),
    "UTA": ("Utah", "Jazz", "jazz"), "WAS": ("Washington", "Wizards", "wizards"),
}


class ReplayData:
    """The bundle indexed by game: one schedule record per game, team and player lines per game and team.

    Args:
        data_dir: bundle folder (default the package's ``nba_backfill/data``).

    Raises:
        BundledDataError: a bundled file is missing or malformed.
    """

    def __init__(self, data_dir=None):
        schedule, team_box, player_box = bundle.load_seasons(data_dir=data_dir)
        self.games = {g["game_id"]: g for g in schedule.to_dict("records")}
        self.games_by_date: dict[dt.date, list[dict]] = defaultdict(list)
        for game in self.games.values():
            self.games_by_date[game["game_date"]].append(game)
        self.team_lines: dict[str, dict[int, dict]] = defaultdict(dict)
        for line in team_box.to_dict("records"):
            self.team_lines[line["game_id"]][line["team_id"]] = line
        self.player_lines: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for line in player_box.to_dict("records"):
            self.player_lines[line["game_id"]][line["team_id"]].append(line)
        self.corrected_lines = self._corrections(bundle.load_stat_corrections(data_dir))
        props = bundle.load_props(data_dir).drop_duplicates("game_id")
        self.tip_times = dict(zip(props["game_id"], props["game_time"]))
        self._records = self._standings()

    def _corrections(self, corrections) -> dict[str, dict[int, list[dict]]]:
        """Per corrected game and team: the team's player lines with the league's corrected lines swapped in.

        Raises:
            BundledDataError: a correction names a game or player without a bundled line.
        """
        out: dict[str, dict[int, list[dict]]] = defaultdict(dict)
        for (game_id, team_id), fixed in corrections.groupby(["game_id", "team_id"]):
            base = self.player_lines.get(game_id, {}).get(int(team_id), [])
            by_player = {int(r["player_id"]): r for r in fixed.to_dict("records")}
            unknown = set(by_player) - {int(r["player_id"]) for r in base}
            if unknown:
                raise BundledDataError(f"stat correction of game {game_id} names players {sorted(unknown)} "
                                       f"without a bundled line; {bundle.FIX_HINT}")
            out[game_id][int(team_id)] = [by_player.get(int(r["player_id"]), r) for r in base]
        return dict(out)

    def lines(self, game_id: str, team_id: int, corrected: bool = False) -> list[dict]:
        """One team's bundled player lines of a game; ``corrected``: as the league corrected them, if it did."""
        if corrected and team_id in self.corrected_lines.get(game_id, {}):
            return self.corrected_lines[game_id][team_id]
        return self.player_lines[game_id][team_id]

    def _standings(self) -> dict[int, tuple[list[dt.date], list[tuple[int, int, int]]]]:
        """Per team: dates of its regular-season games and (season start year, wins, losses) after each.

        Records restart every season: the season's start year is in the game id (``00225…`` = 2025-26).
        """
        records: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
        for game in sorted(self.games.values(), key=lambda g: g["game_date"]):
            if not game["game_id"].startswith("002"):
                continue
            season = 2000 + int(game["game_id"][3:5])
            home_won = game["home_pts"] > game["away_pts"]
            for team_id, won in ((game["home_team_id"], home_won), (game["away_team_id"], not home_won)):
                dates, wl = records[team_id]
                _, wins, losses = wl[-1] if wl and wl[-1][0] == season else (season, 0, 0)
                dates.append(game["game_date"])
                wl.append((season, wins + won, losses + (not won)))
        return records

    def record(self, team_id: int, through: dt.date) -> tuple[int, int]:
        """(wins, losses) of a team over its regular-season games of ``through``'s season dated on or before it."""
        dates, wl = self._records.get(team_id, ([], []))
        i = bisect.bisect_right(dates, through)
        season = through.year if through.month >= 8 else through.year - 1  # a season starts in October
        if not i or wl[i - 1][0] != season:
            return (0, 0)
        return wl[i - 1][1], wl[i - 1][2]

    def has_box(self, game_id: str) -> bool:
        """True when both team lines and the player lines of the game are bundled."""
        return len(self.team_lines.get(game_id, {})) == 2 and len(self.player_lines.get(game_id, {})) == 2


_shared: ReplayData | None = None
_shared_lock = threading.Lock()


def shared_replay_data() -> ReplayData:
    """The bundle indexed once per process: every replay server reads the same immutable data.

    Raises:
        BundledDataError: a bundled file is missing or malformed.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ReplayData()
        return _shared


def _pct(made: int, attempted: int) -> float:
    # NBA.com rounds half up (9/16 = 0.5625 -> 0.563); float round() would give 0.562.
    if not attempted:
        return 0.0
    return float((Decimal(made) / Decimal(attempted)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _statistics(line: dict | None, seconds: int, plus_minus: float | None = None) -> dict:
    """A v3 ``statistics`` object (real key order) from a line of counting stats; None -> all zeros."""
    g = {c: int((line or {}).get(c, 0)) for c in COUNTING}
    out = {
        "minutes": _clock(seconds), "fieldGoalsMade": g["fgm"], "fieldGoalsAttempted": g["fga"],
        "fieldGoalsPercentage": _pct(g["fgm"], g["fga"]), "threePointersMade": g["fg3m"],
        "threePointersAttempted": g["fg3a"], "threePointersPercentage": _pct(g["fg3m"], g["fg3a"]),
        "freeThrowsMade": g["ftm"], "freeThrowsAttempted": g["fta"], "freeThrowsPercentage": _pct(g["ftm"], g["fta"]),
        "reboundsOffensive": g["oreb"], "reboundsDefensive": g["dreb"], "reboundsTotal": g["reb"],
        "assists": g["ast"], "steals": g["stl"], "blocks": g["blk"], "turnovers": g["tov"],
        "foulsPersonal": g["pf"], "points": g["pts"],
    }
    if plus_minus is not None:
        out["plusMinusPoints"] = float(plus_minus)
    return out


def _partial(line: dict) -> dict:
    """Three quarters of a player line, floored, kept consistent (reb = oreb + dreb, pts from makes)."""
    out = {c: math.floor(line[c] * PARTIAL) for c in COUNTING}
    out["reb"] = out["oreb"] + out["dreb"]
    out["pts"] = 2 * out["fgm"] + out["fg3m"] + out["ftm"]
    out["plus_minus"] = int(line["plus_minus"] * PARTIAL)
    out["seconds"] = round(line["minutes"] * 60 * PARTIAL)
    return out


def player_lines(data: ReplayData, game_id: str, team_id: int, partial: bool, corrected: bool = False) -> list[dict]:
    """One team's bundled player lines of a game, each with ``seconds`` played; ``partial``: 3/4 of each;
    ``corrected``: the league's later correction where the bundle has one (:meth:`ReplayData.lines`).
    """
    rows = data.lines(game_id, team_id, corrected)
    return [{**r, **_partial(r)} if partial else {**r, "seconds": int(r["minutes"]) * 60} for r in rows]


def line_total(lines: list[dict]) -> dict:
    """Sum of the counting stats (fgm … pts) of player lines."""
    return {c: sum(int(line[c]) for line in lines) for c in COUNTING}


def team_info(abbr: str) -> dict:
    """teamCity/teamName/teamTricode/teamSlug of a tricode; unknown (All-Star) teams keep the tricode as name."""
    city, name, slug = TEAMS.get(abbr, ("", abbr, abbr.lower()))
    return {"teamCity": city, "teamName": name, "teamTricode": abbr, "teamSlug": slug}


def player_slug(name: str) -> str:
    """NBA.com-style slug: ``Michael Porter Jr.`` -> ``michael-porter-jr`` (accents kept, punctuation dropped)."""
    return "-".join("".join(ch for ch in name.lower() if ch.isalnum() or ch in " -").split())


def _player(line: dict) -> dict:
    first, _, family = line["player_name"].partition(" ")  # the bundle has one name string; split at 1st space
    return {"personId": int(line["player_id"]), "firstName": first, "familyName": family,
            "nameI": f"{first[:1]}. {family}".strip(), "playerSlug": player_slug(line["player_name"]),
            "position": "", "comment": "",
            "jerseyNum": "", "statistics": _statistics(line, line["seconds"], line["plus_minus"])}


def _team(data: ReplayData, game: dict, side: str, state: str, rule: FaultRule | None, corrected: bool) -> dict:
    team_id, abbr = int(game[f"{side}_team_id"]), game[f"{side}_abbr"]
    info = {"teamId": team_id, **team_info(abbr)}
    blank = state in ("empty_stats", "scheduled") or (state == "one_team" and rule.team != side)
    if blank:
        if rule is not None and rule.style == "empty":
            return {**info, "players": [], "statistics": {}, "starters": {}, "bench": {}}
        return {**info, "players": [], "statistics": _statistics(None, 0, 0.0), "starters": _statistics(None, 0),
                "bench": _statistics(None, 0)}
    partial = state == "not_final"
    lines = player_lines(data, game["game_id"], team_id, partial, corrected)
    total = line_total(lines)
    if partial:
        other_id = int(game["away_team_id" if side == "home" else "home_team_id"])
        other = line_total(player_lines(data, game["game_id"], other_id, True, corrected))
        team_seconds, plus_minus = round(240 * 60 * PARTIAL), total["pts"] - other["pts"]
    else:
        team_line = data.team_lines[game["game_id"]][team_id]
        # Real v3 team turnovers are the players' sum (team turnovers excluded), unlike leaguegamelog.
        total = {**{c: int(team_line[c]) for c in COUNTING}, "tov": total["tov"]}
        team_seconds, plus_minus = int(team_line["minutes"]) * 60, team_line["plus_minus"]
    return {
        **info, "players": [_player(line) for line in lines],
        "statistics": _statistics(total, team_seconds, plus_minus),
        "starters": _statistics(None, 0),  # position is unknown, so nobody is a starter
        "bench": _statistics(line_total(lines), sum(line["seconds"] for line in lines)),
    }


def boxscore_payload(data: ReplayData, game_id: str, state: str = "final", rule: FaultRule | None = None,
                     corrected: bool = False) -> dict:
    """The ``boxscoretraditionalv3`` body of one bundled game.

    Args:
        data: the indexed bundle; the game must satisfy ``data.has_box``.
        game_id: 10-character game id.
        state: ``final``, ``not_final`` (3/4 lines), ``empty_stats``/``scheduled`` (no players, zero stats) or
            ``one_team`` (``rule.team`` keeps its statistics).
        rule: the fault rule behind ``state`` (its ``team`` and ``style``).
        corrected: serve the league's later stat correction of the game, if the bundle has one (team
            statistics are unchanged: a correction between teammates keeps the team line).

    Returns:
        ``{"meta": ..., "boxScoreTraditional": {gameId, awayTeamId, homeTeamId, homeTeam, awayTeam}}``.
    """
    game = data.games[game_id]
    box = {"gameId": game_id, "awayTeamId": int(game["away_team_id"]), "homeTeamId": int(game["home_team_id"]),
           "homeTeam": _team(data, game, "home", state, rule, corrected),
           "awayTeam": _team(data, game, "away", state, rule, corrected)}
    return {"meta": meta(f"games/{game_id}/boxscoretraditional"), "boxScoreTraditional": box}


def meta(path: str) -> dict:
    """The ``meta`` object real answers carry (``request`` names the nba.cloud path, ``time`` is now, UTC)."""
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"version": 1, "request": f"http://nba.cloud/{path}?Format=json", "time": now}
