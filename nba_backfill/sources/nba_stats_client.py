"""``NbaStatsClient``: the stats.nba.com resource (real URL and browser headers by default, or the replay).

Retries are urllib3's ``Retry`` mounted on a ``requests.Session``: bounded, exponential backoff, on 429/5xx,
connection errors, resets and read timeouts; a ``Retry-After`` header is honoured (capped at
``RETRY_AFTER_MAX_SECONDS``). A minimum interval between requests keeps the client polite. Every failure is a
:class:`~nba_backfill.errors.SourceError` naming the endpoint, game id, date and what to do.

A caller may pass a **deadline** (a ``time.monotonic()`` value; the box-score asset gives each date one, see
``partition_deadline_seconds``): no attempt starts after it, each attempt's timeout is cut to what is left, and a
retry whose wait would end past it is not made. So one call never outlives the deadline by more than one
attempt's timeout, whatever the number of retries.
"""

from __future__ import annotations

import contextvars
import threading
import time
from dataclasses import dataclass
from typing import Any

import dagster as dg
import requests
import urllib3
from pydantic import Field, PrivateAttr
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from nba_backfill import settings
from nba_backfill.errors import (
    GameNotFoundError,
    MalformedResponseError,
    SourceDeadlineError,
    SourceUnavailableError,
)
from nba_backfill.logic.boxscore_v3 import (
    BOX_ENDPOINT,
    SCOREBOARD_ENDPOINT,
    validate_boxscore_v3,
    validate_scoreboard_v3,
)
from nba_backfill.logic.player_index import AS_OF_HEADER, PLAYER_INDEX_ENDPOINT, validate_player_index

RETRY_STATUSES = (429, 500, 502, 503, 504)
# urllib3 would wait up to 6 h for a Retry-After; a nightly scrape rather fails the partition and retries later.
RETRY_AFTER_MAX_SECONDS = 120
# stats.nba.com drops requests that do not look like they come from the nba.com web app.
DEFAULT_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Safari/537.36",
    "Accept": "application/json, text/plain, */*",
    "Accept-Language": "en-US,en;q=0.9",
    "Referer": "https://www.nba.com/",
    "Origin": "https://www.nba.com",
    "x-nba-stats-origin": "stats",
    "x-nba-stats-token": "true",
    "Connection": "keep-alive",
}


@dataclass
class _CallBudget:
    """The deadline of the call in progress, and whether it stopped a retry (read by :class:`_DeadlineRetry`)."""

    deadline: float
    stopped: bool = False


# Per call, per thread: the session (and its Retry) is shared, the deadline is not.
_budget: contextvars.ContextVar[_CallBudget | None] = contextvars.ContextVar("nba_stats_budget", default=None)


class _DeadlineRetry(Retry):
    """urllib3's ``Retry`` that does not retry when the wait before the next attempt would end past the deadline
    of the call in progress (``_budget``); without a deadline it is plain ``Retry``.
    """

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        """As ``Retry.increment``; raises ``MaxRetryError`` early once the call's deadline leaves no room."""
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        budget = _budget.get()
        if budget is not None:
            after = self.get_retry_after(response) if response is not None and self.respect_retry_after_header \
                else None
            wait = after if after is not None else new.get_backoff_time()
            if time.monotonic() + wait >= budget.deadline:
                budget.stopped = True
                raise MaxRetryError(_pool, url, error or ResponseError("the call's deadline leaves no time to retry"))
        return new


