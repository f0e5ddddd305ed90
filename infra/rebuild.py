"""Rebuilding the read models from the first event, beside the models being served.

Everything happens in one transaction: the old rows are deleted and the new ones written
with COPY, batch by batch, while every other connection keeps reading the old rows
(PostgreSQL's snapshots); the commit swaps them in at once. The projection tracking rows
stay locked throughout, so a running projector waits and then goes on from the rebuilt
position. Events recorded during the rebuild are taken in before the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row

from infra.database import psycopg_conninfo
from infra.eventstore import EVENTS_TABLE, SELECT_AFTER, RecordedEvent, recorded
from infra.projections import Projection, all_projections, write


def read_batches(
    conn: psycopg.Connection[Any], after: int, batch_size: int, until: int | None = None
) -> Iterator[list[RecordedEvent]]:
    """Every event after a position (up to `until`, when given), in order, in batches,
    through a server-side cursor (in the connection's current transaction)."""
    query = SELECT_AFTER
    if until is not None:
        query += " AND notification_id <= %(until)s"
    with conn.cursor(name="claimledger_events", row_factory=dict_row) as source:
        source.itersize = batch_size
        source.execute(query + " ORDER BY notification_id", {"after": after, "until": until})
        while rows := source.fetchmany(batch_size):
            yield [recorded(row) for row in rows]


def rebuild(
    database_url: str,
    projections: list[Projection] | None = None,
    batch_size: int = 10_000,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Rebuild every read model from the first event; return how many events were read."""
    projections = projections if projections is not None else all_projections()
    names = [p.name for p in projections]
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        conn.execute(
            "INSERT INTO projection_tracking (projection, position)"
            " SELECT unnest(%s::text[]), 0 ON CONFLICT (projection) DO NOTHING",
            (names,),
        )
        conn.commit()
        with conn.transaction():
            conn.execute(
                "SELECT projection FROM projection_tracking WHERE projection = ANY(%s) FOR UPDATE",
                (names,),
            )
            for projection in projections:
                for table in projection.tables:
                    conn.execute(f"DELETE FROM {table}")
            position = total = 0
            while True:
                read = 0
                for events in read_batches(conn, position, batch_size):
                    with conn.cursor() as cur:
                        for projection in projections:
                            wanted = [e for e in events if e.topic in projection.topics]
                            if wanted:
                                write(cur, projection.changes(wanted), copy=True)
                    position = events[-1].position
                    read += len(events)
                    if on_batch:
                        on_batch(len(events))
                total += read
                if not read:
                    break
            conn.execute(
                "UPDATE projection_tracking SET position = %s, updated_at = now()"
                " WHERE projection = ANY(%s)",
                (position, names),
            )
    return total


def event_count(database_url: str) -> int:
    """How many events the store holds (for a progress bar's total)."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        row = conn.execute(f"SELECT count(*) FROM {EVENTS_TABLE}").fetchone()
    return int(row[0]) if row else 0
