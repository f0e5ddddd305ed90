"""One follower of the event store for every subscriber of a process's live feed.

A subscriber that has caught up with the store waits here rather than on a connection of
its own: the hub listens for the store's notifications on one connection, reads each new
stretch of events once, keeps the latest of them, and wakes every subscriber. A subscriber
further behind than what is kept reads its pages from the database as before, then joins.
So a process holds one listening connection however many streams are open.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from infra.eventstore.store import NOTIFY_CHANNEL
from infra.postgres.listening import RECONNECT_SECONDS, listen
from infra.postgres.pools import read
from infra.readmodels import queries

log = logging.getLogger(__name__)

_IDLE_SECONDS = 30.0
PAGE = 500
"""Events read at a time, by the hub and by a subscriber catching up."""


class EventHub:
    """The latest events (up to `keep` of them, and `keep_bytes` of their states), in
    order, and a wake-up for each new stretch of them.

    `floor` is the position after which every recorded event up to `head` is kept
    (`after(p)` answers for any `p >= floor`); a subscriber behind `floor` reads from the
    database. Started on first use in the running event loop, stopped with the process."""

    APPLICATION = "claimledger event hub"

    def __init__(
        self,
        pool: AsyncConnectionPool[Any],
        conninfo: str,
        keep: int = 4 * PAGE,
        keep_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        self._pool = pool
        self._conninfo = conninfo
        self._keep = keep
        self._keep_bytes = keep_bytes
        self._recent: deque[tuple[Any, ...]] = deque()
        self._bytes = 0
        self.floor = 0
        self.head = 0
        self.listening = False
        self._changed = asyncio.Event()
        self._dirty = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start following the store (once; later calls do nothing)."""
        if not self._tasks:
            loop = asyncio.get_running_loop()
            self._tasks = [loop.create_task(self._listen()), loop.create_task(self._follow())]

    async def stop(self) -> None:
        """Stop following; subscribers still waiting are woken and find nothing new."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self.listening = False
        self._wake()

    def after(self, position: int, types: Sequence[str] = ()) -> list[tuple[Any, ...]]:
        """The kept events after `position` (which must be at least `floor`), of the given
        types if any, as rows of `queries.events`."""
        if position >= self.head:
            return []
        rows = [row for row in self._recent if row[0] > position]
        return [row for row in rows if row[3] in types] if types else rows

    def covers(self, position: int) -> bool:
        """Whether a subscriber that has seen everything up to `position` can be served from
        what is kept."""
        return self.listening and position >= self.floor

    async def changed(self, timeout: float) -> bool:
        """Wait until new events are kept (or the hub stops or starts listening again);
        False when `timeout` seconds pass first."""
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _listen(self) -> None:
        """Hold the one LISTEN connection; each notification marks the store as changed."""

        async def started(conn: AsyncConnection[Any]) -> None:
            self._start_from((await queries.claims_progress(conn)).last)

        def stopped() -> None:
            self.listening = False
            self._wake()

        await listen(
            self._conninfo,
            NOTIFY_CHANNEL,
            self.APPLICATION,
            started=started,
            heard=lambda _: self._dirty.set(),
            stopped=stopped,
            idle_seconds=_IDLE_SECONDS,
        )

    def _start_from(self, last: int) -> None:
        """Listening again: what was kept still holds, and whatever came meanwhile is read
        (from scratch, when too much came to keep)."""
        if (not self._recent and self.head == 0) or last - self.head > self._keep:
            self._recent.clear()
            self._bytes = 0
            self.floor = self.head = last
        self.listening = True
        self._dirty.set()
        self._wake()

    async def _follow(self) -> None:
        """Read each new stretch once, however many notifications announced it."""
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            try:
                while self.listening:
                    rows = await read(
                        self._pool, lambda conn: queries.events(conn, after=self.head, limit=PAGE)
                    )
                    if rows:
                        self._take(rows)
                    if len(rows) < PAGE:
                        break
            except (psycopg.Error, PoolTimeout) as error:
                log.warning("event hub could not read new events (%s)", error)
                await asyncio.sleep(RECONNECT_SECONDS)
                self._dirty.set()

    def _take(self, rows: list[tuple[Any, ...]]) -> None:
        """Keep new rows: at most `keep` of them and `keep_bytes` of their states (an
        article's event holds its whole body), the oldest let go first."""
        self._recent.extend(rows)
        self._bytes += sum(len(row[4]) for row in rows)
        self.head = rows[-1][0]
        while self._recent and (len(self._recent) > self._keep or self._bytes > self._keep_bytes):
            dropped = self._recent.popleft()
            self._bytes -= len(dropped[4])
            self.floor = dropped[0]
        self._wake()
