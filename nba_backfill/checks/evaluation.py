"""How checks report: one ``AssetCheckEvaluation`` per partition of the run, then a blocking failure.

The checks run inside the step of the asset they check (``check_specs`` on the asset): the asset yields its
outputs (the IO manager stores them), then reads the stored slices back and yields its checks' evaluations. One
step per asset instead of an asset step plus a check step: fewer run steps and events, one read of inputs (README,
Performance). A check module defines the specs and an ``evaluate_*`` generator; the asset calls it last.

Why not ``dg.AssetCheckResult``: in Dagster 1.13 a result returned by a partitioned check is stored with a
partition only when the step has a single partition key (``AssetCheckResult.to_asset_check_evaluation``);
a range run (single-run backfill) stores it with none, and the per-partition rows Dagster planned for the
run stay "planned" (partitioned asset checks: dagster-io/dagster#17005; partition on
``AssetCheckEvaluation``: dagster-io/dagster#33231). A check step here therefore yields an
``AssetCheckEvaluation`` per game date with ``partition`` set — the same rows Dagster planned, so the UI's
per-partition check status and ``assetCheckExecutions(partition: ...)`` show every date of every run — and
then raises ``dg.Failure`` naming the failed dates and games when a blocking check failed, which stops the
downstream assets of the run.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import dagster as dg

from nba_backfill.calendar import daily_partitions
from nba_backfill.dagster_private import (
    TargetMaterialization,
    latest_materialization_targets,
    target_materialization,
)
from nba_backfill.logic.checks.tables import DayCheck, DayChecks

SHOWN_FINDINGS = 5  # in a partition's description; metadata keeps up to MAX_FINDINGS
MAX_FINDINGS = 50


@dataclass(frozen=True)
class CheckDef:
    """A check: its Dagster spec and the unit its expected/found counts are in (e.g. ``team rows``)."""

    spec: dg.AssetCheckSpec
    unit: str

    @property
    def key(self) -> dg.AssetCheckKey:
        """The check's key (asset key + check name)."""
        return self.spec.key


def check_def(asset: dg.AssetKey, name: str, unit: str, description: str, blocking: bool) -> CheckDef:
    """A daily-partitioned check spec (severity ERROR; ``blocking`` stops downstream assets of the run)."""
    with warnings.catch_warnings():  # partitioned check specs are "preview" in 1.13; the version is pinned and tested
        warnings.simplefilter("ignore", dg.PreviewWarning)
        spec = dg.AssetCheckSpec(name, asset=asset, description=description, blocking=blocking,
                                 partitions_def=daily_partitions)
    return CheckDef(spec, unit)


def specs(checks: Iterable[CheckDef]) -> list[dg.AssetCheckSpec]:
    """The Dagster specs of ``checks`` (an asset's ``check_specs``)."""
    return [c.spec for c in checks]


def by_key(checks: Iterable[CheckDef]) -> dict[dg.AssetCheckKey, CheckDef]:
    """``checks`` by key (what :func:`emit` takes)."""
    return {c.key: c for c in checks}


def run_dates(context: dg.AssetExecutionContext) -> list[dt.date]:
    """The game dates of the run's partitions (one for a daily run, many for a range run)."""
    return [dt.date.fromisoformat(k) for k in context.partition_keys]


def describe(day: dt.date, result: DayCheck, unit: str) -> str:
    """The evaluation's description: the counts, then the first findings (each names the date and game)."""
    head = f"{day}: expected {result.expected} {unit}, found {result.found}"
    if result.passed:
        return head + (" (no games: nothing owed)" if result.expected == 0 else "")
    lines = [f"{head}; {len(result.findings)} problem{'s' if len(result.findings) > 1 else ''}:"]
    lines += [f"- {f.message}" for f in result.findings[:SHOWN_FINDINGS]]
    if len(result.findings) > SHOWN_FINDINGS:
        lines.append(f"… and {len(result.findings) - SHOWN_FINDINGS} more (metadata 'findings')")
    return "\n".join(lines)


def _targets(instance: dg.DagsterInstance, asset_key: dg.AssetKey, keys: list[str]) -> dict[str, TargetMaterialization]:
    """Latest materialization per partition: from the SQL event log's index columns (SQLite, Postgres), else the
    public ``fetch_materializations`` (newest first; one query when the run just materialized every partition,
    more pages only when needed).
    """
    indexed = latest_materialization_targets(instance, asset_key, keys)
    if indexed is not None:
        return indexed
    latest: dict[str, TargetMaterialization] = {}
    cursor = None
    while True:
        result = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=keys), limit=max(len(keys), 100),
            cursor=cursor)
        for r in result.records:
            if r.partition_key not in latest:
                latest[r.partition_key] = target_materialization(r.storage_id, r.run_id, r.timestamp)
        if len(latest) == len(set(keys)) or not result.has_more:
            return latest
        cursor = result.cursor


def emit(context: dg.AssetExecutionContext, checks: Mapping[dg.AssetCheckKey, CheckDef],
         results: Mapping[dg.AssetCheckKey, DayChecks]) -> Iterator[dg.AssetCheckEvaluation | dg.Output]:
    """Yield every partition's evaluation and each check's output; raise when a blocking check failed.

    Raises:
        dg.Failure: a blocking check failed on some date; the description lists the dates and first findings.
    """
    targets: dict[dg.AssetKey, dict[str, TargetMaterialization]] = {}
    blocking_failures: list[str] = []
    for key, by_day in results.items():
        check = checks[key]
        if key.asset_key not in targets:
            targets[key.asset_key] = _targets(context.instance, key.asset_key, [d.isoformat() for d in by_day])
        failed = []
        for day, result in sorted(by_day.items()):
            description = describe(day, result, check.unit)
            yield dg.AssetCheckEvaluation(
                asset_key=key.asset_key, check_name=key.name, passed=result.passed, partition=day.isoformat(),
                severity=dg.AssetCheckSeverity.ERROR, blocking=check.spec.blocking, description=description,
                target_materialization_data=targets[key.asset_key].get(day.isoformat()),
                metadata={
                    "expected": result.expected, "found": result.found, "unit": check.unit,
                    "problems": len(result.findings),
                    "findings": dg.MetadataValue.json([
                        {"game_id": f.game_id, "message": f.message} for f in result.findings[:MAX_FINDINGS]]),
                })
            if not result.passed:
                failed.append(description)
        yield dg.Output(None, output_name=check.spec.get_python_identifier())
        if failed:
            summary = (f"{key.asset_key.to_user_string()} {key.name} failed on {len(failed)} of {len(by_day)} "
                       f"dates:\n" + "\n".join(failed[:3]))
            (context.log.error if check.spec.blocking else context.log.warning)(summary)
            if check.spec.blocking:
                blocking_failures.append(summary)
    if blocking_failures:
        raise dg.Failure(description="Blocking checks failed; downstream assets of this run were not "
                         "materialized on this data.\n" + "\n".join(blocking_failures))
