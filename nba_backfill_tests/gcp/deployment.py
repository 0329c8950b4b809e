"""A gcp deployment on the emulators for the pipeline tests: its settings, its environment, a report.

Helpers (not fixtures) shared by the gcp tests; the servers come from ``conftest.py``.
"""

from __future__ import annotations

import uuid

from nba_backfill.settings import Settings
from nba_backfill_tests.gcp.emulators import EMULATOR_PROJECT, Server

REPORT: list[str] = []  # lines the tests add to the terminal summary (parity, timings)


def make_gcp_settings(home, bigquery_server: Server, storage_server: Server, **overrides) -> Settings:
    """Settings of a gcp deployment on the emulators: datasets and a bucket of its own (created here)."""
    from nba_backfill.resources.gcs_object_store import GCSObjectStore
    from nba_backfill.settings import gcp_settings

    settings = gcp_settings(home, EMULATOR_PROJECT, f"nba-test-{uuid.uuid4().hex[:8]}",
                            bq_dataset_prefix=f"t{uuid.uuid4().hex[:8]}_", gcs_prefix="lake",
                            bq_endpoint=bigquery_server.endpoint, gcs_endpoint=storage_server.endpoint, **overrides)
    store = GCSObjectStore(bucket=settings.gcs_bucket, project=EMULATOR_PROJECT, api_endpoint=storage_server.endpoint)
    store._storage_client().create_bucket(settings.gcs_bucket)
    return settings


def gcp_environment(settings: Settings, pg_env: dict[str, str]) -> dict[str, str]:
    """The environment an operator sets for ``settings`` (what ``load_settings`` reads back), plus the instance's."""
    return {"NBA_BACKFILL_DEPLOYMENT": "gcp", "NBA_BACKFILL_HOME": str(settings.home),
            "DAGSTER_HOME": str(settings.dagster_home), "NBA_BACKFILL_GCP_PROJECT": settings.gcp_project,
            "NBA_BACKFILL_GCS_BUCKET": settings.gcs_bucket, "NBA_BACKFILL_BQ_LOCATION": settings.bq_location,
            "NBA_BACKFILL_BQ_DATASET_PREFIX": settings.bq_dataset_prefix,
            "NBA_BACKFILL_GCS_PREFIX": settings.gcs_prefix,
            "BIGQUERY_EMULATOR_HOST": settings.bq_endpoint, "STORAGE_EMULATOR_HOST": settings.gcs_endpoint,
            "NBA_BACKFILL_SEASON_START": settings.season_start, "NBA_BACKFILL_SEASON_END": settings.season_end,
            **pg_env}


def postgres_environment(postgres_server: Server) -> dict[str, str]:
    """A new database on the Postgres server, as the ``DAGSTER_PG_*`` variables the gcp ``dagster.yaml`` reads."""
    import psycopg2

    env = postgres_server.env
    name = f"dagster_{uuid.uuid4().hex[:8]}"
    con = psycopg2.connect(host=env["host"], port=env["port"], user=env["user"], dbname=env["database"])
    try:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"CREATE DATABASE {name}")
    finally:
        con.close()
    # trust authentication: the yaml requires a password, the server ignores it
    return {"DAGSTER_PG_HOST": env["host"], "DAGSTER_PG_PORT": env["port"], "DAGSTER_PG_DB": name,
            "DAGSTER_PG_USERNAME": env["user"], "DAGSTER_PG_PASSWORD": "trust-auth-ignores-it"}
