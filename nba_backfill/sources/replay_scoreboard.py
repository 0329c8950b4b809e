"""The ``scoreboardv3`` payload of the stats.nba.com replay: every bundled game of an Eastern date.

Key structure as the real 2025-11-05 sample. Computed from the bundle: wins/losses (regular-season games
only; equal to the sample for all 22 teams) and ``gameLeaders`` (each team's top points + rebounds + assists
line; equal to the sample for all 22). Tip times come from the props feed (The Odds API commence time,
through 2025-12-06, up to ~10 min off NBA.com's), else 7:00 pm ET. Not in the bundle, served empty or
neutral: per-period scores (``periods: []``), broadcasters, season ``teamLeaders``, ``isNeutral`` (false),
``jerseyNum``/``position`` of leaders. Overtimes (status text ``Final/OT``, period) come from team minutes,
so only regular-season games show them.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

from nba_backfill.sources.replay_faults import SCOREBOARD, Faults
from nba_backfill.sources.replay_payloads import (
    PARTIAL,
    ReplayData,
    line_total,
    meta,
    player_lines,
    player_slug,
    team_info,
)

EASTERN = ZoneInfo("America/New_York")
BROADCAST_KEYS = ("nationalBroadcasters", "nationalRadioBroadcasters", "nationalOttBroadcasters", "homeTvBroadcasters",
                  "homeRadioBroadcasters", "homeOttBroadcasters", "awayTvBroadcasters", "awayRadioBroadcasters",
                  "awayOttBroadcasters")


def _leader(line: dict | None, abbr: str) -> dict:
    line = line or {"player_id": 0, "player_name": "", "pts": 0, "reb": 0, "ast": 0}
    return {"personId": int(line["player_id"]), "name": line["player_name"],
            "playerSlug": player_slug(line["player_name"]), "jerseyNum": "",
            "position": "", "teamTricode": abbr if line["player_id"] else "", "points": int(line["pts"]),
            "rebounds": int(line["reb"]), "assists": int(line["ast"])}


def _tip(data: ReplayData, game: dict) -> dt.datetime:
    if game["game_id"] in data.tip_times:
        return dt.datetime.fromisoformat(data.tip_times[game["game_id"]].replace("Z", "+00:00"))
    return dt.datetime.combine(game["game_date"], dt.time(19, 0), EASTERN).astimezone(dt.timezone.utc)


def _overtimes(data: ReplayData, game_id: str) -> int:
    """Overtime periods from team minutes (240 regulation, +25 each); 0 when the game has no team lines."""
    lines = list(data.team_lines.get(game_id, {}).values())
    return max(0, (int(lines[0]["minutes"]) - 240) // 25) if lines else 0


def _scores(data: ReplayData, game: dict, state: str, corrected: bool) -> dict[str, int]:
    if state == "final":
        return {"home": int(game["home_pts"]), "away": int(game["away_pts"])}
    if state != "not_final":
        return {"home": 0, "away": 0}  # scheduled or postponed: the real scoreboard shows 0
    if not data.has_box(game["game_id"]):
        return {s: math.floor(int(game[f"{s}_pts"]) * PARTIAL) for s in ("home", "away")}
    # Same partial lines as the replayed box score, so both endpoints agree on the live score.
    return {s: line_total(player_lines(data, game["game_id"], int(game[f"{s}_team_id"]), True, corrected))["pts"]
            for s in ("home", "away")}


def _status(state: str, overtimes: int, tip_et: dt.datetime) -> tuple[int, str, int, str]:
    """(gameStatus, gameStatusText, period, gameClock) as NBA.com words them."""
    if state == "final":
        return 3, "Final" if not overtimes else f"Final/{'' if overtimes == 1 else overtimes}OT", 4 + overtimes, ""
    if state == "not_final":
        return 2, "Q3 5:12", 3, "PT05M12.00S"
    if state == "postponed":
        return 1, "PPD", 0, ""
    return 1, f"{tip_et.hour % 12 or 12}:{tip_et.minute:02d} {'am' if tip_et.hour < 12 else 'pm'} ET", 0, ""


def _scoreboard_game(data: ReplayData, game: dict, faults: Faults) -> dict:
    game_id, day = game["game_id"], game["game_date"]
    state, _ = faults.game_state(SCOREBOARD, game_id, day)
    tip_utc = _tip(data, game)
    tip_et = tip_utc.astimezone(EASTERN)
    status, text, period, clock = _status(state, _overtimes(data, game_id), tip_et)
    corrected = faults.corrected(game_id, day)  # a stat correction moves lines, hence maybe the leaders
    scores = _scores(data, game, state, corrected)
    # Standings as of the capture: a final game counts, an unplayed one does not (nor anything after as_of).
    through = day if state == "final" else min(day - dt.timedelta(days=1), faults.as_of or day)
    teams, leaders = {}, {}
    for side in ("home", "away"):
        team_id, abbr = int(game[f"{side}_team_id"]), game[f"{side}_abbr"]
        wins, losses = data.record(team_id, through)
        info = team_info(abbr)
        teams[side] = {"teamId": team_id, "teamName": info["teamName"], "teamCity": info["teamCity"],
                       "teamTricode": abbr, "teamSlug": info["teamSlug"], "wins": wins, "losses": losses,
                       "score": scores[side], "seed": 0, "inBonus": None, "timeoutsRemaining": 0, "periods": []}
        bundled = state == "final" and team_id in data.player_lines.get(game_id, {})
        lines = data.lines(game_id, team_id, corrected) if bundled else None
        # NBA.com's game leader is the top points + rebounds + assists line (fits all 22 of the 2025-11-05 sample).
        best = max(lines, key=lambda r: (r["pts"] + r["reb"] + r["ast"], r["pts"])) if lines else None
        leaders[f"{side}Leaders"] = _leader(best, abbr)
    empty = _leader(None, "")
    return {
        "gameId": game_id, "gameCode": f"{day:%Y%m%d}/{game['away_abbr']}{game['home_abbr']}", "gameStatus": status,
        "gameStatusText": text, "period": period, "gameClock": clock,
        "gameTimeUTC": f"{tip_utc:%Y-%m-%dT%H:%M:%SZ}", "gameEt": f"{tip_et:%Y-%m-%dT%H:%M:%SZ}",  # sic: ET clock, "Z"
        "regulationPeriods": 4, "seriesGameNumber": "", "gameLabel": "", "gameSubLabel": "", "seriesText": "",
        "ifNecessary": False, "seriesConference": "", "poRoundDesc": "", "gameSubtype": "", "isNeutral": False,
        "gameLeaders": leaders,
        "teamLeaders": {"homeLeaders": empty, "awayLeaders": empty, "seasonLeadersFlag": 0},
        "broadcasters": {k: [] for k in BROADCAST_KEYS},
        "homeTeam": teams["home"], "awayTeam": teams["away"],
    }


def scoreboard_payload(data: ReplayData, day: dt.date, faults: Faults) -> dict:
    """The ``scoreboardv3`` body of one Eastern date: every bundled game of any stage (none -> ``games: []``).

    Game states follow ``faults`` (``as_of``, ``not_final``, ``postponed``). Source: bundled schedule.
    """
    games = sorted(data.games_by_date.get(day, []), key=lambda g: g["game_id"])
    return {"meta": meta(f"league/00/{day:%Y/%m/%d}/scoreboard"),
            "scoreboard": {"gameDate": day.isoformat(), "leagueId": "00",
                           "leagueName": "National Basketball Association",
                           "games": [_scoreboard_game(data, g, faults) for g in games]}}
