"""The only place that touches non-public Dagster API (dagster pinned to 1.13.27), in two kinds of module.

- ``dagster_api.py``: non-public calls through Dagster itself (asset-backfill run requests, backfills, check
  evaluations pointing at a materialization, check records of the event-log storage, run worker pids) and the
  local instance's pooled SQLite event log and run coordinator. Its names are importable from the package,
  ``from nba_backfill.dagster_private import backfills``, as before, and ``dagster.yaml`` names its classes with
  ``module: nba_backfill.dagster_private``.
- ``sqlite_index.py``, ``sqlite_checks.py``, ``sqlite_partitions.py``: reads of a SQLite-backed instance's
  own tables with the standard library (no Dagster import, ~1 s saved), for ``nba-backfill validate``. They
  reproduce what the Dagster calls return (``recorded_check_results``, ``get_status_by_partition``);
  ``nba_backfill_tests/test_dagster_private.py`` compares both on real instances, so a Dagster upgrade that
  changes the schema or the semantics fails there first, loudly.

Why the package imports ``dagster_api`` lazily (PEP 562 ``__getattr__``): Python runs a package's
``__init__`` before any submodule, so an eager ``import dagster`` here would make the SQLite readers import
Dagster too. Any name of ``dagster_api`` (also one an instance's ``dagster.yaml`` names with
``module: nba_backfill.dagster_private``) resolves on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nba_backfill.dagster_private.dagster_api import *  # noqa: F403

# Submodules that must not import Dagster: ``from nba_backfill.dagster_private import sqlite_checks`` asks this
# package for the name before importing the submodule, which must not go through ``dagster_api``.
_DAGSTER_FREE = ("sqlite_index", "sqlite_checks", "sqlite_partitions")


def __getattr__(name: str) -> Any:
    """A Dagster-free submodule, or a name of ``dagster_api`` (imports Dagster on first use).

    Raises:
        AttributeError: ``dagster_api`` has no such name.
    """
    if name in _DAGSTER_FREE:
        return importlib.import_module(f"{__name__}.{name}")
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.dagster_api"), name)
