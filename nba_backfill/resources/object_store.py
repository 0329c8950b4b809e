"""The object store for raw source payloads: a local folder (embedded) with GCS-style object names.

Objects are written atomically (temp file + rename), so a killed run never leaves half a JSON file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import dagster as dg


class LocalObjectStore(dg.ConfigurableResource):
    """Objects under ``root`` (usually ``$NBA_BACKFILL_HOME/lake``), named like ``nba-com/boxscore/20260121/0022500622.json``."""

    root: str

    def _path(self, name: str) -> Path:
        return Path(self.root) / name

    def put_json(self, name: str, payload: dict) -> str:
        """Write ``payload`` as JSON to object ``name`` atomically; return its URI."""
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w") as fh:
            json.dump(payload, fh, separators=(",", ":"))
        os.replace(tmp, path)
        return path.as_uri()

    def get_json(self, name: str) -> dict:
        """Read object ``name``.

        Raises:
            FileNotFoundError: no such object (the producing partition was never materialized).
            json.JSONDecodeError: the object is not JSON.
        """
        return json.loads(self._path(name).read_text())

    def exists(self, name: str) -> bool:
        return self._path(name).exists()

    def list(self, prefix: str) -> list[str]:
        """Object names under ``prefix`` (a folder-like prefix such as ``nba-com/boxscore/20260121/``)."""
        base = self._path(prefix)
        if not base.exists():
            return []
        return sorted(str(p.relative_to(self.root)) for p in base.rglob("*.json") if not p.name.startswith(".tmp-"))

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
