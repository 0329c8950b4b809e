"""Start and stop a real local Dagster (``dagster dev``: webserver + daemon) on the project's instance.

Used by ``nba-backfill backfill`` without ``--url``, by the demo's repair step and by the end-to-end
tests: the daemon runs the sensors, the automation and the backfills exactly as in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from nba_backfill.errors import NbaBackfillError
from nba_backfill.settings import Settings, ensure_dagster_home


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalDagster:
    """``with LocalDagster(settings, env={...}) as url:`` — a webserver + daemon on 127.0.0.1 until exit.

    Args:
        settings: the deployment; its Dagster instance folder and home are passed to the processes.
        env: extra environment for the code location (e.g. ``NBA_BACKFILL_STATS_URL`` of a replay).
        log_path: where the processes' output goes (default ``$DAGSTER_HOME/dagster-dev.log``).
    """

    def __init__(self, settings: Settings, env: dict[str, str] | None = None, log_path: Path | None = None,
                 startup_timeout_seconds: float = 180.0):
        self.settings = settings
        self.env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or settings.dagster_home / "dagster-dev.log"
        self.startup_timeout_seconds = startup_timeout_seconds
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> str:
        home = ensure_dagster_home(self.settings)
        env = {**os.environ, "DAGSTER_HOME": str(home), "NBA_BACKFILL_HOME": str(self.settings.home),
               "PYTHONWARNINGS": "ignore", **self.env}
        cmd = [str(Path(sys.executable).parent / "dagster"), "dev", "-m", "nba_backfill.definitions", "-a", "defs",
               "-h", "127.0.0.1", "-p", str(self.port)]
        self._log = open(self.log_path, "ab")
        self._proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        try:
            self._wait_until_it_answers()
        except BaseException:
            # Ctrl-C or a timeout while it starts: its own session does not get the terminal's SIGINT, so
            # without this it would keep running with nobody to stop it.
            self.__exit__(None, None, None)
            raise
        return self.url

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + self.startup_timeout_seconds
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise NbaBackfillError(f"dagster dev exited with {self._proc.returncode}; see {self.log_path}")
            try:
                if requests.get(f"{self.url}/server_info", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(1.0)
        raise NbaBackfillError(f"dagster dev did not answer on {self.url} within "
                               f"{self.startup_timeout_seconds:.0f} s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self._proc and self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGINT)  # dagster dev shuts its children down on SIGINT
            try:
                self._proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self._proc.pid, signal.SIGKILL)
                self._proc.wait()
        self._log.close()
