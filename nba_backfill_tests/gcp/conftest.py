"""Fixtures for the ``gcp`` deployment's tests: local emulators of BigQuery and GCS, and a Postgres server.

The servers are started once per session (only when a test asks for them) and stopped at the end, by process
id. When their binaries are missing the tests are skipped with the install command, unless
``NBA_BACKFILL_REQUIRE_EMULATORS=1`` (CI), which turns that into a failure.
"""

from __future__ import annotations

import os
import uuid

import pytest

from nba_backfill_tests.gcp.deployment import REPORT
from nba_backfill_tests.gcp.emulators import (
    EMULATOR_PROJECT,
    EmulatorUnavailable,
    Server,
    start_bigquery,
    start_postgres,
    start_storage,
)

_STARTED: list[Server] = []


def pytest_configure(config):
    config.addinivalue_line("markers", "gcp: runs against the local BigQuery/GCS emulators or Postgres server")


def pytest_terminal_summary(terminalreporter):
    if _STARTED:
        terminalreporter.section("gcp emulators")
        for server in _STARTED:
            terminalreporter.write_line(f"{server.name}: ready in {server.startup_seconds:.2f} s ({server.endpoint})")
    for line in REPORT:
        terminalreporter.write_line(line)


def _unavailable(exc: EmulatorUnavailable):
    if os.environ.get("NBA_BACKFILL_REQUIRE_EMULATORS") == "1":
        pytest.fail(str(exc))
    pytest.skip(str(exc))


def _start(starter, *args) -> Server:
    try:
        server = starter(*args)
    except EmulatorUnavailable as exc:
        _unavailable(exc)
    _STARTED.append(server)
    return server


@pytest.fixture(scope="session")
def bigquery_server(tmp_path_factory) -> Server:
    """bqemulator, in memory; ``.endpoint`` is ``http://127.0.0.1:<port>``."""
    server = _start(start_bigquery, tmp_path_factory.mktemp("bqemulator"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def storage_server(tmp_path_factory) -> Server:
    """gcp-storage-emulator, in memory; ``.endpoint`` is ``http://127.0.0.1:<port>``."""
    server = _start(start_storage, tmp_path_factory.mktemp("gcs_emulator"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Server:
    """A throwaway Postgres cluster; ``.endpoint`` is ``postgresql+psycopg2://postgres@127.0.0.1:<port>/dagster``."""
    server = _start(start_postgres)
    yield server
    server.stop()


@pytest.fixture()
def bigquery_endpoint(bigquery_server) -> str:
    return bigquery_server.endpoint


@pytest.fixture()
def storage_endpoint(storage_server) -> str:
    return storage_server.endpoint


@pytest.fixture()
def warehouse(bigquery_endpoint):
    """A BigQueryWarehouse on the emulator with datasets of its own (``t<hex>_nba_raw``, …)."""
    from nba_backfill.resources.bigquery_warehouse import BigQueryWarehouse

    return BigQueryWarehouse(project=EMULATOR_PROJECT, dataset_location="US", api_endpoint=bigquery_endpoint,
                             dataset_prefix=f"t{uuid.uuid4().hex[:8]}_")


@pytest.fixture()
def object_store(storage_endpoint):
    """A GCSObjectStore on the emulator: a new bucket, objects under the prefix ``lake``."""
    from nba_backfill.resources.gcs_object_store import GCSObjectStore

    store = GCSObjectStore(bucket=f"nba-test-{uuid.uuid4().hex[:8]}", prefix="lake", project=EMULATOR_PROJECT,
                           api_endpoint=storage_endpoint)
    store._storage_client().create_bucket(store.bucket)
    return store


@pytest.fixture(scope="module")
def dagster_pg_env(postgres_server) -> dict[str, str]:
    """A fresh database on the Postgres server, as the ``DAGSTER_PG_*`` variables the gcp ``dagster.yaml`` reads."""
    from nba_backfill_tests.gcp.deployment import postgres_environment

    return postgres_environment(postgres_server)
