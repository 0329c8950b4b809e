"""Data checks of phases 4–5 per game date D: eligible players, window completeness, predictions per system.

Eligible on D: on the rosters of D (``nbac_player_list``) with a team that plays on D, and played in D's window.

Pure pandas, no Dagster; same contract as ``logic/table_checks.py`` (a :class:`DayCheck` per date). The
window of D is ``D − window_days … D − 1``; expected window dates come from the schedule (final, in-scope,
not postponed games of the player's team), found dates from ``team_offense_game_summary`` — recomputed here,
independently of the ``window_*`` columns the factors asset stored, so a hole is an ERROR even when a row
claims its window is complete (a fallback can never again hide a hole).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd

from nba_backfill.logic.checks.tables import DayChecks, Finding, as_dates, assemble, game_labels
from nba_backfill.logic.composite_window import FINAL_STATUS, playable_games, team_games

FACTORS_ASSET = "nba_precompute/player_composite_factors"
ROSTER_ASSET = "nba_raw/nbac_player_list"
PREDICTIONS_ASSET = "nba_predictions/player_prop_predictions"


def _flag(values: pd.Series) -> pd.Series:
    """A nullable boolean column as plain bools, NULL → False."""
    return values.astype("boolean").fillna(False).astype(bool)


def _playing_teams(schedule: pd.DataFrame, dates: list[dt.date]) -> pd.DataFrame:
    """One row per team with a playable game on each of ``dates``: day, team_id, team_abbr, game_id."""
    slate = team_games(playable_games(schedule.dropna(subset=["home_team_id", "away_team_id"])))
    slate = slate.assign(day=as_dates(slate["game_date"])).astype({"team_id": "int64"})
    return slate.loc[slate["day"].isin(set(dates)), ["day", "team_id", "team_abbr", "game_id"]]


def _eligible(player_games: pd.DataFrame, schedule: pd.DataFrame, roster: pd.DataFrame, dates: list[dt.date],
              window_days: int) -> pd.DataFrame:
    """Eligible players of every date at once: the roster of D names the team (it must play on D), and the
    player has a played game in D's window (each played row is spread over the ``window_days`` dates whose window
    holds it).
    """
    columns = ["day", "player_id", "player_name", "team_id", "game_id"]
    played = player_games[~_flag(player_games["is_dnp"])]
    # datetime64 comparisons: one vectorized window test per date D (was one shift per window day).
    game_days = pd.to_datetime(played["game_date"])
    ids = played["player_id"].astype("int64")
    spread = []
    for day in sorted(set(dates)):
        end = pd.Timestamp(day)
        hit = (game_days >= end - pd.Timedelta(days=window_days)) & (game_days <= end - pd.Timedelta(days=1))
        if hit.any():
            spread.append(pd.DataFrame({"day": day, "player_id": ids[hit]}, columns=["day", "player_id"]))
    listed = roster.assign(day=as_dates(roster["game_date"])).astype({"player_id": "int64", "team_id": "int64"})
    listed = listed.loc[listed["day"].isin(set(dates)), ["day", "player_id", "player_name", "team_id"]]
    if not spread or listed.empty:
        return pd.DataFrame({"day": pd.Series(dtype="object"), "player_id": pd.Series(dtype="int64"),
                             "player_name": pd.Series(dtype="object"), "team_id": pd.Series(dtype="int64"),
                             "game_id": pd.Series(dtype="object")})
    active = pd.concat(spread).drop_duplicates()
    eligible = listed.merge(active, on=["day", "player_id"], how="inner")
    slate = _playing_teams(schedule, dates)[["day", "team_id", "game_id"]]
    return eligible.merge(slate, on=["day", "team_id"], how="inner")[columns]


def eligible_players(player_games: pd.DataFrame, schedule: pd.DataFrame, roster: pd.DataFrame, day: dt.date,
                     window_days: int) -> pd.DataFrame:
    """Players expected to play on ``day``: on a roster of D whose team plays on D, ≥ 1 game played in the window.

    Args:
        player_games: ``player_game_summary`` rows covering the window (any wider range is sliced here).
        schedule: ``nbac_schedule`` rows covering ``day``.
        roster: ``nbac_player_list`` rows of ``day`` (the rosters of the day: the team comes from here).
        day: the game date D.
        window_days: the window length (``partitions.WINDOW_DAYS``).

    Returns:
        Columns day, player_id, player_name, team_id, game_id (the roster team's game on D), one row per player.
    """
    return _eligible(player_games, schedule, roster, [day], window_days)


def check_factor_rows(factors: pd.DataFrame, player_games: pd.DataFrame, schedule: pd.DataFrame,
                      roster: pd.DataFrame, dates: Iterable[dt.date], window_days: int,
                      coverage: DayChecks | None = None) -> DayChecks:
    """``player_composite_factors``: exactly one row per eligible player on D, for his roster team's game. Unit:
    players. ``coverage``: :func:`check_roster_coverage` of the same schedule, rosters and dates when the caller
    has it already (computed here otherwise).

    Eligible on D (as the factors asset defines it): the rosters of D (``nbac_player_list``) list the player on
    a team with a playable game on D, and the player played (not DNP) at least once in D − window_days … D − 1,
    with any team. A row for another game than his roster team's (e.g. the team he was traded from) is a
    finding, and so is a team playing on D of which the rosters of D list nobody (a missing roster partition
    would otherwise expect, and find, 0 rows).
    """
    dates = list(dates)
    eligible = _eligible(player_games, schedule, roster, dates, window_days).assign(want=1)
    rows = factors.assign(day=as_dates(factors["game_date"])).astype({"player_id": "int64"})
    rows = rows[rows["day"].isin(set(dates))]
    have = rows.groupby(["day", "player_id"]).agg(have=("game_id", "size"), row_game=("game_id", "first"),
                                                   row_name=("player_name", "first")).reset_index()
    joined = eligible.merge(have, on=["day", "player_id"], how="outer").fillna({"want": 0, "have": 0})
    wrong_game = (joined["want"] == 1) & (joined["have"] == 1) & (joined["row_game"] != joined["game_id"])
    joined["game_id"] = joined["game_id"].fillna(joined["row_game"])
    joined["player_name"] = joined["player_name"].fillna(joined["row_name"])
    joined["kind"] = "ok"
    joined.loc[joined["have"] == 0, "kind"] = "no factors row"
    joined.loc[joined["want"] == 0, "kind"] = "a row but are not eligible"
    joined.loc[joined["have"] > 1, "kind"] = "more than one row"
    joined.loc[wrong_game, "kind"] = "a row for another game than their roster team's"
    labels, findings = game_labels(schedule), []
    for (day, game_id, kind), group in joined[joined["kind"] != "ok"].groupby(["day", "game_id", "kind"]):
        findings.append(Finding(day, game_id, (
            f"{day}: game {labels.get(game_id, game_id)}: {len(group)} players have {kind} (e.g. "
            f"{', '.join(group['player_name'].astype(str).head(3))}); re-materialize {FACTORS_ASSET} for {day}")))
    coverage = coverage if coverage is not None else check_roster_coverage(schedule, roster, dates)
    findings += [f for day in dates for f in coverage[day].findings]
    findings.sort(key=lambda f: (f.game_date, f.game_id or ""))
    return assemble(dates, eligible.groupby("day").size().to_dict(), rows.groupby("day").size().to_dict(),
                    findings)


def check_roster_coverage(schedule: pd.DataFrame, roster: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """Every team with a playable game on D has players on the rosters of D (``nbac_player_list``). Unit: teams.

    Expected = teams playing on D (from the schedule), found = those the rosters of D list players of; each
    finding names the game and the team. Without it a missing roster partition would expect, and find, 0
    composite-factors rows on D.
    """
    dates = list(dates)
    playing = _playing_teams(schedule, dates)
    listed = roster.assign(day=as_dates(roster["game_date"])).astype({"team_id": "int64"})[["day", "team_id"]]
    joined = playing.merge(listed.drop_duplicates(), on=["day", "team_id"], how="left", indicator="side")
    covered = joined[joined["side"] == "both"]
    labels, findings = game_labels(schedule), []
    for (day, game_id), group in joined[joined["side"] == "left_only"].groupby(["day", "game_id"]):
        findings.append(Finding(day, game_id, (
            f"{day}: game {labels.get(game_id, game_id)}: the rosters of {day} ({ROSTER_ASSET}) list no player of "
            f"{', '.join(sorted(group['team_abbr']))}: their players cannot be expected — materialize "
            f"{ROSTER_ASSET} for {day}, then {FACTORS_ASSET}")))
    return assemble(dates, playing.groupby("day").size().to_dict(), covered.groupby("day").size().to_dict(),
                    findings)


def _final_team_games(schedule: pd.DataFrame) -> pd.DataFrame:
    """One row per team per final, in-scope, not postponed game: game_date (date), game_id, team_id, team_abbr."""
    finals = playable_games(schedule.dropna(subset=["home_team_id", "away_team_id"]))
    finals = finals[finals["game_status"].fillna(0).astype(int) == FINAL_STATUS]
    return team_games(finals.assign(game_date=as_dates(finals["game_date"])))


def check_windows(factors: pd.DataFrame, schedule: pd.DataFrame, team_offense: pd.DataFrame,
                  dates: Iterable[dt.date], window_days: int) -> DayChecks:
    """``player_composite_factors``: every window holds each scheduled final game date of the player's team.

    Args:
        factors: factors rows of ``dates``.
        schedule: ``nbac_schedule`` rows covering every window (D − window_days … D − 1).
        team_offense: ``team_offense_game_summary`` rows covering every window.
        dates: the game dates D checked.
        window_days: the window length (``partitions.WINDOW_DAYS``).

    Returns:
        Unit: factors rows; found = rows whose team misses no expected date (recomputed here) and whose stored
        ``window_is_complete`` agrees. Each finding names a missing game and the raw date to backfill.
    """
    dates = list(dates)
    rows = factors.assign(game_date=as_dates(factors["game_date"])).astype({"team_id": "int64"})
    rows = rows[rows["game_date"].isin(set(dates))]
    # Teams owed a window on D: every team with a playable game on D (from the schedule, so a window emptied by
    # a hole — 0 factors rows, the 2026 incident — still fails) and every team that has factors rows.
    slate = team_games(playable_games(schedule.dropna(subset=["home_team_id", "away_team_id"])))
    slate = slate.assign(day=as_dates(slate["game_date"]))
    teams_on_d = pd.concat([slate.loc[slate["day"].isin(set(dates)), ["day", "team_id"]],
                            rows[["game_date", "team_id"]].rename(columns={"game_date": "day"})]).drop_duplicates()
    owed = teams_on_d.astype({"team_id": "int64"}).merge(
        _final_team_games(schedule)[["game_date", "game_id", "team_id", "team_abbr"]], on="team_id")
    lag = (pd.to_datetime(owed["day"]) - pd.to_datetime(owed["game_date"])).dt.days
    owed = owed[(lag >= 1) & (lag <= window_days)]
    landed = team_offense[["game_date", "team_id"]].assign(
        game_date=as_dates(team_offense["game_date"]), landed=True).astype({"team_id": "int64"})
    holes = owed.merge(landed.drop_duplicates(), on=["game_date", "team_id"], how="left")
    holes = holes[holes["landed"].isna()]
    short = rows.merge(holes[["day", "team_id"]].drop_duplicates().rename(columns={"day": "game_date"}),
                       on=["game_date", "team_id"], how="left", indicator="side")["side"].eq("both").to_numpy()
    flagged = _flag(rows["window_is_complete"]).to_numpy()
    labels, findings = game_labels(schedule), []
    for (day, game_date, game_id), group in holes.groupby(["day", "game_date", "game_id"]):
        players = int(((rows["game_date"] == day) & rows["team_id"].isin(set(group["team_id"]))).sum())
        impact = (f"{players} factors rows on {day} are built without it" if players else
                  f"their players have no factors row on {day} at all")
        findings.append(Finding(day, game_id, (
            f"{day}: the window {day - dt.timedelta(days=window_days)} … {day - dt.timedelta(days=1)} misses game "
            f"{labels.get(game_id, game_id)} of {game_date}: no team_offense row for "
            f"{', '.join(sorted(group['team_abbr']))}; {impact} — backfill {game_date} "
            f"(`nba-backfill backfill {game_date}`); the cascade re-runs {day}")))
    for day, stale in rows[~flagged & ~short].groupby("game_date"):
        findings.append(Finding(day, None, (
            f"{day}: {len(stale)} factors rows say their window misses "
            f"{', '.join(sorted(set(stale['window_missing_dates'].astype(str))))} but phase 3 now holds those "
            f"games: the rows are stale — re-materialize {FACTORS_ASSET} for {day}")))
    findings.sort(key=lambda f: (f.game_date, f.game_id or ""))
    return assemble(dates, rows.groupby("game_date").size().to_dict(),
                    rows[flagged & ~short].groupby("game_date").size().to_dict(), findings)


def check_prediction_systems(predictions: pd.DataFrame, factors: pd.DataFrame, systems: Sequence[str],
                             dates: Iterable[dt.date]) -> DayChecks:
    """``player_prop_predictions``: one row per registered system for every factors player, nothing else.

    Unit: prediction rows; expected = factors rows × ``len(systems)``.
    """
    dates = list(dates)
    keys = ["game_date", "player_id"]
    rows = predictions.assign(game_date=as_dates(predictions["game_date"]))
    rows = rows[rows["game_date"].isin(set(dates))].astype({"player_id": "int64"})
    players = factors.assign(game_date=as_dates(factors["game_date"])).astype({"player_id": "int64"})
    players = players[players["game_date"].isin(set(dates))][[*keys, "game_id", "player_name"]]
    wanted = pd.DataFrame({"system_id": sorted(set(systems))})
    grid = players.merge(wanted, how="cross").assign(want=1)
    got = rows.groupby([*keys, "system_id"]).size().rename("got").reset_index()
    joined = grid.merge(got, on=[*keys, "system_id"], how="outer").fillna({"want": 0, "got": 0})
    bad = joined[(joined["want"] != joined["got"])]
    orphan = ~bad["player_id"].isin(set(players["player_id"])) | bad["game_id"].isna()
    findings = []
    for (day, game_id), group in bad[~orphan].groupby(["game_date", "game_id"]):
        lacking = sorted(set(group.loc[group["got"] == 0, "system_id"]))
        extra = sorted(set(group.loc[group["want"] == 0, "system_id"]))
        doubled = sorted(set(group.loc[group["got"] > 1, "system_id"]))
        findings.append(Finding(day, game_id, (
            f"{day}: game {game_id}: {group['player_id'].nunique()} players do not have exactly one prediction per "
            f"system (e.g. {group['player_name'].dropna().iloc[0] if group['player_name'].notna().any() else '?'}; "
            f"missing {lacking or '-'}, unexpected {extra or '-'}, repeated {doubled or '-'}; {len(wanted)} systems "
            f"registered); re-materialize {PREDICTIONS_ASSET} for {day}")))
    for day, group in bad[orphan].groupby("game_date"):
        findings.append(Finding(day, None, (
            f"{day}: {group['player_id'].nunique()} players have predictions but no factors row "
            f"(player ids {sorted(group['player_id'].unique())[:5]}); re-materialize {PREDICTIONS_ASSET} for {day}")))
    expected = {d: n * len(wanted) for d, n in players.groupby("game_date").size().items()}
    return assemble(dates, expected, rows.groupby("game_date").size().to_dict(), findings)


def check_active_rows(predictions: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """No two active rows for one player, system and game. Unit: active rows; expected = distinct keys."""
    dates = list(dates)
    active = predictions[_flag(predictions["is_active"])]
    active = active.assign(game_date=as_dates(active["game_date"]))
    active = active[active["game_date"].isin(set(dates))]
    keys = ["game_date", "game_id", "player_id", "system_id"]
    counts = active.groupby(keys).agg(n=("player_name", "size"), name=("player_name", "first")).reset_index()
    findings = [Finding(r.game_date, r.game_id, (
        f"{r.game_date}: game {r.game_id}: {r.name} ({r.player_id}) has {r.n} active {r.system_id} predictions; "
        f"re-materialize {PREDICTIONS_ASSET} for {r.game_date}")) for r in counts[counts["n"] > 1].itertuples()]
    return assemble(dates, counts.groupby("game_date").size().to_dict(),
                    active.groupby("game_date").size().to_dict(), findings)


def check_confidence(predictions: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """Every confidence is in [0, 1] (NULL is a violation). Unit: prediction rows."""
    dates = list(dates)
    rows = predictions.assign(game_date=as_dates(predictions["game_date"]))
    rows = rows[rows["game_date"].isin(set(dates))]
    conf = rows["confidence"].astype("Float64")
    ok = conf.between(0.0, 1.0).fillna(False).astype(bool)
    bad = rows[~ok]
    findings = [Finding(day, game_id, (
        f"{day}: game {game_id}, system {system}: {len(group)} confidences outside [0, 1] (e.g. "
        f"{group['player_name'].iloc[0]}: {group['confidence'].iloc[0]}); fix the system, then re-materialize "
        f"{PREDICTIONS_ASSET} for {day}"))
        for (day, game_id, system), group in bad.groupby(["game_date", "game_id", "system_id"], dropna=False)]
    return assemble(dates, rows.groupby("game_date").size().to_dict(),
                    rows[ok].groupby("game_date").size().to_dict(), findings)
