"""Liveness of a run's worker process from its pid (``sensors/dead_runs.py``), on real processes of this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from nba_backfill.sensors.dead_runs import process_alive


def test_a_live_process_that_started_before_the_run_logged_it_is_alive():
    assert process_alive(os.getpid(), time.time())


def test_a_pid_reused_by_a_later_process_is_not_the_worker():
    # This process started long after epoch second 1000: it cannot be a worker that logged its pid then.
    assert not process_alive(os.getpid(), 1000.0)


def test_killed_processes_are_dead_reaped_or_not():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    logged_at = time.time()
    time.sleep(0.2)
    assert process_alive(child.pid, logged_at)
    os.kill(child.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert not process_alive(child.pid, logged_at)  # a zombie until its parent waits for it
    child.wait()
    assert not process_alive(child.pid, logged_at)
