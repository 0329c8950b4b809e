"""A local HTTP replay of stats.nba.com built from the bundled real data, with switchable faults.

Endpoints (same paths, parameters and JSON keys as the real site; base URL ``http://HOST:PORT/stats``):

* ``GET /stats/boxscoretraditionalv3?GameID=0022500165`` -> box score; unknown or unbundled game -> 404.
* ``GET /stats/scoreboardv3?GameDate=2025-11-05&LeagueID=00`` -> every game of the date (``games: []`` if none).
* ``GET /stats/playerindex?LeagueID=00&Season=2025-26&Historical=0`` -> the players on a roster and their teams, as
  of the date in the ``x-nba-backfill-as-of`` header (the real endpoint serves "now"; see ``replay_roster``).
* ``GET /_replay/faults`` -> the fault set as JSON; ``PUT`` (or ``POST``) replaces it; ``DELETE`` clears it.
* ``GET /_replay/requests`` -> request counts ``{endpoint: {game id or date: n}}`` (in process,
  :meth:`ReplayServer.request_times` also gives each request's arrival time).

Bad parameters -> 400. Fault JSON format and kinds: :mod:`nba_backfill.sources.replay_faults`; what the bundle
cannot carry (positions, DNP rows, exact minutes): :mod:`nba_backfill.sources.replay_payloads`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import signal
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from nba_backfill.sources.replay_faults import BOX, PLAYER_INDEX, SCOREBOARD, Faults
from nba_backfill.sources.replay_payloads import ReplayData, boxscore_payload, shared_replay_data
from nba_backfill.sources.replay_roster import (
    AS_OF_HEADER,
    SEASON_PATTERN,
    RosterIndex,
    player_index_payload,
    season_span,
    shared_roster_index,
)
from nba_backfill.sources.replay_scoreboard import scoreboard_payload

log = logging.getLogger(__name__)
ADMIN_FAULTS, ADMIN_REQUESTS = "/_replay/faults", "/_replay/requests"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a backfill makes hundreds of requests
    # TCP_NODELAY on accepted sockets: with keep-alive, Nagle's algorithm held the body behind the unacknowledged
    # headers until the client's delayed ACK (~40 ms per request); _send also writes headers + body in one send.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        log.debug("replay %s - %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes | dict, content_type: str = "application/json; charset=utf-8",
              headers: dict[str, str] | None = None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self._headers_buffer.append(b"\r\n")  # end_headers() without its flush: one write for headers + body
        self._headers_buffer.append(data)
        self.flush_headers()

    def do_GET(self):  # noqa: N802 - stdlib name
        url = urlsplit(self.path)
        params = {k.lower(): v for k, v in parse_qsl(url.query)}
        replay = self.server.replay
        if url.path == ADMIN_FAULTS:
            return self._send(200, replay.faults.to_dict())
        if url.path == ADMIN_REQUESTS:
            return self._send(200, replay.request_counts())
        if url.path.rstrip("/").endswith("/" + BOX):
            return self._data_request(BOX, self.path, params.get("gameid", ""))
        if url.path.rstrip("/").endswith("/" + SCOREBOARD):
            return self._data_request(SCOREBOARD, self.path, params.get("gamedate", ""))
        if url.path.rstrip("/").endswith("/" + PLAYER_INDEX):
            return self._roster_request(self.path, dict(parse_qsl(url.query)))
        return self._send(404, {"message": f"the replay does not serve {url.path}; use /stats/{BOX}, "
                                           f"/stats/{SCOREBOARD} or /stats/{PLAYER_INDEX}"})

    def do_PUT(self):  # noqa: N802 - stdlib name; PUT/POST replace the faults, DELETE clears them
        if urlsplit(self.path).path != ADMIN_FAULTS:
            return self._send(404, {"message": f"only {ADMIN_FAULTS} accepts {self.command}"})
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if self.command != "DELETE" else b""
        try:
            self.server.replay.set_faults(body.decode() or None)
        except (ValueError, UnicodeDecodeError) as exc:
            return self._send(400, {"message": str(exc)})
        return self._send(200, self.server.replay.faults.to_dict())

    do_POST = do_DELETE = do_PUT

    def _reset(self) -> None:
        """Abort the connection: SO_LINGER on with 0 s makes close() send a TCP RST instead of a FIN.

        The read buffer (``rfile``) holds a reference to the socket, so it is closed first: only then does
        ``close()`` release the descriptor and the kernel send the reset. The server's own shutdown of the
        request then meets a closed socket (an ``OSError`` it ignores).
        """
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.rfile.close()
        self.connection.close()

    def _request_fault(self, endpoint: str, game_id: str | None, day: dt.date | None, url: str, payload) -> bool:
        """Apply the request-level faults (hang, HTTP status, reset, malformed JSON) hitting this request.

        ``payload`` builds the normal body (for ``malformed_json``). Returns True when a fault answered (or dropped)
        the request, False when the normal answer is due.
        """
        replay = self.server.replay
        for index, rule in replay.faults.request_rules(endpoint, game_id, day):
            if rule.kind == "hang" and replay.stopping.wait(rule.seconds):
                return True  # shutting down: drop the request
            if rule.kind in ("http_status", "reset") and (rule.first_n is None
                                                         or replay.seen(index, url) <= rule.first_n):
                if rule.kind == "reset":
                    self._reset()
                    return True
                retry_after = {} if rule.retry_after is None else {"Retry-After": str(rule.retry_after)}
                self._send(rule.status, {"message": f"replay fault: HTTP {rule.status} for {url}"},
                           headers=retry_after)
                return True
            if rule.kind == "malformed_json":
                text = json.dumps(payload() or {"message": "x" * 64}).encode()
                self._send(200, text[: len(text) // 2])
                return True
        return False

    def _data_request(self, endpoint: str, url: str, key: str):
        replay = self.server.replay
        replay.count(endpoint, key)  # every request counts, rejected ones too
        if endpoint == BOX and not re.fullmatch(r"\d{10}", key):
            return self._send(400, {"message": f"GameID={key!r} is not a 10-digit game id, e.g. 0022500165"})
        try:
            day = dt.date.fromisoformat(key) if endpoint == SCOREBOARD else None
        except ValueError:
            return self._send(400, {"message": f"GameDate={key!r} is not a YYYY-MM-DD date, e.g. 2025-11-05"})
        game = replay.data.games.get(key) if endpoint == BOX else None
        if game is not None:
            day = game["game_date"]
        faults = replay.faults
        if self._request_fault(endpoint, key if endpoint == BOX else None, day, url,
                               lambda: self._payload(endpoint, key, day, faults)):
            return None
        payload = self._payload(endpoint, key, day, faults)
        if payload is not None:
            return self._send(200, payload)
        if game is None:
            reason = "is not in the replay's schedules; check the game id"
        elif faults.game_state(BOX, key, day)[0] == "postponed":
            reason = f"on {day} is postponed (replay fault): there is no box score"
        else:
            reason = (f"on {day} has no bundled box score (regular season only: 2024-25 through 2025-04-01, "
                      "2025-26 through 2026-02-12)")
        return self._send(404, {"message": f"game {key} {reason}"})

    def _roster_request(self, url: str, query: dict[str, str]):
        """``playerindex``: the season's roster as of the header's date (else ``as_of``, else today, clipped)."""
        replay = self.server.replay
        season, header = query.get("Season", ""), self.headers.get(AS_OF_HEADER, "")
        if query.get("LeagueID") != "00" or not SEASON_PATTERN.fullmatch(season):
            replay.count(PLAYER_INDEX, header or season)
            return self._send(400, {"message": f"playerindex needs LeagueID=00 and Season=YYYY-YY, got "
                                               f"LeagueID={query.get('LeagueID')!r} Season={season!r}"})
        span = season_span(season)
        try:
            day = dt.date.fromisoformat(header) if header else None
        except ValueError:
            day = None
        if header and (day is None or span is None or not span[0] <= day <= span[1]):
            replay.count(PLAYER_INDEX, header)
            where = f"season {season} ({span[0]} … {span[1]})" if span else f"a bundled season (not {season})"
            return self._send(400, {"message": f"{AS_OF_HEADER}: {header!r} is not a YYYY-MM-DD date of {where}"})
        if day is None:  # no header: the replay's "now", inside the season
            day = replay.faults.as_of or dt.date.today()
            day = min(max(day, span[0]), span[1]) if span else day
        replay.count(PLAYER_INDEX, day.isoformat())
        payload = lambda: player_index_payload(replay.rosters, season, day, query)  # noqa: E731
        if self._request_fault(PLAYER_INDEX, None, day, url, payload):
            return None
        return self._send(200, payload())

    def _payload(self, endpoint: str, key: str, day: dt.date | None, faults: Faults) -> dict | None:
        data = self.server.replay.data
        if endpoint == SCOREBOARD:
            return scoreboard_payload(data, day, faults)
        if key not in data.games:
            return None
        state, rule = faults.game_state(BOX, key, day)
        if state == "postponed" or not data.has_box(key):
            return None
        return boxscore_payload(data, key, state, rule, corrected=faults.corrected(key, day))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a hung handler must never block shutdown
    replay: ReplayServer

    def handle_error(self, request, client_address):
        # Clients that time out close the socket under a sleeping handler: expected, not an error.
        log.debug("replay: client %s went away", client_address, exc_info=True)


class ReplayServer:
    """A stats.nba.com replay on loopback in a background thread; use as a context manager.

    One instance = one listening socket. ``base_url`` is what ``NbaStatsClient(base_url=...)`` takes.

    Args:
        host: interface to bind (default loopback).
        port: TCP port; 0 picks a free one.
        faults: initial fault set (``Faults``, its JSON dict or string, or None).
        data: an already indexed bundle to share between servers (default: load it).
        rosters: the roster index of the bundle's game logs (default: build it once per process).

    Raises:
        ValueError: invalid faults. BundledDataError: the bundle is missing or malformed.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, faults=None, data: ReplayData | None = None,
                 rosters: RosterIndex | None = None):
        self.data = data or shared_replay_data()
        self.rosters = rosters or shared_roster_index()
        self._faults = self._checked(Faults.parse(faults))
        self._lock = threading.Lock()
        self._counts: Counter = Counter()
        self._url_counts: Counter = Counter()
        self._times: list[tuple[str, str, float]] = []
        self.stopping = threading.Event()
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.replay = self
        self._thread: threading.Thread | None = None

    @property
    def root_url(self) -> str:
        """``http://host:port`` of the running server."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/stats``, the stats.nba.com base URL of this replay."""
        return f"{self.root_url}/stats"

    @property
    def faults(self) -> Faults:
        """The faults currently injected."""
        return self._faults

    @faults.setter
    def faults(self, value) -> None:
        self.set_faults(value)

    def set_faults(self, value) -> Faults:
        """Replace the fault set (``Faults``, dict, JSON string or None) and restart ``first_n`` counting."""
        parsed = self._checked(Faults.parse(value))
        with self._lock:
            self._faults = parsed
            self._url_counts.clear()
        return parsed

    def _checked(self, faults: Faults) -> Faults:
        """``faults``, after checking that every game a ``stat_correction`` rule names has a bundled correction."""
        named = {g for r in faults.rules if r.kind == "stat_correction" for g in r.game_ids}
        unknown = sorted(named - set(self.data.corrected_lines))
        if unknown:
            raise ValueError(f"stat_correction names games {unknown} without a bundled correction; the bundle "
                             f"corrects {sorted(self.data.corrected_lines)} (data/stat_corrections_2025_26.parquet)")
        return faults

    def count(self, endpoint: str, key: str) -> None:
        """Record one request to an endpoint for a game id or date, and when it arrived.

        Read back with :meth:`request_count` and :meth:`request_times`.
        """
        with self._lock:
            self._counts[(endpoint, key)] += 1
            self._times.append((endpoint, key, time.monotonic()))

    def seen(self, rule_index: int, url: str) -> int:
        """How many times rule ``rule_index`` has now met this exact URL (drives ``first_n``)."""
        with self._lock:
            self._url_counts[(rule_index, url)] += 1
            return self._url_counts[(rule_index, url)]

    def request_count(self, endpoint: str | None = None, key: str | None = None) -> int:
        """Requests received (faulted ones included) for an endpoint and/or a game id or ``YYYY-MM-DD`` date."""
        with self._lock:
            return sum(n for (e, k), n in self._counts.items()
                       if endpoint in (None, e) and key in (None, k))

    def request_times(self, endpoint: str | None = None, key: str | None = None) -> list[float]:
        """Arrival times (``time.monotonic()`` of this process, seconds) of the requests received for an endpoint
        and/or a game id or date, oldest first: what a test compares with the client's waits (e.g. Retry-After).
        """
        with self._lock:
            return [t for e, k, t in self._times if endpoint in (None, e) and key in (None, k)]

    def request_counts(self) -> dict:
        """``{endpoint: {game id or date: n}}`` of every request received."""
        with self._lock:
            out: dict = {}
            for (endpoint, key), n in self._counts.items():
                out.setdefault(endpoint, {})[key] = n
            return out

    def reset_counts(self) -> None:
        """Forget the per-endpoint request counts."""
        with self._lock:
            self._counts.clear()
            self._url_counts.clear()
            self._times.clear()

    def start(self) -> ReplayServer:
        """Serve in a daemon thread; returns self."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="nba-replay", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake hung handlers and close the socket."""
        self.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def serve_forever(self) -> None:
        """Serve in the calling thread until Ctrl-C, then close the socket."""
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.stopping.set()
            self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _interrupt(signum, frame) -> None:
    """SIGTERM handler of the foreground replay: stop serving as Ctrl-C does."""
    raise KeyboardInterrupt


