"""The one place that reads the environment: deployment, paths, scope and source URLs.

Environment variables (all optional):
    NBA_BACKFILL_HOME          root of local state (default ``./.nba_backfill`` in the working directory)
    NBA_BACKFILL_DEPLOYMENT    ``local`` (DuckDB + local folder, default) or ``gcp`` (BigQuery + GCS)
    NBA_BACKFILL_STAGES        comma-separated game-id prefixes in scope (default ``002``, regular season)
    NBA_BACKFILL_STATS_URL     stats.nba.com base URL (default the real one; the demo points it at the replay)
    NBA_BACKFILL_RATE_LIMIT_SECONDS  minimum seconds between two requests (default 0.6 against the real site)
    NBA_BACKFILL_SEASON_START / NBA_BACKFILL_SEASON_END   game dates the gap sensor watches
                               (default 2025-10-21 … 2026-04-12, the 2025-26 regular season)
    NBA_BACKFILL_FAILURE_STREAK  consecutive failed final games that raise the alert (default 3)
    NBA_BACKFILL_GAP_RETRY_MINUTES  minutes before the gap sensor re-requests a gap day (default 30)
    DAGSTER_HOME               Dagster instance folder (default ``$NBA_BACKFILL_HOME/dagster``)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REAL_STATS_URL = "https://stats.nba.com/stats"

# Game-id prefix -> stage name, from NBA.com id conventions (see data/PROVENANCE.md).
STAGES_BY_PREFIX = {
    "001": "Preseason",
    "002": "Regular Season",
    "003": "All-Star",
    "004": "Playoffs",
    "005": "Play-In",
    "006": "Cup Final",
}

INSTANCE_YAML = """\
# Written by nba_backfill. DuckDB allows one writing process, so runs queue one at a time.
run_queue:
  max_concurrent_runs: 1
  dequeue_interval_seconds: 1  # default 5: each queued run waited up to 5 s to start
telemetry:
  enabled: false
"""


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with :func:`load_settings`."""

    home: Path
    deployment: str
    stages: tuple[str, ...]
    stats_base_url: str
    rate_limit_seconds: float
    dagster_home: Path
    season_start: str = "2025-10-21"
    season_end: str = "2026-04-12"
    failure_streak_threshold: int = 3
    gap_retry_minutes: float = 30.0

    @property
    def warehouse_path(self) -> Path:
        """The embedded DuckDB file (local deployment)."""
        return self.home / "warehouse.duckdb"

    @property
    def lake_path(self) -> Path:
        """The embedded object store folder (local deployment)."""
        return self.home / "lake"

    @property
    def models_path(self) -> Path:
        """The fitted-model cache (``assets/trained_models.py``), shared by every run process."""
        return self.home / "models"


def load_settings() -> Settings:
    """Read the environment once.

    Raises:
        ValueError: unknown deployment or stage prefix (the message lists the valid values).
    """
    deployment = os.environ.get("NBA_BACKFILL_DEPLOYMENT", "local")
    if deployment not in ("local", "gcp"):
        raise ValueError(f"NBA_BACKFILL_DEPLOYMENT={deployment!r} is not one of local, gcp")
    stages = tuple(s.strip() for s in os.environ.get("NBA_BACKFILL_STAGES", "002").split(",") if s.strip())
    unknown = [s for s in stages if s not in STAGES_BY_PREFIX]
    if unknown:
        raise ValueError(f"NBA_BACKFILL_STAGES has unknown game-id prefixes {unknown}; use {sorted(STAGES_BY_PREFIX)}")
    home = Path(os.environ.get("NBA_BACKFILL_HOME", ".nba_backfill")).resolve()
    return Settings(
        home=home,
        deployment=deployment,
        stages=stages,
        stats_base_url=os.environ.get("NBA_BACKFILL_STATS_URL", REAL_STATS_URL),
        rate_limit_seconds=float(os.environ.get("NBA_BACKFILL_RATE_LIMIT_SECONDS", "0.6")),
        dagster_home=Path(os.environ.get("DAGSTER_HOME") or home / "dagster").resolve(),
        season_start=os.environ.get("NBA_BACKFILL_SEASON_START", "2025-10-21"),
        season_end=os.environ.get("NBA_BACKFILL_SEASON_END", "2026-04-12"),
        failure_streak_threshold=int(os.environ.get("NBA_BACKFILL_FAILURE_STREAK", "3")),
        gap_retry_minutes=float(os.environ.get("NBA_BACKFILL_GAP_RETRY_MINUTES", "30")),
    )


def local_settings(home: Path, **overrides) -> Settings:
    """Settings of a local deployment rooted at ``home``, ignoring the environment (tests, benchmarks)."""
    values = dict(home=home, deployment="local", stages=("002",), stats_base_url=REAL_STATS_URL,
                  rate_limit_seconds=0.0, dagster_home=home / "dagster")
    return Settings(**{**values, **overrides})


def ensure_dagster_home(settings: Settings) -> Path:
    """Create the Dagster instance folder with its ``dagster.yaml`` (run queue of one) if absent; return it."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_YAML)
    return home
