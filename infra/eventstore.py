"""The event store: the eventsourcing library's PostgreSQL recorder, with our codec on top."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
from eventsourcing.utils import Environment

from infra import codec
from infra.database import connection_parts

EVENTS_TABLE = "stored_events"
NOTIFY_CHANNEL = EVENTS_TABLE


class ConcurrentWrite(Exception):
    """Another writer appended to one of the same aggregates first; reload and retry."""


class StoreUnavailable(Exception):
    """The database cannot be reached."""


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored: its place in the global order, its aggregate and when it landed."""

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


class EventStore:
    """Appends events atomically under the library's table lock and reads them back."""

    def __init__(self, database_url: str, pool_size: int = 4, max_overflow: int = 4) -> None:
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
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_PRE_PING": "yes",
            # Alembic owns every table and type: the library must never create them.
            "CREATE_TABLE": "no",
        }
        self._factory = PostgresFactory(Environment(name="claimledger", env=env))
        self._datastore = self._factory.datastore
        self._recorder = PostgresApplicationRecorder(
            self._datastore, events_table_name=EVENTS_TABLE
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._factory.close()

    def append(self, events: Iterable[tuple[UUID, int, Any]]) -> list[int]:
        """Append (aggregate id, version, event) triples in one transaction; return positions.

        Raises ConcurrentWrite when any (aggregate, version) is already taken.
        """
        stored = [
            StoredEvent(
                originator_id=aggregate_id,
                originator_version=version,
                topic=codec.topic_of(event),
                state=codec.encode(event),
            )
            for aggregate_id, version, event in events
        ]
        if not stored:
            return []
        try:
            return list(self._recorder.insert_events(stored) or [])
        except IntegrityError as error:
            raise ConcurrentWrite(str(error)) from None
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(str(error)) from None

    def load(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, list[Any]]:
        """Every event of each aggregate, in version order; absent aggregates are omitted."""
        if not aggregate_ids:
            return {}
        found: dict[UUID, list[Any]] = {}
        query = (
            f"SELECT originator_id, topic, state FROM {EVENTS_TABLE}"
            " WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
        )
        with self._connection() as conn, conn.cursor() as cur:
            cur.execute(query, (list(aggregate_ids),))
            for row in cur:
                found.setdefault(row["originator_id"], []).append(
                    codec.decode(row["topic"], bytes(row["state"]))
                )
        return found

    def read(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[RecordedEvent]:
        """Events after a position, in order, at most `limit` of them."""
        with self._connection() as conn, conn.cursor() as cur:
            return fetch_after(cur, after, limit, topics)

    def last_position(self) -> int:
        """The position of the newest event, 0 when there is none."""
        with self._connection() as conn, conn.cursor() as cur:
            cur.execute(f"SELECT coalesce(max(notification_id), 0) AS last FROM {EVENTS_TABLE}")
            row = cur.fetchone()
            return int(row["last"]) if row else 0

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        try:
            with self._datastore.get_connection() as conn:
                yield conn
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(str(error)) from None


def fetch_after(
    cur: Any, after: int, limit: int, topics: Sequence[str] = ()
) -> list[RecordedEvent]:
    """Events after a position read on a dict-row cursor, in order, at most `limit`."""
    query = SELECT_AFTER
    params: dict[str, Any] = {"after": after, "limit": limit, "topics": list(topics)}
    if topics:
        query += " AND topic = ANY(%(topics)s)"
    query += " ORDER BY notification_id LIMIT %(limit)s"
    cur.execute(query, params, prepare=True)
    return [recorded(row) for row in cur]


def recorded(row: dict[str, Any]) -> RecordedEvent:
    """A stored row (read with dict rows) as a RecordedEvent."""
    return RecordedEvent(
        position=row["notification_id"],
        aggregate_id=row["originator_id"],
        version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
        recorded_at=row["recorded_at"],
    )
