"""The ONE package-specific module of the browser tier: builds a small real state and serves it in Dagster's UI.

Everything that names ``nba_backfill`` modules lives here, so a package restructuring only re-points these
imports (e.g. ``nba_backfill.runner`` → ``nba_backfill.operate.runner``); the tests ``test_ui_*.py`` only get
a base URL and the few facts in :class:`UiState`.

The state (four real game dates of the bundled 2025-26 season; built and served in about 60 s on 2 cores):

* schedule + props for 2026-01-18 … 2026-01-21, one range run;
* raw → phase 3 for 2026-01-18 … 2026-01-19 as one catch-up *range* run (like the demo's healthy months);
* one nightly run per date for 2026-01-20 and 2026-01-21, while the local replay of stats.nba.com answers
  HTTP 200 with empty statistics for 2026-01-20: that day's raw partition fails loudly, nothing is stored;
* the source recovers (the replay's fault is cleared), then ``dagster dev`` (webserver + daemon) starts on a
  free loopback port on that instance, with the code location pointed at the replay.

Gap sensor: it runs under the daemon, as in production, but its watched dates are restricted with
``NBA_BACKFILL_SEASON_START = NBA_BACKFILL_SEASON_END = 2026-01-21`` (a healthy day). Otherwise its first tick
(a few seconds after the daemon starts) would request 2026-01-20 itself, and the test could not show the
operator's manual repair from the UI. Stopping the sensor instead would leave no tick whose reason the
Automation page can show; with the restricted window it keeps ticking with a real reason ("no gaps: …").
Phases 4–5 are not materialized (their 21-day windows would need weeks of data); the cascade automation
waits on them and only carries a repair to phase 3.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nba_backfill.definitions import build_defs
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.local_dagster import LocalDagster
from nba_backfill.operate.runner import materialize_partition, materialize_range, project_instance

# --- package-specific imports: re-point these when the package layout changes -------------------------
from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import local_settings
from nba_backfill.sources.bundle import load_schedule, load_team_box
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

# ---------------------------------------------------------------------------------------------------------

FIRST_DAY = "2026-01-18"
CATCH_UP_END = "2026-01-19"  # FIRST_DAY … CATCH_UP_END: one range run
FAILED_DAY = "2026-01-20"  # the replay serves empty stats for it during its nightly run
LAST_DAY = "2026-01-21"
WATCHED_DAY = LAST_DAY  # the gap sensor's whole watched window (see module docstring)


@dataclass(frozen=True)
class UiState:
    """What the browser tests may know: the UI's URL and facts of the state (taken from the bundled data)."""

    base_url: str
    failed_day: str
    nightly_day: str  # materialized by a one-day run
    range_day: str  # materialized inside a multi-day range run
    final_games: dict[str, int]  # final regular-season games per date, from the bundled schedule
    team_rows: dict[str, int]  # rows of nba_raw.nbac_team_boxscore owed per date, from the bundled box scores
    home: Path
    log_path: Path


def _days(start: str, end: str) -> list[str]:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def bundled_facts(days: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Final regular-season games and team box-score rows per date, read from the bundled real data."""
    schedule = load_schedule()
    team_box = load_team_box()
    games, rows = {}, {}
    for day in days:
        on_day = schedule[schedule["game_date"].astype(str) == day]
        games[day] = int((on_day["game_id"].astype(str).str.startswith("002")).sum())
        rows[day] = int((team_box["game_date"].astype(str) == day).sum())
    return games, rows


def build_state(home: Path, replay: ReplayServer) -> None:
    """Materialize the state described in the module docstring into ``home`` (warehouse, lake, instance)."""
    settings = local_settings(home, season_start=WATCHED_DAY, season_end=WATCHED_DAY)
    instance = project_instance(settings)
    client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0.0, backoff_seconds=0.05, max_retries=1)
    defs = build_defs(settings, resource_overrides={"nba_stats": client})
    replay.set_faults({"rules": [{"kind": "empty_stats", "date_from": FAILED_DAY, "date_to": FAILED_DAY}]})
    outcome = materialize_range(defs, instance, PlannedRun(tuple(SOURCES), FIRST_DAY, LAST_DAY))
    assert outcome.success, outcome.failures
    outcome = materialize_range(defs, instance, PlannedRun(tuple(NIGHTLY), FIRST_DAY, CATCH_UP_END))
    assert outcome.success, outcome.failures
    for day in _days(FAILED_DAY, LAST_DAY):
        outcome = materialize_partition(defs, instance, day, selection=NIGHTLY)
        assert outcome.success == (day != FAILED_DAY), (day, outcome.failures)
    replay.set_faults({})  # the source recovers


@contextlib.contextmanager
def running_ui(root: Path) -> Iterator[UiState]:
    """Build the state under ``root`` and serve it with ``dagster dev``; yields the UI's facts until exit."""
    home = root / "home"
    settings = local_settings(home, season_start=WATCHED_DAY, season_end=WATCHED_DAY)
    games, rows = bundled_facts(_days(FIRST_DAY, LAST_DAY))
    log_path = root / "dagster-dev.log"
    with ReplayServer() as replay:
        build_state(home, replay)
        env = {
            "NBA_BACKFILL_STATS_URL": replay.base_url,
            "NBA_BACKFILL_RATE_LIMIT_SECONDS": "0",
            "NBA_BACKFILL_SEASON_START": WATCHED_DAY,
            "NBA_BACKFILL_SEASON_END": WATCHED_DAY,
            # the same code location file the README's `make ui` loads (workspace.yaml → nba_backfill.definitions)
            "PYTHONWARNINGS": "ignore",
        }
        with LocalDagster(settings, env=env, log_path=log_path) as url:
            yield UiState(base_url=url, failed_day=FAILED_DAY, nightly_day=LAST_DAY, range_day=CATCH_UP_END,
                          final_games=games, team_rows=rows, home=home, log_path=log_path)


if __name__ == "__main__":  # manual exploration: cd nba_backfill_tests && python -m browser.state /tmp/ui_state
    import signal
    import sys
    import time

    # Stop with Ctrl-C or `kill -TERM <pid>`. Note: a job started with `&` from a non-interactive shell ignores
    # SIGINT, and so do its children: LocalDagster then needs its 60 s SIGKILL fallback to stop dagster dev.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/nba_ui_state")
    target.mkdir(parents=True, exist_ok=True)
    with running_ui(target) as state:
        print(state, flush=True)
        print(f"UI on {state.base_url} (DAGSTER_HOME={state.home / 'dagster'})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not os.environ.get("NBA_UI_STATE_ONCE"):
                time.sleep(3600)
