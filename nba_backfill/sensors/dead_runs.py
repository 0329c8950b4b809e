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

import os
from pathlib import Path

import dagster as dg

from nba_backfill.dagster_private import mark_run_failed, run_worker_pid


def _proc_stat(pid: int) -> tuple[str, float] | None:
    """(state letter, start time in epoch seconds) of a process from Linux ``/proc``; None without ``/proc``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
    except (OSError, StopIteration, IndexError):
        return None
    # After "pid (comm)": field 3 is the state, field 22 the start time in clock ticks after boot (proc(5)).
    return fields[0], boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def process_alive(pid: int, logged_at: float) -> bool:
    """True when ``pid`` is a live process (not a zombie) that started before ``logged_at`` (epoch seconds).

    A process started later is another program that reused the pid. Without ``/proc`` (not Linux) only the
    existence of the pid is checked.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by another user
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, started_at = stat
    return state != "Z" and started_at <= logged_at + 1.0  # 1 s: /proc's start time has clock-tick resolution


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
