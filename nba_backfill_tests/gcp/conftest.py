"""Fixtures for the ``gcp`` deployment's tests: local emulators of BigQuery and GCS, and a Postgres server.

The servers are started once per session (only when a test asks for them) and stopped at the end, by process
id. When their binaries are missing the tests are skipped with the install command, unless
``NBA_BACKFILL_REQUIRE_EMULATORS=1`` (CI), which turns that into a failure.
"""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

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


def _unavailable(exc: EmulatorUnavailable):
    if os.environ.get("NBA_BACKFILL_REQUIRE_EMULATORS") == "1":
        pytest.fail(str(exc))
    pytest.skip(str(exc))


@pytest.fixture(scope="session")
def gcp_emulators(tmp_path_factory) -> dict[str, Server]:
    """BigQuery and GCS emulators, started side by side: ``{"bigquery": Server, "storage": Server}``."""
    log_dir = tmp_path_factory.mktemp("emulator_logs")
    with ThreadPoolExecutor(2) as pool:
        futures = {"bigquery": pool.submit(start_bigquery, log_dir), "storage": pool.submit(start_storage, log_dir)}
        servers, error = {}, None
        for name, fut in futures.items():
            try:
                servers[name] = fut.result()
            except Exception as exc:  # noqa: BLE001 - stop the other one, then report
                error = error or exc
    _STARTED.extend(servers.values())
    if error is not None:
        for server in servers.values():
            server.stop()
        if isinstance(error, EmulatorUnavailable):
            _unavailable(error)
        raise error
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Server:
    """A throwaway Postgres cluster; ``.endpoint`` is ``postgresql+psycopg2://postgres@127.0.0.1:<port>/dagster``."""
    try:
        server = start_postgres()
    except EmulatorUnavailable as exc:
        _unavailable(exc)
    _STARTED.append(server)
    yield server
    server.stop()


@pytest.fixture()
def bigquery_endpoint(gcp_emulators) -> str:
    return gcp_emulators["bigquery"].endpoint


@pytest.fixture()
def storage_endpoint(gcp_emulators) -> str:
    return gcp_emulators["storage"].endpoint


@pytest.fixture()
def warehouse(bigquery_endpoint):
    """A BigQueryWarehouse on the emulator with datasets of its own (``t<hex>_nba_raw``, …)."""
    from nba_backfill.resources.bigquery_warehouse import BigQueryWarehouse

    return BigQueryWarehouse(project=EMULATOR_PROJECT, location="US", api_endpoint=bigquery_endpoint,
                             dataset_prefix=f"t{uuid.uuid4().hex[:8]}_")


@pytest.fixture()
def object_store(storage_endpoint):
    """A GCSObjectStore on the emulator: a new bucket, objects under the prefix ``lake``."""
    from nba_backfill.resources.gcs_object_store import GCSObjectStore

    store = GCSObjectStore(bucket=f"nba-test-{uuid.uuid4().hex[:8]}", prefix="lake", project=EMULATOR_PROJECT,
                           api_endpoint=storage_endpoint)
    store._storage_client().create_bucket(store.bucket)
    return store
