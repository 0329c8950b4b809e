"""Fixtures for the source tests: one replay server on loopback for the session, reset before each test.

The real wire-format samples are the copies in ``nba_backfill_tests/fixtures`` (MIT, swar/nba_api; see
PROVENANCE D): boxscoretraditionalv3 of game 0022500165 (MIL @ TOR, 2025-11-04) and scoreboardv3 of 2025-11-05.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="session")
def real_box() -> dict:
    return json.loads((FIXTURES / "boxscoretraditionalv3_0022500165.json").read_text())


@pytest.fixture(scope="session")
def real_scoreboard() -> dict:
    return json.loads((FIXTURES / "scoreboardv3_2025-11-05.json").read_text())


@pytest.fixture(scope="session")
def _replay_server():
    with ReplayServer() as server:
        yield server


@pytest.fixture
def replay(_replay_server) -> ReplayServer:
    """The session's replay with no faults and zero request counts."""
    _replay_server.set_faults(None)
    _replay_server.reset_counts()
    yield _replay_server
    _replay_server.set_faults(None)


@pytest.fixture
def client(replay) -> NbaStatsClient:
    """The real client pointed at the replay, with tiny backoff and no rate limit (tests stay fast)."""
    return NbaStatsClient(base_url=replay.base_url, backoff_seconds=0.01, rate_limit_seconds=0,
                          timeout_seconds=5, max_retries=2)
