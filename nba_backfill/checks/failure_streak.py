"""The failure-streak alert: consecutive final games whose latest scrape failed, counted across runs.

From ``failure_streak_threshold`` games on (default 3), the asset check ``scrape_failure_streak`` of
``nba_raw/nbac_boxscore_files`` fails (severity ERROR) with the games, dates and error in its metadata,
and the sensor logs it — on the first broken day, not the 26th. The sensor reports the check result
without a run (``report_runless_asset_event``), so the alert appears even when every run fails.
"""

from __future__ import annotations

import dagster as dg

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.assets.scrape_ledger import read_outcomes
from nba_backfill.logic.gaps import failure_streaks
from nba_backfill.resources.scope import PipelineScope
from nba_backfill.resources.storage import ObjectStore

CHECK_NAME = "scrape_failure_streak"
SHOWN_GAMES = 6  # game ids named in the description; metadata "games" lists all


def streak_evaluation(store: ObjectStore, threshold: int) -> tuple[bool, str, dict]:
    """(passed, description, metadata) of the failure-streak check from the scrape ledger."""
    streaks = failure_streaks(read_outcomes(store), threshold)
    if not streaks:
        return True, f"no run of {threshold}+ consecutive failed final games", {"failed_games_in_streaks": 0}
    games = [g for s in streaks for g in s.to_dict("records")]
    first, last = streaks[0].iloc[0], streaks[-1].iloc[-1]
    days = sorted({str(g["game_date"]) for g in games})
    ids = [str(g["game_id"]) for g in games]
    listed = ", ".join(ids[:SHOWN_GAMES]) + (f", … {len(ids) - SHOWN_GAMES} more" if len(ids) > SHOWN_GAMES else "")
    # One line that names the games, the dates, the cause and what to do (the Checks tab shows it first).
    description = (
        f"{len(games)} consecutive final games failed to scrape ({first.game_date} … {last.game_date}) on "
        f"{len(days)} day{'s' if len(days) > 1 else ''}: games {listed}; cause {first.error_type}. The source is "
        "degraded: the gap sensor re-requests these days; check stats.nba.com if it persists"
    )
    metadata = {
        "failed_games_in_streaks": len(games),
        "first_failed_date": str(first.game_date),
        "last_failed_date": str(last.game_date),
        "failed_dates": ", ".join(days),
        "games": dg.MetadataValue.json([{k: g[k] for k in ("game_id", "game_date", "error_type")} for g in games]),
        "example_error": first.error,
    }
    return False, description, metadata


@dg.asset_check(asset=BOXSCORE_FILES_KEY, name=CHECK_NAME, description=__doc__.splitlines()[0])
def scrape_failure_streak(object_store: ObjectStore, scope: PipelineScope) -> dg.AssetCheckResult:
    """Fails when 3+ (configurable) consecutive final games' latest scrape failed."""
    passed, description, metadata = streak_evaluation(object_store, scope.failure_streak_threshold)
    return dg.AssetCheckResult(passed=passed, severity=dg.AssetCheckSeverity.ERROR, description=description,
                               metadata=metadata)
