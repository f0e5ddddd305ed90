"""Connection settings and pools that ride out a database restart.

psycopg_pool replaces a lost connection in the background, waiting 1, 2, 4, 8... seconds
between attempts for five minutes; after an outage of half a minute it could take another
half minute to notice the server is back. Here a background attempt gives up after
RECONNECT_TIMEOUT, and a caller that finds no connection has the pool start a new attempt
at once (`check()` does that), so a busy service reconnects within a second or two of the
server's return however long it was away.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool, PoolTimeout

CONNECT_TIMEOUT = 3
"""Seconds libpq may take to open a connection (a server that does not answer at all)."""

WAIT_TIMEOUT = 3
"""Seconds a caller waits for a pooled connection before the service answers 503."""

RECONNECT_TIMEOUT = 2.0
"""Seconds a pool keeps retrying a lost connection in the background before giving up."""


class ReadPool(AsyncConnectionPool[AsyncConnection[Any]]):
    """The read side's pool. Every connection is pinged before it is handed out: one that
    fails (the server restarted since it was last used) has the pool check every idle
    connection, and a fresh one is handed out instead, so no reader gets a stale one."""

    def __init__(self, conninfo: str, *, max_size: int, **kwargs: Any) -> None:
        super().__init__(
            conninfo,
            min_size=1,
            max_size=max_size,
            open=False,
            timeout=WAIT_TIMEOUT,
            reconnect_timeout=RECONNECT_TIMEOUT,
            kwargs={**kwargs, "autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
        )

    async def getconn(self, timeout: float | None = None) -> AsyncConnection[Any]:
        """A connection that has just answered; PoolTimeout when none comes in time."""
        try:
            conn = await super().getconn(timeout)
            if await _answers(conn):
                return conn
            await self.putconn(conn)  # broken: the pool closes it and opens another
            await self.check()
            return await super().getconn(timeout)
        except PoolTimeout:
            await self.check()  # starts a connection attempt if none is under way
            raise


async def _answers(conn: AsyncConnection[Any]) -> bool:
    try:
        await conn.execute("")
    except psycopg.OperationalError:
        return False
    return True
