"""The embedded object store as a plain class: a local folder with GCS-style object names, without Dagster.

Objects are written atomically (temp file + rename), so a killed run never leaves half a JSON file.
:class:`~nba_backfill.resources.local_object_store.LocalObjectStore` (the Dagster resource of the storage port)
delegates here; ``nba-backfill validate`` reads through this class directly (``resources/readers.py``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LocalFolder:
    """Objects under ``root`` (usually ``$NBA_BACKFILL_HOME/lake``), named like
    ``nba-com/boxscore/20260121/0022500622.json``.
    """

    root: str

    def _path(self, name: str) -> Path:
        return Path(self.root) / name

    def put_bytes(self, name: str, data: bytes) -> str:
        """Write ``data`` to object ``name`` atomically; return its ``file://`` URI."""
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return path.as_uri()

    def put_json(self, name: str, payload: Mapping[str, Any]) -> str:
        """Write ``payload`` as compact JSON to object ``name`` atomically; return its URI."""
        return self.put_bytes(name, json.dumps(payload, separators=(",", ":")).encode())

    def get_bytes(self, name: str) -> bytes:
        """Read object ``name``.

        Raises:
            FileNotFoundError: no such object.
        """
        return self._path(name).read_bytes()

    def get_json(self, name: str) -> dict:
        """Read object ``name`` as JSON.

        Raises:
            FileNotFoundError: no such object (the producing partition was never materialized).
            json.JSONDecodeError: the object is not JSON.
        """
        return json.loads(self._path(name).read_text())

    def exists(self, name: str) -> bool:
        """Whether object ``name`` exists."""
        return self._path(name).is_file()

    def list(self, prefix: str) -> list[str]:
        """Object names under ``prefix`` (a folder-like prefix such as ``nba-com/boxscore/20260121/``), sorted."""
        base = self._path(prefix)
        if not base.exists():
            return []
        return sorted(str(p.relative_to(self.root)) for p in base.rglob("*")
                      if p.is_file() and not p.name.startswith(".tmp-"))

    def delete(self, name: str) -> None:
        """Delete object ``name`` (no error when absent)."""
        self._path(name).unlink(missing_ok=True)

    def uri(self, name: str) -> str:
        """``file:///…/lake/<name>``."""
        return self._path(name).resolve().as_uri()
