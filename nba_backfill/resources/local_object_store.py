"""The embedded object store for raw source payloads as a Dagster resource: a local folder with GCS-style names.

Implements the storage port :class:`~nba_backfill.resources.storage.ObjectStore` by delegating every call to
:class:`~nba_backfill.resources.local_folder.LocalFolder` (the plain class ``nba-backfill validate`` uses without
Dagster). Objects are written atomically (temp file + rename), so a killed run never leaves half a JSON file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nba_backfill.resources.local_folder import LocalFolder
from nba_backfill.resources.storage import ObjectStore


class LocalObjectStore(ObjectStore):
    """Objects under ``root`` (usually ``$NBA_BACKFILL_HOME/lake``).

    Named like ``nba-com/boxscore/20260121/0022500622.json``.
    """

    root: str

    @property
    def folder(self) -> LocalFolder:
        """The plain folder class every method delegates to."""
        return LocalFolder(self.root)

    def put_bytes(self, name: str, data: bytes) -> str:
        """Write ``data`` to object ``name`` atomically; return its ``file://`` URI."""
        return self.folder.put_bytes(name, data)

    def put_json(self, name: str, payload: Mapping[str, Any]) -> str:
        """Write ``payload`` as compact JSON to object ``name`` atomically; return its URI."""
        return self.folder.put_json(name, payload)

    def get_bytes(self, name: str) -> bytes:
        """Read object ``name``.

        Raises:
            FileNotFoundError: no such object.
        """
        return self.folder.get_bytes(name)

    def get_json(self, name: str) -> dict:
        """Read object ``name`` as JSON.

        Raises:
            FileNotFoundError: no such object (the producing partition was never materialized).
            json.JSONDecodeError: the object is not JSON.
        """
        return self.folder.get_json(name)

    def exists(self, name: str) -> bool:
        """Whether object ``name`` exists."""
        return self.folder.exists(name)

    def list(self, prefix: str) -> list[str]:
        """Object names under ``prefix`` (a folder-like prefix such as ``nba-com/boxscore/20260121/``)."""
        return self.folder.list(prefix)

    def delete(self, name: str) -> None:
        """Delete object ``name`` (no error when absent)."""
        self.folder.delete(name)

    def uri(self, name: str) -> str:
        """``file:///…/lake/<name>``."""
        return self.folder.uri(name)
