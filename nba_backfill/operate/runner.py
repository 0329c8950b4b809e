"""In-process execution of runs on the project's Dagster instance (the demo and the CLI use it).

Runs launched here are ordinary Dagster runs on the instance in ``$DAGSTER_HOME``: the UI
(``dagster dev -w workspace.yaml``) shows them, their materializations and partitions afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg

from nba_backfill.sensors.cascade_plan import PlannedRun
from nba_backfill.settings import Settings, ensure_dagster_home


@dataclass(frozen=True)
class RunOutcome:
    """What one run did: its id, success, and the failure descriptions of its failed steps."""

    run_id: str
    success: bool
    failures: tuple[str, ...]


def project_instance(settings: Settings) -> dg.DagsterInstance:
    """The project's persistent Dagster instance (``$DAGSTER_HOME``, default ``$NBA_BACKFILL_HOME/dagster``).

    The same folder is what ``dagster dev`` opens when ``DAGSTER_HOME`` points at it (see README).
    """
    return dg.DagsterInstance.from_config(str(ensure_dagster_home(settings)))


# Dagster's console logger prints every event; the CLI shows its own progress and failure summaries
# instead. The instance's event log still records everything (the UI shows it).
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def _outcome(result: dg.ExecuteInProcessResult) -> RunOutcome:
    failures = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.step_failure_data.error
            # A user exception arrives wrapped ("Error occurred while executing op …") with the real one as
            # its cause; a dg.Failure as "dagster…Failure: <description>". Keep the user's message only.
            while error is not None and error.cause is not None and error.cls_name.startswith("Dagster"):
                error = error.cause
            text = error.message.split(": ", 1)[-1] if error else "step failed"
            failures.append(f"{event.step_key}: {text.strip()}")
    return RunOutcome(result.run_id, result.success, tuple(failures))


def materialize_partition(defs: dg.Definitions, instance: dg.DagsterInstance, partition_key: str,
                          selection: list[dg.AssetKey] | None = None, tags: dict[str, str] | None = None) -> RunOutcome:
    """Run the whole graph (or ``selection``) for one partition, like the nightly job does."""
    result = dg.materialize(
        assets=[*(defs.assets or []), *(defs.asset_checks or [])], selection=selection, partition_key=partition_key,
        instance=instance, resources=defs.resources, raise_on_error=False, tags=tags, run_config=QUIET,
    )
    return _outcome(result)


def materialize_range(defs: dg.Definitions, instance: dg.DagsterInstance, run: PlannedRun,
                      tags: dict[str, str] | None = None) -> RunOutcome:
    """Run ``run.assets`` over the partition range ``run.start`` … ``run.end`` as one single run."""
    range_tags = {"dagster/asset_partition_range_start": run.start,
                  "dagster/asset_partition_range_end": run.end, **(tags or {})}
    result = dg.materialize(
        assets=[*(defs.assets or []), *(defs.asset_checks or [])], selection=list(run.assets), instance=instance,
        resources=defs.resources, raise_on_error=False, tags=range_tags, run_config=QUIET,
    )
    return _outcome(result)
