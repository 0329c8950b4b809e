"""What the Dagster instance recorded per game date: the latest result of each check, and which partitions are
materialized. Used by ``nba-backfill validate`` (``check_lines.py``) and by tests.

One interface, :class:`InstanceRecords`, two readers. :class:`SqliteRecords` reads a SQLite-backed instance's
tables without importing Dagster (``dagster_private.sqlite_checks`` / ``sqlite_partitions``: the command then
starts in well under a second). :class:`DagsterRecords` goes through the Dagster API for any storage (the
Postgres instance of the gcp deployment): ``dagster_private.recorded_check_results`` (no public API reads check
results in Dagster 1.13) and ``sensors/partition_status.py``. :func:`open_records` picks; both return the same
records (``nba_backfill_tests/test_dagster_private.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from nba_backfill.dagster_private.sqlite_checks import CheckResult, latest_check_results
from nba_backfill.dagster_private.sqlite_index import SqliteInstance, open_sqlite_instance
from nba_backfill.dagster_private.sqlite_partitions import partition_status

if TYPE_CHECKING:
    import dagster as dg

    from nba_backfill.dagster_private.dagster_api import CheckRecord


class InstanceRecords(Protocol):
    """Read access to what an instance recorded (assets and checks as user strings, days as ``YYYY-MM-DD``)."""

    def check_results(self, checks: Sequence[tuple[str, str]], days: Iterable[str]) -> list[CheckResult]:
        """The latest result of each (asset, check name) on each of ``days`` that has one."""

    def materialized_days(self, asset: str, days: Iterable[str]) -> set[str]:
        """The ``days`` whose partition of ``asset`` is MATERIALIZED (not failed, not in progress)."""

    def close(self) -> None:
        """Release what the reader holds open."""


class SqliteRecords:
    """:class:`InstanceRecords` of a SQLite-backed instance, read with the standard library (no Dagster)."""

    def __init__(self, instance: SqliteInstance):
        self.instance = instance

    def check_results(self, checks: Sequence[tuple[str, str]], days: Iterable[str]) -> list[CheckResult]:
        """See :func:`~nba_backfill.dagster_private.sqlite_checks.latest_check_results`.

        Raises:
            sqlite3.Error: the event-log index cannot be read.
        """
        return latest_check_results(self.instance.index, checks, days)

    def materialized_days(self, asset: str, days: Iterable[str]) -> set[str]:
        """The ``days`` whose status is MATERIALIZED (``sqlite_partitions.partition_status``).

        Raises:
            sqlite3.Error: a database cannot be read.
        """
        statuses = partition_status(self.instance.index, self.instance.runs, asset, list(days))
        return {d for d, s in statuses.items() if s == "MATERIALIZED"}

    def close(self) -> None:
        """Close the read-only connections."""
        self.instance.close()


class DagsterRecords:
    """:class:`InstanceRecords` through the Dagster API (any instance storage)."""

    def __init__(self, instance: dg.DagsterInstance):
        self.instance = instance

    def check_results(self, checks: Sequence[tuple[str, str]], days: Iterable[str]) -> list[CheckResult]:
        """``dagster_private.recorded_check_results`` of ``checks`` on ``days``, as :class:`CheckResult`.

        Raises:
            dagster errors of the instance's storage (e.g. an unmigrated instance).
        """
        import dagster as dg

        from nba_backfill.dagster_private import recorded_check_results

        keys = [dg.AssetCheckKey(dg.AssetKey.from_user_string(asset), name) for asset, name in checks]
        return [_result(r) for r in recorded_check_results(self.instance, keys, days)]

    def materialized_days(self, asset: str, days: Iterable[str]) -> set[str]:
        """The ``days`` whose partition of ``asset`` is materialized (public ``get_status_by_partition``)."""
        import dagster as dg

        from nba_backfill.sensors.partition_status import materialized_days

        return materialized_days(self.instance, dg.AssetKey.from_user_string(asset), days)

    def close(self) -> None:
        """Nothing to release (the instance is the caller's)."""


def _result(record: CheckRecord) -> CheckResult:
    return CheckResult(record.key.asset_key.to_user_string(), record.key.name, record.partition, record.status,
                       record.description, record.run_id)


def open_records(dagster_home: Path) -> InstanceRecords | None:
    """What the instance in ``dagster_home`` recorded: read from its SQLite files when it is SQLite-backed,
    through a ``DagsterInstance`` otherwise; None when there is no ``dagster.yaml`` (a bare warehouse).

    Raises:
        yaml.YAMLError: ``dagster.yaml`` is not YAML.
        dagster errors when the instance cannot be opened (e.g. Postgres unreachable).
    """
    if not (dagster_home / "dagster.yaml").exists():
        return None
    sqlite = open_sqlite_instance(dagster_home)
    if sqlite is not None:
        return SqliteRecords(sqlite)
    import dagster as dg

    return DagsterRecords(dg.DagsterInstance.from_config(str(dagster_home)))


def as_records(instance: Any) -> InstanceRecords:
    """``instance`` as :class:`InstanceRecords`: itself when it is one, a ``DagsterInstance`` wrapped."""
    return instance if hasattr(instance, "check_results") else DagsterRecords(instance)


def recorded_checks(instance: dg.DagsterInstance, keys: Sequence[dg.AssetCheckKey],
                    days: Iterable[str]) -> dict[tuple[dg.AssetCheckKey, str], CheckRecord]:
    """Latest recorded result per (check, game date) for ``keys`` on ``days`` (absent: never executed), through
    the Dagster API (tests and the gcp tier compare checks by ``dg.AssetCheckKey``).

    Raises:
        dagster errors of the instance's storage (e.g. an unmigrated instance).
    """
    from nba_backfill.dagster_private import recorded_check_results

    return {(r.key, r.partition): r for r in recorded_check_results(instance, keys, days)}
