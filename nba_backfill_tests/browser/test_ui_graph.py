"""The global asset graph shows every asset of README "The asset graph"."""

from __future__ import annotations

import re

from playwright.sync_api import expect

ASSET_KEYS = [
    "nba_raw/nbac_schedule",
    "nba_raw/nbac_boxscore_files",
    "nba_raw/nbac_team_boxscore",
    "nba_raw/nbac_player_boxscore",
    "nba_raw/odds_player_points_props",
    "nba_analytics/team_offense_game_summary",
    "nba_analytics/team_defense_game_summary",
    "nba_analytics/player_game_summary",
    "nba_precompute/player_composite_factors",
    "nba_predictions/player_prop_predictions",
    "nba_predictions/prediction_accuracy",
]


def test_global_asset_graph_shows_all_eleven_assets(page, shot):
    page.goto("/asset-groups")
    expect(page.get_by_role("button", name="Materialize all…")).to_be_visible(timeout=60_000)
    # The graph opens with its four groups collapsed: graph settings (gear) → "Expand all groups".
    page.locator("button:has([aria-label='settings'])").last.click()
    page.get_by_role("menuitem", name=re.compile("Expand all groups")).click()
    page.keyboard.press("Escape")
    graph = page.locator("foreignObject")  # the graph's nodes (the sidebar tree stays collapsed)
    for key in ASSET_KEYS:
        expect(graph.get_by_text(key.split("/")[1], exact=True).first).to_be_visible()
    shot("global_graph_expanded")
