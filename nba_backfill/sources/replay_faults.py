"""Fault switches of the stats.nba.com replay: which games/dates misbehave and how.

One fault set (JSON) is a list of rules plus an optional ``as_of`` date::

    {"as_of": "2026-01-10",
     "rules": [{"kind": "empty_stats", "date_from": "2025-12-27", "date_to": "2026-01-21"},
               {"kind": "http_status", "status": 503, "first_n": 2, "game_ids": ["0022500165"]},
               {"kind": "hang", "seconds": 5, "dates": ["2025-11-05"], "endpoints": ["scoreboardv3"]}]}

Selectors (``game_ids``, ``dates``, ``date_from``/``date_to`` inclusive) are OR-ed; a rule without selectors
hits everything. A game is selected by its id or by its Eastern date; a whole scoreboard request is selected
by date selectors only (a rule naming only game ids never breaks a scoreboard request, it changes those games
inside it). ``endpoints`` (default the box score and the scoreboard) restricts a rule to ``boxscoretraditionalv3``,
``scoreboardv3`` or ``playerindex`` (the roster: request kinds only, selected by its as-of date; named explicitly).
Games dated after ``as_of`` are not played yet: scoreboard gameStatus 1, the tip time as text
(``7:00 pm ET``), score 0; their box score is the empty skeleton (players [], zero statistics): the replay's
choice, since no real pre-game answer was captured. See :data:`KINDS` for what each kind does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

BOX = "boxscoretraditionalv3"
SCOREBOARD = "scoreboardv3"
PLAYER_INDEX = "playerindex"
ENDPOINTS = (BOX, SCOREBOARD, PLAYER_INDEX)
# A rule without ``endpoints`` hits the box scores and the scoreboard; the roster only when named (a date rule
# written for the incident must not also break the day's roster).
DEFAULT_ENDPOINTS = (BOX, SCOREBOARD)

KINDS = {
    "empty_stats": "box score HTTP 200 with both teams' players [] and statistics zeroed (style 'zeros', default) "
                   "or {} (style 'empty'): the 2025-12-27 incident; the scoreboard still says Final",
    "one_team": "box score with only one team's statistics; the other team as in empty_stats "
                "(team: 'home' or 'away' = the team that KEEPS its statistics, default home)",
    "stat_correction": "box score with the league's later stat correction of the game where the bundle carries "
                       "one (0022500788, Barnes/Castle; others as first published): a correction arriving "
                       "days after the game; the scoreboard's game leaders follow",
    "http_status": "answer HTTP `status` (default 503) with a JSON message, and a `Retry-After: N` header when "
                   "`retry_after` is set; only the first `first_n` requests per URL when set, so retries recover",
    "reset": "read the request, then close the TCP connection with SO_LINGER 0 (the client sees a connection reset, "
             "no response); only the first `first_n` requests per URL when set",
    "hang": "sleep `seconds` (default 30) before answering (then any other matching fault applies)",
    "malformed_json": "HTTP 200 whose body is the first half of the JSON text",
    "not_final": "scoreboard gameStatus 2 'Q3 5:12' with partial scores; box score with partial (3/4) lines",
    "postponed": "scoreboard gameStatus 1 'PPD', score 0; box score HTTP 404",
}
REQUEST_KINDS = ("hang", "http_status", "reset", "malformed_json")  # act on the whole HTTP request
_GAME_ID = re.compile(r"\d{10}")


def _date(value: Any, field: str) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"fault field {field}={value!r} is not a YYYY-MM-DD date") from exc


@dataclass(frozen=True)
class FaultRule:
    """One fault: a kind, what it selects and its parameters (see module docstring and :data:`KINDS`)."""

    kind: str
    game_ids: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    endpoints: tuple[str, ...] = DEFAULT_ENDPOINTS
    status: int = 503
    first_n: int | None = None
    retry_after: int | None = None
    seconds: float = 30.0
    team: str = "home"
    style: str = "zeros"

    def __post_init__(self):
        problems = []
        if self.kind not in KINDS:
            problems.append(f"kind {self.kind!r} is not one of {sorted(KINDS)}")
        problems += [f"game id {g!r} is not 10 digits" for g in self.game_ids if not _GAME_ID.fullmatch(g)]
        problems += [f"endpoint {e!r} is not one of {list(ENDPOINTS)}" for e in self.endpoints if e not in ENDPOINTS]
        if not 400 <= self.status <= 599:
            problems.append(f"status {self.status} is not an HTTP error status (400-599)")
        if self.first_n is not None and self.first_n < 1:
            problems.append("first_n must be >= 1")
        if self.retry_after is not None and self.retry_after < 0:
            problems.append("retry_after must be >= 0 (seconds)")
        if self.seconds < 0:
            problems.append("seconds must be >= 0")
        if self.team not in ("home", "away"):
            problems.append("team must be 'home' or 'away'")
        if self.style not in ("zeros", "empty"):
            problems.append("style must be 'zeros' or 'empty'")
        if problems:
            raise ValueError(f"invalid replay fault rule: {'; '.join(problems)}")

    @property
    def has_selectors(self) -> bool:
        """True when the rule names games or dates (otherwise it applies to every game)."""
        return bool(self.game_ids or self.dates or self.date_from or self.date_to)

    def selects_date(self, day: dt.date | None) -> bool:
        """True when the rule has no selectors or one of its date selectors covers ``day``."""
        if not self.has_selectors:
            return True
        if day is None:
            return False
        in_range = (self.date_from or self.date_to) and (self.date_from or day) <= day <= (self.date_to or day)
        return day in self.dates or bool(in_range)

    def selects_game(self, game_id: str, day: dt.date | None) -> bool:
        """True when the rule selects the game by id or by its date."""
        return game_id in self.game_ids or self.selects_date(day)

    @classmethod
    def from_dict(cls, raw: dict) -> FaultRule:
        """Build from the JSON form; raises ``ValueError`` naming unknown fields or bad values."""
        if not isinstance(raw, dict):
            raise ValueError(f"invalid replay fault rule {raw!r}: each rule is a JSON object with a 'kind', e.g. "
                             '{"kind": "empty_stats", "game_ids": ["0022500545"]}')
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - fields)
        if unknown or "kind" not in raw:
            raise ValueError(f"invalid replay fault rule {raw!r}: unknown fields {unknown} or no 'kind'; "
                             f"allowed fields {sorted(fields)}")
        args = dict(raw)
        # A lone string is a one-item list, not a sequence of characters.
        listed = {k: [raw[k]] if isinstance(raw.get(k), str) else raw.get(k) or [] for k in ("game_ids", "dates",
                                                                                               "endpoints")}
        args["game_ids"] = tuple(str(g) for g in listed["game_ids"])
        args["dates"] = tuple(_date(d, "dates") for d in listed["dates"])
        args["endpoints"] = tuple(listed["endpoints"] or DEFAULT_ENDPOINTS)
        for key in ("date_from", "date_to"):
            args[key] = _date(raw[key], key) if raw.get(key) else None
        for key, kind in (("status", int), ("seconds", float), ("retry_after", int)):
            if key in raw:
                args[key] = kind(raw[key])
        return cls(**args)

    def to_dict(self) -> dict:
        """JSON form with only the fields that differ from the defaults."""
        out: dict[str, Any] = {"kind": self.kind}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name != "kind" and value != f.default:
                out[f.name] = ([v.isoformat() if isinstance(v, dt.date) else v for v in value]
                               if isinstance(value, tuple) else value.isoformat() if isinstance(value, dt.date)
                               else value)
        return out


@dataclass(frozen=True)
class Faults:
    """The replay's whole fault set: ordered rules (first match wins per kind) and an optional ``as_of`` date."""

    rules: tuple[FaultRule, ...] = ()
    as_of: dt.date | None = None

    @classmethod
    def parse(cls, value: Faults | dict | str | None) -> Faults:
        """Accept a ``Faults``, its JSON dict, a JSON string, or None (no faults).

        Raises:
            ValueError: not valid JSON, unknown top-level keys, or an invalid rule (the message says which).
        """
        if value is None or value == "":
            return cls()
        if isinstance(value, Faults):
            return value
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"replay faults are not valid JSON: {exc}") from exc
        if not isinstance(value, dict) or set(value) - {"rules", "as_of"}:
            raise ValueError(f"replay faults must be an object with 'rules' and optional 'as_of', got {value!r}")
        rules = value.get("rules") or []
        if not isinstance(rules, list):
            raise ValueError("replay faults 'rules' must be a list of objects")
        as_of = _date(value["as_of"], "as_of") if value.get("as_of") else None
        return cls(rules=tuple(FaultRule.from_dict(r) for r in rules), as_of=as_of)

    def to_dict(self) -> dict:
        """The JSON form accepted by :meth:`parse` and served at ``/_replay/faults``."""
        return {"as_of": self.as_of.isoformat() if self.as_of else None, "rules": [r.to_dict() for r in self.rules]}

    def request_rules(self, endpoint: str, game_id: str | None, day: dt.date | None) -> list[tuple[int, FaultRule]]:
        """(index, rule) of the request-level rules (hang, http_status, reset, malformed_json) hitting one request.

        Args:
            endpoint: ``boxscoretraditionalv3`` (selected per game) or ``scoreboardv3`` (per date).
            game_id: the box score's game id; None for the scoreboard.
            day: the game's date (None for an unknown game) or the scoreboard date.
        """
        return [
            (i, r) for i, r in enumerate(self.rules)
            if r.kind in REQUEST_KINDS and endpoint in r.endpoints
            and (r.selects_game(game_id, day) if game_id else r.selects_date(day))
        ]

    def corrected(self, game_id: str, day: dt.date | None) -> bool:
        """True when a ``stat_correction`` rule selects the game: serve its corrected lines, if bundled."""
        return any(r.kind == "stat_correction" and r.selects_game(game_id, day) for r in self.rules)

    def game_state(self, endpoint: str, game_id: str, day: dt.date) -> tuple[str, FaultRule | None]:
        """How one game looks at an endpoint: (state, rule) with state one of ``final``, ``scheduled``,
        ``postponed``, ``not_final``, ``empty_stats``, ``one_team``; the first matching rule decides.
        """
        for rule in self.rules:
            if rule.kind in ("postponed", "not_final") and endpoint in rule.endpoints \
                    and rule.selects_game(game_id, day):
                return rule.kind, rule
        if self.as_of is not None and day > self.as_of:
            return "scheduled", None
        for rule in self.rules:
            if rule.kind in ("empty_stats", "one_team") and endpoint == BOX and endpoint in rule.endpoints \
                    and rule.selects_game(game_id, day):
                return rule.kind, rule
        return "final", None
