"""Shared fixtures: one real run of the demo per test session (about 6 minutes), read by several modules.

Tests must treat the demo's warehouse and instance as read-only; a test that corrupts data copies the
warehouse first (``demo_warehouse_copy``).
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from nba_backfill.operate.demo import DemoResult, run_demo
from nba_backfill.settings import Settings, local_settings


@dataclass(frozen=True)
class DemoRun:
    """The finished demo: its settings (paths), what it returned, and its console output unwrapped."""

    settings: Settings
    result: DemoResult
    output: str


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    settings = local_settings(tmp_path_factory.mktemp("demo_home"))
    out = io.StringIO()
    result = run_demo(settings, console=Console(file=out, width=120))
    return DemoRun(settings, result, " ".join(out.getvalue().split()))  # unwrapped: rich wraps long lines


@pytest.fixture()
def demo_warehouse_copy(demo_run, tmp_path) -> Path:
    """A private copy of the demo's warehouse file, safe to corrupt."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_run.settings.warehouse_path, copy)
    return copy


def pytest_collection_modifyitems(items) -> None:
    """Tiers: a test that needs the demo's warehouse is ``e2e`` (the session runs the demo once for all of them).

    ``pytest -m "not e2e and not daemon and not gcp and not browser"`` is the quick tier (about a minute).
    """
    for item in items:
        if "demo_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
