"""The event store: the eventsourcing library's PostgreSQL recorder, with our codec on top."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment
from psycopg.rows import args_row, tuple_row

from infra.eventstore import codec
from infra.eventstore.recorder import DEFAULT_TIMEOUTS, ColumnRecorder, StoredColumns, WriteTimeouts
from infra.postgres.database import connection_parts
from infra.postgres.pools import CONNECT_TIMEOUT, RECONNECT_TIMEOUT, WAIT_TIMEOUT, connection_lost

EVENTS_TABLE = "stored_events"
NOTIFY_CHANNEL = EVENTS_TABLE


class ConcurrentWrite(Exception):
    """Another writer appended to one of the same aggregates first; reload and retry."""


class StoreUnavailable(Exception):
    """The database cannot be reached."""


class StoreBusy(Exception):
    """A write waited longer than its timeouts allow: for the table lock that gives writers
    their turn, or for a statement to finish. Nothing was written; the caller may retry."""


class RecordedEvent(msgspec.Struct, frozen=True, gc=False):
    """An event as stored: its place in the global order, its aggregate and when it landed.
    Its fields are `SELECT_AFTER`'s columns, in order (see `EVENT_ROWS`)."""

    position: int
    aggregate_id: UUID
    version: int
    topic: str
    state: bytes
    recorded_at: datetime

    def decode(self) -> Any:
        """The domain event object."""
        return codec.decode(self.topic, self.state)


SELECT_AFTER = (
    "SELECT notification_id, originator_id, originator_version, topic, state, recorded_at"
    f" FROM {EVENTS_TABLE} WHERE notification_id > %(after)s"
)

T = TypeVar("T")


# PostgreSQL's codes for a lock not granted within lock_timeout and a statement cancelled
# by statement_timeout.
_LOCK_TIMEOUT, _STATEMENT_TIMEOUT = "55P03", "57014"


