"""The one place that reads the environment: deployment, paths, scope and source URLs.

Environment variables (all optional):
    NBA_BACKFILL_HOME          root of local state (default ``./.nba_backfill`` in the working directory)
    NBA_BACKFILL_DEPLOYMENT    ``local`` (DuckDB + local folder, default) or ``gcp`` (BigQuery + GCS)
    NBA_BACKFILL_STAGES        comma-separated game-id prefixes in scope (default ``002``, regular season)
    NBA_BACKFILL_STATS_URL     stats.nba.com base URL (default the real one; the demo points it at the replay)
    NBA_BACKFILL_RATE_LIMIT_SECONDS  minimum seconds between two requests (default 0.6 against the real site)
    NBA_BACKFILL_SOURCE_TIMEOUT_SECONDS  connect/read timeout of one request attempt (default 10)
    NBA_BACKFILL_SOURCE_RETRIES    retries after a failed attempt (429/5xx, timeouts, resets; default 3)
    NBA_BACKFILL_PARTITION_DEADLINE_SECONDS  wall-time budget for one date's box scores (default 120): a night
                               whose source hangs fails after about this long instead of games x attempts x timeout
    NBA_BACKFILL_SEASONS       comma-separated seasons the partitions cover, e.g. ``2025-26`` (default every season
                               of the bundled schedules: 2024-25,2025-26; see ``calendar.py``)
    NBA_BACKFILL_SEASON_START / NBA_BACKFILL_SEASON_END   game dates the gap sensor watches
                               (default empty = every partition of the configured seasons)
    NBA_BACKFILL_FAILURE_STREAK  consecutive failed final games that raise the alert (default 3)
    NBA_BACKFILL_GAP_RETRY_MINUTES  minutes before the gap (or refresh) sensor re-requests a day (default 30)
    NBA_BACKFILL_REFRESH_DAYS  the refresh sensor re-checks the final games of this many last watched days (default 7)
    NBA_BACKFILL_REFRESH_INTERVAL_SECONDS  seconds between two refresh sensor ticks (default 21600 = 6 h)
    NBA_BACKFILL_SENSORS       ``running`` (default) or ``stopped``: the default status of the sensors that launch
                               runs (gap, refresh, cascade automation). ``nba-backfill backfill`` sets ``stopped``
                               for the webserver + daemon it starts: they exist for its one backfill and stop with
                               it, so anything else they launched would be cut off (and they raced its backfill)
    DAGSTER_HOME               Dagster instance folder (default ``$NBA_BACKFILL_HOME/dagster``)

``gcp`` deployment (BigQuery + GCS + a Postgres-backed Dagster instance; credentials only through Application
Default Credentials, never read here):
    NBA_BACKFILL_GCP_PROJECT        project of the BigQuery datasets and jobs (required)
    NBA_BACKFILL_GCS_BUCKET         bucket of the raw objects (required; infrastructure creates it)
    NBA_BACKFILL_BQ_LOCATION        dataset and job location (default ``US``)
    NBA_BACKFILL_BQ_DATASET_PREFIX  prepended to the dataset names (``dev_`` -> ``dev_nba_raw``; default none)
    NBA_BACKFILL_GCS_PREFIX         prepended to the object names (default none)
    NBA_BACKFILL_BQ_ENDPOINT / BIGQUERY_EMULATOR_HOST   a BigQuery emulator's URL (anonymous credentials)
    NBA_BACKFILL_GCS_ENDPOINT / STORAGE_EMULATOR_HOST   a GCS emulator's URL (anonymous credentials)
    DAGSTER_PG_HOST, DAGSTER_PG_PORT, DAGSTER_PG_DB, DAGSTER_PG_USERNAME, DAGSTER_PG_PASSWORD
                                    the Dagster instance's Postgres (read by Dagster from ``dagster.yaml``)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nba_backfill.errors import SettingsError

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

INSTANCE_MARKER = "# Written by nba_backfill."
# ``{event_log_dir}``: the instance's own ``history/runs`` folder (Dagster's default place for the SQLite event
# log), filled in by ``ensure_dagster_home``, which rewrites the file when the folder moved (a copied home).
INSTANCE_YAML = INSTANCE_MARKER + """ DuckDB allows one writing process, so runs queue one at a time.
# The two classes named below are Dagster's own with one change each (nba_backfill/dagster_private.py, README
# Performance): the run queue also sets the backfill daemon's cadence (30 s fixed in Dagster: a 3-stage repair
# waited up to 30 s per stage), and the SQLite event log keeps its connections open (Dagster opens, commits
# and closes one per event: ~40 % of a range repair) with synchronous=NORMAL (a power loss may drop the last
# events; a crashed process does not).
run_coordinator:
  module: nba_backfill.dagster_private
  class: LocalRunCoordinator
  config:
    max_concurrent_runs: 1
    dequeue_interval_seconds: 1  # default 5: each queued run waited up to 5 s to start
    backfill_daemon_interval_seconds: 2
