"""What the load process runs: the as-of query over HTTP, the same query's SQL straight
through psycopg, the read service called in-process, batch ingest, and the event feed.

Each job is a top-level function taking one frozen dataclass, so it can be sent to the load
process; the baselines run through the same loops as the HTTP requests they are set beside.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

import msgspec
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from bench.client import Connection, HttpError, get_request, post_request
from bench.cpu import Watch
from bench.load import LoadResult, closed_loop, drain
from infra.postgres.pools import configure_reader
from infra.readmodels import queries
from infra.reference.gazetteer import default_gazetteer
from service.app.reads import PlaceQuery, Readings

# The server's read pool holds this many connections (service.bootstrap.Services.read_pool);
# the baselines get as many.
POOL_SIZE = 8
RETRIES = 5  # times a batch answered 409 (concurrent writes collided) is sent again


@dataclass(frozen=True)
class Endpoint:
    """A running API server: where it listens, a write key, its process id."""

    host: str
    port: int
    key: str
    pid: int


@dataclass(frozen=True)
class QueryJob:
    """The as-of query for each (place, as-of date), at a concurrency, for a time."""

    target: Literal["http", "sql", "service", "health"]
    queries: list[tuple[str, date]]
    concurrency: int
    warmup: float
    duration: float
    conninfo: str
    endpoint: Endpoint | None = None
    limit: int = 100


@dataclass(frozen=True)
class IngestJob:
    """Batch bodies for POST /articles/batch, each sent once, `concurrency` at a time."""

    endpoint: Endpoint
    bodies: list[bytes]
    articles: list[int]
    concurrency: int
    conninfo: str


@dataclass(frozen=True)
class FeedJob:
    """The whole event feed read page by page, over HTTP or by the feed's own SQL."""

    target: Literal["http", "sql"]
    events: int
    page: int
    conninfo: str
    endpoint: Endpoint | None = None


class _Page(msgspec.Struct):
    events: list[msgspec.Raw]
    next_after: int


def query_load(job: QueryJob) -> LoadResult:
    """Run the as-of query load against the job's target."""
    return asyncio.run(_query_load(job))


async def _query_load(job: QueryJob) -> LoadResult:
    watch = Watch(job.endpoint.pid if job.endpoint else None, job.conninfo)
    if job.target in {"http", "health"}:
        assert job.endpoint is not None
        async with _connections(job.endpoint, job.concurrency) as connections:
            call = _http_call(job, connections)
            return await closed_loop(call, job.concurrency, job.warmup, job.duration, watch)
    async with _pool(job.conninfo) as pool:
        call = _sql_call(job, pool) if job.target == "sql" else _service_call(job, pool)
        return await closed_loop(call, job.concurrency, job.warmup, job.duration, watch)


def _http_call(job: QueryJob, connections: list[Connection]) -> Callable[[int], Awaitable[int]]:
    assert job.endpoint is not None
    end = job.endpoint
    paths = [f"/places/{place}/claims?as_of={as_of.isoformat()}" for place, as_of in job.queries]
    if job.target == "health":
        paths = ["/health"]
    requests = [get_request(end.host, end.port, path, end.key) for path in paths]

    async def call(index: int) -> int:
        status, body = await connections[index % len(connections)].send(
            requests[index % len(requests)]
        )
        if status != 200:
            raise HttpError(f"{status}: {body[:200]!r}")
        return 1

    return call


def _sql_call(job: QueryJob, pool: AsyncConnectionPool[Any]) -> Callable[[int], Awaitable[int]]:
    """The statement GET /places/{id}/claims runs (service.reads.Readings.place_claims:
    one, answering in one row), its row fetched as the service fetches it, nothing
    decoded or built from it."""

    async def call(index: int) -> int:
        place_id, as_of = job.queries[index % len(job.queries)]
        async with pool.connection() as conn:
            await queries.place_claims(
                conn, queries.ClaimsQuery((place_id,), as_of, limit=job.limit)
            )
        return 1

    return call


def _service_call(job: QueryJob, pool: AsyncConnectionPool[Any]) -> Callable[[int], Awaitable[int]]:
    """The read service's answer, built and encoded as JSON, without HTTP."""
    readings = Readings(pool, default_gazetteer(), job.conninfo)
    encoder = msgspec.json.Encoder()

    async def call(index: int) -> int:
        place_id, as_of = job.queries[index % len(job.queries)]
        answer = await readings.place_claims(
            PlaceQuery(readings.place(place_id), as_of, limit=job.limit)
        )
        encoder.encode(answer)
        return 1

    return call


def ingest(job: IngestJob) -> LoadResult:
    """Send every batch once; units are the articles the server accepted."""
    return asyncio.run(_ingest(job))


async def _ingest(job: IngestJob) -> LoadResult:
    end = job.endpoint
    requests = [
        post_request(end.host, end.port, "/articles/batch", body, end.key) for body in job.bodies
    ]
    async with _connections(end, job.concurrency) as connections:
        idle: asyncio.Queue[Connection] = asyncio.Queue()
        for connection in connections:
            idle.put_nowait(connection)

        retries = 0

        async def call(index: int) -> int:
            nonlocal retries
            for attempt in range(RETRIES + 1):
                connection = await idle.get()
                try:
                    status, body = await connection.send(requests[index])
                finally:
                    idle.put_nowait(connection)
                if status == 409 and attempt < RETRIES:
                    retries += 1  # writers collided on a claim; the API asks to retry
                    continue
                if status != 200:
                    raise HttpError(f"{status}: {body[:300]!r}")
                break
            return job.articles[index]

        watch = Watch(end.pid, job.conninfo)
        result = await drain(call, len(requests), job.concurrency, watch)
        return replace(result, retries=retries)


def feed(job: FeedJob) -> LoadResult:
    """Read the feed from the first event to the last; units are events read."""
    return asyncio.run(_feed(job))


async def _feed(job: FeedJob) -> LoadResult:
    pages = math.ceil(job.events / job.page) + 1
    watch = Watch(job.endpoint.pid if job.endpoint else None, job.conninfo)
    after = 0
    if job.target == "http":
        assert job.endpoint is not None
        end = job.endpoint
        async with _connections(end, 1) as (connection,):

            async def call(_: int) -> int:
                nonlocal after
                path = f"/events?after={after}&limit={job.page}"
                status, body = await connection.send(get_request(end.host, end.port, path, end.key))
                if status != 200:
                    raise HttpError(f"{status}: {body[:200]!r}")
                page = msgspec.json.decode(body, type=_Page)
                after = page.next_after
                return len(page.events)

            return await drain(call, pages, 1, watch)
    async with _pool(job.conninfo, size=1) as pool:

        async def read(_: int) -> int:
            nonlocal after
            async with pool.connection() as conn:
                rows = await queries.events(conn, after=after, limit=job.page)
            if rows:
                after = rows[-1][0]
            return len(rows)

        return await drain(read, pages, 1, watch)


@asynccontextmanager
async def _connections(endpoint: Endpoint, count: int) -> AsyncIterator[list[Connection]]:
    connections = [Connection(endpoint.host, endpoint.port) for _ in range(count)]
    try:
        yield connections
    finally:
        for connection in connections:
            await connection.close()


@asynccontextmanager
async def _pool(conninfo: str, size: int = POOL_SIZE) -> AsyncIterator[AsyncConnectionPool[Any]]:
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        conninfo,
        min_size=size,
        max_size=size,
        open=False,
        kwargs={"row_factory": dict_row, "autocommit": True},
        configure=configure_reader,  # as the server's read pool does
    )
    await pool.open(wait=True)
    try:
        yield pool
    finally:
        await pool.close()
