"""The storage contract on BigQuery + GCS (local emulators, real Google clients), plus what only gcp has.

The emulators check the client-side plumbing (schemas, load jobs, DATE parameters, the MERGE that replaces
slices); they do not prove the SQL is valid on real BigQuery (the emulator is lenient, see emulators.py).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest
from google.cloud import bigquery

from nba_backfill.errors import WarehouseWriteError
from nba_backfill.resources.bigquery_warehouse import BigQueryWarehouse, bigquery_table, clustering_columns
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS
from nba_backfill.schemas.raw import NBAC_SCHEDULE, NBAC_TEAM_BOXSCORE, ODDS_PLAYER_POINTS_PROPS, RAW_TABLES
from nba_backfill_tests.resources.storage_contract import (
    D1,
    D2,
    ObjectStoreContract,
    WarehouseContract,
    assert_same_rows,
    team_box_rows,
)

pytestmark = pytest.mark.gcp


class TestBigQueryWarehouse(WarehouseContract):
    def create_stale_table(self, warehouse: BigQueryWarehouse, table, columns):
        from nba_backfill.resources.bigquery_warehouse import bigquery_schema

        with warehouse.client() as client:
            client.create_dataset(f"{warehouse.project}.{warehouse.dataset_id(table)}", exists_ok=True)
            schema = [f for f in bigquery_schema(table) if f.name in columns]
            client.create_table(bigquery.Table(warehouse.table_id(table), schema=schema))


class TestGCSObjectStore(ObjectStoreContract):
    pass


# --- BigQuery specifics ------------------------------------------------------------------------------------------

def test_tables_are_partitioned_clustered_and_demand_a_partition_filter(warehouse):
    tables = [*RAW_TABLES, PLAYER_GAME_SUMMARY, PLAYER_COMPOSITE_FACTORS, PLAYER_PROP_PREDICTIONS]
    warehouse.ensure_tables(tables)
    with warehouse.client() as client:
        datasets = {d.dataset_id for d in client.list_datasets()}
        assert {f"{warehouse.dataset_prefix}{d}" for d in ("nba_raw", "nba_analytics", "nba_precompute",
                                                           "nba_predictions")} <= datasets
        for table in tables:
            stored = client.get_table(warehouse.table_id(table))
            assert stored.time_partitioning.type_ == "DAY" and stored.time_partitioning.field == "game_date"
            # bqemulator 1.4.0 drops the table-level requirePartitionFilter (and never enforces it): check the request
            assert bigquery_table(warehouse.table_id(table), table).to_api_repr()["requirePartitionFilter"] is True
            assert stored.clustering_fields == (clustering_columns(table) or None)
            assert [f.name for f in stored.schema] == table.column_names
    # BigQuery cannot cluster on FLOAT64 (points_line) nor on the partition column
    assert clustering_columns(ODDS_PLAYER_POINTS_PROPS) == ["game_id", "player_id", "bookmaker"]
    assert clustering_columns(PLAYER_PROP_PREDICTIONS) == ["player_id", "system_id"]
    assert warehouse.table_uri(NBAC_SCHEDULE) == f"bigquery://test-project/{warehouse.dataset_prefix}nba_raw.nbac_schedule"


def test_a_failed_merge_keeps_the_old_slices_and_names_table_and_dates(warehouse, monkeypatch):
    warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1, D2), [D1, D2])
    original = BigQueryWarehouse._stage

    def stage_then_lose_it(self, client, table, df, staging_id, n_dates):
        original(self, client, table, df, staging_id, n_dates)
        client.delete_table(staging_id)  # the MERGE now fails on the server, after the load succeeded

    monkeypatch.setattr(BigQueryWarehouse, "_stage", stage_then_lose_it)
    with pytest.raises(WarehouseWriteError, match=r"nbac_team_boxscore for game dates \['2026-01-21'\]"):
        warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1).head(2), [D1])
    monkeypatch.undo()
    assert_same_rows(NBAC_TEAM_BOXSCORE, warehouse.read_slices(NBAC_TEAM_BOXSCORE, [D1, D2]), team_box_rows(D1, D2))


def test_staging_tables_are_dropped_and_jobs_are_recorded(warehouse):
    warehouse.replace_slices(NBAC_TEAM_BOXSCORE, team_box_rows(D1), [D1])
    warehouse.replace_slices(NBAC_TEAM_BOXSCORE, NBAC_TEAM_BOXSCORE.empty_frame(), [D2])
    warehouse.read_slices(NBAC_TEAM_BOXSCORE, [D1])
    warehouse.count_by_date(NBAC_TEAM_BOXSCORE, [D1])
    with warehouse.client() as client:
        names = [t.table_id for t in client.list_tables(warehouse.dataset_id(NBAC_TEAM_BOXSCORE))]
    assert names == ["nbac_team_boxscore"]
    kinds = [s.kind for s in warehouse.job_stats]
    assert kinds == ["load", "merge", "merge", "read", "count"]  # an empty frame needs no load
    assert all(s.table.endswith("nba_raw.nbac_team_boxscore") and s.job_id for s in warehouse.job_stats)


def test_type_drift_is_refused(warehouse):
    with warehouse.client() as client:
        client.create_dataset(f"{warehouse.project}.{warehouse.dataset_id(NBAC_SCHEDULE)}")
        schema = [bigquery.SchemaField(c.name, "STRING" if c.name == "home_pts" else
                                       {"VARCHAR": "STRING", "BIGINT": "INT64", "INTEGER": "INT64",
                                        "BOOLEAN": "BOOL", "DATE": "DATE"}[c.dtype]) for c in NBAC_SCHEDULE.columns]
        client.create_table(bigquery.Table(warehouse.table_id(NBAC_SCHEDULE), schema=schema))
    from nba_backfill.errors import SchemaDriftError

    with pytest.raises(SchemaDriftError, match=r"other type \['home_pts'\]"):
        warehouse.read_slices(NBAC_SCHEDULE, [D1])


# --- GCS specifics -----------------------------------------------------------------------------------------------

def test_objects_live_under_the_prefix_with_local_names(object_store):
    name = "nba-com/boxscore/20260121/0022500622.json"
    assert object_store.put_json(name, {"gameId": "0022500622"}) == f"gs://{object_store.bucket}/lake/{name}"
    blobs = [b.name for b in object_store._storage_client().list_blobs(object_store.bucket)]
    assert blobs == [f"lake/{name}"]
    blob = object_store._storage_client().bucket(object_store.bucket).get_blob(f"lake/{name}")
    assert blob.content_type == "application/json"


# --- Postgres for the Dagster instance ---------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["postgres_url", "postgres_db"])
def test_a_dagster_instance_on_the_postgres_server_records_a_materialization(postgres_server, tmp_path, form):
    env = postgres_server.env
    if form == "postgres_url":
        storage = f"postgres_url: {postgres_server.endpoint}"
    else:  # SQLAlchemy 2.1 needs the driver named: a bare postgresql:// means psycopg 3, which is not installed
        storage = (f"postgres_db:\n      username: {env['user']}\n      hostname: {env['host']}\n"
                   f"      port: {env['port']}\n      db_name: {env['database']}\n      scheme: postgresql+psycopg2")
    (tmp_path / "dagster.yaml").write_text(f"storage:\n  postgres:\n    {storage}\n")
    partitions = dg.DailyPartitionsDefinition(start_date="2026-01-21")

    @dg.asset(partitions_def=partitions)
    def nbac_schedule() -> None:
        return None

    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        result = dg.materialize([nbac_schedule], instance=instance, partition_key="2026-01-21")
        assert result.success
        event = instance.get_latest_materialization_event(dg.AssetKey("nbac_schedule"))
        assert event is not None and event.dagster_event.partition == "2026-01-21"
        assert dt.date.fromisoformat(event.dagster_event.partition) == D1
