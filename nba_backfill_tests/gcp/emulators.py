"""Local stand-ins for the ``gcp`` deployment: BigQuery emulator, GCS emulator, a throwaway Postgres cluster.

Each server runs on a free loopback port, is waited for until it answers, and is stopped by its own process
id (never by name). Install the binaries first with ``scripts/gcp/install_emulators.sh`` (idempotent):

- bigquery: ``bqemulator`` 1.4.0 in its own venv ``.bqemu/`` (its grpcio pins clash with the project's),
  started through ``scripts/gcp/run_bqemulator.py`` (accepts the client's multipart load uploads);
- storage: ``gcp-storage-emulator`` from the project venv (dev extra), in memory;
- postgres: Debian's ``initdb``/``pg_ctl`` on a cluster in a temporary folder (as the ``postgres`` or
  ``nobody`` user when running as root, since initdb refuses root), trust authentication on 127.0.0.1.

Run ``python -m nba_backfill_tests.gcp.emulators`` to start all three, print their endpoints and start-up
times, and stop them on Ctrl-C (or after ``--seconds N``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
EMULATOR_PROJECT = "test-project"
INSTALL_HINT = "run scripts/gcp/install_emulators.sh (and pip install -c constraints.txt -e '.[dev]')"


class EmulatorUnavailable(RuntimeError):
    """A server's binaries are not installed (see ``INSTALL_HINT``)."""


class EmulatorStartError(RuntimeError):
    """A server was installed but did not become ready; the message ends with its log."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:  # loopback only
            return 200 <= resp.status < 300
    except OSError:
        return False


def _tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


@dataclass
class Server:
    """One started server: its process (None once stopped), where it listens, and how long it took to start."""

    name: str
    endpoint: str
    log_path: Path
    startup_seconds: float = 0.0
    process: subprocess.Popen | None = None
    stop_hook: Callable[[], None] | None = None
    workdir: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the server (its own process group / pg_ctl), then remove its temporary folder."""
        if self.stop_hook is not None:
            with contextlib.suppress(Exception):
                self.stop_hook()
            self.stop_hook = None
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)  # the group we created with start_new_session
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


def _spawn(name: str, cmd: list[str], log_path: Path, ready: Callable[[], bool], endpoint: str,
           timeout: float, env: dict[str, str] | None = None) -> Server:
    log_fh = open(log_path, "wb")  # noqa: SIM115 - the child keeps writing to it
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log_fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, env={**os.environ, **(env or {})}, cwd=REPO_ROOT)
    log_fh.close()
    server = Server(name, endpoint, log_path, process=proc)
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            server.stop()
            raise EmulatorStartError(f"{name} exited with {proc.returncode} before it was ready:\n{_tail(log_path)}")
        if ready():
            server.startup_seconds = time.monotonic() - t0
            return server
        time.sleep(0.1)
    server.stop()
    raise EmulatorStartError(f"{name} not ready after {timeout:.0f} s:\n{_tail(log_path)}")


# --- BigQuery ----------------------------------------------------------------------------------------------------

def bqemulator_python() -> Path:
    """The interpreter of the bqemulator venv (``BQEMU_PYTHON`` or ``<repo>/.bqemu/bin/python``)."""
    path = Path(os.environ.get("BQEMU_PYTHON", REPO_ROOT / ".bqemu" / "bin" / "python"))
    if not path.exists():
        raise EmulatorUnavailable(f"bqemulator venv not found at {path}: {INSTALL_HINT}")
    return path


def start_bigquery(log_dir: Path, project: str = EMULATOR_PROJECT, timeout: float = 60.0) -> Server:
    """Start bqemulator (in memory) on free REST and gRPC ports; endpoint ``http://127.0.0.1:<port>``."""
    python = bqemulator_python()
    rest, grpc = free_port(), free_port()
    cmd = [str(python), str(REPO_ROOT / "scripts" / "gcp" / "run_bqemulator.py"), "start",
           "--rest-host", "127.0.0.1", "--rest-port", str(rest), "--grpc-port", str(grpc),
           "--project", project, "--log-level", "warning"]
    endpoint = f"http://127.0.0.1:{rest}"
    return _spawn("bigquery", cmd, log_dir / "bqemulator.log",
                  lambda: _http_ok(f"{endpoint}/bigquery/v2/projects/{project}/datasets"), endpoint, timeout,
                  env={"BIGQUERY_EMULATOR_HOST": ""})


# --- GCS ---------------------------------------------------------------------------------------------------------

