"""The eventsourcing library's PostgreSQL recorder, inserting events column by column.

The library sends a batch of events as one array of a composite type, which psycopg dumps
as text, value by value, escaping every byte of every state. This recorder sends four
binary arrays instead and leaves everything else to the library: one pipelined transaction
that sets the lock timeout, takes the table lock that keeps positions in commit order,
notifies listeners, inserts and returns the positions in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, overload
from uuid import UUID

from eventsourcing.persistence import ProgrammingError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Identifier


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


class ColumnRecorder(PostgresApplicationRecorder):
    """The library's application recorder, inserting StoredColumns as four parameters."""

    def __init__(self, datastore: Any, events_table_name: str) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._insert_columns = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(schema=Identifier(datastore.schema), table=Identifier(events_table_name))

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        if not isinstance(stored_events, StoredColumns):
            stored_events = StoredColumns.of(stored_events)
        curs.row_factory = tuple_row  # type: ignore[assignment]
        curs.execute(self._insert_columns, stored_events.columns(), prepare=True)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> list[int]:
        positions = [row[0] for row in curs.fetchall()]  # type: ignore[index]
        if len(positions) != len(stored_events):
            raise ProgrammingError(f"{len(positions)} positions for {len(stored_events)} events")
        return positions
