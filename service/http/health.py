"""Liveness, readiness and metrics."""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from infra.postgres.migrate import head_revision
from infra.readmodels import queries
from service.app.reads import Readings
from service.app.schemas import Health, Readiness
from service.app.services import Services
from service.http import observing


class HealthController(Controller):
    """Whether the process answers, and whether it can answer well."""

    tags = ["health"]

    @get("/health", operation_id="health", summary="The process is up")
    async def health(self) -> Health:
        """Always ok while the process serves."""
        return Health(status="ok")

    @get(
        "/ready",
        operation_id="ready",
        summary="Database, migrations and projection lag",
        responses={503: ResponseSpec(Readiness, description="Not ready", generate_examples=False)},
    )
    async def ready(self, state: State, readings: NamedDependency[Readings]) -> Response[Readiness]:
        """200 when the database answers, migrations are at head, a projector follows the
        store (in this process or any other) and the oldest event not yet projected was
        recorded at most `max_lag_seconds` ago; else 503."""
        services: Services = state.services
        positions = {p.name: 0 for p in services.projector.projections}
        try:
            async with readings.pool.connection() as conn:
                current = await queries.current_revision(conn)
                last, tracked = await queries.positions(conn)
                positions = {name: tracked.get(name, 0) for name in positions}
                following = await queries.projector_following(conn)
                lag = await queries.lag_seconds(conn, min(positions.values(), default=last))
        except Exception:  # noqa: BLE001 - any failure here means "not ready"
            return Response(_not_ready(), status_code=503, headers=_RETRY)
        head = head_revision()
        ready = current == head and following and lag <= state.ready_max_lag
        body = Readiness(
            ready=ready,
            database=True,
            migration=current,
            migration_head=head,
            last_position=last,
            projection_positions=positions,
            projection_lag=max((last - p for p in positions.values()), default=0),
            projector_following=following,
            projection_lag_seconds=round(lag, 3),
            max_lag_seconds=state.ready_max_lag,
        )
        # Every 503 says when to ask again, whichever check failed.
        return Response(body, status_code=200 if ready else 503, headers=None if ready else _RETRY)

    @get(
        "/metrics",
        operation_id="metrics",
        summary="The process's metrics, in Prometheus's text format",
        media_type="text/plain; version=0.0.4; charset=utf-8",
    )
    async def metrics(self, state: State, readings: NamedDependency[Readings]) -> Response[bytes]:
        """Requests by route template, method and status with their latency, held-answer
        hits and misses, the store's last position, the claims projection's position and
        lag (in events and seconds), the read pool's connections, open event streams and
        held places: this process's figures (with several workers, each has its own)."""
        await _scrape(state, readings)
        return Response(observing.exposition(), media_type=observing.EXPOSITION)


_RETRY = {"Retry-After": "2"}
"""What a not-ready answer says: ask again in two seconds."""

_DATABASE_EVERY = 1.0
_ASKED = [float("-inf")]
"""When the database's figures were last asked for."""


async def _scrape(state: State, readings: Readings) -> None:
    """Set the gauges read at scrape time."""
    stats = readings.pool.get_stats()
    observing.POOL.labels("open").set(stats.get("pool_size", 0))
    observing.POOL.labels("idle").set(stats.get("pool_available", 0))
    observing.POOL.labels("waiting").set(stats.get("requests_waiting", 0))
    observing.STREAMS.set(state.access.streams.open)
    observing.HELD_PLACES.set(len(readings.memory) if readings.memory is not None else 0)
    # /metrics is open and not rate-limited: the database is asked at most once a second,
    # however often it is scraped.
    now = time.monotonic()
    if now - _ASKED[0] < _DATABASE_EVERY:
        return
    _ASKED[0] = now
    try:
        async with readings.pool.connection() as conn:
            applied, last = await queries.claims_progress(conn)
            lag = await queries.lag_seconds(conn, applied)
    except Exception:  # noqa: BLE001 - any failure here means the database is not answering
        observing.DATABASE_UP.set(0)
        return
    observing.DATABASE_UP.set(1)
    observing.EVENTS.set(last)
    observing.PROJECTED.set(applied)
    observing.LAG_EVENTS.set(max(0, last - applied))
    observing.LAG_SECONDS.set(lag)


def _not_ready() -> Readiness:
    empty: dict[str, Any] = {}
    return Readiness(
        ready=False,
        database=False,
        migration=None,
        migration_head=None,
        last_position=0,
        projection_positions=empty,
        projection_lag=0,
        projector_following=False,
        projection_lag_seconds=0.0,
        max_lag_seconds=0.0,
    )
