"""Connection settings and pools that ride out a database restart.

psycopg_pool replaces a lost connection in the background, waiting 1, 2, 4, 8... seconds
between attempts for five minutes; after an outage of half a minute it could take another
half minute to notice the server is back. Here a background attempt gives up after
RECONNECT_TIMEOUT, and a caller that finds no connection has the pool start a new attempt
at once (`check()` does that), so a busy service reconnects within a second or two of the
server's return however long it was away.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from time import monotonic
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool, PoolTimeout

CONNECT_TIMEOUT = 3
"""Seconds libpq may take to open a connection (a server that does not answer at all)."""

WAIT_TIMEOUT = 3
"""Seconds a caller waits for a pooled connection before the service answers 503."""

RECONNECT_TIMEOUT = 2.0
"""Seconds a pool keeps retrying a lost connection in the background before giving up."""

IDLE_CHECK = 2.0
"""Seconds a pooled connection may sit unused and still be handed out without a ping."""

T = TypeVar("T")


class ReadPool(AsyncConnectionPool[AsyncConnection[Any]]):
    """The read side's pool. A connection that sat unused for over IDLE_CHECK seconds is
    pinged before it is handed out; one that fails (the server restarted meanwhile) has
    the pool check every idle connection, and a fresh one is handed out instead. A
    connection in steady use is handed out as it is: `read` repeats work once on a fresh
    connection when the server went away since its last use."""

    def __init__(self, conninfo: str, *, max_size: int, **kwargs: Any) -> None:
        super().__init__(
            conninfo,
            min_size=1,
            max_size=max_size,
            open=False,
            timeout=WAIT_TIMEOUT,
            reconnect_timeout=RECONNECT_TIMEOUT,
            kwargs={**kwargs, "autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
            configure=configure_reader,
        )
        self._returned: WeakKeyDictionary[AsyncConnection[Any], float] = WeakKeyDictionary()

    async def getconn(self, timeout: float | None = None) -> AsyncConnection[Any]:
        """A pooled connection, pinged first if it was idle; PoolTimeout when none comes in
        time."""
        try:
            conn = await super().getconn(timeout)
            if self._recently_used(conn) or await _answers(conn):
                return conn
            await self.putconn(conn)  # broken: the pool closes it and opens another
            await self.check()
            return await super().getconn(timeout)
        except PoolTimeout:
            await self.check()  # starts a connection attempt if none is under way
            raise

    async def putconn(self, conn: AsyncConnection[Any]) -> None:
        """Return a connection, noting when."""
        self._returned[conn] = monotonic()
        await super().putconn(conn)

    def _recently_used(self, conn: AsyncConnection[Any]) -> bool:
        returned = self._returned.get(conn)
        return returned is not None and monotonic() - returned < IDLE_CHECK


async def configure_reader(conn: AsyncConnection[Any]) -> None:
    """Settings of a read connection: each statement planned once, for any parameters.

    psycopg prepares a statement on its fifth use; PostgreSQL then plans it afresh on each
    execution whenever it estimates a plan made for the actual parameters to be cheaper.
    With a million claims it always does so for the claim statements, whose planning costs
    about a third of their database time, although the plan for any parameters is the same
    one. Every read statement is written to run well with such a plan."""
    await conn.execute("SET plan_cache_mode = force_generic_plan")


async def read(
    pool: AsyncConnectionPool[Any], work: Callable[[AsyncConnection[Any]], Awaitable[T]]
) -> T:
    """`work` done on a pooled connection, and done again on a fresh one if that
    connection turned out to be lost. Only for work that may safely run twice."""
    try:
        async with pool.connection() as conn:
            return await work(conn)
    except psycopg.OperationalError as error:
        if not connection_lost(error):
            raise
        await pool.check()  # replaces every idle connection the restart broke too
    async with pool.connection() as conn:
        return await work(conn)


def connection_lost(error: BaseException | None) -> bool:
    """Whether a psycopg error says the connection is gone, rather than that no connection
    came in time or that a statement was refused."""
    if not isinstance(error, psycopg.Error) or isinstance(error, PoolTimeout):
        return False
    # No SQLSTATE: the client lost the server. 08: connection exception. 57P: the server
    # is shutting down, crashed or is starting.
    return error.sqlstate is None or error.sqlstate.startswith(("08", "57P"))


async def _answers(conn: AsyncConnection[Any]) -> bool:
    try:
        await conn.execute("")
    except psycopg.OperationalError:
        return False
    return True
