"""``NbaStatsClient``: the stats.nba.com resource (real URL and browser headers by default, or the replay).

Retries are urllib3's ``Retry`` mounted on a ``requests.Session``: bounded, exponential backoff, on 429/5xx,
connection errors and read timeouts. A minimum interval between requests keeps the client polite. Every
failure is a :class:`~nba_backfill.errors.SourceError` naming the endpoint, game id, date and what to do.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import dagster as dg
import requests
import urllib3
from pydantic import Field, PrivateAttr
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from nba_backfill import settings
from nba_backfill.errors import GameNotFoundError, MalformedResponseError, SourceUnavailableError
from nba_backfill.logic.boxscore_v3 import (
    BOX_ENDPOINT,
    SCOREBOARD_ENDPOINT,
    validate_boxscore_v3,
    validate_scoreboard_v3,
)

RETRY_STATUSES = (429, 500, 502, 503, 504)
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


class NbaStatsClient(dg.ConfigurableResource):
    """Fetches raw JSON from stats.nba.com (or a replay of it); one call = one endpoint answer, validated.

    Attributes:
        base_url: stats API root, e.g. ``https://stats.nba.com/stats`` or a replay's ``server.base_url``.
        timeout_seconds: connect and read timeout of one attempt.
        max_retries: retries after the first attempt (429/5xx, connection errors, timeouts).
        backoff_seconds: urllib3 backoff factor: waits 0, 2x, 4x … this between retries.
        rate_limit_seconds: minimum seconds between two requests of this resource instance.
    """

    base_url: str = Field(default=settings.REAL_STATS_URL, description="stats API root (real site or a replay)")
    timeout_seconds: float = Field(default=10.0, description="connect and read timeout of one attempt, seconds")
    max_retries: int = Field(default=3, description="retries after the first attempt on 429/5xx/timeouts")
    backoff_seconds: float = Field(default=0.5, description="exponential backoff factor between retries, seconds")
    rate_limit_seconds: float = Field(default=0.6, description="minimum seconds between two requests")

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
            retry = Retry(
                total=self.max_retries, connect=self.max_retries, read=self.max_retries,
                status=self.max_retries, other=0, backoff_factor=self.backoff_seconds,
                status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
                raise_on_status=False, respect_retry_after_header=True,
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

    def _get(self, endpoint: str, params: dict, game_date: str, game_id: str | None = None) -> Any:
        """GET one endpoint with retries; return the decoded JSON body (not yet validated)."""
        what = f"game {game_id} on {game_date}" if game_id else game_date
        url = f"{self.base_url.rstrip('/')}/{endpoint}"
        context = dict(endpoint=endpoint, game_id=game_id, game_date=game_date)
        self._throttle()
        try:
            response = self._get_session().get(url, params=params,
                                               timeout=(self.timeout_seconds, self.timeout_seconds))
        except requests.RequestException as exc:
            raise SourceUnavailableError(
                f"stats.nba.com {endpoint} for {what} failed on all {self.max_retries + 1} attempts "
                f"({self._describe(exc)}); the source is down, slow or blocking us: retry later "
                f"(backfill the partition) or check the base URL {self.base_url}", **context) from exc
        if response.status_code == 404:
            raise GameNotFoundError(
                f"stats.nba.com {endpoint} answered HTTP 404 for {what}: it has no such game (unknown id, or a "
                "postponed game); check the game id against the schedule (nba_raw/nbac_schedule)", **context)
        if response.status_code != 200:
            retried = f" after {self.max_retries} retries" if response.status_code in RETRY_STATUSES else ""
            raise SourceUnavailableError(
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

    def fetch_boxscore(self, game_id: str, game_date: str) -> dict:
        """The raw ``boxscoretraditionalv3`` answer of one FINAL game (call it only for final games).

        Args:
            game_id: 10-character game id, e.g. ``0022500165``.
            game_date: the game's Eastern date ``YYYY-MM-DD`` (for messages; the endpoint takes only the id).

        Returns:
            The decoded JSON ``{"meta": ..., "boxScoreTraditional": {...}}`` with both teams' statistics.

        Raises:
            EmptyStatsError: HTTP 200 without players or with zeroed statistics for a team (2025-12-27 incident).
            GameNotFoundError: HTTP 404.
            SourceUnavailableError: unreachable, timed out, or 429/5xx after every retry.
            MalformedResponseError: not JSON, another game, or keys of the documented shape missing.
        """
        params = {"GameID": game_id, "LeagueID": "00", "StartPeriod": 0, "EndPeriod": 0, "StartRange": 0,
                  "EndRange": 0, "RangeType": 0}
        payload = self._get(BOX_ENDPOINT, params, game_date, game_id)
        validate_boxscore_v3(payload, game_date, game_id)
        return payload
