"""Quarantine: a source answer that cannot be parsed is kept verbatim in the object store, never in a table.

``quarantine/nba-com/{endpoint}/{YYYYMMDD}/{game id or date}-{UTC time}.body`` holds the exact bytes; the error
raised to Dagster names that path, so an operator (or a bug report) has the body the source really sent.
"""

from __future__ import annotations

import datetime as dt

from nba_backfill.errors import SourceError
from nba_backfill.resources.storage import ObjectStore

PREFIX = "quarantine/nba-com/"


def quarantine(store: ObjectStore, exc: SourceError) -> SourceError:
    """Keep ``exc.body`` (when the client attached the raw response) and return the error naming its path.

    Returns:
        ``exc`` unchanged when there is no body, else an error of the same type whose message ends with the
        object-store URI of the kept body.
    """
    body = getattr(exc, "body", None)
    if body is None:
        return exc
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    name = (f"{PREFIX}{exc.endpoint}/{exc.game_date.replace('-', '')}/"
            f"{exc.game_id or exc.game_date}-{stamp}.body")
    store.put_bytes(name, body)
    kept = type(exc)(f"{exc}; the raw response ({len(body)} bytes) is kept at {store.uri(name)}",
                     endpoint=exc.endpoint, game_date=exc.game_date, game_id=exc.game_id)
    kept.quarantined = store.uri(name)
    return kept