def start_storage(log_dir: Path, timeout: float = 30.0) -> Server:
    """gcp-storage-emulator (in memory) on a free port; endpoint ``http://127.0.0.1:<port>``."""
    exe = Path(sys.executable).with_name("gcp-storage-emulator")
    if not exe.exists():
        found = shutil.which("gcp-storage-emulator")
        if not found:
            raise EmulatorUnavailable(f"gcp-storage-emulator not installed: {INSTALL_HINT}")
        exe = Path(found)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    return _spawn("storage", [str(exe), "start", "--host", "127.0.0.1", "--port", str(port), "--in-memory"],
                  log_dir / "gcs-emulator.log", lambda: _http_ok(f"{endpoint}/storage/v1/b"), endpoint, timeout)


# --- Postgres ----------------------------------------------------------------------------------------------------

def postgres_bindir() -> Path:
    """The folder with ``initdb`` and ``pg_ctl`` (PATH first, then ``/usr/lib/postgresql/<newest>/bin``)."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for d in candidates:
        if (d / "initdb").exists() and (d / "pg_ctl").exists():
            return d
    raise EmulatorUnavailable(f"PostgreSQL server binaries (initdb, pg_ctl) not found: {INSTALL_HINT}")


def _postgres_user() -> str | None:
    """None when not root; else a non-root account to run the cluster as (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise EmulatorUnavailable("running as root and neither a 'postgres' nor a 'nobody' account exists")


def start_postgres(timeout: float = 60.0, database: str = "dagster") -> Server:
    """A fresh cluster in a temporary folder on a free 127.0.0.1 port, trust auth, database ``database``.

    Endpoint: ``postgresql+psycopg2://postgres@127.0.0.1:<port>/<database>`` (superuser ``postgres``, no
    password). The driver is explicit because SQLAlchemy 2.1 maps a bare ``postgresql://`` to psycopg 3, which
    dagster-postgres does not install (it brings psycopg2-binary).
    """
    bindir = postgres_bindir()
    user = _postgres_user()
    base = Path(tempfile.mkdtemp(prefix="nba_pg_"))  # under /tmp: reachable by the non-root user
    data, log_path = base / "data", base / "postgres.log"
    if user is not None:
        pw = pwd.getpwnam(user)
        os.chown(base, pw.pw_uid, pw.pw_gid)

    def as_user(cmd: list[str]) -> list[str]:
        return cmd if user is None else ["runuser", "-u", user, "--", *cmd]

    port = free_port()
    t0 = time.monotonic()
    run = {"capture_output": True, "text": True, "cwd": base, "timeout": timeout}
    try:
        subprocess.run(as_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                "-E", "UTF8", "--no-sync", "--locale=C"]), check=True, **run)
        subprocess.run(as_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log_path), "-w",
                                "-t", str(int(timeout)), "-o",
                                f"-p {port} -h 127.0.0.1 -k {base} -c fsync=off -c full_page_writes=off",
                                "start"]), check=True, **run)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", "") or ""
        log_text = _tail(log_path)
        with contextlib.suppress(Exception):
            subprocess.run(as_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                           check=False, capture_output=True, timeout=30, cwd=base)
        shutil.rmtree(base, ignore_errors=True)
        raise EmulatorStartError(f"postgres did not start: {exc}\n{detail}\n{log_text}") from exc

    def stop() -> None:
        subprocess.run(as_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       check=False, capture_output=True, timeout=30, cwd=base)

    server = Server("postgres", f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{database}", log_path,
                    stop_hook=stop, workdir=base)
    try:
        # the server answers once pg_ctl -w returns; create the database Dagster will use
        subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database],
                       check=True, **run)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        server.stop()
        raise EmulatorStartError(f"postgres createdb failed: {getattr(exc, 'stderr', exc)}") from exc
    server.startup_seconds = time.monotonic() - t0
    server.env = {"port": str(port), "user": "postgres", "database": database, "host": "127.0.0.1"}
    return server


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=None, help="stop after N seconds (default: Ctrl-C)")
    args = parser.parse_args(argv)
    log_dir = Path(tempfile.mkdtemp(prefix="nba_emulators_"))
    servers: list[Server] = []
    try:
        for start in (lambda: start_bigquery(log_dir), lambda: start_storage(log_dir), start_postgres):
            server = start()
            servers.append(server)
            print(f"{server.name:9s} {server.endpoint}  ready in {server.startup_seconds:.2f} s", flush=True)
        print(f"logs in {log_dir}; export BIGQUERY_EMULATOR_HOST={servers[0].endpoint} "
              f"STORAGE_EMULATOR_HOST={servers[1].endpoint}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            time.sleep(args.seconds if args.seconds is not None else 10**9)
    finally:
        for server in reversed(servers):
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
