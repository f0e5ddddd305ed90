"""Rebuilding the read models from the first event, beside the models being served.

Everything happens in one transaction, while every other connection keeps reading the old
rows (PostgreSQL's snapshots); the commit swaps the new ones in at once. When the
connection's role owns the tables, the new models are written into new, unindexed tables,
indexed once and then put in the old ones' place (infra.readmodels.shadow); otherwise the old rows
are deleted and the new ones written in the same tables. The projection tracking rows stay
locked throughout, so a running projector waits and then goes on from the rebuilt
position. Events recorded during the rebuild are taken in before the commit.

The events stored when it starts are read, decoded and turned into COPY streams by
`WORKERS` processes at once, a span of positions each, so that the interpreter lock does
not hold the whole rebuild to one core; one connection writes them in order. The workers
are spawned, so a script that calls `rebuild` keeps its own work under
`if __name__ == "__main__":`.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

import psycopg

from infra.eventstore.store import EVENT_ROWS, EVENTS_TABLE, SELECT_AFTER, RecordedEvent
from infra.postgres.database import psycopg_conninfo
from infra.readmodels import BATCH_SIZE
from infra.readmodels.projections import (
    Changes,
    Projection,
    all_projections,
    announce_every_place,
    copy_data,
    send_copy,
    write,
)
from infra.readmodels.shadow import ShadowModels, may_swap


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


def rebuild(
    database_url: str,
    projections: list[Projection] | None = None,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Rebuild every read model from the first event; return how many events were read.
    `projections` must be picklable (their classes defined at a module's top level): the
    worker processes are handed them."""
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
            with closing(_batches(conn, conninfo, projections, batch_size)) as batches:
                for batch in batches:
                    with conn.cursor() as cur:
                        for table, columns, data in batch.copies:
                            send_copy(cur, table, columns, data, freeze=shadow is not None)
                    deferred.statements.extend(batch.statements)
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
            announce_every_place(conn)
    return total


WORKERS = min(4, os.cpu_count() or 1)
"""Processes that read, decode and encode a rebuild's first pass, side by side."""
PROCESS_SPANS = 8
"""The fewest batches worth starting the processes for: at 75,702 events (3 batches) the
processes' start made a rebuild 0.5 s slower; at 1,911,572 they saved 27 s."""


@dataclass(frozen=True)
class _Batch:
    """A batch of events as what the writer sends: each table's rows as a binary COPY
    stream, and the statements to run over them."""

    events: int
    last: int
    copies: list[tuple[str, str, bytes]]
    statements: list[tuple[str, list[dict[str, Any]]]]


def _encoded(
    conn: psycopg.Connection[Any], projections: list[Projection], events: list[RecordedEvent]
) -> _Batch:
    copies: list[tuple[str, str, bytes]] = []
    statements: list[tuple[str, list[dict[str, Any]]]] = []
    with conn.cursor() as cur:
        for projection in projections:
            wanted = [e for e in events if e.topic in projection.topics]
            if not wanted:
                continue
            changes = projection.changes(wanted)
            copies.extend(
                (table, columns, copy_data(cur, table, columns, rows))
                for table, columns, rows in changes.inserts
                if rows
            )
            statements.extend(changes.statements)
    return _Batch(len(events), events[-1].position, copies, statements)


def _batches(
    conn: psycopg.Connection[Any], conninfo: str, projections: list[Projection], batch_size: int
) -> Generator[_Batch, None, None]:
    """Every event's effect on the projections, in order: the events stored when the rebuild
    began in several processes at once (when they span `PROCESS_SPANS` batches or more and
    there is more than one core), then those recorded since, on a thread."""
    row = conn.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}").fetchone()
    until = int(row[0]) if row else 0
    after = 0
    if WORKERS > 1 and until > (PROCESS_SPANS - 1) * batch_size:
        yield from _in_processes(conninfo, projections, batch_size, until)
        after = until
    with _prepared(conninfo, projections, batch_size, after) as batches:
        yield from batches


def _in_processes(
    conninfo: str, projections: list[Projection], batch_size: int, until: int
) -> Iterator[_Batch]:
    """The events up to `until`, a span of positions to a batch, each read, decoded and
    encoded by one of `WORKERS` processes (the interpreter lock leaves a process one core),
    a few batches ahead of the caller."""
    spans = iter([(after, min(after + batch_size, until)) for after in range(0, until, batch_size)])
    pool = ProcessPoolExecutor(
        WORKERS,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(conninfo, projections),
    )
    try:
        ahead = deque(pool.submit(_worker_batch, *span) for span in islice(spans, 2 * WORKERS))
        while ahead:
            batch = ahead.popleft().result()
            ahead.extend(pool.submit(_worker_batch, *span) for span in islice(spans, 1))
            if batch.events:
                yield batch
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER: dict[str, Any] = {}


def _start_worker(conninfo: str, projections: list[Projection]) -> None:
    _WORKER["conn"] = psycopg.connect(conninfo, autocommit=True)
    _WORKER["projections"] = projections


def _worker_batch(after: int, until: int) -> _Batch:
    conn: psycopg.Connection[Any] = _WORKER["conn"]
    with conn.cursor(row_factory=EVENT_ROWS, binary=True) as cur:
        cur.execute(
            SELECT_AFTER + " AND notification_id <= %(until)s ORDER BY notification_id",
            {"after": after, "until": until},
        )
        events = cur.fetchall()
    if not events:
        return _Batch(0, until, [], [])
    return _encoded(conn, _WORKER["projections"], events)


_PASS_END = object()
_DONE = object()


@contextmanager
def _prepared(
    conninfo: str, projections: list[Projection], batch_size: int, after: int
) -> Iterator[Iterator[_Batch]]:
    """Every event's changes to the projections after a position, batch by batch, read and
    worked out on a connection and thread of their own while the caller writes the previous
    batch, so that the database takes in one batch while Python decodes the next. Once the
    caller has written a whole pass over the events, another pass takes in those recorded
    meanwhile, until one finds none."""
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
        position = after
        while not stop.is_set():
            read = 0
            for events in read_batches(source, position, batch_size):
                position = events[-1].position
                read += len(events)
                put(_encoded(source, projections, events))
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
