"""Running a repair through a real Dagster daemon: wait for the gap sensor's backfill, follow any backfill
with a progress bar until it ends, and launch a planned backfill through the webserver's GraphQL API.
"""

from __future__ import annotations

import time

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nba_backfill.dagster_private import backfills
from nba_backfill.errors import NbaBackfillError
from nba_backfill.operate.graphql_client import RUN_FINISHED, BackfillProgress, DagsterGraphQL


def wait_for_sensor_backfill(instance: dg.DagsterInstance, tag: tuple[str, str], known: set[str],
                             timeout_seconds: float = 180.0) -> tuple[str, dict[dg.AssetKey, list[str]]]:
    """Wait until a new backfill tagged ``tag`` appears (launched by a sensor tick); return (id, targets).

    Raises:
        NbaBackfillError: none appeared within ``timeout_seconds`` (see the sensor's ticks in the UI).
    """
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        for backfill in backfills(instance, limit=10):
            if backfill.backfill_id not in known and backfill.tags.get(tag[0]) == tag[1]:
                return backfill.backfill_id, backfill.targets
        time.sleep(1.0)
    raise NbaBackfillError(f"no backfill tagged {tag[0]}={tag[1]} within {timeout_seconds:.0f} s; "
                           "look at the sensor's ticks in the Dagster UI (Automation)")


def follow_backfill(client: DagsterGraphQL, backfill_id: str, console: Console,
                    timeout_seconds: float = 1800.0, poll_seconds: float = 2.0) -> BackfillProgress:
    """Show a progress bar (asset partitions materialized of targeted) until the backfill and its runs end.

    Dagster may mark a backfill finished while a run of it is still finishing (its partitions are all accounted
    for, its process not yet done); the command that started the daemon stops it right after this returns, and a
    run worker stopped mid-run would stay STARTED. So this also waits for every run of the backfill to finish.

    Raises:
        NbaBackfillError: still running after ``timeout_seconds``.
    """
    deadline = time.monotonic() + timeout_seconds
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        task = progress.add_task(f"   backfill {backfill_id}", total=None)
        while True:
            state = client.backfill_progress(backfill_id)
            progress.update(task, total=state.targeted or None, completed=state.materialized,
                            description=f"   backfill {backfill_id} {state.status.lower()}"
                                        + (f", {state.failed} failed" if state.failed else ""))
            if state.finished and all(s in RUN_FINISHED for _, s in client.backfill_runs(backfill_id)):
                return state
            if time.monotonic() > deadline:
                raise NbaBackfillError(f"backfill {backfill_id} still {state.status} after {timeout_seconds:.0f} s")
            time.sleep(poll_seconds)

