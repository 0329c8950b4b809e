"""The non-public Dagster APIs this project calls through Dagster itself (dagster pinned to 1.13.27).

Everything else uses ``import dagster as dg`` and the instance's ``@public`` methods (``fetch_materializations``,
``get_status_by_partition``, ``get_run_records``, ``report_runless_asset_event``). What is here has no public
equivalent in 1.13:

- ``RunRequest.for_asset_graph_subset`` with ``AssetGraphSubset``: the way a sensor requests an *asset
  backfill* with a different partition set per asset (raw + phase 3 on the gap days, phases 4–5 on the
  21-day cascade). Dagster's own declarative-automation sensor uses the same path; the public
  ``RunRequest(asset_selection=..., partition_key_range=...)`` can only request one range for all assets.
- ``instance.get_backfills``: which backfills exist / are in flight and what they target, so the gap sensor
  never requests the same partitions twice and the CLI can follow the one a sensor launched.
- ``AssetCheckEvaluationTargetMaterializationData``: an ``AssetCheckEvaluation`` yielded for a partition is
  shown as current in the UI only when it points at that partition's latest materialization; the SQL event log's
  ``get_latest_storage_id_by_partition`` and its index table give that pointer without deserializing the events
  (``latest_materialization_targets``).
- ``SqliteEventLogStorage`` and ``QueuedRunCoordinator`` subclassed for the local instance's speed (pooled
  connections; the backfill daemon's cadence), named in its ``dagster.yaml``.
- The event-log storage's asset-check records (``get_asset_check_partition_info``,
  ``get_asset_check_execution_history``): the latest check result per partition, which ``nba-backfill
  validate`` reports (the UI's GraphQL ``assetCheckExecutions(partition: …)`` reads the same rows).
- ``instance.all_logs`` (engine events) and ``instance.report_run_failed``: the process id a run worker logs when
  it starts, and marking a run FAILURE from outside it. Dagster's run monitoring cannot tell that a run's process
  is gone under the default run launcher (``supports_check_run_worker_health`` is False; README, Fault matrix),
  so ``sensors/dead_runs.py`` does it for the local deployment.

``nba_backfill_tests/test_dagster_private.py`` exercises every function here on a real instance: a Dagster
upgrade that moves or changes one fails there first, loudly.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import dagster as dg
import sqlalchemy as sa
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)
from dagster._core.definitions.assets.graph.asset_graph_subset import AssetGraphSubset
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.execution.backfill import BulkActionStatus
from dagster._core.run_coordinator.queued_run_coordinator import QueuedRunCoordinator
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable, AssetKeyTable, SqlEventLogStorageTable
from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import create_db_conn_string
from dagster_shared.serdes import serialize_value

from nba_backfill.calendar import daily_partitions

TargetMaterialization = AssetCheckEvaluationTargetMaterializationData


@dataclass(frozen=True)
class BackfillInfo:
    """One asset backfill: its id, tags, whether it is still in flight, and asset key → targeted partition keys."""

    backfill_id: str
    tags: dict[str, str]
    in_flight: bool
    targets: dict[dg.AssetKey, list[str]]


@dataclass(frozen=True)
class CheckRecord:
    """The latest recorded execution of one check on one partition.

    ``status``: PASSED, FAILED, NOT_RUN (planned by a run that never evaluated it) or STALE (the asset was
    re-materialized after this result). ``description`` is the evaluation's text for FAILED / STALE.
    """

    key: dg.AssetCheckKey
    partition: str
    status: str
    description: str
    run_id: str


def target_materialization(storage_id: int, run_id: str, timestamp: float) -> TargetMaterialization:
    """The pointer an ``AssetCheckEvaluation`` needs to be the current result of a partition."""
    return TargetMaterialization(storage_id=storage_id, run_id=run_id, timestamp=timestamp)


def latest_materialization_targets(instance: dg.DagsterInstance, asset_key: dg.AssetKey,
                                   partitions: Iterable[str]) -> dict[str, TargetMaterialization] | None:
    """Partition → the pointer to its latest materialization (storage id, run id, timestamp), read from the SQL
    event log's index columns without deserializing any event; None when the storage is not SQL (use the public
    ``fetch_materializations`` then).

    Why: the public call deserializes every event (each carries the day's metadata and the column schema): ~0.7 s
    of a 26-day repair's check steps, for three columns.
    """
    storage = instance.event_log_storage
    if not isinstance(storage, SqlEventLogStorage):
        return None
    ids = storage.get_latest_storage_id_by_partition(asset_key, dg.DagsterEventType.ASSET_MATERIALIZATION,
                                                     set(partitions))
    if not ids:
        return {}
    table = SqlEventLogStorageTable
    with storage.index_connection() as conn:
        rows = conn.execute(sa.select(table.c.id, table.c.run_id, table.c.timestamp).where(
            table.c.id.in_(list(ids.values())))).fetchall()
    # The column holds the event's UTC time without a zone (SqlEventLogStorage._event_insert_timestamp).
    found = {row.id: (row.run_id, row.timestamp.replace(tzinfo=dt.timezone.utc).timestamp()) for row in rows}
    return {partition: target_materialization(storage_id, *found[storage_id])
            for partition, storage_id in ids.items() if storage_id in found}


def backfill_run_request(plan: Mapping[dg.AssetKey, list[str]], tags: Mapping[str, str]) -> dg.RunRequest:
    """A sensor run request that the daemon turns into ONE asset backfill of ``plan`` (asset → partition keys)."""
    subset = AssetGraphSubset(partitions_subsets_by_asset_key={
        key: daily_partitions.empty_subset().with_partition_keys(keys) for key, keys in plan.items() if keys
    })
    return dg.RunRequest.for_asset_graph_subset(subset, tags=dict(tags))


def _info(backfill) -> BackfillInfo:
    targets: dict[dg.AssetKey, list[str]] = {}
    data = backfill.asset_backfill_data
    if data is not None:
        subset = data.target_subset
        for key in subset.asset_keys:
            targets[key] = sorted(subset.get_partitions_subset(key).get_partition_keys())
    return BackfillInfo(backfill.backfill_id, dict(backfill.tags), backfill.status == BulkActionStatus.REQUESTED,
                        targets)


def backfills(instance: dg.DagsterInstance, in_flight_only: bool = False,
              limit: int | None = None) -> list[BackfillInfo]:
    """Backfills of the instance, newest first (only unfinished ones with ``in_flight_only``)."""
    status = BulkActionStatus.REQUESTED if in_flight_only else None
    return [_info(b) for b in instance.get_backfills(status=status, limit=limit)]


def recorded_check_results(instance: dg.DagsterInstance, keys: Sequence[dg.AssetCheckKey],
                           partitions: Iterable[str]) -> list[CheckRecord]:
    """The latest recorded result of each check in ``keys`` on each of ``partitions`` that has one.

    One storage query for every status, then one per FAILED/STALE (check, partition) for its description.

    Raises:
        dagster errors of the instance's storage (e.g. an unmigrated instance).
    """
    storage = instance.event_log_storage
    status_enum = AssetCheckExecutionRecordStatus
    out = []
    for info in storage.get_asset_check_partition_info(list(keys), partition_keys=list(partitions)):
        if info.partition_key is None:
            continue
        raw = info.latest_execution_status
        if raw == status_enum.PLANNED:
            status = "NOT_RUN"
        elif not info.is_current:
            status = "STALE"
        else:
            status = "PASSED" if raw == status_enum.SUCCEEDED else "FAILED"
        description = ""
        if status in ("FAILED", "STALE"):
            history = storage.get_asset_check_execution_history(
                info.check_key, limit=1, status={status_enum.SUCCEEDED, status_enum.FAILED},
                partition_filter=PartitionKeyFilter(key=info.partition_key))
            if history and history[0].event and history[0].event.dagster_event:
                evaluation = history[0].event.dagster_event.event_specific_data
                description = getattr(evaluation, "description", "") or ""
        out.append(CheckRecord(info.check_key, info.partition_key, status, description, info.latest_planned_run_id))
    return out


def requested_backfill_targets(request: dg.RunRequest) -> dict[dg.AssetKey, list[str]]:
    """Asset key → partition keys of a :func:`backfill_run_request` (what a sensor tick asked for)."""
    subset = request.asset_graph_subset
    if subset is None:
        return {}
    return {key: sorted(subset.get_partitions_subset(key).get_partition_keys()) for key in subset.asset_keys}


def run_worker_pid(instance: dg.DagsterInstance, run_id: str) -> tuple[int, float] | None:
    """(pid, when it was logged) of the process executing a run, from its first engine event carrying a ``pid``.

    A run launched by the daemon logs "Started process for run (pid: N)"; an in-process run (``dg.materialize``)
    logs "Executing steps in process (pid: N)". None until the run has logged one.
    """
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.engine_event_data if entry.dagster_event else None
        pid = (data.metadata or {}).get("pid") if data else None
        if pid is not None:
            return int(pid.value), entry.timestamp
    return None


def mark_run_failed(instance: dg.DagsterInstance, run: dg.DagsterRun, message: str) -> None:
    """Record the run as FAILURE with ``message`` (what run monitoring does for a dead worker it can see)."""
    instance.report_run_failed(run, message)


# --- The local instance's speed: pooled SQLite event log, a short backfill-daemon cadence ----------------------
# Both are configured by name in the local dagster.yaml (settings.INSTANCE_YAML); the gcp instance (Postgres)
# uses neither.

# Run shards whose connections stay open: a run writes to its own shard and the index; older runs' shards are
# only read now and then (the UI), so a few are kept and the rest reconnect on demand.
_OPEN_RUN_SHARDS = 4
# A range run's planned events and one output's materializations arrive as one batch each (up to this many).
EVENT_BATCH_SIZE_ENV, EVENT_BATCH_SIZE = "DAGSTER_EVENT_BATCH_SIZE", 1000
_BATCHED_EVENT_TYPES = {dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
                        dg.DagsterEventType.ASSET_OBSERVATION}


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log with one open connection per shard instead of a new engine per event.

    Why: ``SqliteEventLogStorage._connect`` creates an engine (NullPool), opens, commits and closes a connection
    for every event (~15–20 ms per event on this machine, 40 % of a range repair; README, Performance). Here
    each shard keeps one connection (the class's own lock already serialises access within a process; SQLite's
    file locks and WAL serialise processes), and commits use ``PRAGMA synchronous=NORMAL``: durable against a
    crashed process, may lose the last transactions on a power loss (SQLite WAL docs) — the
    event log of a local instance, rebuilt by re-running, not the warehouse. Same files and schema as the
    default storage, so the UI and every Dagster tool read it unchanged.
    """

    def __init__(self, base_dir: str, inst_data=None):
        """Same arguments as ``SqliteEventLogStorage`` (``base_dir``: the folder of ``index.db`` and the run shards)."""
        self._engines: dict[str, sa.engine.Engine] = {}
        self._engines_lock = threading.Lock()
        self._schema_seen: set[str] = set()
        # Dagster hands asset events to store_event_batch only when this variable is set (it reads it for every
        # event: DagsterInstance.handle_new_event). Set in every process that loads the local instance (CLI,
        # daemon, webserver, their run workers inherit it); Dagster's Postgres storage batches on it too.
        os.environ.setdefault(EVENT_BATCH_SIZE_ENV, str(EVENT_BATCH_SIZE))
        super().__init__(base_dir, inst_data)

    def has_table(self, table_name: str) -> bool:
        """Whether the index shard has ``table_name``, asked once per table and process once it exists.

        Why: Dagster asks before storing every asset-check event (``supports_asset_checks``) and every
        materialization's tags (``asset_event_tags``), each time through a new engine and a ``PRAGMA table_info``
        (~1–2 ms; 0.6–1.0 s of a 26-day repair's ~570 calls). Tables are only ever added (by ``dagster instance
        migrate``) or dropped by :meth:`wipe`, which forgets them; an absent table is asked again next time.
        The answer comes from Dagster's own implementation (no lock taken: Dagster calls this while holding
        an index connection).
        """
        if table_name in self._schema_seen:
            return True
        present = super().has_table(table_name)
        if present:
            self._schema_seen.add(table_name)
        return present

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        """Build from ``dagster.yaml``'s ``config:`` block (``base_dir``)."""
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> sa.engine.Engine:
        engine = self._engines.get(shard)
        if engine is None:
            engine = sa.create_engine(create_db_conn_string(self._base_dir, shard), poolclass=sa.pool.StaticPool,
                                      connect_args={"timeout": 30, "check_same_thread": False})
            sa.event.listen(engine, "connect",
                            lambda dbapi_connection, _record: dbapi_connection.execute("PRAGMA synchronous=NORMAL"))
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            run_shards = [s for s in self._engines if s != "index"]
            if shard != "index" and len(run_shards) >= _OPEN_RUN_SHARDS:
                self._engines.pop(run_shards[0]).dispose()
            self._engines[shard] = engine
        return engine

    @contextmanager
    def _connect(self, shard: str):
        with self._db_lock:
            with self._engine(shard).connect() as conn:
                with conn.begin():
                    yield conn

    def _dispose_engines(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

    def store_event_batch(self, events) -> None:
        """Store a batch of one run's asset events with one statement per table and shard.

        Dagster hands a batch here when ``DAGSTER_EVENT_BATCH_SIZE`` is set (``__init__`` sets it): the planned
        events of a run at its creation (one per partition and asset) and the materializations of one output
        over a range run's partitions. Each event gets the rows Dagster's ``store_event`` gives it (its run
        shard's ``event_logs`` row; its ``event_logs`` copy and tags in the index); ``asset_keys`` is upserted
        once per asset from its last event of the batch, as Dagster's Postgres storage does (the row holds the
        asset's latest event only). Other events of a batch (a check's planned event) are stored one by one.

        Why: Dagster's SQLite storage stores a batch one event at a time (3 statements and 2 commits each);
        a 26-day repair writes ~590 such events (README, Performance). If this raises, Dagster stores the
        batch again event by event (``handle_new_event``), so a failure after the run shard's insert can
        duplicate that shard's rows of the batch, never lose them.
        """
        batched, others = [], []
        for event in events:
            fits = event.is_dagster_event and event.dagster_event_type in _BATCHED_EVENT_TYPES
            (batched if fits else others).append(event)
        if not batched or len({e.run_id for e in batched}) != 1:
            return super().store_event_batch(events)
        rows = [self._event_to_row(e) for e in batched]
        with self.run_connection(batched[0].run_id) as conn:
            conn.execute(SqlEventLogStorageTable.insert(), rows)
        with self.index_transaction() as conn:
            ids = [r[0] for r in conn.execute(
                SqlEventLogStorageTable.insert().returning(SqlEventLogStorageTable.c.id, sort_by_parameter_order=True),
                rows)]
            self._store_asset_event_tags(conn, batched, ids)
            last = {e.dagster_event.asset_key: (e, i) for e, i in zip(batched, ids, strict=True)}
            for event, event_id in last.values():
                self._store_asset_event(conn, event, event_id)
        for event in others:
            self.store_event(event)

    def _has_asset_key_index_cols_on_connection(self, conn) -> bool:
        # Dagster inspects asset_keys' columns (PRAGMA table_xinfo) before storing every asset event; the
        # column, added by a migration, never goes away, so once seen it is remembered like a table.
        if "asset_keys.last_materialization_timestamp" in self._schema_seen:
            return True
        present = super()._has_asset_key_index_cols_on_connection(conn)
        if present:
            self._schema_seen.add("asset_keys.last_materialization_timestamp")
        return present

    def _store_asset_event(self, conn, event, event_id: int) -> None:
        """Dagster's upsert of the asset's ``asset_keys`` row, as UPDATE then INSERT when no row was updated.

        Why: Dagster INSERTs first and catches the ``IntegrityError`` of every event after an asset's first
        (one raised and wrapped exception per planned and per materialization event). Same row, same values.
        """
        if not (event.dagster_event and event.dagster_event.asset_key):
            return
        values = self._get_asset_entry_values(event, event_id, self._has_asset_key_index_cols_on_connection(conn))
        if not values:
            return
        asset_key = event.dagster_event.asset_key.to_string()
        updated = conn.execute(AssetKeyTable.update().values(**values).where(AssetKeyTable.c.asset_key == asset_key))
        if updated.rowcount == 0:
            conn.execute(AssetKeyTable.insert().values(asset_key=asset_key, **values))

    def _store_asset_check_evaluation_planned(self, event, event_id: int | None) -> None:
        """Dagster's planned rows of a check (one per partition of the run), serializing the event once.

        Why: Dagster serializes the same planned event (~20 kB: it carries the run's partition subset) once per
        partition row; a 46-day range run serialized it 46 times for each check. Same rows, same values.
        """
        planned = event.dagster_event.event_specific_data
        partition_keys = planned.partitions_subset.get_partition_keys() if planned.partitions_subset else [None]
        body = serialize_value(event)
        timestamp = self._event_insert_timestamp(event)
        with self.index_connection() as conn:
            conn.execute(AssetCheckExecutionsTable.insert().values([
                dict(asset_key=planned.asset_key.to_string(), check_name=planned.check_name, partition=key,
                     run_id=event.run_id, execution_status=AssetCheckExecutionRecordStatus.PLANNED.value,
                     evaluation_event=body, evaluation_event_timestamp=timestamp,
                     evaluation_event_storage_id=event_id)
                for key in partition_keys]))

    def wipe(self) -> None:
        """Dagster's wipe, after closing every open shard (its files are deleted)."""
        with self._db_lock:
            self._dispose_engines()
            self._schema_seen.clear()
        super().wipe()

    def dispose(self) -> None:
        """Close the open connections, then Dagster's dispose (the file watcher)."""
        with self._db_lock:
            self._dispose_engines()
        super().dispose()


class LocalRunCoordinator(QueuedRunCoordinator):
    """Dagster's run queue, plus the backfill daemon's cadence (``backfill_daemon_interval_seconds``).

    Why: the backfill daemon waits a fixed 30 s between iterations (``dagster._daemon.controller.
    DEFAULT_DAEMON_INTERVAL_SECONDS``, read by ``_daemon/backfill.py`` when its loop starts; no setting exists,
    dagster-io/dagster#11649). A repair is three stages (raw + phase 3, then the cascade), so up to 30 s idle
    between stages. The daemon process builds the instance's run coordinator before its loops start (the
    run-queue daemon reads it), which is when this class sets the constant. Only the local instance uses this;
    an iteration costs a few SQLite reads when no backfill is in flight.
    """

    def __init__(self, backfill_daemon_interval_seconds: int | None = None, **kwargs):
        """``QueuedRunCoordinator``'s arguments plus ``backfill_daemon_interval_seconds`` (None: Dagster's 30 s)."""
        super().__init__(**kwargs)
        self.backfill_daemon_interval_seconds = backfill_daemon_interval_seconds
        if backfill_daemon_interval_seconds is not None:
            import dagster._daemon.controller as controller

            controller.DEFAULT_DAEMON_INTERVAL_SECONDS = backfill_daemon_interval_seconds

    @classmethod
    def config_type(cls):
        """``QueuedRunCoordinator``'s schema plus ``backfill_daemon_interval_seconds``."""
        return {**super().config_type(),
                "backfill_daemon_interval_seconds": dg.Field(int, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        """Build from ``dagster.yaml``'s ``config:`` block."""
        values = dict(config_value)
        interval = values.pop("backfill_daemon_interval_seconds", None)
        return cls(backfill_daemon_interval_seconds=interval, inst_data=inst_data, **values)