event_log_storage:
  module: nba_backfill.dagster_private
  class: PooledSqliteEventLogStorage
  config:
    base_dir: "{event_log_dir}"
# Run monitoring (the daemon's MONITORING loop). Under the default run launcher it cannot see whether a STARTED
# run's process is alive (no worker health check): a killed run worker is caught by the code server that spawned
# it, a run orphaned with its code server by the gap sensor (sensors/dead_runs.py). What it adds here: runs stuck
# STARTING or CANCELING fail after 120 s (a run worker starts in ~4 s on this 2-core machine, ~15 s under load),
# and any run still going after 4 h is ended (a whole two-season scrape of the real site at 0.6 s per request is
# ~1 h). Polled every 5 s instead of 120 s: one query on a local SQLite run storage.
run_monitoring:
  enabled: true
  poll_interval_seconds: 5
  start_timeout_seconds: 120
  cancel_timeout_seconds: 120
  max_runtime_seconds: 14400
  max_resume_run_attempts: 0  # the default run launcher cannot resume a run in a new worker
telemetry:
  enabled: false
# No "Join the Dagster community" modal on a local UI's first visit: it covered dialogs and tooltips an operator
# (and the browser tests) had just opened.
nux:
  enabled: false
"""

# The gcp instance: the same text as deploy/gcp/dagster.yaml (a test keeps them equal; the package cannot read
# the repository's deploy/ folder once installed).
GCP_INSTANCE_YAML = """\
# Dagster instance of the gcp deployment (nba_backfill): run and event storage in Postgres, runs queued.
# Connection from the environment (a secret holds the password); the driver is named explicitly because
# SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3, which dagster-postgres does not install.
storage:
  postgres:
    postgres_db:
      hostname: {env: DAGSTER_PG_HOST}
      port: {env: DAGSTER_PG_PORT}
      db_name: {env: DAGSTER_PG_DB}
      username: {env: DAGSTER_PG_USERNAME}
      password: {env: DAGSTER_PG_PASSWORD}
      scheme: postgresql+psycopg2
# One writer per table and date: a BigQuery MERGE replaces its dates atomically, so writers on different dates
# are safe, but two runs replacing the same dates of one table conflict (the later DML fails; nothing is
# duplicated, the run fails). Runs are queued one at a time, as in local (README, Production on GCP).
run_queue:
  max_concurrent_runs: 1
run_monitoring:
  enabled: true
  start_timeout_seconds: 300
  max_resume_run_attempts: 0
  poll_interval_seconds: 60
telemetry:
  enabled: false
