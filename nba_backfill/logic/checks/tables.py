"""Data checks of the raw tables, per game date: pure pandas over table slices, no Dagster.

Every check takes the rows of one or more game dates and returns, for each date asked, a :class:`DayCheck`:
expected and found counts (units named by the check) and the findings — one per game, team or player that is
wrong, each a sentence naming the date, the game and what to do. The Dagster asset checks
(``nba_backfill/checks/``) and ``nba-backfill validate`` call the same functions, so a check result in the UI
and a line of the report cannot disagree. Expected counts come from another table than the one checked
(team rows from the schedule, player sums from the team rows), never from the checked table itself.
Phase-3 checks are in ``logic/analytics_checks.py``, phase 4–5 checks in ``logic/feature_checks.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from nba_backfill.logic.schedule import final_in_scope_games
from nba_backfill.schemas.table import date_objects

KNOWN_STATUSES = {1: "scheduled", 2: "in progress", 3: "final"}  # NBA.com gameStatus


@dataclass(frozen=True)
class Finding:
    """One violation: the game date, the game (None when the finding is about the whole day) and a sentence."""

    game_date: dt.date
    game_id: str | None
    message: str


@dataclass(frozen=True)
class DayCheck:
    """One check on one game date: expected and found counts (in the check's unit) and the findings."""

    expected: int
    found: int
    findings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        """True when the day has no findings."""
        return not self.findings


DayChecks = dict[dt.date, DayCheck]


def as_dates(values: pd.Series) -> pd.Series:
    """``game_date`` values (date, Timestamp or ISO string) as ``datetime.date`` objects."""
    return date_objects(values)


def assemble(dates: Iterable[dt.date], expected: dict, found: dict, findings: Iterable[Finding]) -> DayChecks:
    """Per date: counts (0 when absent, e.g. a day without games) and its findings in input order."""
    by_day: dict[dt.date, list[Finding]] = {}
    for finding in findings:
        by_day.setdefault(finding.game_date, []).append(finding)
    return {d: DayCheck(int(expected.get(d, 0)), int(found.get(d, 0)), tuple(by_day.get(d, ()))) for d in dates}


def combine(primary: DayChecks, *others: DayChecks) -> DayChecks:
    """One check made of several: the counts of ``primary``, the findings of all (one Dagster check per table
    keeps the per-partition results a table owes to a few rows per day; each finding names its property).
    """
    return {day: DayCheck(r.expected, r.found, r.findings + tuple(f for o in others for f in o[day].findings))
            for day, r in primary.items()}


def on_dates(frame: pd.DataFrame, dates: Iterable[dt.date]) -> pd.DataFrame:
    """Rows of ``frame`` on ``dates``, with ``game_date`` as ``datetime.date``."""
    frame = frame.assign(game_date=as_dates(frame["game_date"]))
    return frame[frame["game_date"].isin(set(dates))]


def rows_per_date(frame: pd.DataFrame) -> dict:
    """``game_date`` → number of rows (dates without rows absent)."""
    return frame.groupby("game_date").size().to_dict() if len(frame) else {}


def _rescrape(day: dt.date) -> str:
    return (f"re-scrape {day}: `nba-backfill backfill {day}` or materialize nba_raw/nbac_boxscore_files for "
            f"{day} in the UI; the downstream partitions follow")


def game_labels(schedule: pd.DataFrame) -> dict[str, str]:
    """``game_id`` → ``"0022500622 (BKN at NYK)"`` from schedule rows (a bare id for unknown games)."""
    return {row.game_id: f"{row.game_id} ({row.away_team_abbr} at {row.home_team_abbr})"
            for row in schedule[["game_id", "away_team_abbr", "home_team_abbr"]].itertuples()}


def check_schedule(schedule: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """``nbac_schedule``: one row per game id, every status known. Unit: games (distinct ids vs rows)."""
    dates = list(dates)
    rows = on_dates(schedule, dates)
    expected = rows.groupby("game_date")["game_id"].nunique().to_dict() if len(rows) else {}
    findings = []
    dup = rows.groupby(["game_date", "game_id"]).size()
    for (day, game_id), n in dup[dup > 1].items():
        findings.append(Finding(day, game_id, f"{day}: game {game_id} appears {n} times in nba_raw.nbac_schedule; "
                                f"re-materialize nba_raw/nbac_schedule for {day}"))
    unknown = rows[~rows["game_status"].isin(list(KNOWN_STATUSES))]
    for row in unknown.itertuples():
        findings.append(Finding(row.game_date, row.game_id, (
            f"{row.game_date}: game {row.game_id} has unknown status {row.game_status} "
            f"({row.game_status_text!r}); expected 1 scheduled, 2 in progress or 3 final — re-materialize "
            f"nba_raw/nbac_schedule for {row.game_date} and check scoreboardv3")))
    return assemble(dates, expected, rows_per_date(rows), findings)


def check_team_rows(team_box: pd.DataFrame, schedule: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """``nbac_team_boxscore``: 2 rows per final in-scope game of the schedule, one home and one away, keys unique.

    Unit: team rows; expected = 2 × final in-scope games on the date in ``schedule``.
    """
    dates = list(dates)
    rows = on_dates(team_box, dates)
    finals = final_in_scope_games(on_dates(schedule, dates))
    labels = game_labels(finals)
    expected = {d: 2 * n for d, n in rows_per_date(finals).items()}
    per_game = rows.groupby(["game_date", "game_id"]).agg(
        rows=("team_id", "size"), home=("is_home", "sum"), teams=("team_id", "nunique")).reset_index()
    merged = finals[["game_date", "game_id"]].merge(per_game, on=["game_date", "game_id"], how="outer",
                                                    indicator="side")
    findings = []
    for g in merged.itertuples():
        label = labels.get(g.game_id, g.game_id)
        if g.side == "right_only":
            findings.append(Finding(g.game_date, g.game_id, (
                f"{g.game_date}: game {label} has team rows but is not a final in-scope game in the schedule "
                f"of that date; re-materialize nba_raw/nbac_schedule, then nba_raw/nbac_team_boxscore for "
                f"{g.game_date}")))
            continue
        n = 0 if pd.isna(g.rows) else int(g.rows)
        home = 0 if pd.isna(g.home) else int(g.home)
        if n != 2 or home != 1 or (n and int(g.teams) != n):
            findings.append(Finding(g.game_date, g.game_id, (
                f"{g.game_date}: game {label} has {n} team row{'' if n == 1 else 's'} ({home} home, {n - home} away, "
                f"{0 if pd.isna(g.teams) else int(g.teams)} distinct teams); expected 2 — one home, one away; "
                + _rescrape(g.game_date))))
    return assemble(dates, expected, rows_per_date(rows), findings)


def check_team_arithmetic(team_box: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """``nbac_team_boxscore``: points = 2·FGM + FG3M + FTM, OREB + DREB = REB, made ≤ attempted (FG, 3P, FT).

    Unit: team rows; expected = rows, found = rows that satisfy every identity.
    """
    dates = list(dates)
    rows = on_dates(team_box, dates)
    rules = {
        "points = 2·FGM + FG3M + FTM": (rows["pts"], 2 * rows["fgm"] + rows["fg3m"] + rows["ftm"], "eq"),
        "OREB + DREB = REB": (rows["oreb"] + rows["dreb"], rows["reb"], "eq"),
        "FGM ≤ FGA": (rows["fgm"], rows["fga"], "le"),
        "FG3M ≤ FG3A": (rows["fg3m"], rows["fg3a"], "le"),
        "FTM ≤ FTA": (rows["ftm"], rows["fta"], "le"),
    }
    broken = pd.Series(False, index=rows.index)
    reasons = pd.Series("", index=rows.index)
    for name, (left, right, op) in rules.items():
        ok = (left == right) if op == "eq" else (left <= right)
        bad = ~ok.fillna(False).astype(bool)
        broken |= bad
        reasons = reasons.where(~bad, reasons + "; " + name + " fails (" + left.astype(str) + " vs "
                                + right.astype(str) + ")")
    findings = [Finding(r.game_date, r.game_id, (
        f"{r.game_date}: game {r.game_id}, {r.team_abbr} row: {reasons[r.Index].lstrip('; ')}; the stored box "
        f"score is inconsistent — " + _rescrape(r.game_date))) for r in rows[broken].itertuples()]
    return assemble(dates, rows_per_date(rows), rows_per_date(rows[~broken]), findings)


SUMMED_STATS = {"pts": "points", "fga": "FGA", "fta": "FTA", "fg3a": "3PA"}


def check_player_sums(player_box: pd.DataFrame, team_box: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """``nbac_player_boxscore``: each team's player points, FGA, FTA and 3PA sum to its team row.

    Turnovers are not compared: team turnovers (shot clock, 8 seconds) are credited to no player (PROVENANCE).
    Unit: team rows; expected = team rows on the date, found = team rows whose player sums all match.
    """
    dates = list(dates)
    players = on_dates(player_box, dates)
    teams = on_dates(team_box, dates)
    keys = ["game_date", "game_id", "team_id"]
    sums = players.groupby(keys)[list(SUMMED_STATS)].sum(min_count=0).reset_index()
    merged = teams[[*keys, "team_abbr", *SUMMED_STATS]].merge(sums, on=keys, how="outer", suffixes=("", "_players"),
                                                             indicator="side")
    findings, matching = [], []
    for r in merged.itertuples():
        if r.side == "right_only":
            findings.append(Finding(r.game_date, r.game_id, (
                f"{r.game_date}: game {r.game_id} has player rows of team {r.team_id} but no team row; "
                + _rescrape(r.game_date))))
            continue
        diffs = [f"{label} {_int(getattr(r, c + '_players'))} vs team {_int(getattr(r, c))}"
                 for c, label in SUMMED_STATS.items() if _int(getattr(r, c + "_players")) != _int(getattr(r, c))]
        if diffs:
            findings.append(Finding(r.game_date, r.game_id, (
                f"{r.game_date}: game {r.game_id}, {r.team_abbr}: player sums differ from the team row — "
                f"{', '.join(diffs)}; " + _rescrape(r.game_date))))
        else:
            matching.append(r.game_date)
    return assemble(dates, rows_per_date(teams), pd.Series(matching, dtype=object).value_counts().to_dict(), findings)


def _int(value) -> int:
    return 0 if pd.isna(value) else int(value)


def check_unique_keys(frame: pd.DataFrame, keys: list[str], table: str, dates: Iterable[dt.date],
                      asset: str) -> DayChecks:
    """Primary key unique per date. Unit: rows; expected = distinct keys, found = rows."""
    dates = list(dates)
    rows = on_dates(frame, dates)
    counts = rows.groupby(["game_date", *keys]).size().rename("n").reset_index()
    dups = counts[counts["n"] > 1]
    findings = [Finding(r["game_date"], r.get("game_id"), (
        f"{r['game_date']}: {table} key ({', '.join(f'{k}={r[k]}' for k in keys)}) appears {r['n']} times; "
        f"re-materialize {asset} for {r['game_date']} (a re-run replaces the slice)")) for _, r in dups.iterrows()]
    return assemble(dates, rows_per_date(counts), rows_per_date(rows), findings)


def overtimes(status_text: str) -> int:
    """Overtime periods from NBA.com's final status text: ``Final`` 0, ``Final/OT`` 1, ``Final/2OT`` 2."""
    text = str(status_text or "").upper()
    if "OT" not in text:
        return 0
    count = text.split("/")[-1].replace("OT", "").strip()
    return int(count) if count.isdigit() else 1


def check_team_scores(team_box: pd.DataFrame, schedule: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """``nbac_team_boxscore``: each team's points equal the schedule's final score, and its minutes equal
    240 + 25 per overtime period (from the final status text) — a box score of 3 of 4 periods fails here.

    Unit: team rows; expected = team rows of final games, found = those matching the schedule.
    """
    dates = list(dates)
    rows = on_dates(team_box, dates)
    finals = final_in_scope_games(on_dates(schedule, dates))
    labels = game_labels(finals)
    sides = finals.set_index("game_id")
    findings, matching = [], []
    for r in rows[rows["game_id"].isin(sides.index)].itertuples():
        game = sides.loc[r.game_id]
        side = "home" if bool(r.is_home) else "away"
        score = game[f"{side}_pts"]
        ot = overtimes(game["game_status_text"])
        minutes = 240 + 25 * ot
        problems = []
        if not pd.isna(score) and _int(r.pts) != int(score):
            problems.append(f"points {_int(r.pts)} vs the schedule's final score {int(score)}")
        if pd.isna(r.minutes) or round(float(r.minutes)) != minutes:
            problems.append(f"team minutes {0 if pd.isna(r.minutes) else round(float(r.minutes))} vs {minutes} "
                            f"(240 + 25 × {ot} OT, status {game['game_status_text']!r})")
        if problems:
            findings.append(Finding(r.game_date, r.game_id, (
                f"{r.game_date}: game {labels.get(r.game_id, r.game_id)}, {r.team_abbr}: {'; '.join(problems)} — "
                f"the box score is partial or stale although the scoreboard says final; " + _rescrape(r.game_date))))
        else:
            matching.append(r.game_date)
    return assemble(dates, rows_per_date(rows), pd.Series(matching, dtype=object).value_counts().to_dict(), findings)


# The 30 NBA franchises' stats.nba.com TEAM_IDs: 1610612737 (ATL) … 1610612766 (CHA), every regular-season team id
# of both bundled schedules (All-Star and international exhibition teams have other ids and never hold a roster).
NBA_TEAM_IDS = frozenset(range(1610612737, 1610612767))
PLAYER_LIST_ASSET = "nba_raw/nbac_player_list"


def check_player_list(roster: pd.DataFrame, dates: Iterable[dt.date]) -> DayChecks:
    """``nbac_player_list``: one row per player per date, every team id one of the 30 NBA franchises', some rows.

    Unit: players; expected = distinct players listed on the date, found = rows with a known team id. A player
    listed twice (on two teams, or twice on one) and a row with an unknown team id are findings naming the player;
    a date with no row at all is one too (the rosters exist every day of a season).
    """
    dates = list(dates)
    rows = on_dates(roster, dates)
    rows = rows.assign(player_id=rows["player_id"].astype("Int64"), team_id=rows["team_id"].astype("Int64"))
    known = rows["team_id"].isin(NBA_TEAM_IDS).fillna(False).astype(bool)
    findings = []
    for (day, player_id), group in rows[rows.duplicated(["game_date", "player_id"], keep=False)].groupby(
            ["game_date", "player_id"]):
        findings.append(Finding(day, None, (
            f"{day}: player {group['player_name'].iloc[0]} ({player_id}) is listed {len(group)} times (teams "
            f"{', '.join(group['team_abbr'].astype(str))}); re-materialize {PLAYER_LIST_ASSET} for {day}")))
    for r in rows[~known].itertuples():
        findings.append(Finding(r.game_date, None, (
            f"{r.game_date}: player {r.player_name} ({r.player_id}) is listed with team id {r.team_id} "
            f"({r.team_abbr}), not one of the 30 NBA teams; check the source, then re-materialize "
            f"{PLAYER_LIST_ASSET} for {r.game_date}")))
    listed = rows_per_date(rows)
    findings += [Finding(d, None, f"{d}: no player on any roster; materialize {PLAYER_LIST_ASSET} for {d}")
                 for d in dates if not listed.get(d)]
    distinct = rows.groupby("game_date")["player_id"].nunique().to_dict() if len(rows) else {}
    return assemble(dates, distinct, rows_per_date(rows[known]), sorted(findings, key=lambda f: f.game_date))
