"""Exceptions shared by every layer. Each message names what is wrong (game, date, file) and what to do."""

from __future__ import annotations


class NbaBackfillError(Exception):
    """Base class: every error this project raises on purpose."""


class BundledDataError(NbaBackfillError):
    """A bundled data file is missing or malformed (reinstall the package or restore ``nba_backfill/data``)."""


class UnknownDateError(NbaBackfillError):
    """A date is outside the partitions the project knows (see ``partitions.py``)."""


class SourceError(NbaBackfillError):
    """An NBA.com endpoint could not give a usable answer for one game or date.

    Attributes:
        endpoint: the endpoint name, e.g. ``boxscoretraditionalv3``.
        game_id: the 10-character NBA game id, or None for per-date endpoints.
        game_date: the Eastern game date ``YYYY-MM-DD`` the request was for.
    """

    def __init__(self, message: str, *, endpoint: str, game_date: str, game_id: str | None = None):
        super().__init__(message)
        self.endpoint = endpoint
        self.game_id = game_id
        self.game_date = game_date


class EmptyStatsError(SourceError):
    """A final game was answered with HTTP 200 but no team or player statistics (the 2025-12-27 incident)."""


class MalformedResponseError(SourceError):
    """The response body is not the JSON shape the endpoint documents."""


class SourceUnavailableError(SourceError):
    """The source could not be reached, timed out, or kept answering 429/5xx after every retry."""


class SourceDeadlineError(SourceUnavailableError):
    """A date's fetch deadline passed: the game was not requested, or its retries were stopped (hanging source)."""


class GameNotFoundError(SourceError):
    """The source does not know the game id (HTTP 404 or an unknown id)."""


class WarehouseBusyError(NbaBackfillError):
    """Another process holds the DuckDB warehouse's write lock (a run is writing); retry when it ends."""


class SchemaDriftError(NbaBackfillError):
    """A stored table's columns differ from the declared schema (written by another version)."""


class WarehouseWriteError(NbaBackfillError):
    """A warehouse write (e.g. BigQuery's staging load or MERGE) failed; the slices keep their previous rows."""


class SettingsError(NbaBackfillError, ValueError):
    """A setting the chosen deployment needs is missing or invalid; the message names the variable."""