class NbaStatsClient(dg.ConfigurableResource):
    """Fetches raw JSON from stats.nba.com (or a replay of it); one call = one endpoint answer, validated.

    Attributes:
        base_url: stats API root, e.g. ``https://stats.nba.com/stats`` or a replay's ``server.base_url``.
        timeout_seconds: connect and read timeout of one attempt.
        max_retries: retries after the first attempt (429/5xx, connection errors, timeouts).
        backoff_seconds: urllib3 backoff factor: waits 0, 2x, 4x … this between retries.
        rate_limit_seconds: minimum seconds between two requests of this resource instance.
        partition_deadline_seconds: wall-time budget for fetching one date's box scores (the box-score asset
            starts it at the date's first game; games left when it passes are not fetched).
    """

    base_url: str = Field(default=settings.REAL_STATS_URL, description="stats API root (real site or a replay)")
    timeout_seconds: float = Field(default=10.0, description="connect and read timeout of one attempt, seconds")
    max_retries: int = Field(default=3, description="retries after the first attempt on 429/5xx/timeouts")
    backoff_seconds: float = Field(default=0.5, description="exponential backoff factor between retries, seconds")
    rate_limit_seconds: float = Field(default=0.6, description="minimum seconds between two requests")
    partition_deadline_seconds: float = Field(
        default=120.0, description="wall-time budget for fetching one date's box scores, seconds")

    _session: requests.Session | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _last_request_at: float = PrivateAttr(default=0.0)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        """Close the HTTP session at the end of a run."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def _get_session(self) -> requests.Session:
        # Created lazily: the resource is a frozen pydantic model, built long before any request.
        if self._session is None:
            retry = _DeadlineRetry(
                total=self.max_retries, connect=self.max_retries, read=self.max_retries,
                status=self.max_retries, other=0, backoff_factor=self.backoff_seconds,
                status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
                raise_on_status=False, respect_retry_after_header=True, retry_after_max=RETRY_AFTER_MAX_SECONDS,
            )
            session = requests.Session()
            session.headers.update(DEFAULT_HEADERS)
            adapter = HTTPAdapter(max_retries=retry)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._session = session
        return self._session

    def _throttle(self) -> None:
        with self._lock:  # held while sleeping so concurrent callers queue instead of bursting
            wait = self._last_request_at + self.rate_limit_seconds - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_request_at = time.monotonic()

    def _describe(self, exc: requests.RequestException) -> str:
        """One readable cause instead of urllib3's nested MaxRetryError text."""
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(reason, urllib3.exceptions.NewConnectionError):  # subclasses ConnectTimeoutError: test first
            return str(reason).split(": ", 1)[-1]
        if isinstance(exc, requests.Timeout) or isinstance(reason, urllib3.exceptions.TimeoutError):
            return f"timed out after {self.timeout_seconds:g} s"
        # A reset arrives as ProtocolError('Connection aborted.', ConnectionResetError(...)).
        if isinstance(reason, urllib3.exceptions.ProtocolError) and any(
                isinstance(arg, ConnectionResetError) for arg in reason.args):
            return "connection reset by the server before any response"
        if isinstance(exc, requests.ConnectionError):
            return f"connection failed: {type(reason or exc).__name__}"
        return f"{type(exc).__name__}: {exc}"

    def _get(self, endpoint: str, params: dict, game_date: str, game_id: str | None = None,
             deadline: float | None = None, headers: dict[str, str] | None = None) -> Any:
        """GET one endpoint with retries (none started past ``deadline``); return the decoded JSON body."""
        what = f"game {game_id} on {game_date}" if game_id else game_date
        url = f"{self.base_url.rstrip('/')}/{endpoint}"
        context = dict(endpoint=endpoint, game_id=game_id, game_date=game_date)
        self._throttle()
        timeout = self.timeout_seconds
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SourceDeadlineError(
                    f"stats.nba.com {endpoint} for {what} not requested: the date's "
                    f"{self.partition_deadline_seconds:g} s deadline had passed", **context)
            timeout = min(timeout, left)
        budget = _CallBudget(deadline) if deadline is not None else None
        token = _budget.set(budget)
        try:
            response = self._get_session().get(url, params=params, headers=headers, timeout=(timeout, timeout))
        except requests.RequestException as exc:
            attempts = (f"stopped at the date's {self.partition_deadline_seconds:g} s deadline"
                        if budget is not None and budget.stopped else f"failed on all {self.max_retries + 1} attempts")
            cls = SourceDeadlineError if budget is not None and budget.stopped else SourceUnavailableError
            raise cls(
                f"stats.nba.com {endpoint} for {what} {attempts} ({self._describe(exc)}); the source is down, "
                f"slow or blocking us: retry later (backfill the partition) or check the base URL {self.base_url}",
                **context) from exc
        finally:
            _budget.reset(token)
        if response.status_code == 404:
            raise GameNotFoundError(
                f"stats.nba.com {endpoint} answered HTTP 404 for {what}: it has no such game (unknown id, or a "
                "postponed game); check the game id against the schedule (nba_raw/nbac_schedule)", **context)
        if response.status_code != 200:
            history = getattr(getattr(response.raw, "retries", None), "history", ())
            retried = f" after {len(history)} retries" if response.status_code in RETRY_STATUSES else ""
            stopped = budget is not None and budget.stopped
            if stopped:
                retried += f" (stopped at the date's {self.partition_deadline_seconds:g} s deadline)"
            raise (SourceDeadlineError if stopped else SourceUnavailableError)(
                f"stats.nba.com {endpoint} answered HTTP {response.status_code}{retried} for {what}; the source "
                "is rate-limiting or failing: retry later (backfill the partition) or check the endpoint",
                **context)
        try:
            return response.json()
        except ValueError as exc:
            error = MalformedResponseError(
                f"stats.nba.com {endpoint} answered HTTP 200 with a body that is not JSON for {what} "
                f"({exc}; starts {response.text[:80]!r}); the source is degraded: retry later (backfill the "
                "partition) or check the endpoint", **context)
            error.body = response.content  # kept by the caller under a quarantine path (assets/quarantine.py)
            raise error from exc

    def fetch_scoreboard(self, game_date: str) -> dict:
        """The raw ``scoreboardv3`` answer of one Eastern date: every game of every stage (possibly none).

        Args:
            game_date: ``YYYY-MM-DD``.

        Returns:
            The decoded JSON ``{"meta": ..., "scoreboard": {"gameDate", "games": [...]}}``.

        Raises:
            SourceUnavailableError: unreachable, timed out, or 429/5xx after every retry.
            MalformedResponseError: not JSON, or no ``scoreboard.games`` for that date.
        """
        payload = self._get(SCOREBOARD_ENDPOINT, {"GameDate": game_date, "LeagueID": "00"}, game_date)
        validate_scoreboard_v3(payload, game_date)
        return payload

    def fetch_boxscore(self, game_id: str, game_date: str, deadline: float | None = None) -> dict:
        """The raw ``boxscoretraditionalv3`` answer of one FINAL game (call it only for final games).

        Args:
            game_id: 10-character game id, e.g. ``0022500165``.
            game_date: the game's Eastern date ``YYYY-MM-DD`` (for messages; the endpoint takes only the id).
            deadline: ``time.monotonic()`` after which no attempt starts (None: retries only bound the call).

        Returns:
            The decoded JSON ``{"meta": ..., "boxScoreTraditional": {...}}`` with both teams' statistics.

        Raises:
            EmptyStatsError: HTTP 200 without players or with zeroed statistics for a team (2025-12-27 incident).
            GameNotFoundError: HTTP 404.
            SourceDeadlineError: the deadline passed before the request, or stopped its retries.
            SourceUnavailableError: unreachable, timed out, or 429/5xx after every retry.
            MalformedResponseError: not JSON, another game, or keys of the documented shape missing.
        """
        params = {"GameID": game_id, "LeagueID": "00", "StartPeriod": 0, "EndPeriod": 0, "StartRange": 0,
                  "EndRange": 0, "RangeType": 0}
        payload = self._get(BOX_ENDPOINT, params, game_date, game_id, deadline)
        validate_boxscore_v3(payload, game_date, game_id)
        return payload

    def fetch_player_index(self, season: str, game_date: str) -> dict:
        """The raw ``playerindex`` answer: every current player, his team and roster status (the rosters of a day).

        stats.nba.com serves the rosters of *now* (no date parameter); the request names ``game_date`` in the
        ``x-nba-backfill-as-of`` header, which the replay honours and the real site has no use for (assumed to be
        ignored there; not verified against the live site, tests never reach the internet). Call it on the
        day for production data (README: a past date gets today's rosters from the real site).

        Args:
            season: ``YYYY-YY``, e.g. ``2025-26``.
            game_date: the date whose rosters are wanted, ``YYYY-MM-DD`` (messages and the as-of header).

        Returns:
            The decoded JSON ``{"resource": "playerindex", "parameters": ..., "resultSets": [{"name": "PlayerIndex",
            "headers": [...], "rowSet": [...]}]}``.

        Raises:
            EmptyStatsError: HTTP 200 without any player on a roster.
            SourceUnavailableError: unreachable, timed out, or 429/5xx after every retry.
            MalformedResponseError: not JSON, or no ``PlayerIndex`` set with the documented headers.
        """
        params = {"LeagueID": "00", "Season": season, "Historical": 0, "TeamID": 0, "Active": "", "AllStar": "",
                  "College": "", "Country": "", "DraftPick": "", "DraftRound": "", "DraftYear": "", "Height": "",
                  "Weight": ""}
        payload = self._get(PLAYER_INDEX_ENDPOINT, params, game_date, headers={AS_OF_HEADER: game_date})
        validate_player_index(payload, game_date)
        return payload