class EventStore:
    """Appends events atomically under the library's table lock and reads them back."""

    def __init__(
        self,
        database_url: str,
        pool_size: int = 4,
        max_overflow: int = 4,
        timeouts: WriteTimeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        parts = connection_parts(database_url)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts.get("dbname", "postgres"),
            "POSTGRES_HOST": parts.get("host", "localhost"),
            "POSTGRES_PORT": parts.get("port", "5432"),
            "POSTGRES_USER": parts.get("user", "postgres"),
            "POSTGRES_PASSWORD": parts.get("password", ""),
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": str(max_overflow),
            # The library's name for how long a caller waits for a pooled connection.
            "POSTGRES_CONNECT_TIMEOUT": str(WAIT_TIMEOUT),
            # No ping before each use: a stale connection fails its first statement, and
            # `_attempt` checks the whole pool and tries again.
            "POSTGRES_PRE_PING": "no",
            # Alembic owns every table and type: the library must never create them.
            "CREATE_TABLE": "no",
        }
        self._factory = PostgresFactory(Environment(name="claimledger", env=env))
        self._datastore = self._factory.datastore
        self._pool = self._datastore.pool
        # Two settings the library does not take (see infra.postgres.pools).
        assert isinstance(self._pool.kwargs, dict)
        self._pool.kwargs["connect_timeout"] = CONNECT_TIMEOUT
        self._pool.reconnect_timeout = RECONNECT_TIMEOUT
        self.timeouts = timeouts
        self._closing = False
        self._recorder = ColumnRecorder(self._datastore, EVENTS_TABLE, timeouts)

    def close(self) -> None:
        """Cancel the writes under way (each ends in StoreUnavailable, saying the service is
        stopping, with nothing written) and close the connection pool."""
        self._closing = True
        self._recorder.cancel_writes()
        self._factory.close()

    @staticmethod
    def encode(events: Iterable[tuple[UUID, int, Any]]) -> StoredColumns:
        """(aggregate id, version, event) triples as the rows `append` inserts, so that a
        writer can encode its events before it takes its turn."""
        stored = StoredColumns()
        for aggregate_id, version, event in events:
            stored.add(aggregate_id, version, codec.topic_of(event), codec.encode(event))
        return stored

    def append(self, events: Iterable[tuple[UUID, int, Any]] | StoredColumns) -> list[int]:
        """Append (aggregate id, version, event) triples, or their rows as `encode` made
        them, in one transaction; return positions.

        Raises ConcurrentWrite when any (aggregate, version) is already taken, StoreBusy
        when the write timed out waiting for its turn or running.
        """
        stored = events if isinstance(events, StoredColumns) else self.encode(events)
        if not stored:
            return []
        try:
            return self._attempt(lambda: self._recorder.insert_events(stored))
        except IntegrityError as error:
            # Also what a retry meets when the first attempt did commit: the caller reloads
            # and finds its events there.
            raise ConcurrentWrite(str(error)) from None

    def load(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
        """Every event of each aggregate, in version order; absent aggregates are omitted."""
        if not aggregate_ids:
            return {}

        def decoded(cur: Any) -> dict[UUID, list[Any]]:
            found: dict[UUID, list[Any]] = {}
            cur.row_factory = tuple_row
            # Binary rows: the states come as they are, not as hex to be decoded, and the
            # ids as 16 bytes; fetched all at once, the rows are made in C.
            cur.execute(_LOAD, (list(dict.fromkeys(aggregate_ids)),), binary=True)
            decode = codec.decode
            for aggregate_id, topic, state in cur.fetchall():
                found.setdefault(aggregate_id, []).append(decode(topic, state))
            return found

        return self._query(decoded)

    def versions(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, int]:
        """The version of each aggregate's latest event (absent aggregates are omitted): one
        probe of the primary key an id, no event read."""
        if not aggregate_ids:
            return {}

        def latest(cur: Any) -> dict[UUID, int]:
            cur.row_factory = tuple_row
            cur.execute(_VERSIONS, (list(dict.fromkeys(aggregate_ids)),), prepare=True, binary=True)
            return dict(cur.fetchall())

        return self._query(latest)

    def read(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[RecordedEvent]:
        """Events after a position, in order, at most `limit` of them."""
        return self._query(lambda cur: fetch_after(cur, after, limit, topics))

    def last_position(self) -> int:
        """The position of the newest event, 0 when there is none."""
        query = f"SELECT coalesce(max(notification_id), 0) AS last FROM {EVENTS_TABLE}"
        row = self._query(lambda cur: cur.execute(query).fetchone())
        return int(row["last"]) if row else 0

    def _query(self, work: Callable[[Any], T]) -> T:
        """Do `work` with a cursor on a pooled connection (see `_attempt`)."""

        def on_a_connection() -> T:
            with self._datastore.get_connection() as conn, conn.cursor() as cur:
                return work(cur)

        return self._attempt(on_a_connection)

    def _attempt(self, work: Callable[[], T]) -> T:
        """Do `work` on a pooled connection. After any failure the pool checks its idle
        connections (and starts a new one if it has none). When the connection itself was
        lost (the server restarted, or cut it), the work is tried once more: a retried
        append cannot record twice, as a commit the first attempt did make turns the
        second into a version conflict. A write's timeout is StoreBusy. Anything else, no
        connection within WAIT_TIMEOUT among them, means the store is unavailable."""
        try:
            return work()
        except (OperationalError, InterfaceError) as error:
            self._raise_if_timed_out(error)
            self._pool.check()
            if not connection_lost(error.__cause__):
                raise StoreUnavailable(str(error)) from None
        try:
            return work()
        except (OperationalError, InterfaceError) as error:
            self._pool.check()
            raise StoreUnavailable(str(error)) from None

    def _raise_if_timed_out(self, error: Exception) -> None:
        code = getattr(error.__cause__, "sqlstate", None)
        if code == _STATEMENT_TIMEOUT and self._closing:
            raise StoreUnavailable("the service is stopping; the write was cancelled") from None
        if code == _LOCK_TIMEOUT:
            raise StoreBusy(
                f"a write waited over {self.timeouts.lock_wait:g} s for its turn (the event"
                " table's lock, held by another writer)"
            ) from None
        if code == _STATEMENT_TIMEOUT:
            raise StoreBusy(f"a write's statement ran over {self.timeouts.statement:g} s") from None


# Every event of each aggregate: an index scan in the order asked for, with nothing to sort.
_LOAD = (
    f"SELECT originator_id, topic, state FROM {EVENTS_TABLE}"
    " WHERE originator_id = ANY(%b) ORDER BY originator_id, originator_version"
)
# Each aggregate's latest version, read backwards from the end of its primary key entries.
_VERSIONS = f"""SELECT k.id, v.version
FROM unnest(%b::uuid[]) AS k(id)
CROSS JOIN LATERAL (
    SELECT originator_version AS version FROM {EVENTS_TABLE}
    WHERE originator_id = k.id ORDER BY originator_version DESC LIMIT 1
) v"""

EVENT_ROWS = args_row(RecordedEvent)
"""Rows of `SELECT_AFTER` as RecordedEvents. Read them in binary: the states then come as
they are rather than as hex, the ids as 16 bytes and the instants as numbers."""


def fetch_after(
    cur: Any, after: int, limit: int, topics: Sequence[str] = ()
) -> list[RecordedEvent]:
    """Events after a position, in order, at most `limit` (read on `cur`, whose rows it
    makes RecordedEvents)."""
    query = SELECT_AFTER
    params: dict[str, Any] = {"after": after, "limit": limit, "topics": list(topics)}
    if topics:
        query += " AND topic = ANY(%(topics)s)"
    query += " ORDER BY notification_id LIMIT %(limit)s"
    cur.row_factory = EVENT_ROWS
    return cur.execute(query, params, prepare=True, binary=True).fetchall()  # type: ignore[no-any-return]
