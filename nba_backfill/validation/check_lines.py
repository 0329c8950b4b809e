"""The Dagster-instance side of the validation report: recorded check results and unmaterialized partitions.

Maps each report line (by table name, or ``window_complete``) to its asset and asset checks, and turns what
the instance recorded for a game date into problems (a failed latest check, a partition never materialized)
and a short summary of the line's checks ("2 passed", "1 FAILED, 1 passed", "1 not run"). Keys are user
strings (``nba_raw/nbac_schedule``) so the report needs no Dagster import; a test keeps them equal to the
check specs of ``checks/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nba_backfill.schemas import analytics as A
from nba_backfill.schemas import raw as R
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS
from nba_backfill.schemas.table import Table
from nba_backfill.validation.recorded import InstanceRecords


def _key(table: Table) -> str:
    return f"{table.dataset}/{table.name}"  # = schemas.keys.asset_key_for(table).to_user_string()


# report line → (asset whose partitions must be materialized, the names of the asset checks shown on that line)
LINE_CHECKS: dict[str, tuple[str, Sequence[str]]] = {
    "nbac_schedule": (_key(R.NBAC_SCHEDULE), ["one_row_per_game"]),
    "nbac_boxscore_files": ("nba_raw/nbac_boxscore_files", []),
    "nbac_team_boxscore": (_key(R.NBAC_TEAM_BOXSCORE), ["complete_and_consistent"]),
    "nbac_player_boxscore": (_key(R.NBAC_PLAYER_BOXSCORE), ["sums_match_team_keys_unique"]),
    "nbac_player_list": (_key(R.NBAC_PLAYER_LIST), ["one_row_per_player_known_teams"]),
    "team_offense_game_summary": (_key(A.TEAM_OFFENSE_GAME_SUMMARY), ["one_row_per_team_row"]),
    "team_defense_game_summary": (_key(A.TEAM_DEFENSE_GAME_SUMMARY), ["mirrors_opponent_offense"]),
    "player_game_summary": (_key(A.PLAYER_GAME_SUMMARY), ["one_row_per_player_row"]),
    "player_composite_factors": (_key(PLAYER_COMPOSITE_FACTORS), ["one_row_per_eligible_player"]),
    "window_complete": (_key(PLAYER_COMPOSITE_FACTORS), ["window_complete"]),
    "player_prop_predictions": (_key(PLAYER_PROP_PREDICTIONS), ["one_row_per_player_and_system"]),
}


def _summary(statuses: list[str]) -> str:
    if not statuses:
        return "-"
    order = ("FAILED", "STALE", "NOT_RUN", "NEVER_RUN", "PASSED")
    counts = {s: statuses.count(s) for s in order if s in statuses}
    return ", ".join(f"{n} {s.lower().replace('_', ' ')}" if s != "FAILED" else f"{n} FAILED"
                     for s, n in counts.items())


def recorded_problems(records: InstanceRecords, days: Sequence[dt.date]
                      ) -> dict[tuple[dt.date, str], tuple[tuple[str, ...], str]]:
    """Per (game date, report line): the instance's problems and the checks summary of that line.

    Args:
        records: what the instance recorded (``validation.recorded.open_records``).
        days: the game dates of the report.

    Returns:
        (date, line key of :data:`LINE_CHECKS`) → (problems, e.g. "check … failed (run …): …", and the
        summary of the line's checks, e.g. "1 passed"; "-" for a line without checks).

    Raises:
        Errors of the instance's storage (``sqlite3.Error``, Dagster storage errors).
    """
    iso = [d.isoformat() for d in days]
    pairs = [(asset, name) for asset, names in LINE_CHECKS.values() for name in names]
    results = {(r.asset, r.check, r.partition): r for r in records.check_results(pairs, iso)}
    materialized = {asset: records.materialized_days(asset, iso) for asset in dict.fromkeys(
        a for a, _ in LINE_CHECKS.values())}
    out = {}
    for line, (asset, names) in LINE_CHECKS.items():
        for day, key in zip(days, iso):
            problems, statuses = [], []
            if key not in materialized[asset]:
                problems.append(f"{key}: {asset} was never materialized for {key} — materialize "
                                "it (a day without games is materialized empty, not skipped)")
            for name in names:
                result = results.get((asset, name, key))
                statuses.append(result.status if result else "NEVER_RUN")
                if result and result.status == "FAILED":
                    first = result.description.splitlines()[0] if result.description else "no description"
                    problems.append(f"check {name} failed (run {result.run_id[:8]}): {first}")
            out[(day, line)] = (tuple(problems), _summary(statuses))
    return out
