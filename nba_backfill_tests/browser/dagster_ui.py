"""Selectors and flows of Dagster 1.13.27's UI, in one place (no nba_backfill knowledge here).

Found by exploring the real UI with Playwright; text and role selectors wherever the UI offers them. Notes on
what was fragile are next to each helper.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect


def open_asset(page: Page, key: str, view: str = "overview", **params: str) -> None:
    """Open an asset's page on a tab (``overview``, ``partitions``, ``checks``, ``lineage``…).

    While the definitions load, the page briefly renders the asset as "External Asset" with a disabled
    "Materialize" and no Partitions tab: wait for the real tabs before acting.
    """
    query = "&".join([f"view={view}", *(f"{k}={v}" for k, v in params.items())])
    page.goto(f"/assets/{key}?{query}")
    expect(page.get_by_role("tab", name="Partitions", exact=True).first).to_be_visible(timeout=60_000)


def status_filter(page: Page, label: str) -> Locator:
    """A status checkbox of a partitions view, e.g. ``Failed (1)``; its <input> is hidden: click the label."""
    return page.locator("label").filter(has_text=re.compile(rf"^{re.escape(label)} \(\d+\)"))


def show_only_statuses(page: Page, hide: tuple[str, ...]) -> None:
    """Untick the given status checkboxes of a partitions view (all are ticked when the page opens)."""
    for label in hide:
        status_filter(page, label).click()


def metadata_value(page: Page, entry: str) -> Locator:
    """The value cell of a metadata entry in the partition / materialization detail table."""
    row = page.get_by_role("row").filter(has=page.get_by_text(entry, exact=True)).first
    return row.locator("td").nth(1)  # key | value | (empty)


def poll_until(page: Page, visible: Callable[[], Locator], timeout_s: float, reload: Callable[[], None],
               step_ms: int = 10_000) -> None:
    """Wait until ``visible()`` shows, re-opening the page between attempts (no sleeps: each attempt waits
    on the page itself for up to ``step_ms``). Raises the last AssertionError at the deadline.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            expect(visible()).to_be_visible(timeout=step_ms)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            reload()


def open_materialize_dialog_with_upstream(page: Page, key: str) -> Locator:
    """Asset → Lineage → Upstream → "Materialize all…" (→ confirm the multi-asset's extra outputs): the UI's
    way to re-run a partition together with its upstream (the asset's own "Materialize…" warns
    "Upstream data missing" when the upstream partition failed too). Returns the launch dialog.
    """
    open_asset(page, key, "lineage")
    page.get_by_role("button", name="Upstream").click()
    page.get_by_role("button", name="Materialize all…").click()
    confirm = page.get_by_role("button", name="Confirm", exact=True)
    dialog = page.get_by_role("dialog")
    expect(dialog.filter(has_text=re.compile("Launch runs to materialize|Additional assets"))).to_be_visible()
    if confirm.is_visible():  # "Additional assets will be materialized" (non-subsettable multi-asset)
        confirm.click()
    expect(dialog.get_by_text(re.compile(r"^Launch runs to materialize \d+ assets?$"))).to_be_visible()
    return dialog


def partition_input(dialog: Locator) -> Locator:
    """The partition-selection text field of the launch dialog (placeholder ``ex: 2025-10-21, …``)."""
    return dialog.locator("input[type=text]").first
