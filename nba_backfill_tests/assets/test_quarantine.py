"""Malformed JSON from the source: the raw body is kept in the object store under a quarantine path that the
error names; nothing reaches the tables. Real replay (fault ``malformed_json`` on one real game), real lake.
"""

from __future__ import annotations

from nba_backfill.definitions import build_defs, build_resources
from nba_backfill.operate.demo import NIGHTLY, SOURCES
from nba_backfill.operate.runner import materialize_partition, project_instance
from nba_backfill.schemas.raw import NBAC_TEAM_BOXSCORE
from nba_backfill.settings import local_settings
from nba_backfill.sources.nba_stats_client import NbaStatsClient
from nba_backfill.sources.replay_server import ReplayServer

DAY, GAME = "2026-01-20", "0022500615"


def test_a_malformed_body_is_quarantined_and_named_in_the_error(tmp_path):
    settings = local_settings(tmp_path)
    with ReplayServer(faults={"rules": [{"kind": "malformed_json", "game_ids": [GAME],
                                         "endpoints": ["boxscoretraditionalv3"]}]}) as replay:
        client = NbaStatsClient(base_url=replay.base_url, rate_limit_seconds=0, max_retries=0)
        defs = build_defs(settings, resource_overrides={"nba_stats": client})
        instance = project_instance(settings)
        assert materialize_partition(defs, instance, DAY, selection=SOURCES).success
        outcome = materialize_partition(defs, instance, DAY, selection=NIGHTLY)
    assert not outcome.success
    message = "\n".join(outcome.failures)
    store = build_resources(settings)["object_store"]
    [kept] = store.list("quarantine/")
    assert kept.startswith(f"quarantine/nba-com/boxscoretraditionalv3/20260120/{GAME}-")
    assert store.uri(kept) in message and f"game {GAME} on {DAY}" in message
    body = store.get_bytes(kept)
    assert body.startswith(b'{"meta"') and not body.rstrip().endswith(b"}")  # the half body, verbatim
    warehouse = build_resources(settings)["warehouse"]
    assert not warehouse.is_initialized() or warehouse.count_by_date(NBAC_TEAM_BOXSCORE, []) == {}
