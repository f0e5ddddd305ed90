"""A LISTEN connection held for as long as a task runs, made again when the database
drops it: the event hub and the place memory each follow one channel this way."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from psycopg import AsyncConnection

from infra.postgres.pools import CONNECT_TIMEOUT

log = logging.getLogger(__name__)

RECONNECT_SECONDS = 1.0
"""Seconds between a lost connection and the next attempt."""


async def listen(
    conninfo: str,
    channel: str,
    who: str,
    *,
    started: Callable[[AsyncConnection[Any]], Awaitable[None]],
    heard: Callable[[str], None],
    stopped: Callable[[], None],
    idle_seconds: float = 10.0,
) -> None:
    """Listen on `channel` until cancelled: `started` once each connection listens,
    `heard` with each notification's payload, `stopped` whenever listening ends. A quiet
    connection is checked every `idle_seconds`, as one lost without a word looks quiet.
    Failures are logged under `who` (also the connection's application_name)."""
    while True:
        try:
            async with await AsyncConnection.connect(
                conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name=who
            ) as conn:
                await conn.execute(f"LISTEN {channel}")
                await started(conn)
                while True:
                    async for notification in conn.notifies(timeout=idle_seconds):
                        heard(notification.payload)
                    await conn.execute("SELECT 1")
        except psycopg.Error as error:
            log.warning("%s lost the database (%s); listening again shortly", who, error)
        except Exception:
            log.exception("%s stopped listening; starting again", who)
        finally:
            stopped()
        await asyncio.sleep(RECONNECT_SECONDS)
