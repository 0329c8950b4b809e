"""The gcp deployment's settings: read from the environment only in settings.py, resources under the same keys,
one-line errors naming the missing variable, and the Postgres-backed instance's ``dagster.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from nba_backfill.definitions import build_resources
from nba_backfill.errors import SettingsError
from nba_backfill.resources.bigquery_warehouse import BigQueryWarehouse
from nba_backfill.resources.gcs_object_store import GCSObjectStore
from nba_backfill.settings import (
    DAGSTER_PG_VARIABLES,
    GCP_INSTANCE_YAML,
    INSTANCE_YAML,
    ensure_dagster_home,
    gcp_settings,
    load_settings,
    local_settings,
)

pytestmark = pytest.mark.gcp
REPO = Path(__file__).resolve().parents[2]
GCP_ENV = {"NBA_BACKFILL_DEPLOYMENT": "gcp", "NBA_BACKFILL_GCP_PROJECT": "nba-prod",
           "NBA_BACKFILL_GCS_BUCKET": "nba-prod-lake"}


@pytest.fixture()
def env(monkeypatch):
    for name in ("NBA_BACKFILL_BQ_LOCATION", "NBA_BACKFILL_BQ_DATASET_PREFIX", "NBA_BACKFILL_GCS_PREFIX",
                 "NBA_BACKFILL_BQ_ENDPOINT", "NBA_BACKFILL_GCS_ENDPOINT", "BIGQUERY_EMULATOR_HOST",
                 "STORAGE_EMULATOR_HOST", "DAGSTER_HOME", *DAGSTER_PG_VARIABLES, *GCP_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_gcp_resources_come_from_the_environment_under_the_local_keys(env, tmp_path):
    for key, value in {**GCP_ENV, "NBA_BACKFILL_BQ_LOCATION": "europe-west1", "NBA_BACKFILL_HOME": str(tmp_path),
                       "NBA_BACKFILL_BQ_DATASET_PREFIX": "dev_", "BIGQUERY_EMULATOR_HOST": "http://127.0.0.1:9050",
                       "NBA_BACKFILL_GCS_ENDPOINT": "http://127.0.0.1:9023"}.items():
        env.setenv(key, value)
    settings = load_settings()
    resources = build_resources(settings)
    assert set(resources) == set(build_resources(local_settings(tmp_path)))
    warehouse, store = resources["warehouse"], resources["object_store"]
    assert isinstance(warehouse, BigQueryWarehouse) and isinstance(store, GCSObjectStore)
    assert (warehouse.project, warehouse.dataset_location, warehouse.dataset_prefix, warehouse.api_endpoint) == (
        "nba-prod", "europe-west1", "dev_", "http://127.0.0.1:9050")
    assert (store.bucket, store.project, store.api_endpoint) == ("nba-prod-lake", "nba-prod", "http://127.0.0.1:9023")
    assert resources["warehouse_io_manager"].warehouse is warehouse
    assert warehouse.location() == "bigquery://nba-prod/dev_nba_* (europe-west1)"
    # production: no endpoint, so the clients use Application Default Credentials
    env.delenv("BIGQUERY_EMULATOR_HOST")
    env.delenv("NBA_BACKFILL_GCS_ENDPOINT")
    prod = build_resources(load_settings())
    assert prod["warehouse"].api_endpoint == "" and prod["object_store"].api_endpoint == ""
    assert prod["warehouse"].dataset_location == "europe-west1"


@pytest.mark.parametrize("missing", ["NBA_BACKFILL_GCP_PROJECT", "NBA_BACKFILL_GCS_BUCKET"])
def test_a_missing_setting_is_one_line_naming_the_variable(env, tmp_path, missing):
    for key, value in GCP_ENV.items():
        if key != missing:
            env.setenv(key, value)
    env.setenv("NBA_BACKFILL_HOME", str(tmp_path))
    with pytest.raises(SettingsError, match=f"^{missing} is not set: the gcp deployment needs it") as info:
        build_resources(load_settings())
    assert "\n" not in str(info.value)
    with pytest.raises(SettingsError, match="NBA_BACKFILL_GCS_BUCKET is not set"):
        build_resources(gcp_settings(tmp_path, "nba-prod", ""))


def test_the_gcp_instance_yaml_is_the_repository_one_and_needs_the_postgres_variables(env, tmp_path):
    assert (REPO / "deploy" / "gcp" / "dagster.yaml").read_text() == GCP_INSTANCE_YAML
    settings = gcp_settings(tmp_path, "nba-prod", "nba-prod-lake")
    with pytest.raises(SettingsError, match=r"^DAGSTER_PG_HOST, DAGSTER_PG_PORT, DAGSTER_PG_DB, "
                                            r"DAGSTER_PG_USERNAME, DAGSTER_PG_PASSWORD not set"):
        ensure_dagster_home(settings)
    assert (settings.dagster_home / "dagster.yaml").read_text() == GCP_INSTANCE_YAML
    # local is unchanged: SQLite instance, one run at a time, its event log in its own history/runs
    local = local_settings(tmp_path / "local")
    local_yaml = (ensure_dagster_home(local) / "dagster.yaml").read_text()
    assert local_yaml == INSTANCE_YAML.replace("{event_log_dir}", str(tmp_path / "local" / "dagster" / "history"
                                                                      / "runs"))
    # a local home copied elsewhere gets its own event log folder, not the original's
    import shutil
    shutil.copytree(tmp_path / "local", tmp_path / "copy")
    copied = (ensure_dagster_home(local_settings(tmp_path / "copy")) / "dagster.yaml").read_text()
    assert str(tmp_path / "copy" / "dagster" / "history" / "runs") in copied and str(tmp_path / "local") not in copied
    # an existing dagster.yaml (e.g. mounted by the Helm chart) is kept
    mounted = gcp_settings(tmp_path / "helm", "nba-prod", "nba-prod-lake")
    mounted.dagster_home.mkdir(parents=True)
    (mounted.dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    assert (ensure_dagster_home(mounted) / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"


def test_the_gcp_instance_config_is_valid_for_dagster(env, tmp_path, postgres_server):
    from nba_backfill_tests.gcp.deployment import postgres_environment

    for key, value in postgres_environment(postgres_server).items():
        env.setenv(key, value)
    settings = gcp_settings(tmp_path, "nba-prod", "nba-prod-lake")
    with dg.DagsterInstance.from_config(str(ensure_dagster_home(settings))) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1
        assert instance.run_monitoring_enabled


def test_the_command_prints_one_line_when_a_gcp_setting_is_missing(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NBA_BACKFILL_HOME": str(tmp_path),
           "NBA_BACKFILL_DEPLOYMENT": "gcp", "NBA_BACKFILL_GCS_BUCKET": "nba-prod-lake", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", "from nba_backfill.cli import main; main()", "validate",
                           "2026-01-21"], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stdout.strip() == ("error: NBA_BACKFILL_GCP_PROJECT is not set: the gcp deployment needs it "
                                   "(README, Production on GCP)")