"""
# Environment variables the gcp instance's dagster.yaml reads.
DAGSTER_PG_VARIABLES = ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_DB", "DAGSTER_PG_USERNAME",
                        "DAGSTER_PG_PASSWORD")


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with :func:`load_settings`."""

    home: Path
    deployment: str
    stages: tuple[str, ...]
    stats_base_url: str
    rate_limit_seconds: float
    dagster_home: Path
    source_timeout_seconds: float = 10.0
    source_retries: int = 3
    # A healthy 15-game night takes ~15-25 s against the real site (0.6 s rate limit + the answer); 120 s leaves
    # room for a slow source and some retries, and bounds a hanging one (was 15 x 4 x 10 s = 10 min).
    partition_deadline_seconds: float = 120.0
    season_start: str = ""  # "" = the first partition (calendar.py)
    season_end: str = ""  # "" = the last partition
    failure_streak_threshold: int = 3
    gap_retry_minutes: float = 30.0
    refresh_days: int = 7
    refresh_interval_seconds: int = 6 * 3600
    launching_sensors: bool = True
    gcp_project: str = ""
    gcs_bucket: str = ""
    bq_location: str = "US"
    bq_dataset_prefix: str = ""
    gcs_prefix: str = ""
    bq_endpoint: str = ""
    gcs_endpoint: str = ""

    def missing_gcp_settings(self) -> list[str]:
        """The environment variables a ``gcp`` deployment needs and these settings lack (empty when complete)."""
        return [name for name, value in (("NBA_BACKFILL_GCP_PROJECT", self.gcp_project),
                                         ("NBA_BACKFILL_GCS_BUCKET", self.gcs_bucket),
                                         ("NBA_BACKFILL_BQ_LOCATION", self.bq_location)) if not value]

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


def _number(kind: type[int] | type[float], name: str, default: str) -> int | float:
    """The environment variable ``name`` as ``kind`` (``default`` when unset).

    Raises:
        SettingsError: the value does not parse; the message names the variable and the expected kind.
    """
    raw = os.environ.get(name, default)
    try:
        return kind(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a{'n integer' if kind is int else ' number'}; unset it for "
                            f"the default ({default}) or give one") from None


def _sensors_running() -> bool:
    """``NBA_BACKFILL_SENSORS`` as a bool.

    Raises:
        SettingsError: neither ``running`` nor ``stopped``.
    """
    value = os.environ.get("NBA_BACKFILL_SENSORS", "running")
    if value not in ("running", "stopped"):
        raise SettingsError(f"NBA_BACKFILL_SENSORS={value!r} is not one of running, stopped")
    return value == "running"


def load_settings() -> Settings:
    """Read the environment once.

    Raises:
        SettingsError (a ValueError): unknown deployment or stage prefix, or a number that does not parse (the
            message names the variable and the valid values).
    """
    deployment = os.environ.get("NBA_BACKFILL_DEPLOYMENT", "local")
    if deployment not in ("local", "gcp"):
        raise SettingsError(f"NBA_BACKFILL_DEPLOYMENT={deployment!r} is not one of local, gcp")
    stages = tuple(s.strip() for s in os.environ.get("NBA_BACKFILL_STAGES", "002").split(",") if s.strip())
    unknown = [s for s in stages if s not in STAGES_BY_PREFIX]
    if unknown:
        raise SettingsError(f"NBA_BACKFILL_STAGES has unknown game-id prefixes {unknown}; use "
                            f"{sorted(STAGES_BY_PREFIX)}")
    home = Path(os.environ.get("NBA_BACKFILL_HOME", ".nba_backfill")).resolve()
    env = os.environ.get
    return Settings(
        home=home,
        deployment=deployment,
        stages=stages,
        stats_base_url=os.environ.get("NBA_BACKFILL_STATS_URL", REAL_STATS_URL),
        rate_limit_seconds=_number(float, "NBA_BACKFILL_RATE_LIMIT_SECONDS", "0.6"),
        dagster_home=Path(os.environ.get("DAGSTER_HOME") or home / "dagster").resolve(),
        source_timeout_seconds=_number(float, "NBA_BACKFILL_SOURCE_TIMEOUT_SECONDS", "10"),
        source_retries=_number(int, "NBA_BACKFILL_SOURCE_RETRIES", "3"),
        partition_deadline_seconds=_number(float, "NBA_BACKFILL_PARTITION_DEADLINE_SECONDS", "120"),
        season_start=os.environ.get("NBA_BACKFILL_SEASON_START", ""),
        season_end=os.environ.get("NBA_BACKFILL_SEASON_END", ""),
        failure_streak_threshold=_number(int, "NBA_BACKFILL_FAILURE_STREAK", "3"),
        gap_retry_minutes=_number(float, "NBA_BACKFILL_GAP_RETRY_MINUTES", "30"),
        refresh_days=_number(int, "NBA_BACKFILL_REFRESH_DAYS", "7"),
        refresh_interval_seconds=_number(int, "NBA_BACKFILL_REFRESH_INTERVAL_SECONDS", str(6 * 3600)),
        launching_sensors=_sensors_running(),
        gcp_project=env("NBA_BACKFILL_GCP_PROJECT", "").strip(),
        gcs_bucket=env("NBA_BACKFILL_GCS_BUCKET", "").strip(),
        bq_location=env("NBA_BACKFILL_BQ_LOCATION", "US").strip(),
        bq_dataset_prefix=env("NBA_BACKFILL_BQ_DATASET_PREFIX", "").strip(),
        gcs_prefix=env("NBA_BACKFILL_GCS_PREFIX", "").strip(),
        bq_endpoint=(env("NBA_BACKFILL_BQ_ENDPOINT") or env("BIGQUERY_EMULATOR_HOST") or "").strip(),
        gcs_endpoint=(env("NBA_BACKFILL_GCS_ENDPOINT") or env("STORAGE_EMULATOR_HOST") or "").strip(),
    )


