"""The ``gcp`` object store: raw source payloads as objects of one GCS bucket, under an optional prefix.

Object names are the local store's (``nba-com/boxscore/20260121/0022500622.json``); a GCS upload is
all-or-nothing, so a killed run never leaves half an object. Credentials come only from Application Default
Credentials (dagster-gcp's ``GCSResource``); with ``api_endpoint`` set (tests, a local emulator) the client
uses that endpoint with anonymous credentials. Setting ``STORAGE_EMULATOR_HOST`` has the same effect without
``api_endpoint`` (google-cloud-storage reads it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dagster_gcp import GCSResource
from google.api_core import exceptions as gexc
from google.cloud import storage
from pydantic import PrivateAttr

from nba_backfill.resources.storage import ObjectStore


class GCSObjectStore(ObjectStore):
    """GCS implementation of the storage port's :class:`~nba_backfill.resources.storage.ObjectStore`.

    Attributes:
        bucket: the bucket name (it must exist; infrastructure creates it).
        prefix: prepended to every object name (``dev`` -> ``gs://bucket/dev/nba-com/…``); empty by default.
        project: the GCP project of the client (None: the ADC project).
        api_endpoint: GCS JSON API endpoint of an emulator (``http://127.0.0.1:9023``); empty in production.
    """

    bucket: str
    prefix: str = ""
    project: str | None = None
    api_endpoint: str = ""

    _client: Any = PrivateAttr(default=None)

    def _storage_client(self) -> storage.Client:
        if self._client is None:
            if self.api_endpoint:
                from google.auth.credentials import AnonymousCredentials

                self._client = storage.Client(project=self.project or "emulator",
                                              credentials=AnonymousCredentials(),
                                              client_options={"api_endpoint": self.api_endpoint})
            else:
                self._client = GCSResource(project=self.project).get_client()
        return self._client

    def _bucket(self) -> storage.Bucket:
        return self._storage_client().bucket(self.bucket)

    def _object_name(self, name: str) -> str:
        if not name or name.startswith("/"):
            raise ValueError(f"object name {name!r} must be relative, e.g. nba-com/boxscore/20260121/x.json")
        return f"{self.prefix.strip('/')}/{name}" if self.prefix.strip("/") else name

    def uri(self, name: str) -> str:
        """``gs://bucket/<prefix>/<name>``."""
        return f"gs://{self.bucket}/{self._object_name(name)}"

    def put_json(self, name: str, payload: Mapping[str, Any]) -> str:
        """Upload ``payload`` as compact JSON (one request: all or nothing); return its URI."""
        data = json.dumps(payload, separators=(",", ":")).encode()
        self._bucket().blob(self._object_name(name)).upload_from_string(data, content_type="application/json")
        return self.uri(name)

    def put_bytes(self, name: str, data: bytes) -> str:
        """Upload ``data`` verbatim; return its URI."""
        self._bucket().blob(self._object_name(name)).upload_from_string(
            data, content_type="application/octet-stream")
        return self.uri(name)

    def get_bytes(self, name: str) -> bytes:
        """Download object ``name``.

        Raises:
            FileNotFoundError: no such object.
        """
        try:
            return self._bucket().blob(self._object_name(name)).download_as_bytes()
        except gexc.NotFound as exc:
            raise FileNotFoundError(f"{self.uri(name)}: no such object") from exc

    def get_json(self, name: str) -> dict:
        """Download object ``name`` as JSON (``FileNotFoundError`` when absent)."""
        return json.loads(self.get_bytes(name))

    def exists(self, name: str) -> bool:
        """Whether object ``name`` exists."""
        return self._bucket().blob(self._object_name(name)).exists()

    def list(self, prefix: str) -> list[str]:
        """Object names under ``prefix`` (without the store's own prefix), sorted."""
        full = self._object_name(prefix) if prefix else (f"{self.prefix.strip('/')}/" if self.prefix.strip("/") else "")
        strip = len(self.prefix.strip("/")) + 1 if self.prefix.strip("/") else 0
        blobs = self._storage_client().list_blobs(self.bucket, prefix=full)
        return sorted(b.name[strip:] for b in blobs if not b.name.endswith("/"))

    def delete(self, name: str) -> None:
        """Delete object ``name`` (no error when absent)."""
        try:
            self._bucket().blob(self._object_name(name)).delete()
        except gexc.NotFound:
            pass
