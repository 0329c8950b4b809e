"""The pure-compute floor of the benchmark: a planned run's work with the same logic functions, without Dagster.

:func:`compute_run` does what a range run of ``run.assets`` does — fetch from the source, store, parse, build,
predict, grade, run the checks' logic — reading and writing the same warehouse and object store, but with no
Dagster instance, event log, run process or IO manager. ``scripts/bench.py`` compares the Dagster runs against it.
Not used by the pipeline itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from nba_backfill.assets.boxscore_files import BOXSCORE_FILES_KEY
from nba_backfill.assets.scrape_ledger import record_outcome
from nba_backfill.assets.trained_models import models_before
from nba_backfill.calendar import WINDOW_DAYS, season_of
from nba_backfill.logic.boxscore_v3 import parse_boxscores_v3, parse_scoreboard_v3
from nba_backfill.logic.checks.analytics import check_defense_mirrors, check_rows_match
from nba_backfill.logic.checks.features import (
    check_active_rows,
    check_confidence,
    check_factor_rows,
    check_prediction_systems,
    check_windows,
)
from nba_backfill.logic.checks.tables import (
    check_player_list,
    check_player_sums,
    check_schedule,
    check_team_arithmetic,
    check_team_rows,
    check_unique_keys,
)
from nba_backfill.logic.composite_factors import build_player_composite_factors
from nba_backfill.logic.grading import grade_predictions
from nba_backfill.logic.player_index import parse_player_index
from nba_backfill.logic.player_summary import build_player_game_summary
from nba_backfill.logic.predictions import SYSTEMS, build_predictions_by_cutoff
from nba_backfill.logic.schedule import boxscore_object_name, final_in_scope_games
from nba_backfill.logic.team_summaries import build_team_defense_game_summary, build_team_offense_game_summary
from nba_backfill.schemas.analytics import PLAYER_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY
from nba_backfill.schemas.keys import asset_key_for
from nba_backfill.schemas.precompute import PLAYER_COMPOSITE_FACTORS
from nba_backfill.schemas.predictions import PLAYER_PROP_PREDICTIONS, PREDICTION_ACCURACY
from nba_backfill.schemas.raw import (
    NBAC_PLAYER_BOXSCORE,
    NBAC_PLAYER_LIST,
    NBAC_SCHEDULE,
    NBAC_TEAM_BOXSCORE,
    ODDS_PLAYER_POINTS_PROPS,
)
from nba_backfill.sensors.cascade_plan import PlannedRun


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def compute_run(resources: Mapping[str, Any], run: PlannedRun) -> dict[str, int]:
    """Materialize ``run.assets`` over ``run.start`` … ``run.end`` with the logic functions only.

    Args:
        resources: ``definitions.build_resources`` (``warehouse``, ``object_store``, ``nba_stats``, ``props_feed``,
            ``scope``, ``model_cache``).
        run: the assets (any of the graph's) and the date range, as for ``runner.materialize_range``.

    Returns:
        Rows written per table (name → rows).

    Raises:
        SourceError: a game or scoreboard could not be fetched (the floor does not record partial failures).
    """
    wh, store, client = resources["warehouse"], resources["object_store"], resources["nba_stats"]
    dates = _span(dt.date.fromisoformat(run.start), dt.date.fromisoformat(run.end))
    first, last = dates[0], dates[-1]
    window = _span(first - dt.timedelta(days=WINDOW_DAYS), last - dt.timedelta(days=1))
    keys = set(run.assets)
    written: dict[str, int] = {}

    def wants(table) -> bool:
        return asset_key_for(table) in keys

    def write(table, frame: pd.DataFrame) -> None:
        written[table.name] = wh.replace_slices(table, frame, dates)

    if wants(NBAC_SCHEDULE):
        stages = tuple(resources["scope"].stages)
        frames = [parse_scoreboard_v3(client.fetch_scoreboard(d.isoformat()), stages) for d in dates]
        write(NBAC_SCHEDULE, pd.concat(frames, ignore_index=True) if frames else NBAC_SCHEDULE.empty_frame())
        check_schedule(wh.read_slices(NBAC_SCHEDULE, dates), dates)
    if wants(ODDS_PLAYER_POINTS_PROPS):
        write(ODDS_PLAYER_POINTS_PROPS, resources["props_feed"].lines_for(dates))
    if wants(NBAC_PLAYER_LIST):
        seasons = {d: season_of(d).label for d in dates}
        write(NBAC_PLAYER_LIST, pd.concat([parse_player_index(client.fetch_player_index(seasons[d], d.isoformat()),
                                                              d, seasons[d]) for d in dates], ignore_index=True))
        check_player_list(wh.read_slices(NBAC_PLAYER_LIST, dates), dates)
    if BOXSCORE_FILES_KEY in keys or wants(NBAC_TEAM_BOXSCORE):
        due = final_in_scope_games(wh.read_slices(NBAC_SCHEDULE, dates))
        if BOXSCORE_FILES_KEY in keys:
            for game in due.itertuples():
                payload = client.fetch_boxscore(game.game_id, game.game_date.isoformat())
                store.put_json(boxscore_object_name(game.game_date, game.game_id), payload)
                record_outcome(store, game.game_id, game.game_date.isoformat(), None)
        if wants(NBAC_TEAM_BOXSCORE):
            team, player = parse_boxscores_v3(
                (store.get_json(boxscore_object_name(g.game_date, g.game_id)), g.game_date) for g in due.itertuples())
            write(NBAC_TEAM_BOXSCORE, team)
            write(NBAC_PLAYER_BOXSCORE, player)
            schedule, team, player = wh.read_many([(NBAC_SCHEDULE, dates), (NBAC_TEAM_BOXSCORE, dates),
                                                   (NBAC_PLAYER_BOXSCORE, dates)])
            check_team_rows(team, schedule, dates), check_team_arithmetic(team, dates)
            check_unique_keys(player, ["game_id", "player_id"], NBAC_PLAYER_BOXSCORE.qualified_name, dates, "")
            check_player_sums(player, team, dates)
    if wants(TEAM_OFFENSE_GAME_SUMMARY) or wants(PLAYER_GAME_SUMMARY) or wants(TEAM_DEFENSE_GAME_SUMMARY):
        team, player = wh.read_many([(NBAC_TEAM_BOXSCORE, dates), (NBAC_PLAYER_BOXSCORE, dates)])
        offense = build_team_offense_game_summary(team)
        write(TEAM_OFFENSE_GAME_SUMMARY, offense)
        write(TEAM_DEFENSE_GAME_SUMMARY, build_team_defense_game_summary(offense))
        write(PLAYER_GAME_SUMMARY, build_player_game_summary(player, team))
        team, offense, defense, summary, player = wh.read_many([(t, dates) for t in (
            NBAC_TEAM_BOXSCORE, TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY, PLAYER_GAME_SUMMARY,
            NBAC_PLAYER_BOXSCORE)])
        keys_team = ["game_id", "team_id"]
        check_rows_match(offense, team, keys_team, "", NBAC_TEAM_BOXSCORE.qualified_name, dates, "")
        check_rows_match(defense, team, keys_team, "", NBAC_TEAM_BOXSCORE.qualified_name, dates, "")
        check_defense_mirrors(defense, offense, dates)
        check_rows_match(summary, player, ["game_id", "player_id"], "", NBAC_PLAYER_BOXSCORE.qualified_name, dates, "")
    if wants(PLAYER_COMPOSITE_FACTORS):
        players, offense, defense = wh.read_many([(t, window) for t in (
            PLAYER_GAME_SUMMARY, TEAM_OFFENSE_GAME_SUMMARY, TEAM_DEFENSE_GAME_SUMMARY)])
        schedule = wh.read_slices(NBAC_SCHEDULE, [*window, last] if window else dates)
        rosters = wh.read_slices(NBAC_PLAYER_LIST, dates)
        write(PLAYER_COMPOSITE_FACTORS, build_player_composite_factors(
            dates, schedule, players, offense, defense, rosters, window_days=WINDOW_DAYS))
        factors = wh.read_slices(PLAYER_COMPOSITE_FACTORS, dates)
        check_factor_rows(factors, players, schedule, rosters, dates, WINDOW_DAYS)
        check_windows(factors, schedule, offense, dates, WINDOW_DAYS)
    if wants(PLAYER_PROP_PREDICTIONS):
        factors, props = wh.read_many([(PLAYER_COMPOSITE_FACTORS, dates), (ODDS_PLAYER_POINTS_PROPS, dates)])
        cache = resources["model_cache"].directory or None
        write(PLAYER_PROP_PREDICTIONS, build_predictions_by_cutoff(
            factors, props, lambda cutoff: models_before(wh, cutoff, cache))[0])
        predictions = wh.read_slices(PLAYER_PROP_PREDICTIONS, dates)
        check_prediction_systems(predictions, factors, list(SYSTEMS), dates)
        check_active_rows(predictions, dates), check_confidence(predictions, dates)
    if wants(PREDICTION_ACCURACY):
        predictions, summary, factors = wh.read_many([(t, dates) for t in (
            PLAYER_PROP_PREDICTIONS, PLAYER_GAME_SUMMARY, PLAYER_COMPOSITE_FACTORS)])
        write(PREDICTION_ACCURACY, grade_predictions(predictions, summary, factors))
    return written
