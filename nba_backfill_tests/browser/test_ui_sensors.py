"""Automation → gap_sensor: an operator reads why a tick did or did not launch a repair."""

from __future__ import annotations

from playwright.sync_api import expect

# The state's gap sensor watches a healthy day only (see browser/state.py): every tick says so.
NO_GAPS = "no gaps: every watched date holds what its schedule owes"


def _open_gap_sensor(page):
    page.goto("/automation")
    page.get_by_role("link", name="gap_sensor").click()
    expect(page.get_by_text("Latest tick")).to_be_visible(timeout=60_000)
    # A tick that found no gaps stores the cursor {"requested": {}}; the others of this shared state may have
    # skipped because another test's run was writing ("warehouse busy", no cursor), so the newest is not used.
    ticks = page.get_by_role("row").filter(has=page.get_by_role("button", name="View logs")).filter(
        has_text='{"requested": {}}')
    expect(ticks.first).to_be_visible(timeout=90_000)  # the first tick comes seconds after the daemon starts
    return ticks


def test_gap_sensor_tick_reason_is_readable(page, shot):
    ticks = _open_gap_sensor(page)
    shot("gap_sensor_page")
    # Dagster 1.13 shows a skipped tick as "0 runs requested"; its reason is only a tooltip of that tag.
    ticks.first.get_by_text("0 runs requested").first.hover()
    expect(page.get_by_text(NO_GAPS).first).to_be_visible()
    shot("gap_sensor_tick_reason_tooltip")


def test_gap_sensor_decision_is_in_the_tick_logs(page, shot):
    ticks = _open_gap_sensor(page)
    ticks.first.get_by_role("button", name="View logs").click()
    expect(page.get_by_text(NO_GAPS).first).to_be_visible(timeout=30_000)
    shot("gap_sensor_tick_logs")
