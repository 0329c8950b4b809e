"""A small client of the Dagster webserver's GraphQL API: launch an asset backfill, follow its progress.

``launchPartitionBackfill`` with ``partitionsByAssets`` is the same mutation the UI's "Materialize…"
dialog sends, so a CLI backfill is an ordinary backfill under Runs → Backfills.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import dagster as dg
import requests

from nba_backfill.errors import NbaBackfillError
from nba_backfill.sensors.cascade_plan import contiguous_ranges

LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on UnauthorizedError { message }
    ... on PartitionSetNotFoundError { message }
    ... on RunConflict { message }
  }
}"""

STATUS = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      id status
      assetBackfillData { assetBackfillStatuses { ... on AssetPartitionsStatusCounts {
        assetKey { path } numPartitionsTargeted numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed
      } } }
    }
    ... on PythonError { message }
  }
}"""

FINISHED = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


@dataclass(frozen=True)
class BackfillProgress:
    """Status of one backfill: its status text and partition counts summed over its assets."""

    backfill_id: str
    status: str
    targeted: int
    materialized: int
    failed: int
    per_asset: dict[str, tuple[int, int, int]]

    @property
    def finished(self) -> bool:
        """True once the backfill reached a final status."""
        return self.status in FINISHED


class DagsterGraphQL:
    """GraphQL endpoint of a running webserver, e.g. ``http://127.0.0.1:3000``."""

    def __init__(self, url: str, timeout_seconds: float = 30.0):
        self.endpoint = url.rstrip("/") + "/graphql"
        self.timeout_seconds = timeout_seconds

    def query(self, document: str, variables: Mapping | None = None) -> dict:
        """Run one GraphQL document; return ``data``.

        Raises:
            NbaBackfillError: the webserver is unreachable or answered with GraphQL errors.
        """
        try:
            response = requests.post(self.endpoint, json={"query": document, "variables": dict(variables or {})},
                                     timeout=self.timeout_seconds)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise NbaBackfillError(f"Dagster webserver at {self.endpoint} did not answer ({exc}); "
                                   "start it with `make ui` or pass the right --url") from exc
        body = response.json()
        if body.get("errors"):
            raise NbaBackfillError(f"GraphQL error from {self.endpoint}: {body['errors'][0].get('message')}")
        return body["data"]

    def launch_backfill(self, plan: Mapping[dg.AssetKey, list[str]], tags: Mapping[str, str], title: str) -> str:
        """Launch one asset backfill of ``plan`` (asset → partition keys); return its id."""
        params = {
            "partitionsByAssets": [
                {"assetKey": {"path": list(key.path)},
                 "partitions": {"ranges": [{"start": a, "end": b} for a, b in contiguous_ranges(keys)]}}
                for key, keys in plan.items()
            ],
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
            "title": title,
        }
        result = self.query(LAUNCH, {"params": params})["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            raise NbaBackfillError(f"backfill not launched: {result['__typename']}: {result.get('message')}")
        return result["backfillId"]

    def backfill_progress(self, backfill_id: str) -> BackfillProgress:
        """Current status and partition counts of a backfill."""
        data = self.query(STATUS, {"id": backfill_id})["partitionBackfillOrError"]
        if data["__typename"] != "PartitionBackfill":
            raise NbaBackfillError(f"backfill {backfill_id}: {data.get('message', data['__typename'])}")
        per_asset = {}
        for status in (data.get("assetBackfillData") or {}).get("assetBackfillStatuses", []):
            if "assetKey" in status:
                per_asset["/".join(status["assetKey"]["path"])] = (
                    status["numPartitionsTargeted"], status["numPartitionsMaterialized"], status["numPartitionsFailed"])
        return BackfillProgress(
            backfill_id, data["status"], sum(v[0] for v in per_asset.values()),
            sum(v[1] for v in per_asset.values()), sum(v[2] for v in per_asset.values()), per_asset)
