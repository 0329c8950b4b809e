"""A small client of the Dagster webserver's GraphQL API: launch an asset backfill, follow its progress.

``launchPartitionBackfill`` with ``partitionsByAssets`` is the same mutation the UI's "Materialize…"
dialog sends, so a CLI backfill is an ordinary backfill under Runs → Backfills.
"""

from __future__ import annotations

import re
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

CANCEL = """
mutation Cancel($id: String!) {
  cancelPartitionBackfill(backfillId: $id) {
    __typename
    ... on UnauthorizedError { message }
    ... on PythonError { message }
  }
}"""

BACKFILL_RUNS = """
query BackfillRuns($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill { runs(limit: 200) { runId status } }
  }
}"""

STEP_FAILURES = """
query StepFailures($runId: ID!) {
  logsForRun(runId: $runId, limit: 20000) {
    __typename
    ... on EventConnection { events { __typename
      ... on ExecutionStepFailureEvent { stepKey message error { message } } } }
    ... on PythonError { message }
    ... on RunNotFoundError { message }
  }
}"""

FINISHED = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}
RUN_FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


@dataclass(frozen=True)
class StepFailure:
    """One failed step of a backfill's run: the run, the step key and the step's error text (first lines)."""

    run_id: str
    step_key: str
    message: str


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

    def cancel_backfill(self, backfill_id: str) -> None:
        """Ask Dagster to cancel a backfill (the UI's "Cancel backfill"): it turns CANCELING, launches no more
        runs, and the daemon terminates its runs in progress, then marks it CANCELED.

        Raises:
            NbaBackfillError: the webserver is unreachable or refused (the message says why).
        """
        result = self.query(CANCEL, {"id": backfill_id})["cancelPartitionBackfill"]
        if result["__typename"] != "CancelBackfillSuccess":
            raise NbaBackfillError(f"backfill {backfill_id} not cancelled: {result['__typename']}: "
                                   f"{result.get('message')}; cancel it in the UI (Runs → Backfills)")

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

    def backfill_runs(self, backfill_id: str) -> list[tuple[str, str]]:
        """(run id, run status) of the backfill's runs (at most 200), newest first; status as Dagster names it
        (``QUEUED``, ``STARTED``, ``SUCCESS``, ``FAILURE``, ``CANCELED``…).

        Raises:
            NbaBackfillError: the webserver is unreachable or answered with GraphQL errors.
        """
        data = self.query(BACKFILL_RUNS, {"id": backfill_id})["partitionBackfillOrError"]
        return [(r["runId"], r["status"]) for r in data.get("runs") or []]

    def step_failures(self, backfill_id: str) -> list[StepFailure]:
        """The failed steps of the backfill's FAILURE runs, oldest run first, with the step's own error text.

        A failed raw step's error names the game, the date, the cause and what to do
        (``assets/boxscore_files.py``); a blocking check's names the dates and games it found. Steps skipped
        because an upstream step failed write no failure event and are not listed.

        Raises:
            NbaBackfillError: the webserver is unreachable or answered with GraphQL errors.
        """
        failed = [run_id for run_id, status in reversed(self.backfill_runs(backfill_id)) if status == "FAILURE"]
        found = []
        for run_id in failed:
            logs = self.query(STEP_FAILURES, {"runId": run_id})["logsForRun"]
            for event in logs.get("events") or []:
                if event["__typename"] == "ExecutionStepFailureEvent":
                    text = (event.get("error") or {}).get("message") or event.get("message") or ""
                    found.append(StepFailure(run_id, event.get("stepKey") or "?", _failure_text(text)))
        return found


def _failure_text(text: str) -> str:
    """The error's own words: without Dagster's exception class prefix (``dagster...Failure: ``)."""
    return re.sub(r"^[\w.]+(Failure|Error|Exception): ", "", text.strip())
