"""The Dagster-instance side of the validation report: recorded check results and unmaterialized partitions.

Maps each report line (by table name, or ``window_complete``) to its asset and asset checks, and turns what
the instance recorded for a game date into problems (a failed latest check, a partition never materialized)
and a short summary of the line's checks ("2 passed", "1 FAILED, 1 passed", "1 not run").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import dagster as dg

from nba_backfill.checks import analytics, features, raw
from nba_backfill.sensors.partition_status import materialized_days
from nba_backfill.validation.recorded import recorded_checks

# report line → (asset whose partitions must be materialized, the asset checks shown on that line)
LINE_CHECKS: dict[str, tuple[dg.AssetKey, Sequence[dg.AssetCheckKey]]] = {
    "nbac_schedule": (raw.SCHEDULE, [raw.SCHEDULE_GAMES.key]),
    "nbac_boxscore_files": (dg.AssetKey(["nba_raw", "nbac_boxscore_files"]), []),
    "nbac_team_boxscore": (raw.TEAM, [raw.TEAM_BOX.key]),
    "nbac_player_boxscore": (raw.PLAYER, [raw.PLAYER_BOX.key]),
    "nbac_player_list": (raw.ROSTER, [raw.ROSTER_PLAYERS.key]),
    "team_offense_game_summary": (analytics.OFFENSE, [analytics.OFFENSE_ROWS.key]),
    "team_defense_game_summary": (analytics.DEFENSE, [analytics.DEFENSE_MIRROR.key]),
    "player_game_summary": (analytics.PLAYERS, [analytics.PLAYER_ROWS.key]),
    "player_composite_factors": (features.FACTORS, [features.FACTOR_ROWS.key]),
    "window_complete": (features.FACTORS, [features.WINDOWS.key]),
    "player_prop_predictions": (features.PREDICTIONS, [features.PREDICTION_ROWS.key]),
}


def _summary(statuses: list[str]) -> str:
    if not statuses:
        return "-"
    order = ("FAILED", "STALE", "NOT_RUN", "NEVER_RUN", "PASSED")
    counts = {s: statuses.count(s) for s in order if s in statuses}
    return ", ".join(f"{n} {s.lower().replace('_', ' ')}" if s != "FAILED" else f"{n} FAILED"
                     for s, n in counts.items())


def recorded_problems(instance: dg.DagsterInstance, days: Sequence[dt.date]
                      ) -> dict[tuple[dt.date, str], tuple[tuple[str, ...], str]]:
    """Per (game date, report line): the instance's problems and the checks summary of that line."""
    keys = [k for _, checks in LINE_CHECKS.values() for k in checks]
    iso = [d.isoformat() for d in days]
    records = recorded_checks(instance, keys, iso)
    materialized = {asset: materialized_days(instance, asset, iso) for asset, _ in set(
        (a, None) for a, _ in LINE_CHECKS.values())}
    out = {}
    for line, (asset, checks) in LINE_CHECKS.items():
        for day, key in zip(days, iso):
            problems, statuses = [], []
            if key not in materialized[asset]:
                problems.append(f"{key}: {asset.to_user_string()} was never materialized for {key} — materialize "
                                "it (a day without games is materialized empty, not skipped)")
            for check_key in checks:
                record = records.get((check_key, key))
                statuses.append(record.status if record else "NEVER_RUN")
                if record and record.status == "FAILED":
                    first = record.description.splitlines()[0] if record.description else "no description"
                    problems.append(f"check {check_key.name} failed (run {record.run_id[:8]}): {first}")
            out[(day, line)] = (tuple(problems), _summary(statuses))
    return out