def serve_replay(host: str = "127.0.0.1", port: int = 0, faults_json: str | None = None) -> None:
    """Run the replay in the foreground until Ctrl-C (for ``nba-backfill replay-server``).

    Prints two lines on stdout: ``stats.nba.com replay at http://HOST:PORT/stats`` (give it to the client as
    ``base_url`` / ``NBA_BACKFILL_STATS_URL``), then the admin URL and the active faults.

    Args:
        host: interface to bind.
        port: TCP port (0 = a free one).
        faults_json: initial faults as a JSON string or a path to a ``.json`` file (see ``replay_faults``).

    Raises:
        ValueError: invalid faults JSON. OSError: the file is unreadable or the port is taken.
    """
    if faults_json and not faults_json.lstrip().startswith("{"):
        with open(faults_json, encoding="utf-8") as handle:
            faults_json = handle.read()
    server = ReplayServer(host, port, faults=faults_json)
    # Stop cleanly on SIGTERM (docker/systemd stop, Popen.terminate) like on Ctrl-C, also when the parent
    # started us with SIGTERM ignored (an ignored disposition is inherited across exec).
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"stats.nba.com replay at {server.base_url}", flush=True)
    print(f"faults: {server.root_url}{ADMIN_FAULTS}  {json.dumps(server.faults.to_dict())}", flush=True)
    server.serve_forever()
