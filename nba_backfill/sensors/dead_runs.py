"""Runs whose process is gone: marked FAILURE so their dates stop counting as in flight and can be repaired.

Why not Dagster's run monitoring alone (``run_monitoring`` in the instance's ``dagster.yaml``, which the local
instance enables): its daemon asks the run launcher whether a STARTED run's worker is alive, and the default run
launcher cannot say (``DefaultRunLauncher.supports_check_run_worker_health`` is False in Dagster 1.13), so for
a STARTED run it only applies ``max_runtime_seconds``. Under ``dagster dev`` a killed run worker is still caught,
by the code server that spawned it (``DagsterApiServer._check_for_orphaned_runs``, every 0.5 s). Nothing catches a
run whose worker died together with that code server (``dagster dev`` killed, the machine restarted) or an
in-process run (the demo's nightly runs, ``dg.materialize``) whose process was killed: such a run stays STARTED,
and the gap sensor would wait for it forever. This check closes that hole for the local deployment, where every
run worker runs on the machine of the code location: a STARTED run whose logged worker pid no longer names a
live process that started before the run logged it is marked FAILURE.
"""

from __future__ import annotations

import dagster as dg
import psutil

from nba_backfill.dagster_private import mark_run_failed, run_worker_pid


def process_alive(pid: int, logged_at: float) -> bool:
    """True when ``pid`` is a live process (not a zombie) that started before ``logged_at`` (epoch seconds).

    A process started later is another program that reused the pid. Read with psutil (Linux, macOS, Windows);
    a process of another user whose details are refused counts as alive (it exists).
    """
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        # 1 s: Linux records a process's start time in clock ticks (1/100 s) after boot, rounded.
        return process.create_time() <= logged_at + 1.0
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark every STARTED run whose worker process is gone as FAILURE; return one line per run marked.

    Only for deployments whose run workers run on this machine (local): elsewhere a pid means nothing here.
    """
    marked = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
        run = record.dagster_run
        worker = run_worker_pid(instance, run.run_id)
        if worker is None or process_alive(*worker):
            continue
        pid, _ = worker
        message = (f"Run {run.run_id} was STARTED but its process (pid {pid}) is gone (killed, or the machine "
                   "restarted): marked FAILURE by the gap sensor so its partitions can be repaired. Its tables keep "
                   "what the last committed write left (each date slice is replaced in one transaction).")
        # Re-read: the code server may have marked it meanwhile (a killed worker of `dagster dev`).
        current = instance.get_run_by_id(run.run_id)
        if current is not None and current.status == dg.DagsterRunStatus.STARTED:
            mark_run_failed(instance, current, message)
            marked.append(message)
    return marked
