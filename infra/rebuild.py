"""Rebuilding the read models from the first event, beside the models being served.

Everything happens in one transaction, while every other connection keeps reading the old
rows (PostgreSQL's snapshots); the commit swaps the new ones in at once. When the
connection's role owns the tables, the new models are written into new, unindexed tables,
indexed once and then put in the old ones' place (infra.shadow); otherwise the old rows
are deleted and the new ones written in the same tables. The projection tracking rows stay
locked throughout, so a running projector waits and then goes on from the rebuilt
position. Events recorded during the rebuild are taken in before the commit.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from infra.database import psycopg_conninfo
from infra.eventstore import EVENT_ROWS, EVENTS_TABLE, SELECT_AFTER, RecordedEvent
from infra.projections import Changes, Projection, all_projections, write
from infra.shadow import ShadowModels, may_swap


def read_batches(
    conn: psycopg.Connection[Any], after: int, batch_size: int, until: int | None = None
) -> Iterator[list[RecordedEvent]]:
    """Every event after a position (up to `until`, when given), in order, in batches,
    through a server-side cursor (in the connection's current transaction)."""
    query = SELECT_AFTER
    if until is not None:
        query += " AND notification_id <= %(until)s"
    with conn.cursor(name="claimledger_events", row_factory=EVENT_ROWS) as source:
        source.itersize = batch_size
        source.execute(
            query + " ORDER BY notification_id", {"after": after, "until": until}, binary=True
        )
        while rows := source.fetchmany(batch_size):
            yield rows


BATCH_SIZE = 25_000
"""Events read and written at a time by a rebuild or a verification: at 1,000,000 claims,
25,000 took about an eighth less time than 10,000, for about 100 MB more memory, as the
database waits less often for the end of a COPY."""


def rebuild(
    database_url: str,
    projections: list[Projection] | None = None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Rebuild every read model from the first event; return how many events were read."""
    projections = projections if projections is not None else all_projections()
    names = [p.name for p in projections]
    conninfo = psycopg_conninfo(database_url)
    with psycopg.connect(conninfo) as conn:
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
            tables = _tables(projections)
            shadow = ShadowModels(conn, tables) if may_swap(conn, tables) else None
            if shadow is None:
                for table in tables:
                    conn.execute(f"DELETE FROM {table}")
            # Statements over written rows (a retraction marking evidence) wait until every
            # row is written and indexed: run in order at the end, they do the same.
            deferred = Changes()
            position = total = 0
            with _prepared(conninfo, projections, batch_size) as batches:
                for batch in batches:
                    with conn.cursor() as cur:
                        for changes in batch.changes:
                            write(
                                cur,
                                Changes(inserts=changes.inserts),
                                copy=True,
                                freeze=shadow is not None,
                                settle=False,
                            )
                            deferred.statements.extend(changes.statements)
                    position = batch.last
                    total += batch.events
                    if on_batch:
                        on_batch(batch.events)
            settled = {table for projection in projections for table in projection.settled}
            with conn.cursor() as cur:
                if shadow is not None:
                    shadow.complete([t for t in tables if t not in settled])
                write(cur, deferred, settle=False)
                for projection in projections:
                    projection.settle(cur)
                if shadow is not None:
                    shadow.complete(settled)
                    shadow.swap()
            conn.execute(
                "UPDATE projection_tracking SET position = %s, updated_at = now()"
                " WHERE projection = ANY(%s)",
                (position, names),
            )
    return total


@dataclass(frozen=True)
class _Batch:
    events: int
    last: int
    changes: list[Changes]


_PASS_END = object()
_DONE = object()


@contextmanager
def _prepared(
    conninfo: str, projections: list[Projection], batch_size: int
) -> Iterator[Iterator[_Batch]]:
    """Every event's changes to the projections, batch by batch, read and worked out on a
    connection and thread of their own while the caller writes the previous batch, so that
    the database takes in one batch while Python decodes the next. Once the caller has
    written a whole pass over the events, another pass takes in those recorded meanwhile,
    until one finds none."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=2)
    written = threading.Event()
    stop = threading.Event()

    def put(item: Any) -> None:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def passes(source: psycopg.Connection[Any]) -> None:
        position = 0
        while not stop.is_set():
            read = 0
            for events in read_batches(source, position, batch_size):
                changes = [
                    p.changes(wanted)
                    for p in projections
                    if (wanted := [e for e in events if e.topic in p.topics])
                ]
                position = events[-1].position
                read += len(events)
                put(_Batch(len(events), position, changes))
            source.commit()
            if not read:
                return
            put(_PASS_END)
            while not written.wait(0.1):
                if stop.is_set():
                    return
            written.clear()

    def read() -> None:
        try:
            with psycopg.connect(conninfo) as source:
                passes(source)
            put(_DONE)
        except Exception as error:  # noqa: BLE001 (handed to the writing thread, which raises it)
            put(error)

    def batches() -> Iterator[_Batch]:
        while (item := ready.get()) is not _DONE:
            if item is _PASS_END:
                written.set()
            elif isinstance(item, Exception):
                raise item
            else:
                yield item

    reader = threading.Thread(target=read, name="rebuild-reader", daemon=True)
    reader.start()
    try:
        yield batches()
    finally:
        stop.set()
        reader.join()


def swaps(database_url: str, projections: list[Projection] | None = None) -> bool:
    """Whether a rebuild on this database (as this role) writes new tables and swaps them
    in, rather than replacing the rows in place."""
    projections = projections if projections is not None else all_projections()
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        return may_swap(conn, _tables(projections))


def _tables(projections: list[Projection]) -> list[str]:
    return [table for projection in projections for table in projection.tables]


def event_count(database_url: str) -> int:
    """How many events the store holds (for a progress bar's total)."""
    with psycopg.connect(psycopg_conninfo(database_url)) as conn:
        row = conn.execute(f"SELECT count(*) FROM {EVENTS_TABLE}").fetchone()
    return int(row[0]) if row else 0
