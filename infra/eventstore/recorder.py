"""The eventsourcing library's PostgreSQL recorder, inserting events column by column.

The library sends a batch of events as one array of a composite type, which psycopg dumps
as text, value by value, escaping every byte of every state. This recorder sends four
binary arrays instead.

It also writes its own transaction rather than the library's. The library sends the whole
transaction in psycopg's pipeline mode, where an insert of about 10 MB or more never
completes: the server waits for the rest of the statement while the client waits for the
server, with the table lock held, so every other writer waits too. Here the short
statements go together as one simple query, and the insert on its own in the usual way:
four round trips (begin, the turn, the insert, commit) whatever the size. The transaction
sets its lock and statement timeouts, takes the table lock that keeps positions in commit
order, notifies listeners, inserts and returns the positions in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from threading import Lock
from typing import Any, overload
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Connection
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier, Literal


class StoredColumns(Sequence[StoredEvent]):
    """Stored events kept column by column, the shape in which they are inserted."""

    def __init__(self) -> None:
        self.ids: list[UUID] = []
        self.versions: list[int] = []
        self.topics: list[str] = []
        self.states: list[bytes] = []

    @classmethod
    def of(cls, events: Iterable[StoredEvent]) -> StoredColumns:
        """The columns of stored events."""
        columns = cls()
        for e in events:
            columns.add(e.originator_id, e.originator_version, e.topic, e.state)
        return columns

    def add(self, aggregate_id: Any, version: int, topic: str, state: bytes) -> None:
        """Add one event's row."""
        self.ids.append(aggregate_id)
        self.versions.append(version)
        self.topics.append(topic)
        self.states.append(state)

    def columns(self) -> tuple[list[UUID], list[int], list[str], list[bytes]]:
        """The four columns, as the insert's parameters."""
        return self.ids, self.versions, self.topics, self.states

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> StoredEvent: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[StoredEvent]: ...
    def __getitem__(self, index: int | slice) -> StoredEvent | Sequence[StoredEvent]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return StoredEvent(
            self.ids[index], self.versions[index], self.topics[index], self.states[index]
        )


@dataclass(frozen=True)
class WriteTimeouts:
    """How long an append may wait for the table lock, and how long any of its statements
    may run, in seconds. Either ends the append with PostgreSQL's error (55P03, 57014)."""

    lock_wait: float = 5.0
    statement: float = 15.0

    def __post_init__(self) -> None:
        if not (self.lock_wait > 0 and self.statement > 0):
            raise ValueError("write timeouts must be positive")


DEFAULT_TIMEOUTS = WriteTimeouts()


class ColumnRecorder(PostgresApplicationRecorder):
    """The library's application recorder, inserting StoredColumns as four parameters in a
    transaction of its own (see the module's note)."""

    def __init__(
        self, datastore: Any, events_table_name: str, timeouts: WriteTimeouts = DEFAULT_TIMEOUTS
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._writing: set[Connection[Any]] = set()
        self._writing_lock = Lock()
        # One simple query, so one round trip: the timeouts, the lock and the notification.
        self._take_turn = SQL(
            "SET LOCAL lock_timeout = {lock}; SET LOCAL statement_timeout = {statement};"
            " LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; NOTIFY {channel}"
        ).format(
            lock=Literal(f"{round(timeouts.lock_wait * 1000)}ms"),
            statement=Literal(f"{round(timeouts.statement * 1000)}ms"),
            schema=Identifier(datastore.schema),
            table=Identifier(events_table_name),
            channel=Identifier(self.channel_name),
        )
        self._insert_columns = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(schema=Identifier(datastore.schema), table=Identifier(events_table_name))

    def insert_events(self, stored_events: Sequence[StoredEvent], **_: Any) -> list[int]:
        """Insert the events in one transaction, once (no retry); their positions in order.
        Errors are the library's (IntegrityError for a version already taken,
        OperationalError for a timeout or a lost connection), caused by psycopg's."""
        columns = (
            stored_events
            if isinstance(stored_events, StoredColumns)
            else StoredColumns.of(stored_events)
        )
        if not columns:
            return []
        with (
            self.datastore.get_connection() as conn,
            self._in_flight(conn),
            conn.transaction(),
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(self._take_turn)
            curs.execute(self._insert_columns, columns.columns(), prepare=True)
            positions = [row[0] for row in curs.fetchall()]
        if len(positions) != len(columns):
            raise ProgrammingError(f"{len(positions)} positions for {len(columns)} events")
        return positions

    def cancel_writes(self) -> None:
        """Ask the server to cancel every insert under way (from any thread): each ends with
        PostgreSQL's query_canceled, its transaction rolled back, nothing written."""
        with self._writing_lock:
            writing = list(self._writing)
        for conn in writing:
            conn.cancel_safe(timeout=2)

    @contextmanager
    def _in_flight(self, conn: Connection[Any]) -> Iterator[None]:
        with self._writing_lock:
            self._writing.add(conn)
        try:
            yield
        finally:
            with self._writing_lock:
                self._writing.discard(conn)