def configured_season_labels() -> tuple[str, ...]:
    """``NBA_BACKFILL_SEASONS`` as labels (empty: every bundled season); read once by ``calendar.py`` at import."""
    return tuple(s.strip() for s in os.environ.get("NBA_BACKFILL_SEASONS", "").split(",") if s.strip())


def local_settings(home: Path, **overrides) -> Settings:
    """Settings of a local deployment rooted at ``home``, ignoring the environment (tests, benchmarks)."""
    values = dict(home=home, deployment="local", stages=("002",), stats_base_url=REAL_STATS_URL,
                  rate_limit_seconds=0.0, dagster_home=home / "dagster")
    return Settings(**{**values, **overrides})


def gcp_settings(home: Path, project: str, bucket: str, **overrides) -> Settings:
    """Settings of a ``gcp`` deployment, ignoring the environment (tests on the emulators)."""
    return local_settings(home, deployment="gcp", gcp_project=project, gcs_bucket=bucket, **overrides)


def local_instance_yaml(home: Path) -> str:
    """The local instance's ``dagster.yaml`` for the Dagster home ``home`` (its event log under ``history/runs``)."""
    return INSTANCE_YAML.replace("{event_log_dir}", str(home.resolve() / "history" / "runs"))


def ensure_dagster_home(settings: Settings) -> Path:
    """Create the Dagster instance folder with its ``dagster.yaml`` if absent; return it.

    ``local``: SQLite storage under the folder, a run queue of one (DuckDB has one writer). ``gcp``: Postgres
    storage from the ``DAGSTER_PG_*`` variables, the run queue and run monitoring (``GCP_INSTANCE_YAML``). A
    ``dagster.yaml`` written by another hand (e.g. mounted by the Helm chart) is never overwritten; one written
    by nba_backfill is brought up to date (new settings, or the home was copied to another folder).

    Raises:
        SettingsError: ``gcp`` and a ``DAGSTER_PG_*`` variable the instance reads is not set.
    """
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    wanted = GCP_INSTANCE_YAML if settings.deployment == "gcp" else local_instance_yaml(home)
    # Ours and outdated (an older release's, or a home copied from elsewhere): rewritten. Anyone else's: kept.
    if not config.exists() or (config.read_text().startswith(INSTANCE_MARKER) and config.read_text() != wanted):
        config.write_text(wanted)
    if settings.deployment == "gcp" and "DAGSTER_PG_" in config.read_text():
        missing = [name for name in DAGSTER_PG_VARIABLES if name not in os.environ]
        if missing:
            raise SettingsError(f"{', '.join(missing)} not set: the gcp deployment's Dagster instance ({config}) "
                                "stores runs in Postgres and reads its connection from these variables")
    return home
