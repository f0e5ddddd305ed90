"""The projector: catches every projection up from its tracked position, then follows."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.rows import dict_row

from infra.eventstore.store import NOTIFY_CHANNEL, fetch_after
from infra.postgres.database import psycopg_conninfo
from infra.postgres.pools import CONNECT_TIMEOUT
from infra.readmodels.projections import Projection, all_projections, announce_every_place, apply

log = logging.getLogger(__name__)


FOLLOWING_LOCK = (0x636C, 1)
"""The advisory lock (two keys) every following projector holds, shared, on its listening
connection: PostgreSQL lets it go with the connection, so it is held exactly while one
follows (see `queries.projector_following`)."""


class Projector:
    """Applies new events to each projection in batches, one transaction per batch."""

    def __init__(
        self, database_url: str, projections: list[Projection] | None = None, batch_size: int = 1000
    ) -> None:
        self._conninfo = psycopg_conninfo(database_url)
        self.projections = projections if projections is not None else all_projections()
        self.batch_size = batch_size

    def catch_up(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Project every event not yet projected; return the most events any projection read."""
        most = 0
        with self._connect() as conn:
            self._ensure_tracking_rows(conn)
            for projection in self.projections:
                read = 0
                while count := self._project_batch(conn, projection):
                    read += count
                    if on_batch:
                        on_batch(count)
                most = max(most, read)
        return most

    def positions(self) -> dict[str, int]:
        """The tracked position of each projection (0 before its first batch)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT projection, position FROM projection_tracking").fetchall()
        tracked = {row["projection"]: row["position"] for row in rows}
        return {p.name: int(tracked.get(p.name, 0)) for p in self.projections}

    def reset(self) -> None:
        """Empty every read model and its position, so the next catch-up starts afresh."""
        with self._connect() as conn, conn.transaction():
            for projection in self.projections:
                conn.execute(f"TRUNCATE {', '.join(projection.tables)}")
                conn.execute(
                    "DELETE FROM projection_tracking WHERE projection = %s", (projection.name,)
                )
            announce_every_place(conn)

    def follow_in_background(self) -> Callable[[], None]:
        """Follow the event store on a thread of its own; returns what stops it (waiting up
        to 10 s for the batch in hand)."""
        stop = threading.Event()
        thread = threading.Thread(target=self.follow, args=(stop,), name="projector", daemon=True)
        thread.start()

        def stopped() -> None:
            stop.set()
            thread.join(timeout=10)

        return stopped

    def follow(self, stop: threading.Event, poll_seconds: float = 1.0) -> None:
        """Catch up, then wait for the store's notifications and catch up again, until stopped.

        Database outages are logged and retried; the loop only ends when `stop` is set.
        """
        while not stop.is_set():
            try:
                with psycopg.connect(
                    self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT
                ) as listener:
                    listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    # Each projection has its tracked row before the lock says one follows,
                    # so a reader that sees a follower also sees the rows it will lock.
                    with self._connect() as conn:
                        self._ensure_tracking_rows(conn)
                    # Held while following, so that any process can tell one runs.
                    listener.execute("SELECT pg_advisory_lock_shared(%s, %s)", FOLLOWING_LOCK)
                    while not stop.is_set():
                        self.catch_up()
                        for _ in listener.notifies(timeout=poll_seconds, stop_after=1):
                            pass
            except (psycopg.OperationalError, psycopg.InterfaceError) as error:
                log.warning("projector lost the database (%s); retrying", error)
                stop.wait(poll_seconds)
            except Exception:
                # A projection that cannot apply an event must not end the loop silently:
                # say so loudly, then try again (the batch was rolled back, nothing is lost).
                log.exception("projection failed; retrying in %s s", poll_seconds * 5)
                stop.wait(poll_seconds * 5)

    def _project_batch(self, conn: psycopg.Connection[Any], projection: Projection) -> int:
        with conn.transaction():
            # The row lock makes a second projector wait rather than apply events twice.
            row = conn.execute(
                "SELECT position FROM projection_tracking WHERE projection = %s FOR UPDATE",
                (projection.name,),
            ).fetchone()
            position = int(row["position"]) if row else 0
            with conn.cursor() as cur:
                events = fetch_after(cur, position, self.batch_size)
                if not events:
                    return 0
                wanted = [e for e in events if e.topic in projection.topics]
                if wanted:
                    apply(projection, cur, wanted)
                cur.execute(
                    "UPDATE projection_tracking SET position = %s, updated_at = now()"
                    " WHERE projection = %s",
                    (events[-1].position, projection.name),
                )
        return len(events)

    def _ensure_tracking_rows(self, conn: psycopg.Connection[Any]) -> None:
        with conn.transaction():
            for projection in self.projections:
                conn.execute(
                    "INSERT INTO projection_tracking (projection, position) VALUES (%s, 0)"
                    " ON CONFLICT (projection) DO NOTHING",
                    (projection.name,),
                )

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            self._conninfo, row_factory=dict_row, autocommit=True, connect_timeout=CONNECT_TIMEOUT
        )
