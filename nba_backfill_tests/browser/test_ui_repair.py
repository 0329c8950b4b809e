"""The operator's repair of a failed day in the UI: see it, launch it, watch it land, read what landed.

Tests run in file order on one shared state: the failed day is inspected before the repair is launched.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from browser.dagster_ui import (
    metadata_value,
    open_asset,
    open_materialize_dialog_with_upstream,
    partition_input,
    poll_until,
    show_only_statuses,
    status_filter,
)

TEAM_BOX = "nba_raw/nbac_team_boxscore"
FILES = "nba_raw/nbac_boxscore_files"
CHECK = "complete_and_consistent"


def test_failed_day_shows_as_failed_on_the_partitions_tab(page, ui, shot):
    open_asset(page, TEAM_BOX, "partitions")
    expect(status_filter(page, "Failed")).to_have_text(re.compile(r"^Failed \(1\)$"))
    shot("partitions_all")
    show_only_statuses(page, ("Missing", "Materialized"))
    page.get_by_text(ui.failed_day, exact=True).first.click()
    expect(page.get_by_text(re.compile(r"^Run \w+ failed, and did not materialize this asset\.$"))).to_be_visible()
    shot("failed_day_selected")


def test_repair_from_the_materialize_dialog_lands_and_passes_checks(page, ui, shot):
    dialog = open_materialize_dialog_with_upstream(page, TEAM_BOX)
    # The partitions end with the seasons' data (calendar.py), so the picker's default window holds the game
    # dates: "Failed" selects the failed day without "Show all partitions" (it used to open on an empty
    # "Last 90 days" before today).
    dialog.get_by_role("button", name="Failed", exact=True).click()
    expect(partition_input(dialog)).to_have_value(ui.failed_day)
    expect(dialog.get_by_text("1 partition", exact=True)).to_be_visible()
    shot("dialog_failed_day_selected")
    dialog.get_by_role("button", name=re.compile(r"^Launch (1 run|backfill)$")).click()
    launched = page.get_by_text(re.compile(r"^Launched run \w+$"))
    expect(launched).to_be_visible()
    shot("launched")

    # The run goes to the instance's run queue (run_queue in dagster.yaml); the daemon's QueuedRunCoordinator
    # launches it once the cascade automation's own runs ahead of it are done (one run at a time).
    view = page.get_by_role("button", name="View", exact=True).or_(page.get_by_role("link", name="View", exact=True))
    view.first.click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}"))
    expect(page.get_by_text("partition: " + ui.failed_day)).to_be_visible()
    poll_until(page, lambda: page.get_by_text("Success", exact=True).first, 300, page.reload)
    shot("run_succeeded")

    open_asset(page, TEAM_BOX, "partitions", partition=ui.failed_day)
    poll_until(page, lambda: page.get_by_text("Materialized", exact=True).first, 60,
               lambda: open_asset(page, TEAM_BOX, "partitions", partition=ui.failed_day))
    expect(status_filter(page, "Failed")).to_have_text("Failed (0)")
    expect(metadata_value(page, "dagster/row_count")).to_have_text(str(ui.team_rows[ui.failed_day]))
    shot("failed_day_materialized")

    page.get_by_role("tab", name="Checks", exact=True).click()
    expect(page.get_by_text(CHECK).first).to_be_visible()
    page.get_by_role("tab", name="Partitions", exact=True).last.click()  # the check's own Partitions tab
    show_only_statuses(page, ("Missing",))
    page.get_by_text(ui.failed_day, exact=True).first.click()
    rows = ui.team_rows[ui.failed_day]
    expect(page.get_by_text(f"{ui.failed_day}: expected {rows} team rows, found {rows}")).to_be_visible()
    expect(page.get_by_text("Passed", exact=True).first).to_be_visible()
    expect(status_filter(page, "Failed")).to_have_text("Failed (0)")
    shot("check_passed_for_failed_day")


def test_one_nightly_day_shows_its_row_count(page, ui, shot):
    day = ui.nightly_day  # 2026-01-21: 7 final games in the bundled schedule → 14 team rows
    assert ui.team_rows[day] == 2 * ui.final_games[day] == 14
    open_asset(page, TEAM_BOX, "partitions", partition=day)
    expect(metadata_value(page, "dagster/row_count")).to_have_text(str(ui.team_rows[day]))
    expect(metadata_value(page, "final_games")).to_have_text(str(ui.final_games[day]))
    shot("nightly_day_row_count")


def test_a_day_of_a_range_run_shows_its_own_row_count(page, ui, shot):
    day = ui.range_day  # 2026-01-19: 9 final games → 18 team rows
    assert ui.team_rows[day] == 2 * ui.final_games[day] == 18
    open_asset(page, TEAM_BOX, "partitions", partition=day)
    expect(metadata_value(page, "dagster/row_count")).to_have_text(str(ui.team_rows[day]))
    expect(metadata_value(page, "final_games")).to_have_text(str(ui.final_games[day]))
    shot("range_day_row_count")
