"""Build the project's bundled real-data copy from the shared data folder (developer tool, not product code).

Usage: python scripts/build_bundle.py /path/to/shared/data

Writes trimmed, zstd-compressed Parquet files into ``nba_backfill/data/``. The product and its tests read
only those files; see ``nba_backfill/data/PROVENANCE.md`` for sources and what was trimmed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent.parent / "nba_backfill" / "data"

STAT_RENAMES = {
    "MIN": "minutes", "FGM": "fgm", "FGA": "fga", "FG3M": "fg3m", "FG3A": "fg3a", "FTM": "ftm", "FTA": "fta",
    "OREB": "oreb", "DREB": "dreb", "REB": "reb", "AST": "ast", "STL": "stl", "BLK": "blk", "TOV": "tov",
    "PF": "pf", "PTS": "pts", "PLUS_MINUS": "plus_minus",
}
# Counting stats whose team value equals the sum of the players' (TOV excluded: team turnovers, caveat 1).
CROSS_CHECKED = ("pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "pf")
# The one stat correction between the two 2025-26 player logs (shared PROVENANCE caveat 4): game, players.
CORRECTED_GAME, CORRECTED_PLAYERS = "0022500788", (203084, 1642264)  # Harrison Barnes, Stephon Castle


def _write(df: pd.DataFrame, name: str) -> None:
    df.to_parquet(OUT / name, index=False, compression="zstd")
    print(f"{name}: {len(df)} rows, {(OUT / name).stat().st_size} bytes")


def main(shared: Path) -> None:
    season = shared / "nba_2025_26"
    sched = pd.read_csv(season / "schedule_2025-26.csv", dtype={"GAME_ID": str})
    sched.columns = [c.lower() for c in sched.columns]
    sched = sched.rename(columns={"home_pts": "home_pts", "away_pts": "away_pts"})
    sched["game_date"] = pd.to_datetime(sched["game_date"]).dt.date
    _write(sched.sort_values(["game_date", "game_id"]).reset_index(drop=True), "schedule_2025_26.parquet")

    team = pd.read_csv(season / "team_game_logs_leaguegamelog_2021-22_to_2025-26.csv", dtype={"GAME_ID": str})
    team = team[team["SEASON"] == "2025-26"]
    team = team.rename(columns=STAT_RENAMES).rename(columns={
        "GAME_ID": "game_id", "GAME_DATE": "game_date", "TEAM_ID": "team_id",
        "TEAM_ABBREVIATION": "team_abbr", "TEAM_NAME": "team_name"})
    team["game_date"] = pd.to_datetime(team["game_date"]).dt.date
    team = team[["game_id", "game_date", "team_id", "team_abbr", "team_name", *STAT_RENAMES.values()]]
    _write(team.sort_values(["game_date", "game_id", "team_id"]).reset_index(drop=True), "team_box_2025_26.parquet")

    player = pd.read_csv(season / "player_game_logs_2025-26_thru_2026-02-12.csv", dtype={"Game_ID": str})
    player = player.rename(columns=STAT_RENAMES).rename(columns={
        "Game_ID": "game_id", "Player_ID": "player_id"})
    player["game_date"] = pd.to_datetime(player["GAME_DATE"], format="%b %d, %Y").dt.date
    player["team_abbr"] = player["MATCHUP"].str[:3]
    named = pd.read_csv(season / "player_game_logs_2025-26_named_full_season.csv")
    named["game_date"] = pd.to_datetime(named["GAME_DATE"]).dt.date
    names = named[["PLAYER_ID", "game_date", "PLAYER_NAME"]].rename(
        columns={"PLAYER_ID": "player_id", "PLAYER_NAME": "player_name"}).drop_duplicates(["player_id", "game_date"])
    player = player.merge(names, on=["player_id", "game_date"], how="left", validate="one_to_one")
    assert player["player_name"].notna().all(), "every player row has a name in the named log"
    team_ids = team[["game_id", "team_abbr", "team_id"]]
    player = player.merge(team_ids, on=["game_id", "team_abbr"], how="left", validate="many_to_one")
    assert player["team_id"].notna().all()
    player = player[["game_id", "game_date", "team_id", "team_abbr", "player_id", "player_name",
                     *STAT_RENAMES.values()]]
    _write(player.sort_values(["game_date", "game_id", "team_id", "player_id"]).reset_index(drop=True),
           "player_box_2025_26.parquet")

    props = pd.read_csv(season / "props_player_points_2025-10-21_to_2025-12-06.csv")
    events = pd.read_csv(season / "derived" / "props_event_to_nba_game_id.csv", dtype={"nba_game_id": str})
    players = pd.read_csv(season / "derived" / "props_player_name_to_nba_player_id.csv")
    props = props.merge(events[["event_id", "nba_game_id", "game_date_et"]], on="event_id", how="left",
                        validate="many_to_one")
    props = props.merge(players[["props_player_name", "nba_player_id"]], left_on="player",
                        right_on="props_player_name", how="left", validate="many_to_one")
    assert props["nba_game_id"].notna().all() and props["nba_player_id"].notna().all()
    props = props.rename(columns={
        "nba_game_id": "game_id", "nba_player_id": "player_id", "player": "player_name",
        "source_file": "snapshot_file", "line": "points_line"})
    props["game_date"] = pd.to_datetime(props["game_date_et"]).dt.date
    props = props[["game_id", "game_date", "event_id", "player_id", "player_name", "bookmaker", "points_line",
                   "over_odds", "under_odds", "game_time", "snapshot_file"]]
    _write(props.sort_values(["game_date", "game_id", "player_id", "bookmaker", "points_line"])
           .reset_index(drop=True), "props_player_points_2025_26.parquet")

    prev = pd.read_csv(shared / "nba_2024_25" / "player_game_logs_2024-25_thru_2025-04-01.csv",
                       dtype={"Game_ID": str})
    prev = prev.rename(columns=STAT_RENAMES).rename(columns={"Game_ID": "game_id", "Player_ID": "player_id"})
    prev["game_date"] = pd.to_datetime(prev["GAME_DATE"], format="%b %d, %Y").dt.date
    prev["team_abbr"] = prev["MATCHUP"].str[:3]
    prev["is_home"] = prev["MATCHUP"].str.contains(" vs. ", regex=False)
    prev["opponent_abbr"] = prev["MATCHUP"].str[-3:]

    # 2024-25 team lines: the whole regular season (1,230 games through 2025-04-13); player lines end 2025-04-01.
    prev_team = pd.read_csv(season / "team_game_logs_leaguegamelog_2021-22_to_2025-26.csv", dtype={"GAME_ID": str})
    prev_team = prev_team[prev_team["SEASON"] == "2024-25"]
    prev_team = prev_team.rename(columns=STAT_RENAMES).rename(columns={
        "GAME_ID": "game_id", "GAME_DATE": "game_date", "TEAM_ID": "team_id",
        "TEAM_ABBREVIATION": "team_abbr", "TEAM_NAME": "team_name"})
    prev_team["game_date"] = pd.to_datetime(prev_team["game_date"]).dt.date
    # Home = "vs." in MATCHUP. Five neutral-site games (Mexico City, the Cup semifinals, Paris) list "@" on both
    # rows and have no 2024-25 schedule file: their lower team id is labelled home so each game has one home side.
    prev_team["is_home"] = prev_team["MATCHUP"].str.contains(" vs. ", regex=False)
    neutral = prev_team.groupby("game_id")["is_home"].transform("sum") == 0
    lowest = prev_team.groupby("game_id")["team_id"].transform("min") == prev_team["team_id"]
    prev_team.loc[neutral, "is_home"] = lowest[neutral]
    assert (prev_team.groupby("game_id")["is_home"].sum() == 1).all()
    assert len(prev_team) == 2 * prev_team["game_id"].nunique() == 2460

    # Cross-check like 2025-26: team PTS (and every counting stat but TOV) = the sums of the player rows.
    sums = prev.groupby(["game_id", "team_abbr"], as_index=False)[list(CROSS_CHECKED)].sum()
    joined = prev_team.merge(sums, on=["game_id", "team_abbr"], suffixes=("", "_players"), validate="one_to_one")
    assert len(joined) == 2 * prev["game_id"].nunique() == 2264, len(joined)
    for col in CROSS_CHECKED:
        bad = joined[joined[col] != joined[f"{col}_players"]]
        assert bad.empty, f"2024-25 team {col} != sum of player {col} in {len(bad)} team-games"

    prev = prev.merge(prev_team[["game_id", "team_abbr", "team_id"]], on=["game_id", "team_abbr"], how="left",
                      validate="many_to_one")
    assert prev["team_id"].notna().all()
    # Names: the 2024-25 log has none; players who also appear in the named 2025-26 log get that name (~90% of
    # rows), the others keep "" (nothing is invented).
    known = named.drop_duplicates("PLAYER_ID").set_index("PLAYER_ID")["PLAYER_NAME"]
    prev["player_name"] = prev["player_id"].map(known).fillna("")
    prev = prev[["game_id", "game_date", "team_id", "team_abbr", "opponent_abbr", "is_home", "player_id",
                 "player_name", *STAT_RENAMES.values()]]
    _write(prev.sort_values(["game_date", "game_id", "player_id"]).reset_index(drop=True),
           "player_box_2024_25.parquet")
    prev_team = prev_team[["game_id", "game_date", "team_id", "team_abbr", "team_name", "is_home",
                           *STAT_RENAMES.values()]]
    _write(prev_team.sort_values(["game_date", "game_id", "team_id"]).reset_index(drop=True),
           "team_box_2024_25.parquet")

    # 2024-25 schedule (no schedule file for it): one final regular-season game per leaguegamelog game id, in the
    # columns of schedule_2025_26; home/away as above.
    home = prev_team[prev_team["is_home"]].set_index("game_id")
    away = prev_team[~prev_team["is_home"]].set_index("game_id")
    sched_prev = pd.DataFrame({
        "game_id": home.index, "game_date": home["game_date"].to_numpy(), "stage": "Regular Season",
        "home_team_id": home["team_id"].to_numpy(), "home_abbr": home["team_abbr"].to_numpy(),
        "away_team_id": away.loc[home.index, "team_id"].to_numpy(),
        "away_abbr": away.loc[home.index, "team_abbr"].to_numpy(),
        "home_pts": home["pts"].to_numpy(), "away_pts": away.loc[home.index, "pts"].to_numpy(),
        "status": 3, "season": "2024-25"})
    _write(sched_prev.sort_values(["game_date", "game_id"]).reset_index(drop=True), "schedule_2024_25.parquet")

    # The seasons the bundle covers, from the schedules (calendar.py reads this small file at import).
    seasons = {}
    for frame in (sched_prev, sched):
        regular = frame[frame["stage"] == "Regular Season"]
        for label, games in regular.groupby("season"):
            seasons[label] = {"first_day": str(min(games["game_date"])), "last_day": str(max(games["game_date"]))}
    (OUT / "seasons.json").write_text(json.dumps(seasons, indent=1, sort_keys=True) + "\n")
    print(f"seasons.json: {seasons}")
    write_stat_corrections(shared)


def _corrected_line(old: pd.Series, new: pd.Series) -> dict:
    """A whole box line after the league's correction, from the carl2727 line and the later named log's line.

    The named log has PTS, REB, AST, STL, BLK, TOV, MIN, PLUS_MINUS and the three percentages only. Taken from it:
    those. Derived, each asserted against the named log's percentages: FTM/FTA and FG3M/FG3A stay (same
    percentages), FGM = (PTS - FG3M - FTM) / 2, FGA moves by as many attempts as FGM moved (a made shot changes
    hands with its attempt). Assumed: a changed REB moves an offensive rebound (the named log does not split
    OREB/DREB; a put-back credited to the wrong player); PF stays (not in the named log).
    """
    line = {k: int(old[k]) for k in STAT_RENAMES.values()}
    for src, col in (("MIN", "minutes"), ("PTS", "pts"), ("REB", "reb"), ("AST", "ast"), ("STL", "stl"),
                     ("BLK", "blk"), ("TOV", "tov"), ("PLUS_MINUS", "plus_minus")):
        line[col] = int(new[src])
    for pct, made, att in (("FT_PCT", "ftm", "fta"), ("FG3_PCT", "fg3m", "fg3a")):
        assert round(line[made] / line[att], 3) == float(new[pct]), (pct, dict(new))
    fgm = (line["pts"] - line["fg3m"] - line["ftm"]) // 2
    assert 2 * fgm + line["fg3m"] + line["ftm"] == line["pts"]
    line["fga"] += fgm - line["fgm"]
    line["fgm"] = fgm
    assert round(line["fgm"] / line["fga"], 3) == float(new["FG_PCT"]), dict(new)
    line["oreb"] += line["reb"] - int(old["reb"])
    return line


def write_stat_corrections(shared: Path) -> None:
    """``stat_corrections_2025_26.parquet``: the corrected lines of CORRECTED_GAME (the replay serves them on
    request, ``replay_faults`` kind ``stat_correction``), in the player-box columns; the team totals still hold.
    """
    season = shared / "nba_2025_26"
    old = pd.read_csv(season / "player_game_logs_2025-26_thru_2026-02-12.csv", dtype={"Game_ID": str})
    old = old[(old["Game_ID"] == CORRECTED_GAME) & old["Player_ID"].isin(CORRECTED_PLAYERS)]
    old = old.rename(columns=STAT_RENAMES).set_index("Player_ID")
    date = pd.to_datetime(old["GAME_DATE"].iloc[0], format="%b %d, %Y").date()
    named = pd.read_csv(season / "player_game_logs_2025-26_named_full_season.csv")
    named = named[(pd.to_datetime(named["GAME_DATE"]).dt.date == date) & named["PLAYER_ID"].isin(CORRECTED_PLAYERS)]
    named = named.set_index("PLAYER_ID")
    assert len(old) == len(named) == 2 and named["TEAM_ABBREVIATION"].nunique() == 1
    team = named["TEAM_ABBREVIATION"].iloc[0]
    bundled = pd.read_parquet(OUT / "player_box_2025_26.parquet")
    bundled = bundled[bundled["game_id"] == CORRECTED_GAME].set_index("player_id")
    rows = []
    for pid in CORRECTED_PLAYERS:
        base = bundled.loc[pid]
        rows.append({"game_id": CORRECTED_GAME, "game_date": date, "team_id": int(base["team_id"]),
                     "team_abbr": team, "player_id": pid, "player_name": named.loc[pid, "PLAYER_NAME"],
                     **_corrected_line(old.loc[pid], named.loc[pid])})
    fixed = pd.DataFrame(rows)
    # A correction between teammates: the team's sums (every cross-checked stat) are unchanged.
    for col in CROSS_CHECKED:
        assert fixed[col].sum() == old[col].sum(), col
    _write(fixed, "stat_corrections_2025_26.parquet")
    print(fixed.to_string(index=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
